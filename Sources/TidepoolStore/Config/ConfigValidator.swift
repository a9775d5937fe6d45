import Foundation
import TOMLKit
import TidepoolPool
import TidepoolProviders

/// Checks a config file and builds a ``TidepoolConfig`` from it, reporting every problem
/// (not only the first) with its line and a suggested fix.
///
/// Validation is pure apart from two questions asked of the outside world, both injectable:
/// whether an environment variable is set, and the permissions of a key file.
public struct ConfigValidator: Sendable {
    /// The environment used to check `api_key_env` variables.
    public var environment: [String: String]
    /// The home directory used to expand `~` in `api_key_file`.
    public var homeDirectory: String
    /// Returns the permission bits of a file, or nil when it does not exist.
    var fileMode: @Sendable (String) -> Int?
    /// The names of the themes that can be loaded (the caller's theme catalog finds them);
    /// nil leaves `theme` unchecked.
    public var themeNames: [String]?

    /// Creates a validator that looks at the real file system.
    public init(environment: [String: String], homeDirectory: String) {
        self.init(environment: environment, homeDirectory: homeDirectory, fileMode: Self.posixMode)
    }

    init(
        environment: [String: String],
        homeDirectory: String,
        fileMode: @escaping @Sendable (String) -> Int?
    ) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.fileMode = fileMode
    }

    /// Validates `source`, the text of the config file at `file` (used in messages and to
    /// resolve relative key file paths).
    public func validate(source: String, file: String) -> ConfigValidation {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: source)
        } catch let error as TOMLParseError {
            let issue = ConfigIssue(
                severity: .error, kind: .syntax, file: file,
                line: error.source.begin.line, column: error.source.begin.column,
                message: "TOML syntax error: \(error.description)", fix: nil)
            return ConfigValidation(config: .default, issues: [issue])
        } catch {
            let issue = ConfigIssue(
                severity: .error, kind: .syntax, file: file, line: nil,
                message: "TOML syntax error: \(error)", fix: nil)
            return ConfigValidation(config: .default, issues: [issue])
        }
        var run = ValidationRun(validator: self, file: file, source: source)
        let config = run.validate(root)
        return ConfigValidation(config: config, issues: run.sortedIssues)
    }

    @Sendable static func posixMode(_ path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return nil
        }
        return (attributes[.posixPermissions] as? NSNumber)?.intValue
    }
}

extension ConfigValidator {
    /// The closest of `candidates` to `word`, if close enough to be a likely typo: the one
    /// "did you mean" rule, for config keys and names and for the command line's unknown commands.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        ValidationRun.suggestion(for: word, among: candidates)
    }
}

/// Keys the config file may contain, for unknown-key suggestions.
enum ConfigKeys {
    static let topLevel = [
        "broadcast", "max_answer_bytes", "metrics", "panes", "pool", "providers", "system_prompt", "theme",
    ]
    static let metrics = ["listen"]
    static let pool = [
        "connect_timeout", "first_byte_timeout", "idle_expiry_seconds", "idle_timeout",
        "max_connections", "max_idle_connections", "max_streams_per_connection", "queue_timeout",
        "total_timeout",
    ]
    static let provider = ["api_key_env", "api_key_file", "auto_size", "base_url", "headers", "kind"] + pool
    static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "api-key",
    ]
}

/// One validation pass: collects issues while walking the parsed document.
private struct ValidationRun {
    let validator: ConfigValidator
    let file: String
    let locator: TOMLKeyLocator
    var issues: [ConfigIssue] = []
    /// `[providers.NAME]` tables that exist but were refused: their own error says why, so
    /// a pane naming one gets no second error claiming the table is missing.
    var refusedProviders: Set<String> = []

    init(validator: ConfigValidator, file: String, source: String) {
        self.validator = validator
        self.file = file
        self.locator = TOMLKeyLocator(source: source)
    }

    var sortedIssues: [ConfigIssue] {
        issues.enumerated().sorted { left, right in
            let leftKey = (left.element.line ?? Int.max, left.element.column ?? 0, left.offset)
            let rightKey = (right.element.line ?? Int.max, right.element.column ?? 0, right.offset)
            return leftKey < rightKey
        }.map(\.element)
    }

