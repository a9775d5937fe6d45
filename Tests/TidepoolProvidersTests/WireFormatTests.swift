import TidepoolPool
import XCTest

@testable import TidepoolProviders

/// One ``ProviderKind``, one preset table, one registration per wire format.
final class WireFormatTests: XCTestCase {
    func testKindsParseTheConfigFilesWords() {
        XCTAssertEqual(ProviderKind.allCases.map(\.rawValue), ["ollama", "openai", "anthropic"])
        XCTAssertEqual(ProviderKind(configName: "openai"), .openAICompatible)
        XCTAssertEqual(ProviderKind(configName: "openai-compatible"), .openAICompatible)
        XCTAssertEqual(ProviderKind(configName: "Anthropic"), .anthropic)
        XCTAssertEqual(ProviderKind.openai, .openAICompatible)
        XCTAssertNil(ProviderKind(configName: "olama"))
    }

    /// Every format is registered and answers with its own paths; only OpenAI takes
    /// `stream_options`.
    func testEveryKindHasItsFormat() throws {
        let request = ChatRequest(model: "m", messages: [ChatMessage(role: .user, text: "hi")])
        let paths = ProviderKind.allCases.map { kind in
            kind.wireFormat.chatRequest(request, baseURL: "http://h", apiKey: nil, includeStreamOptions: true).url
        }
        XCTAssertEqual(paths, ["http://h/api/chat", "http://h/chat/completions", "http://h/v1/messages"])
        XCTAssertEqual(ProviderKind.allCases.map { $0.wireFormat.discoveryProbe(baseURL: "http://h").url },
                       ["http://h/api/tags", "http://h/models", "http://h/v1/models"])
        XCTAssertEqual(ProviderKind.allCases.map { $0.wireFormat.acceptsStreamOptions }, [false, true, false])
    }

    /// Server-product facts are on the preset: the port, and where discovery looks.
    func testPresetsCarryPortsAndDiscoveryOrder() {
        XCTAssertEqual(ProviderPreset.discoverable.map(\.id), ["ollama", "lmstudio", "llamacpp", "vllm"])
        XCTAssertEqual(Discovery.localPresets.map(\.id), ["ollama", "lmstudio", "llamacpp", "vllm"])
        XCTAssertEqual(ProviderPreset.discoverable.map(\.defaultPort), [11434, 1234, 8080, 8000])
        XCTAssertEqual(ProviderPreset.anthropic.defaultPort, 443)
        XCTAssertEqual(ProviderPreset.simulator(origin: "http://127.0.0.1:5").map(\.id), ProviderPreset.simulatorIDs)
        XCTAssertEqual(ProviderPreset.simulator(origin: "http://127.0.0.1:5").map(\.kind),
                       [.openAICompatible, .ollama, .anthropic])
        XCTAssertEqual(ProviderPreset.builtInIDs,
                       ["ollama", "openai", "anthropic", "lmstudio", "vllm", "llamacpp", "openrouter",
                        "sim", "sim-ollama", "sim-anthropic"])
    }
}
