import TidepoolPool
import XCTest

@testable import TidepoolStore

final class ConfigValidatorTests: XCTestCase {
    private let file = "/home/u/.config/tidepool/config.toml"

    private func validate(
        _ source: String,
        environment: [String: String] = [:],
        modes: [String: Int] = [:]
    ) -> ConfigValidation {
        let validator = ConfigValidator(
            environment: environment, homeDirectory: "/home/u", fileMode: { modes[$0] })
        return validator.validate(source: source, file: file)
    }

    private func descriptions(_ validation: ConfigValidation) -> [String] {
        validation.issues.map(\.description)
    }

    func testFullExampleParses() throws {
        let source = """
            panes = ["ollama:qwen3:4b", "openai:gpt-4o-mini", "lab:llama-3.1-8b"]
            theme = "tidepool-light"
            system_prompt = "Answer briefly."
            broadcast = true

            [pool]
            max_connections = 4
            max_idle_connections = 2
            idle_expiry_seconds = 30.5
            connect_timeout = 5
            first_byte_timeout = 60
            idle_timeout = 20
            total_timeout = 0

            [providers.openai]
            kind = "openai"
            api_key_env = "OPENAI_API_KEY"

            [providers.lab]
            kind = "openai"
            base_url = "http://10.0.0.5:8000/v1"
            max_connections = 2
            total_timeout = 300
            headers = { X-Team = "research", "X-Trace" = "on" }

            [providers."key file"]
            kind = "anthropic"
            api_key_file = "~/.keys/anthropic"
            """
        let validation = validate(
            source, environment: ["OPENAI_API_KEY": "sk-test"],
            modes: ["/home/u/.keys/anthropic": 0o600])
        XCTAssertEqual(validation.issues, [])
        let config = validation.config
        XCTAssertEqual(
            config.panes,
            [
                PaneSpec(provider: "ollama", model: "qwen3:4b"),
                PaneSpec(provider: "openai", model: "gpt-4o-mini"),
                PaneSpec(provider: "lab", model: "llama-3.1-8b"),
            ])
        XCTAssertEqual(config.theme, "tidepool-light")
        XCTAssertEqual(config.systemPrompt, "Answer briefly.")
        XCTAssertTrue(config.broadcast)
        XCTAssertEqual(config.defaultLimits, PoolLimits(maxConnections: 4, maxIdleConnections: 2, idleExpiry: 30.5))
        XCTAssertEqual(
            config.defaultTimeouts, RequestTimeouts(queue: 60, connect: 5, firstByte: 60, idle: 20, total: nil))

        let lab = try XCTUnwrap(config.providers["lab"])
        XCTAssertEqual(lab.kind, .openai)
        XCTAssertEqual(lab.baseURL, "http://10.0.0.5:8000/v1")
        XCTAssertEqual(lab.limits.maxConnections, 2)
        XCTAssertEqual(lab.limits.maxIdleConnections, 2, "inherits [pool]")
        XCTAssertEqual(lab.timeouts.total, 300)
        XCTAssertEqual(lab.timeouts.connect, 5, "inherits [pool]")
        XCTAssertEqual(lab.headers, [HTTPHeader("X-Team", "research"), HTTPHeader("X-Trace", "on")])
        XCTAssertNil(lab.apiKeySource)

        let openai = try XCTUnwrap(config.providers["openai"])
        XCTAssertEqual(openai.baseURL, "https://api.openai.com/v1")
        XCTAssertEqual(openai.apiKeySource, .environment(variable: "OPENAI_API_KEY"))

        let keyed = try XCTUnwrap(config.providers["key file"])
        XCTAssertEqual(keyed.baseURL, "https://api.anthropic.com")
        XCTAssertEqual(keyed.apiKeySource, .file(path: "/home/u/.keys/anthropic"))

        let ollama = try XCTUnwrap(config.providers["ollama"], "built-in providers stay available")
        XCTAssertEqual(ollama.baseURL, "http://127.0.0.1:11434")
        XCTAssertEqual(ollama.limits.maxConnections, 4, "built-ins use [pool] too")
    }

    func testEmptyFileGivesDefaults() {
        let validation = validate("")
        XCTAssertEqual(validation.issues, [])
        XCTAssertEqual(validation.config, .default)
    }

    func testUnknownKeySuggestsClosestWithLine() {
        let source = """
            theme = "tidepool-dark"

            [providers.lab]
            kind = "openai"
            base_ur = "http://10.0.0.5:8000/v1"
            """
        XCTAssertEqual(
            descriptions(validate(source)),
            [
                "\(file):3:1: error: [providers.lab] has no base_url, and kind 'openai' has no default server; add base_url = \"http://HOST:PORT/v1\"",
                "\(file):5:1: error: unknown key 'base_ur' in [providers.lab]; did you mean 'base_url'?",
            ])
    }