    // MARK: Reporting

    mutating func report(
        _ severity: ConfigIssue.Severity, _ kind: ConfigIssue.Kind, at path: [String],
        _ message: String, fix: String?
    ) {
        let location = locator.location(of: path)
        issues.append(
            ConfigIssue(
                severity: severity, kind: kind, file: file, line: location?.line,
                column: location?.column, message: message, fix: fix))
    }

    mutating func unknownKey(_ key: String, in table: [String], known: [String]) {
        let fix: String
        if let suggestion = Self.suggestion(for: key, among: known) {
            fix = "did you mean '\(suggestion)'?"
        } else {
            fix = "known keys here: " + known.joined(separator: ", ")
        }
        report(.error, .unknownKey, at: table + [key], "unknown key '\(key)' \(Self.place(table))", fix: fix)
    }

    mutating func wrongType(
        _ key: String, in table: [String], expected: String, got value: any TOMLValueConvertible,
        example: String
    ) {
        report(
            .error, .wrongType, at: table + [key],
            "\(key) \(Self.place(table)) must be \(expected), got \(Self.describe(value))",
            fix: "for example \(key) = \(example)")
    }

    // MARK: Walking the document

    mutating func validate(_ root: TOMLTable) -> TidepoolConfig {
        var config = TidepoolConfig.default
        if let pool = root["pool"] {
            if let table = pool.table {
                for key in table.keys {
                    guard let value = table[key] else { continue }
                    if !applyPoolSetting(
                        key, value, in: ["pool"], limits: &config.defaultLimits,
                        timeouts: &config.defaultTimeouts)
                    {
                        unknownKey(key, in: ["pool"], known: ConfigKeys.pool)
                    }
                }
                checkIdleLimit(&config.defaultLimits, table: ["pool"], source: table)
            } else {
                wrongType("pool", in: [], expected: "a table ([pool])", got: pool, example: "{ max_connections = 6 }")
            }
        }
        config.providers = BuiltInProviders.all(
            limits: config.defaultLimits, timeouts: config.defaultTimeouts)
        if let providers = root["providers"] {
            if let table = providers.table {
                for name in table.keys {
                    guard let value = table[name] else { continue }
                    if let provider = self.provider(
                        named: name, value, limits: config.defaultLimits,
                        timeouts: config.defaultTimeouts)
                    {
                        config.providers[name] = provider
                    } else {
                        refusedProviders.insert(name)
                    }
                }
            } else {
                wrongType(
                    "providers", in: [], expected: "a table of [providers.NAME] tables", got: providers,
                    example: "{ ollama = { kind = \"ollama\" } }")
            }
        }
        for key in root.keys {
            guard let value = root[key] else { continue }
            switch key {
            case "pool", "providers":
                continue
            case "panes":
                config.panes = panes(value, providers: config.providers)
            case "theme":
                if let theme = value.string {
                    config.theme = theme
                    if let names = validator.themeNames, !names.contains(theme) {
                        let fix = Self.suggestion(for: theme, among: names).map { "did you mean '\($0)'? " } ?? ""
                        report(
                            .error, .unknownTheme, at: ["theme"], "unknown theme '\(theme)'",
                            fix: fix + "themes found: " + names.sorted().joined(separator: ", "))
                    }
                } else {
                    wrongType(key, in: [], expected: "a string", got: value, example: "\"tidepool-dark\"")
                }
            case "system_prompt":
                if let prompt = value.string {
                    config.systemPrompt = prompt.isEmpty ? nil : prompt
                } else {
                    wrongType(key, in: [], expected: "a string", got: value, example: "\"Answer briefly.\"")
                }
            case "max_answer_bytes":
                let range = TidepoolConfig.maxAnswerBytesRange
                if let number = value.int, range.contains(number) {
                    config.maxAnswerBytes = number
                } else {
                    wrongType(
                        key, in: [], expected: "a whole number of bytes from \(range.lowerBound) to \(range.upperBound)",
                        got: value, example: "\(TidepoolConfig.defaultMaxAnswerBytes)")
                }
            case "broadcast":
                if let broadcast = value.bool {
                    config.broadcast = broadcast
                } else {
                    wrongType(key, in: [], expected: "true or false", got: value, example: "false")
                }
            case "metrics":
                config.metricsListen = metrics(value)
            default:
                unknownKey(key, in: [], known: ConfigKeys.topLevel)
            }
        }
        return config
    }

