import Foundation
import TOMLKit

/// Reads theme files (TOML) into `Theme`s.
///
/// Format:
/// ```toml
/// name = "tidepool-dark"          # optional, informational
/// description = "..."             # optional
/// [roles]
/// text = { fg = 252 }             # fg/bg: 0-255, "#rrggbb", "default", or a colour name
/// heading = { fg = "#83a598", bold = true, fg8 = "blue" }
/// ```
/// Per role: `fg`, `bg` (256-colour), `fg8`, `bg8` (8-colour override; derived when absent),
/// and `bold`, `dim`, `italic`, `underline`, `reverse` (booleans). Roles a file leaves out are
/// taken from the default theme.
public enum ThemeLoader {
    /// Loads a theme file; the theme is named after the file.
    public static func load(contentsOf url: URL, fallback: Theme? = nil) throws(ThemeError) -> Theme {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .unreadable(file: url.path, reason: error.localizedDescription)
        }
        var theme = try parse(text, source: url.path, fallback: fallback ?? Theme.default)
        theme.name = url.deletingPathExtension().lastPathComponent
        return theme
    }

    /// Parses theme text. `source` names the file in errors. `fallback` provides roles the text
    /// leaves out (nil: colourless roles with their monochrome attributes).
    public static func parse(_ text: String, source: String, fallback: Theme? = nil)
        throws(ThemeError) -> Theme
    {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(
                file: source, line: error.source.begin.line, column: error.source.begin.column,
                message: error.description)
        } catch {
            throw .syntax(file: source, line: 0, column: 0, message: "\(error)")
        }
        func line(_ key: String) -> Int? { lineNumber(of: key, in: text) }

        var name = (source as NSString).lastPathComponent
        if name.hasSuffix(".toml") { name = String(name.dropLast(5)) }
        for key in table.keys {
            switch key {
            case "name":
                guard let value = table[key]?.string else {
                    throw .badValue(file: source, key: key, expected: "a string", line: line(key))
                }
                name = value
            case "description": continue
            case "roles": continue
            default: throw .unknownKey(file: source, key: key, line: line(key))
            }
        }
        var entries = fallback?.entries ?? [:]
        if let rolesValue = table["roles"] {
            guard let roles = rolesValue.table else {
                throw .badValue(file: source, key: "roles", expected: "a table", line: line("roles"))
            }
            for key in roles.keys {
                guard let role = ThemeRole(rawValue: key) else {
                    throw .unknownKey(file: source, key: "roles.\(key)", line: line(key))
                }
                guard let fields = roles[key]?.table else {
                    throw .badValue(
                        file: source, key: "roles.\(key)",
                        expected: "a table like { fg = 252, bold = true }", line: line(key))
                }
                entries[role] = try entry(for: role, fields, source: source, text: text)
            }
        }
        return Theme(name: name, entries: entries)
    }

    private static func entry(for role: ThemeRole, _ fields: TOMLTable, source: String, text: String)
        throws(ThemeError) -> Theme.Entry
    {
        var full = Style()
        var fg8: TerminalColor? = nil
        var bg8: TerminalColor? = nil
        for field in fields.keys {
            let key = "roles.\(role.rawValue).\(field)"
            let value = fields[field]!
            let line = lineNumber(of: role.rawValue, in: text)
            switch field {
            case "fg": full.foreground = try color(value, key: key, source: source, line: line)
            case "bg": full.background = try color(value, key: key, source: source, line: line)
            case "fg8": fg8 = try basicColor(value, key: key, source: source, line: line)
            case "bg8": bg8 = try basicColor(value, key: key, source: source, line: line)
            case "bold", "dim", "italic", "underline", "reverse":
                guard let on = value.bool else {
                    throw .badValue(file: source, key: key, expected: "true or false", line: line)
                }
                let attribute: TextAttributes =
                    switch field {
                    case "bold": .bold
                    case "dim": .dim
                    case "italic": .italic
                    case "underline": .underline
                    default: .reverse
                    }
                if on { full.attributes.insert(attribute) } else { full.attributes.remove(attribute) }
            default:
                throw .unknownKey(file: source, key: key, line: line)
            }
        }
        var basic = Style(
            foreground: fg8 ?? XTermPalette.nearestBasic(full.foreground),
            background: bg8 ?? XTermPalette.nearestBasic(full.background),
            attributes: full.attributes)
        if fg8 == nil && basic.foreground == .default && full.foreground != .default {
            // The colour had to be dropped: keep the role recognisable by its attributes.
            basic.attributes.formUnion(role.monochromeAttributes)
        }
        return Theme.Entry(full: full, basic: basic)
    }

    static let colorNames: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6,
        "white": 7,
    ]

    /// Parses a 256-colour value: index, `#rrggbb` (mapped to the nearest xterm index), name.
    static func color(_ value: any TOMLValueConvertible, key: String, source: String, line: Int?)
        throws(ThemeError) -> TerminalColor
    {
        if let index = value.int {
            guard (0...255).contains(index) else {
                throw .badColor(file: source, key: key, value: String(index), line: line)
            }
            return index < 8 ? .ansi(UInt8(index)) : .indexed(UInt8(index))
        }
        guard let text = value.string else {
            throw .badColor(file: source, key: key, value: value.debugDescription, line: line)
        }
        let lowered = text.lowercased()
        if lowered == "default" { return .default }
        if let n = colorNames[lowered] { return .ansi(n) }
        if lowered.hasPrefix("#"), lowered.count == 7, let rgb = Int(lowered.dropFirst(), radix: 16) {
            return .indexed(
                XTermPalette.nearestIndex(
                    red: (rgb >> 16) & 0xFF, green: (rgb >> 8) & 0xFF, blue: rgb & 0xFF))
        }
        throw .badColor(file: source, key: key, value: text, line: line)
    }

    /// Parses an 8-colour value: 0-7, a colour name or "default".
    static func basicColor(_ value: any TOMLValueConvertible, key: String, source: String, line: Int?)
        throws(ThemeError) -> TerminalColor
    {
        let parsed = try color(value, key: key, source: source, line: line)
        switch parsed {
        case .default, .ansi: return parsed
        case .indexed:
            throw .badColor(file: source, key: key, value: value.debugDescription, line: line)
        }
    }

    /// The first line (1-based) where `key` is assigned or opens a table; TOMLKit gives no
    /// positions for values, and an error naming the line saves the user a search.
    static func lineNumber(of key: String, in text: String) -> Int? {
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix(key) {
                let rest = trimmed.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" })
                if rest.hasPrefix("=") { return number }
            }
            if trimmed.hasPrefix("[") && trimmed.contains(key) { return number }
        }
        return nil
    }
}
