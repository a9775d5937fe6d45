import Foundation
import TidepoolTUI
import XCTest

final class ThemeTests: XCTestCase {
    static var themesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes")
    }

    func testGoodFileLoads() throws {
        let text = """
            name = "mine"
            [roles]
            heading = { fg = 19, bold = true }
            text = { fg = "#ffffff", bg = "default", fg8 = "white" }
            """
        let theme = try ThemeLoader.parse(text, source: "mine.toml")
        XCTAssertEqual(theme.name, "mine")
        XCTAssertEqual(theme[.heading], Style(foreground: .indexed(19), attributes: .bold))
        XCTAssertEqual(theme[.text].foreground, .indexed(231))
        XCTAssertEqual(theme.with(mode: .ansi8)[.text].foreground, .white)
        // 19 is a blue: the derived 8-colour fallback is blue.
        XCTAssertEqual(theme.with(mode: .ansi8)[.heading].foreground, .blue)
    }

    func testBrokenFileNamesFileAndLine() {
        let text = "name = \"x\"\n[roles]\nheading = { fg = 33, \n"
        XCTAssertThrowsError(try ThemeLoader.parse(text, source: "broken.toml")) { error in
            guard case .syntax(let file, let line, _, _) = error as? ThemeError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(file, "broken.toml")
            XCTAssertEqual(line, 3)
            XCTAssertTrue("\(error)".hasPrefix("broken.toml:3:"))
        }
    }

    func testUnknownRoleAndBadColourNameTheKey() {
        XCTAssertThrowsError(try ThemeLoader.parse("[roles]\nheadline = { fg = 1 }", source: "t.toml")) {
            XCTAssertEqual($0 as? ThemeError, .unknownKey(file: "t.toml", key: "roles.headline", line: 2))
        }
        XCTAssertThrowsError(try ThemeLoader.parse("[roles]\n\ntext = { fg = \"#12345\" }", source: "t.toml")) {
            XCTAssertEqual(
                $0 as? ThemeError, .badColor(file: "t.toml", key: "roles.text.fg", value: "#12345", line: 3))
        }
        XCTAssertThrowsError(try ThemeLoader.parse("[roles]\ntext = { fg = 300 }", source: "t.toml"))
        XCTAssertThrowsError(try ThemeLoader.parse("[roles]\ntext = { bolt = true }", source: "t.toml")) {
            XCTAssertEqual($0 as? ThemeError, .unknownKey(file: "t.toml", key: "roles.text.bolt", line: 2))
        }
        XCTAssertThrowsError(try ThemeLoader.parse("[roles]\ntext = { bold = 1 }", source: "t.toml"))
    }

    func testEveryBundledThemeLoadsAndDefinesEveryRole() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.themesDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }
        XCTAssertGreaterThanOrEqual(files.count, 6)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let theme = try ThemeLoader.parse(text, source: file.path)
            XCTAssertEqual(theme.name, file.deletingPathExtension().lastPathComponent)
            for role in ThemeRole.allCases {
                XCTAssertTrue(text.contains("\n\(role.rawValue) = {"), "\(file.lastPathComponent) lacks \(role)")
            }
            XCTAssertNotEqual(theme[.text].foreground, .default, file.lastPathComponent)
            XCTAssertNotEqual(theme[.heading], theme[.text], file.lastPathComponent)
        }
    }

    func testEmbeddedDefaultMatchesTheFile() throws {
        let file = try String(contentsOf: Self.themesDirectory.appendingPathComponent("tidepool-dark.toml"), encoding: .utf8)
        XCTAssertEqual(Theme.defaultThemeText, file)
        XCTAssertEqual(Theme.default.name, "tidepool-dark")
        XCTAssertEqual(Theme.default[.heading].foreground, .indexed(111))
    }

    func testMonochromeKeepsRolesDistinguishable() {
        let mono = Theme.default.with(mode: .monochrome)
        for role in ThemeRole.allCases {
            XCTAssertEqual(mono[role].foreground, .default)
            XCTAssertEqual(mono[role].background, .default)
        }
        XCTAssertNotEqual(mono[.heading], mono[.text])
        XCTAssertNotEqual(mono[.error], mono[.text])
        XCTAssertNotEqual(mono[.borderFocused], mono[.border])
        XCTAssertEqual(ColorMode.detect(environment: ["NO_COLOR": "1"], terminalColors: 256), .monochrome)
        XCTAssertEqual(ColorMode.detect(environment: ["NO_COLOR": ""], terminalColors: 256), .xterm256)
        XCTAssertEqual(ColorMode.detect(environment: [:], terminalColors: 8), .ansi8)
    }

    func testXTermMapping() {
        XCTAssertEqual(XTermPalette.nearestIndex(red: 0, green: 0, blue: 0), 16)
        XCTAssertEqual(XTermPalette.nearestIndex(red: 255, green: 255, blue: 255), 231)
        XCTAssertEqual(XTermPalette.nearestIndex(red: 0x28, green: 0x28, blue: 0x28), 235)  // gruvbox bg
        XCTAssertEqual(XTermPalette.nearestIndex(red: 0xfb, green: 0x49, blue: 0x34), 203)  // gruvbox red
        XCTAssertEqual(XTermPalette.nearestIndex(red: 0x26, green: 0x8b, blue: 0xd2), 32)  // solarized blue
        for i in 16...255 {
            let c = XTermPalette.rgb(ofIndex: UInt8(i))
            XCTAssertEqual(XTermPalette.nearestIndex(red: c.red, green: c.green, blue: c.blue), UInt8(i))
        }
    }

    func testCatalogListsOverridesAndCycles() throws {
        let user = FileManager.default.temporaryDirectory.appendingPathComponent("tp-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: user) }
        try "[roles]\nheading = { fg = 196 }\n".write(to: user.appendingPathComponent("nord.toml"), atomically: true, encoding: .utf8)
        try "[roles\n".write(to: user.appendingPathComponent("zzz-broken.toml"), atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(directories: [Self.themesDirectory, user])
        XCTAssertEqual(catalog.names.first, "tidepool-dark")
        XCTAssertTrue(catalog.names.contains("gruvbox-dark"))
        XCTAssertEqual(try catalog.load("nord")[.heading].foreground, .indexed(196))
        let (fallback, error) = catalog.loadOrDefault("zzz-broken")
        XCTAssertEqual(fallback.name, "tidepool-dark")
        XCTAssertNotNil(error)
        var name = catalog.names[0]
        for _ in catalog.names { name = catalog.next(after: name) }
        XCTAssertEqual(name, catalog.names[0])
        XCTAssertEqual(ThemeCatalog(directories: []).names, ["tidepool-dark"])
    }
}