    /// The `[metrics]` table: `listen = "HOST:PORT"`. Any address is accepted here (writing
    /// it in the config is the consent a remote address needs on the command line).
    mutating func metrics(_ value: any TOMLValueConvertible) -> MetricsListenAddress? {
        guard let table = value.table else {
            wrongType("metrics", in: [], expected: "a table ([metrics])", got: value, example: "{ listen = \"127.0.0.1:9464\" }")
            return nil
        }
        var address: MetricsListenAddress?
        for key in table.keys {
            guard let setting = table[key] else { continue }
            guard key == "listen" else {
                unknownKey(key, in: ["metrics"], known: ConfigKeys.metrics)
                continue
            }
            guard let text = setting.string else {
                wrongType(key, in: ["metrics"], expected: "a string \"HOST:PORT\"", got: setting, example: "\"127.0.0.1:9464\"")
                continue
            }
            do {
                address = try MetricsListenAddress(parsing: text, allowRemote: true)
            } catch {
                report(.error, .badAddress, at: ["metrics", "listen"], "listen in [metrics]: \(error)",
                       fix: "for example listen = \"127.0.0.1:9464\" (Prometheus then scrapes http://127.0.0.1:9464/metrics)")
            }
        }
        return address
    }

    /// Applies one pool setting; returns false when `key` is not a pool setting.
    mutating func applyPoolSetting(
        _ key: String, _ value: any TOMLValueConvertible, in table: [String],
        limits: inout PoolLimits, timeouts: inout RequestTimeouts
    ) -> Bool {
        // Values beyond these bounds are typos or jokes, and the pool converts them to C
        // integers and clock deadlines: they are refused here with the range.
        func positiveInteger(_ example: Int, maximum: Int) -> Int? {
            if let number = value.int, number > 0 {
                if number <= maximum { return number }
                report(
                    .error, .wrongType, at: table + [key],
                    "\(key) \(Self.place(table)) must be between 1 and \(maximum), got \(number)",
                    fix: "for example \(key) = \(example)")
                return nil
            }
            wrongType(key, in: table, expected: "a positive integer", got: value, example: "\(example)")
            return nil
        }
        func seconds(_ example: String, zeroTurnsOff: Bool) -> Double?? {
            let number = value.int.map(Double.init) ?? value.double
            if let number, number.isFinite, number > Self.maximumSeconds {
                report(
                    .error, .wrongType, at: table + [key],
                    "\(key) \(Self.place(table)) must be at most \(Int(Self.maximumSeconds)) seconds (one day), got \(Self.describe(value))",
                    fix: "the range is more than 0 up to \(Int(Self.maximumSeconds))"
                        + (zeroTurnsOff ? " (0 turns it off)" : "") + "; for example \(key) = \(example)")
                return .none
            }
            if let number, number.isFinite, number > 0 || (zeroTurnsOff && number == 0) {
                return .some(number == 0 ? nil : number)
            }
            let expected = zeroTurnsOff
                ? "a number of seconds (0 turns it off)" : "a positive number of seconds"
            wrongType(key, in: table, expected: expected, got: value, example: example)
            return .none
        }
        switch key {
        case "max_connections":
            if let number = positiveInteger(6, maximum: 1024) { limits.maxConnections = number }
        case "max_idle_connections":
            if let number = positiveInteger(6, maximum: 1024) { limits.maxIdleConnections = number }
        case "max_streams_per_connection":
            if let number = positiveInteger(100, maximum: 1000) { limits.maxStreamsPerConnection = number }
        case "idle_expiry_seconds":
            if case .some(.some(let number)) = seconds("90", zeroTurnsOff: false) { limits.idleExpiry = number }
        case "queue_timeout":
            if case .some(let number) = seconds("60", zeroTurnsOff: true) { timeouts.queue = number }
        case "connect_timeout":
            if case .some(let number) = seconds("10", zeroTurnsOff: true) { timeouts.connect = number }
        case "first_byte_timeout":
            if case .some(let number) = seconds("120", zeroTurnsOff: true) { timeouts.firstByte = number }
        case "idle_timeout":
            if case .some(let number) = seconds("60", zeroTurnsOff: true) { timeouts.idle = number }
        case "total_timeout":
            if case .some(let number) = seconds("600", zeroTurnsOff: true) { timeouts.total = number }
        default:
            return false
        }
        return true
    }

