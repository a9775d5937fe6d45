import Foundation

/// Keeps the history private to its user: the folder 0700, the database and its `-wal` and
/// `-shm` files 0600.
///
/// SQLite creates the WAL and shared-memory files with the mode of the database file, so
/// creating the (empty) database file 0600 before SQLite opens it makes all three private
/// without touching the process umask (which is process-wide and would race other threads).
/// Files and folders that already exist with looser modes (an older Tidepool created them
/// 0644/0755) are tightened with `chmod`.
enum HistoryFilePermissions {
    /// The mode of the history folder.
    static let directoryMode: mode_t = 0o700
    /// The mode of the database, WAL and shared-memory files.
    static let fileMode: mode_t = 0o600

    /// The database file and the two files SQLite keeps beside it in WAL mode.
    static func files(databasePath: String) -> [String] {
        [databasePath, databasePath + "-wal", databasePath + "-shm"]
    }

    /// Creates the missing folders of `databasePath` (0700) and the database file itself
    /// (0600, empty: SQLite treats an empty file as a new database), and tightens an existing
    /// database. With `tighteningDirectory`, an existing parent folder becomes 0700 too.
    static func prepare(databasePath path: String, tighteningDirectory: Bool) throws(HistoryError) {
        let directory = ConfigPaths.parentDirectory(of: path)
        var existed = true
        do {
            existed = FileManager.default.fileExists(atPath: directory)
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: Int(directoryMode)])
        } catch {
            throw .cannotOpen(path: path, reason: "cannot create \(directory)")
        }
        if !existed || tighteningDirectory { _ = chmod(directory, directoryMode) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, fileMode)
        if descriptor >= 0 { close(descriptor) }
        // Failing to create it here is not fatal: SQLite then reports why it cannot open it.
        tightenFiles(databasePath: path)
    }

    /// Makes every existing history file 0600 (a missing file is skipped; a file owned by
    /// someone else cannot be changed and is left for SQLite to report).
    static func tightenFiles(databasePath path: String) {
        for file in files(databasePath: path) {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & 0o777 != fileMode else { continue }
            _ = chmod(file, fileMode)
        }
    }
}
