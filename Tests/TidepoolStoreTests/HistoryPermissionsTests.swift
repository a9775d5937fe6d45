import Foundation
import XCTest

@testable import TidepoolStore

/// The history holds every prompt and answer: nobody but its user may read it.
final class HistoryPermissionsTests: XCTestCase {
    private var root: String!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tidepool-perms-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func mode(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> mode_t? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            XCTFail("\(path) does not exist", file: file, line: line)
            return nil
        }
        return status.st_mode & 0o777
    }

    /// Writes one session so SQLite has created its `-wal` and `-shm` files.
    private func writeSomething(_ store: HistoryStore) throws {
        let session = try store.createSession(title: "secret")
        try store.recordUserMessage(sessionID: session, text: "my private question")
    }

    func testANewHistoryIsCreatedPrivate() throws {
        // Even with the most permissive umask, the modes are set, not inherited.
        let previous = umask(0)
        defer { umask(previous) }
        let directory = root + "/data/tidepool"
        let path = directory + "/history.sqlite"
        let store = try HistoryStore(path: path)
        try writeSomething(store)
        XCTAssertEqual(mode(directory), 0o700)
        for file in [path, path + "-wal", path + "-shm"] {
            XCTAssertEqual(mode(file), 0o600, file)
        }
    }

    func testAnExistingLooseHistoryIsTightened() throws {
        let directory = root + "/tidepool"
        let path = directory + "/history.sqlite"
        do {
            let store = try HistoryStore(path: path)
            try writeSomething(store)
        }
        // As an older Tidepool left them (the WAL files reappear with whatever mode a copy had).
        XCTAssertEqual(chmod(directory, 0o755), 0)
        XCTAssertEqual(chmod(path, 0o644), 0)
        for file in [path + "-wal", path + "-shm"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: nil) || FileManager.default.fileExists(atPath: file))
            XCTAssertEqual(chmod(file, 0o644), 0)
        }
        let store = try HistoryStore(path: path, privateDirectory: true)
        try writeSomething(store)
        XCTAssertEqual(mode(directory), 0o700)
        for file in [path, path + "-wal", path + "-shm"] {
            XCTAssertEqual(mode(file), 0o600, file)
        }
        XCTAssertEqual(try store.listSessions().count, 2, "the tightened database still holds its data")
    }

    func testAForeignFolderKeepsItsModeButTheFilesArePrivate() throws {
        // A database placed in a shared folder must not change that folder.
        XCTAssertEqual(chmod(root, 0o755), 0)
        let path = root + "/history.sqlite"
        let store = try HistoryStore(path: path)
        try writeSomething(store)
        XCTAssertEqual(mode(root), 0o755)
        XCTAssertEqual(mode(path), 0o600)
    }

    func testTheDataDirectoryOfConfigPathsIsMadePrivate() throws {
        let paths = ConfigPaths(environment: ["HOME": root, "XDG_DATA_HOME": root + "/share"])
        try FileManager.default.createDirectory(
            atPath: paths.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        XCTAssertEqual(chmod(paths.dataDirectory, 0o755), 0)
        let store = try HistoryStore(paths: paths)
        try writeSomething(store)
        XCTAssertEqual(mode(paths.dataDirectory), 0o700)
        XCTAssertEqual(mode(paths.historyDatabase), 0o600)
    }
}