    /// The longest timeout or expiry the config accepts: one day.
    static let maximumSeconds: Double = 86_400

    /// Keeps the idle limit within the connection limit: an error at `max_idle_connections`
    /// when `table` sets it above the limit, else the inherited value is lowered quietly.
    mutating func checkIdleLimit(_ limits: inout PoolLimits, table: [String], source: TOMLTable) {
        guard limits.maxIdleConnections > limits.maxConnections else { return }
        if source["max_idle_connections"]?.int == limits.maxIdleConnections {
            report(
                .error, .conflict, at: table + ["max_idle_connections"],
                "max_idle_connections \(Self.place(table)) is \(limits.maxIdleConnections), more than max_connections (\(limits.maxConnections))",
                fix: "the idle limit is at most the connection limit; for example max_idle_connections = \(limits.maxConnections)")
        }
        limits.maxIdleConnections = limits.maxConnections
    }

    mutating func provider(
        named name: String, _ value: any TOMLValueConvertible, limits: PoolLimits,
        timeouts: RequestTimeouts
    ) -> ProviderConfig? {
        let path = ["providers", name]
        guard let table = value.table else {
            wrongType(
                name, in: ["providers"], expected: "a table ([providers.\(name)])", got: value,
                example: "{ kind = \"ollama\" }")
            return nil
        }
        var limits = limits
        var timeouts = timeouts
        var kind: ProviderKind?
        var kindIsInvalid = false
        var baseURL: String?
        var keyVariable: String?
        var keyFile: String?
        var headers: [HTTPHeader] = []
        var autoSize: Bool?
        for key in table.keys {
            guard let value = table[key] else { continue }
            switch key {
            case "auto_size":
                if let flag = value.bool {
                    autoSize = flag
                } else {
                    wrongType(key, in: path, expected: "true or false (false pins the pool's limit)", got: value, example: "false")
                }
            case "kind":
                let kinds = ProviderKind.allCases.map(\.rawValue)
                if let text = value.string, let parsed = ProviderKind(configName: text) {
                    kind = parsed
                } else if let text = value.string {
                    kindIsInvalid = true
                    let fix = Self.suggestion(for: text, among: kinds).map { "did you mean '\($0)'? " } ?? ""
                    report(
                        .error, .unknownKind, at: path + [key],
                        "unknown kind '\(text)' \(Self.place(path))",
                        fix: fix + "kind is one of: " + kinds.joined(separator: ", "))
                } else {
                    kindIsInvalid = true
                    wrongType(key, in: path, expected: "a string", got: value, example: "\"openai\"")
                }
            case "base_url":
                if let text = value.string {
                    if Self.isHTTPURL(text) {
                        baseURL = text
                    } else {
                        report(
                            .error, .badURL, at: path + [key],
                            "base_url \(Self.place(path)) is not an http or https URL: '\(CredentialRedaction.url(text))'",
                            fix: "write it like \"http://127.0.0.1:11434\"")
                        baseURL = ""
                    }
                } else {
                    wrongType(key, in: path, expected: "a string", got: value, example: "\"http://127.0.0.1:11434\"")
                    baseURL = ""
                }
            case "api_key_env":
                if let text = value.string {
                    if Self.isVariableName(text) {
                        keyVariable = text
                    } else {
                        // Never echo the value: people paste the key itself here.
                        report(
                            .error, .wrongType, at: path + [key],
                            "api_key_env \(Self.place(path)) must be the name of an environment variable, not the key itself",
                            fix: "for example api_key_env = \"OPENAI_API_KEY\"")
                    }
                } else {
                    wrongType(key, in: path, expected: "a string", got: value, example: "\"OPENAI_API_KEY\"")
                }
            case "api_key_file":
                if let text = value.string, !text.isEmpty {
                    keyFile = text
                } else {
                    wrongType(key, in: path, expected: "a file path", got: value, example: "\"~/.config/tidepool/openai.key\"")
                }
            case "headers":
                headers = self.headers(value, in: path)
            default:
                if !applyPoolSetting(key, value, in: path, limits: &limits, timeouts: &timeouts) {
                    unknownKey(key, in: path, known: ConfigKeys.provider)
                }
            }
        }

        checkIdleLimit(&limits, table: path, source: table)

        var keySource: APIKeySource?
        if keyVariable != nil, keyFile != nil {
            report(
                .error, .conflict, at: path + ["api_key_file"],
                "\(Self.tableName(path)) sets both api_key_env and api_key_file",
                fix: "keep only one of them")
        } else if let keyVariable {
            keySource = .environment(variable: keyVariable)
            if validator.environment[keyVariable] == nil {
                report(
                    .warning, .keyVariableNotSet, at: path + ["api_key_env"],
                    "api_key_env \(Self.place(path)) names \(keyVariable), which is not set",
                    fix: "export \(keyVariable)=... before starting tidepool, or use api_key_file")
            }
        } else if let keyFile {
            let resolved = resolvePath(keyFile)
            keySource = .file(path: resolved)
            if let mode = validator.fileMode(resolved) {
                if mode & 0o077 != 0 {
                    report(
                        .warning, .keyFilePermissions, at: path + ["api_key_file"],
                        "api_key_file \(resolved) \(Self.place(path)) can be read by other users (mode \(Self.octal(mode)))",
                        fix: "run chmod 600 \(resolved)")
                }
            } else {
                report(
                    .warning, .keyFileMissing, at: path + ["api_key_file"],
                    "api_key_file \(Self.place(path)) names \(resolved), which does not exist",
                    fix: "put only the key in it, then run chmod 600 \(resolved)")
            }
        }

        let builtIn = BuiltInProviders.defaults(named: name)
        if kind == nil, !kindIsInvalid {
            kind = builtIn?.kind
            if kind == nil {
                report(
                    .error, .missingValue, at: path, "\(Self.tableName(path)) has no kind",
                    fix: "add kind = \"ollama\", \"openai\" or \"anthropic\"")
            }
        }
        guard let kind else { return nil }
        let matchesBuiltIn = builtIn?.kind == kind
        if baseURL == nil {
            baseURL = matchesBuiltIn ? builtIn?.baseURL : BuiltInProviders.defaultBaseURL(for: kind)
            if baseURL == nil {
                report(
                    .error, .missingValue, at: path,
                    "\(Self.tableName(path)) has no base_url, and kind '\(kind.rawValue)' has no default server",
                    fix: "add base_url = \"http://HOST:PORT/v1\"")
                return nil
            }
        }
        guard let baseURL, !baseURL.isEmpty else { return nil }

        if keySource == nil, keyVariable == nil, keyFile == nil, matchesBuiltIn,
            let variable = builtIn?.keyVariable
        {
            keySource = .environment(variable: variable)
        }
        return ProviderConfig(
            name: name, kind: kind, baseURL: baseURL, apiKeySource: keySource,
            headers: headers.sorted { $0.name.lowercased() < $1.name.lowercased() },
            limits: limits, timeouts: timeouts, autoSize: autoSize)
    }

