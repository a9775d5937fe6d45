import Foundation
import XCTest

@testable import TidepoolStore

final class ConfigSupportTests: XCTestCase {
    func testPathsFollowXDGDefaults() {
        let paths = ConfigPaths(environment: ["HOME": "/home/u"])
        XCTAssertEqual(paths.configFile, "/home/u/.config/tidepool/config.toml")
        XCTAssertEqual(paths.configSource, .xdgDefault)
        XCTAssertEqual(paths.dataDirectory, "/home/u/.local/share/tidepool")
        XCTAssertEqual(paths.stateDirectory, "/home/u/.local/state/tidepool")
        XCTAssertEqual(paths.historyDatabase, "/home/u/.local/share/tidepool/history.sqlite")
        XCTAssertEqual(paths.configDirectory, "/home/u/.config/tidepool")
    }

    func testPathsPreferFlagThenVariableThenXDG() {
        let environment = [
            "HOME": "/home/u", "TIDEPOOL_CONFIG": "~/tp.toml", "XDG_CONFIG_HOME": "/xdg/config/",
            "XDG_DATA_HOME": "/xdg/data", "XDG_STATE_HOME": "relative/ignored",
        ]
        let fromFlag = ConfigPaths(environment: environment, commandLineConfig: "/etc/tp.toml")
        XCTAssertEqual(fromFlag.configFile, "/etc/tp.toml")
        XCTAssertEqual(fromFlag.configSource, .commandLine)

        let fromVariable = ConfigPaths(environment: environment)
        XCTAssertEqual(fromVariable.configFile, "/home/u/tp.toml")
        XCTAssertEqual(fromVariable.configSource, .environment)
        XCTAssertEqual(fromVariable.dataDirectory, "/xdg/data/tidepool")
        XCTAssertEqual(fromVariable.stateDirectory, "/home/u/.local/state/tidepool", "relative XDG paths are ignored")

        var withoutVariable = environment
        withoutVariable["TIDEPOOL_CONFIG"] = nil
        XCTAssertEqual(ConfigPaths(environment: withoutVariable).configFile, "/xdg/config/tidepool/config.toml")
    }

    func testSecretNeverShowsItsValue() {
        let secret = Secret("sk-live-1234567890\n")
        XCTAssertEqual(secret.description, "<redacted>")
        XCTAssertEqual(secret.debugDescription, "Secret(<redacted>)")
        XCTAssertEqual("\(secret)", "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        XCTAssertFalse(dumped.contains("sk-live"), dumped)
        XCTAssertFalse(String(reflecting: [secret]).contains("sk-live"))
        XCTAssertFalse(String(describing: Optional(secret)).contains("sk-live"))
        XCTAssertEqual(secret.withValue { $0 }, "sk-live-1234567890", "trailing newline trimmed")
    }

    func testAPIKeyResolvesFromEnvironmentAndFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("file-key\n".utf8).write(to: directory.appendingPathComponent("k"))

        let fromEnvironment = ProviderConfig(
            name: "openai", kind: .openai, baseURL: "https://api.openai.com/v1",
            apiKeySource: .environment(variable: "TP_KEY"))
        XCTAssertEqual(
            try fromEnvironment.resolveAPIKey(environment: ["TP_KEY": "env-key"], homeDirectory: "/")?
                .withValue { $0 }, "env-key")
        XCTAssertThrowsError(try fromEnvironment.resolveAPIKey(environment: [:], homeDirectory: "/")) {
            XCTAssertEqual(
                "\($0)",
                "provider 'openai' reads its API key from $TP_KEY, which is not set; export TP_KEY=... before starting tidepool")
        }
        let fromFile = ProviderConfig(
            name: "a", kind: .anthropic, baseURL: "https://api.anthropic.com",
            apiKeySource: .file(path: "~/k"))
        XCTAssertEqual(
            try fromFile.resolveAPIKey(environment: [:], homeDirectory: directory.path)?.withValue { $0 },
            "file-key")
        let none = ProviderConfig(name: "ollama", kind: .ollama, baseURL: "http://127.0.0.1:11434")
        XCTAssertNil(try none.resolveAPIKey(environment: [:], homeDirectory: "/"))
    }

    func testTemplateParsesAndValidatesClean() {
        let validator = ConfigValidator(environment: [:], homeDirectory: "/home/u", fileMode: { _ in nil })
        let validation = validator.validate(source: ConfigTemplate.text, file: "template.toml")
        XCTAssertEqual(validation.issues, [])
        // Issue 12 item 5: the template starts on the simulator, real servers commented out.
        XCTAssertEqual(validation.config.panes, [
            PaneSpec(provider: "sim", model: "sim-fast"), PaneSpec(provider: "sim-ollama", model: "sim-steady"),
            PaneSpec(provider: "sim-anthropic", model: "sim-thinker"),
        ])
        XCTAssertNil(validation.config.defaultTimeouts.total)
    }

    func testWriteTemplateRefusesToOverwriteWithoutForce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested/config.toml").path

        try ConfigTemplate.writeTemplate(to: path, force: false)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data(ConfigTemplate.text.utf8))

        try Data("mine".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ConfigTemplate.writeTemplate(to: path, force: false)) {
            XCTAssertEqual("\($0)", "\(path) already exists; pass --force to overwrite it")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("mine".utf8))
        try ConfigTemplate.writeTemplate(to: path, force: true)
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data(ConfigTemplate.text.utf8))
    }

    func testLoaderDistinguishesMissingDefaultFromMissingExplicitFile() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/config.toml"
        let defaultPaths = ConfigPaths(environment: ["HOME": "/nonexistent-home", "XDG_CONFIG_HOME": "/nonexistent-xdg"])
        XCTAssertEqual(try ConfigLoader.load(paths: defaultPaths, environment: [:]).config, .default)

        let explicit = ConfigPaths(environment: ["HOME": "/h"], commandLineConfig: missing)
        XCTAssertThrowsError(try ConfigLoader.load(paths: explicit, environment: [:])) {
            XCTAssertEqual($0 as? ConfigError, .notFound(path: missing, source: .commandLine))
        }
    }

    func testEditDistance() {
        XCTAssertEqual(EditDistance.between("base_ur", "base_url"), 1)
        XCTAssertEqual(EditDistance.between("kitten", "sitting"), 3)
        XCTAssertEqual(EditDistance.between("", "abc"), 3)
    }
}