    func testUnknownKeyWithoutCloseMatchListsKnownKeys() {
        XCTAssertEqual(
            descriptions(validate("colour = 3\n[pol]\nx = 1\n")),
            [
                "\(file):1:1: error: unknown key 'colour' at the top level; known keys here: broadcast, max_answer_bytes, metrics, panes, pool, providers, system_prompt, theme",
                "\(file):2:1: error: unknown key 'pol' at the top level; did you mean 'pool'?",
            ])
    }

    func testReportsEveryProblemInOrder() {
        let source = """
            broadcast = "yes"
            panes = [
              "ollama:qwen3:4b",
              "olama:qwen3:4b",
              "nocolon",
            ]

            [pool]
            max_connections = "six"
            connect_timeout = -1

            [providers.lab]
            kind = "olama"

            [providers.far]
            kind = "openai"
            base_url = "htp:/nowhere"
            api_key_env = "LAB_KEY"
            """
        XCTAssertEqual(
            descriptions(validate(source)),
            [
                "\(file):1:1: error: broadcast at the top level must be true or false, got \"yes\"; for example broadcast = false",
                "\(file):4: error: pane 'olama:qwen3:4b' names provider 'olama', which is not configured; did you mean 'ollama'?",
                "\(file):5: error: pane 'nocolon' in panes is not written provider:model; write it like \"ollama:qwen3:4b\"",
                "\(file):9:1: error: max_connections in [pool] must be a positive integer, got \"six\"; for example max_connections = 6",
                "\(file):10:1: error: connect_timeout in [pool] must be a number of seconds (0 turns it off), got -1; for example connect_timeout = 10",
                "\(file):13:1: error: unknown kind 'olama' in [providers.lab]; did you mean 'ollama'? kind is one of: ollama, openai, anthropic",
                "\(file):17:1: error: base_url in [providers.far] is not an http or https URL: 'htp:/nowhere'; write it like \"http://127.0.0.1:11434\"",
                "\(file):18:1: warning: api_key_env in [providers.far] names LAB_KEY, which is not set; export LAB_KEY=... before starting tidepool, or use api_key_file",
            ])
    }

    func testMissingKindAndConflictingKeySources() {
        let source = """
            [providers.box]
            base_url = "http://127.0.0.1:9000"

            [providers.openai]
            api_key_env = "OPENAI_API_KEY"
            api_key_file = "/keys/openai"
            """
        let validation = validate(source, environment: ["OPENAI_API_KEY": "x"])
        XCTAssertEqual(
            descriptions(validation),
            [
                "\(file):1:1: error: [providers.box] has no kind; add kind = \"ollama\", \"openai\" or \"anthropic\"",
                "\(file):6:1: error: [providers.openai] sets both api_key_env and api_key_file; keep only one of them",
            ])
        XCTAssertTrue(validation.hasErrors)
    }

    func testKeyFileWarnings() {
        let source = """
            [providers.a]
            kind = "anthropic"
            api_key_file = "~/a.key"

            [providers.b]
            kind = "anthropic"
            api_key_file = "keys/b.key"
            """
        let validation = validate(source, modes: ["/home/u/a.key": 0o644])
        XCTAssertEqual(
            descriptions(validation),
            [
                "\(file):3:1: warning: api_key_file /home/u/a.key in [providers.a] can be read by other users (mode 0644); run chmod 600 /home/u/a.key",
                "\(file):7:1: warning: api_key_file in [providers.b] names /home/u/.config/tidepool/keys/b.key, which does not exist; put only the key in it, then run chmod 600 /home/u/.config/tidepool/keys/b.key",
            ])
        XCTAssertFalse(validation.hasErrors, "warnings only")
        XCTAssertNotNil(validation.config.providers["a"])
    }

    func testKeyPastedIntoApiKeyEnvIsNotEchoed() {
        let pasted = "sk-proj-abc123-DO-NOT-PRINT"
        let validation = validate("[providers.openai]\napi_key_env = \"\(pasted)\"\n")
        XCTAssertEqual(
            descriptions(validation),
            [
                "\(file):2:1: error: api_key_env in [providers.openai] must be the name of an environment variable, not the key itself; for example api_key_env = \"OPENAI_API_KEY\""
            ])
        XCTAssertFalse("\(validation)".contains(pasted))
    }

    func testHeaderProblems() {
        let source = """
            [providers.lab]
            kind = "ollama"

            [providers.lab.headers]
            Authorization = "Bearer x"
            X-Count = 3
            """
        XCTAssertEqual(
            descriptions(validate(source)),
            [
                "\(file):5:1: warning: header 'Authorization' in [providers.lab.headers] looks like a credential written into the config; put the key in an environment variable named by api_key_env, or in api_key_file",
                "\(file):6:1: error: header 'X-Count' in [providers.lab.headers] must be a string, got 3; quote it: X-Count = \"...\"",
            ])
    }