    mutating func headers(_ value: any TOMLValueConvertible, in provider: [String]) -> [HTTPHeader] {
        let path = provider + ["headers"]
        guard let table = value.table else {
            wrongType("headers", in: provider, expected: "a table of strings", got: value, example: "{ X-Team = \"lab\" }")
            return []
        }
        var headers: [HTTPHeader] = []
        for name in table.keys {
            guard let value = table[name] else { continue }
            guard let text = value.string else {
                report(
                    .error, .wrongType, at: path + [name],
                    "header '\(name)' \(Self.place(path)) must be a string, got \(Self.describe(value))",
                    fix: "quote it: \(Self.quotedKey(name)) = \"...\"")
                continue
            }
            if text.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) || name.contains(where: \.isNewline) {
                // A line break would end the header and let the value write others.
                report(
                    .error, .wrongType, at: path + [name],
                    "header '\(name.filter { !$0.isNewline })' \(Self.place(path)) contains a line break (CR or LF)",
                    fix: "write the value on one line")
                continue
            }
            if ConfigKeys.credentialHeaders.contains(name.lowercased()) {
                report(
                    .warning, .credentialInHeader, at: path + [name],
                    "header '\(name)' \(Self.place(path)) looks like a credential written into the config",
                    fix: "put the key in an environment variable named by api_key_env, or in api_key_file")
            }
            headers.append(HTTPHeader(name, text))
        }
        return headers
    }

    mutating func panes(_ value: any TOMLValueConvertible, providers: [String: ProviderConfig]) -> [PaneSpec] {
        guard let array = value.array else {
            wrongType("panes", in: [], expected: "an array of \"provider:model\" strings", got: value, example: "[\"ollama:qwen3:4b\"]")
            return []
        }
        let panesLine = locator.location(of: ["panes"])?.line
        var panes: [PaneSpec] = []
        for element in array {
            let text = element.string
            let quoted = Self.describe(element)
            let line = text == nil ? panesLine : (locator.line(containing: quoted, from: panesLine ?? 1) ?? panesLine)
            func problem(_ message: String, fix: String) {
                issues.append(ConfigIssue(
                    severity: .error, kind: .badPane, file: file, line: line, message: message, fix: fix))
            }
            guard let text else {
                problem("pane \(Self.describe(element)) in panes must be a \"provider:model\" string", fix: "write it like \"ollama:qwen3:4b\"")
                continue
            }
            guard let pane = PaneSpec(parsing: text) else {
                problem("pane '\(text)' in panes is not written provider:model", fix: "write it like \"ollama:qwen3:4b\"")
                continue
            }
            // A refused table already has its own error; the pane is left out without a second one.
            if refusedProviders.contains(pane.provider) { continue }
            // The simulator's names need no table: the app starts the simulator when one is used.
            guard providers[pane.provider] != nil || BuiltInProviders.simulatorNames.contains(pane.provider) else {
                let names = Set(providers.keys).union(BuiltInProviders.simulatorNames).sorted()
                let fix = Self.suggestion(for: pane.provider, among: names).map { "did you mean '\($0)'?" }
                    ?? "add a [providers.\(pane.provider)] table or use one of: \(names.joined(separator: ", "))"
                problem("pane '\(text)' names provider '\(pane.provider)', which is not configured", fix: fix)
                continue
            }
            panes.append(pane)
        }
        return panes
    }

    func resolvePath(_ path: String) -> String {
        let expanded = ConfigPaths.expandingTilde(path, home: validator.homeDirectory)
        if expanded.hasPrefix("/") { return expanded }
        return ConfigPaths.parentDirectory(of: file) + "/" + expanded
    }

    // MARK: Text helpers

    /// `in [providers.lab]`, or `at the top level`.
    static func place(_ table: [String]) -> String {
        table.isEmpty ? "at the top level" : "in " + tableName(table)
    }

    /// `[providers.lab]`, with names that need it quoted (`[providers."my lab"]`).
    static func tableName(_ table: [String]) -> String {
        "[" + table.map(quotedKey).joined(separator: ".") + "]"
    }

    static func quotedKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.utf8.allSatisfy { (byte: UInt8) -> Bool in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        return bare ? key : String(reflecting: key)
    }

    /// A value as the user wrote it (strings quoted), or its kind for compound values.
    static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: String(reflecting: value.string ?? "")
        case .int: value.int.map(String.init) ?? "an integer"
        case .double: value.double.map { "\($0)" } ?? "a number"
        case .bool: value.bool.map { $0 ? "true" : "false" } ?? "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .date, .time, .dateTime: "a date"
        }
    }

    static func octal(_ mode: Int) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return text.utf8.allSatisfy { (byte: UInt8) -> Bool in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    /// The closest known word, if it is close enough to be a likely typo.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = EditDistance.between(word.lowercased(), candidate.lowercased())
            let allowed = max(1, min(3, candidate.count / 3))
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        return best?.candidate
    }
}
