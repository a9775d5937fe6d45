import Foundation

/// The commented example config that `tidepool config init` writes.
public enum ConfigTemplate {
    /// The template text: valid TOML that validates without issues in any environment.
    public static let text = """
        # Tidepool configuration.
        # Location: --config FILE, else $TIDEPOOL_CONFIG, else $XDG_CONFIG_HOME/tidepool/config.toml
        # (~/.config/tidepool/config.toml). Run 'tidepool config check' after editing.

        # Panes opened at start, each "provider:model". The provider is a [providers.NAME]
        # table below or a built-in one: ollama, lmstudio, llamacpp, vllm, openai, anthropic,
        # openrouter, and the built-in simulator's sim, sim-ollama and sim-anthropic.
        # These three simulator panes work with no server at all; once a real server runs,
        # swap one in, for example "ollama:qwen3:4b" (see `tidepool models`).
        panes = ["sim:sim-fast", "sim-ollama:sim-steady", "sim-anthropic:sim-thinker"]
        # panes = ["ollama:qwen3:4b", "openai:gpt-4o-mini", "anthropic:claude-sonnet-4-5"]

        # Colour theme: a file in themes/ or in the themes/ directory beside this file.
        theme = "tidepool-dark"

        # Sent as the system message to every pane. Leave empty for none.
        system_prompt = ""

        # Start with broadcast on: each prompt goes to every pane.
        broadcast = false

        # Defaults for every provider's connection pool; a provider table may override any.
        [pool]
        max_connections = 6        # connections per server at once; more requests wait
        max_idle_connections = 6   # keep-alive connections kept for reuse
        idle_expiry_seconds = 90   # close a keep-alive connection unused this long
        connect_timeout = 10       # seconds to connect (TLS included); 0 turns a timeout off
        first_byte_timeout = 120   # seconds to wait for the server to start answering
        idle_timeout = 60          # longest silence in the middle of an answer
        total_timeout = 0          # longest whole answer; 0 means no limit

        # Stop any one answer at this many bytes (a model looping with no token limit).
        # max_answer_bytes = 4194304

        # Serve the pool's numbers for Prometheus at http://HOST:PORT/metrics (chat and
        # compare; --metrics-listen overrides). A non-loopback address here is allowed.
        # [metrics]
        # listen = "127.0.0.1:9464"

        # A local Ollama server. Built-in, so this table is optional. A local server's pool
        # sizes its own concurrency limit (down on 429/503, up while the server keeps up);
        # auto_size = false pins it to max_connections.
        # [providers.ollama]
        # kind = "ollama"
        # base_url = "http://127.0.0.1:11434"
        # auto_size = false

        # Any OpenAI-compatible server (LM Studio, vLLM, llama.cpp ...): kind = "openai".
        # [providers.lab]
        # kind = "openai"
        # base_url = "http://10.0.0.5:8000/v1"
        # max_connections = 2
        # headers = { X-Team = "research" }

        # Keys are never written in this file: name an environment variable or a key file
        # (chmod 600). They are read when a request is sent, and never stored in history.
        # [providers.openai]
        # kind = "openai"
        # api_key_env = "OPENAI_API_KEY"
        #
        # [providers.anthropic]
        # kind = "anthropic"
        # api_key_file = "~/.config/tidepool/anthropic.key"

        """

    /// Writes ``text`` to `path`, creating missing parent directories. An existing file is
    /// kept unless `force` is set.
    public static func writeTemplate(to path: String, force: Bool) throws(ConfigError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw .cannotWrite(path: path, reason: "it is a directory") }
            if !force { throw .alreadyExists(path: path) }
        }
        do {
            try manager.createDirectory(
                atPath: ConfigPaths.parentDirectory(of: path), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: Self.reason(error))
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