    func testWrongTypesForTablesAndStrings() {
        let source = """
            theme = 3
            system_prompt = ["a"]
            panes = "ollama:x"
            pool = 1
            providers = { lab = "x" }
            """
        XCTAssertEqual(
            descriptions(validate(source)),
            [
                "\(file):1:1: error: theme at the top level must be a string, got 3; for example theme = \"tidepool-dark\"",
                "\(file):2:1: error: system_prompt at the top level must be a string, got an array; for example system_prompt = \"Answer briefly.\"",
                "\(file):3:1: error: panes at the top level must be an array of \"provider:model\" strings, got \"ollama:x\"; for example panes = [\"ollama:qwen3:4b\"]",
                "\(file):4:1: error: pool at the top level must be a table ([pool]), got 1; for example pool = { max_connections = 6 }",
                "\(file):5:15: error: lab in [providers] must be a table ([providers.lab]), got \"x\"; for example lab = { kind = \"ollama\" }",
            ])
    }

    func testSyntaxErrorHasLineAndColumn() throws {
        let validation = validate("theme = \"a\"\n[providers.lab\nkind = 1\n")
        XCTAssertEqual(validation.issues.count, 1)
        let issue = try XCTUnwrap(validation.issues.first)
        XCTAssertEqual(issue.kind, .syntax)
        XCTAssertEqual(issue.severity, .error)
        XCTAssertEqual(issue.line, 2)
        XCTAssertNotNil(issue.column)
        XCTAssertTrue(issue.message.hasPrefix("TOML syntax error: "), issue.message)
    }

    func testDottedAndQuotedKeysAreLocated() {
        let source = """
            # comment with base_ur = 1
            note = \"\"\"
            base_url = "inside a string"
            \"\"\"
            providers.lab.kind = "ollama"
            providers.lab."max_conections" = 2
            """
        XCTAssertEqual(
            descriptions(validate(source)),
            [
                "\(file):2:1: error: unknown key 'note' at the top level; known keys here: broadcast, max_answer_bytes, metrics, panes, pool, providers, system_prompt, theme",
                "\(file):6:1: error: unknown key 'max_conections' in [providers.lab]; did you mean 'max_connections'?",
            ])
    }
}

final class ConfigEdgeCaseTests: XCTestCase {
    func testLocatorHandlesInlineTablesQuotedKeysAndMultiLineValues() {
        let source = """
            a = [
              "x", { inner = 1 },
            ]
            [providers."my \\u0041 lab"]  # comment
            headers = { "X-One" = "1",
                        Two = 'two' }
            multi = '''
            [not.a.table]
            '''
            [[list]]
            """
        let locator = TOMLKeyLocator(source: source)
        XCTAssertEqual(locator.location(of: ["a"]), .init(line: 1, column: 1))
        XCTAssertNil(locator.location(of: ["inner"]), "keys inside arrays are not addressable")
        XCTAssertEqual(locator.location(of: ["providers"]), .init(line: 4, column: 1))
        XCTAssertEqual(locator.location(of: ["providers", "my A lab"]), .init(line: 4, column: 1))
        XCTAssertEqual(locator.location(of: ["providers", "my A lab", "headers"]), .init(line: 5, column: 1))
        XCTAssertEqual(locator.location(of: ["providers", "my A lab", "headers", "X-One"]), .init(line: 5, column: 13))
        XCTAssertEqual(locator.location(of: ["providers", "my A lab", "headers", "Two"]), .init(line: 6, column: 13))
        XCTAssertEqual(locator.location(of: ["providers", "my A lab", "multi"]), .init(line: 7, column: 1))
        XCTAssertNil(locator.location(of: ["not"]), "text inside a multi-line string is not a header")
        XCTAssertEqual(locator.location(of: ["list"]), .init(line: 10, column: 1))
    }

    func testRemainingMessages() {
        let validator = ConfigValidator(environment: [:], homeDirectory: "/h", fileMode: { _ in nil })
        let source = """
            panes = [1, "ghost:model"]
            [providers."my lab"]
            kind = "openai"
            base_url = "http://10.0.0.5/v1"
            idle_expiry_seconds = 0
            headers = "X-A: 1"
            """
        XCTAssertEqual(
            validator.validate(source: source, file: "c.toml").issues.map(\.description),
            [
                "c.toml:1: error: pane 1 in panes must be a \"provider:model\" string; write it like \"ollama:qwen3:4b\"",
                "c.toml:1: error: pane 'ghost:model' names provider 'ghost', which is not configured; add a [providers.ghost] table or use one of: anthropic, llamacpp, lmstudio, my lab, ollama, openai, openrouter, sim, sim-anthropic, sim-ollama, vllm",
                "c.toml:5:1: error: idle_expiry_seconds in [providers.\"my lab\"] must be a positive number of seconds, got 0; for example idle_expiry_seconds = 90",
                "c.toml:6:1: error: headers in [providers.\"my lab\"] must be a table of strings, got \"X-A: 1\"; for example headers = { X-Team = \"lab\" }",
            ])
    }
}
