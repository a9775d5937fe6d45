import Foundation
import TestSupport
import XCTest

@testable import TidepoolProviders

/// Every recorded monitoring body through its endpoint's parser, the numbers each fixture's
/// README line promises, and hostile bodies that must become an error or "no data".
final class ServerMonitoringEndpointTests: XCTestCase {
    private func parse(_ endpoint: ServerMonitoringEndpoint, _ fixture: String) throws -> ServerSnapshot {
        try endpoint.parse(try Fixtures.bytes("servers/" + fixture))
    }

    private func parse(_ endpoint: ServerMonitoringEndpoint, text: String) throws -> ServerSnapshot {
        try endpoint.parse(Array(text.utf8))
    }

    // MARK: - Fixtures

    func testOllamaProcessesOlderShape() throws {
        let snapshot = try parse(.ollamaProcesses, "ollama-api-ps.json")
        let model = try XCTUnwrap(snapshot.models?.first)
        XCTAssertEqual(snapshot.models?.count, 1)
        XCTAssertEqual(model.name, "mistral:latest")
        XCTAssertTrue(model.loaded)
        XCTAssertEqual(model.sizeBytes, 5_137_025_024)
        XCTAssertEqual(model.vramBytes, 5_137_025_024)
        XCTAssertNil(model.contextLength, "the older shape has no context_length")
        let expires = try XCTUnwrap(model.expiresAt).timeIntervalSince1970
        XCTAssertEqual(expires, 1_717_537_111.83753, accuracy: 0.0001)
        XCTAssertEqual(snapshot.summary, "1 model loaded")
    }

    func testOllamaProcessesNewerShapePartlyOnCPU() throws {
        let model = try XCTUnwrap(try parse(.ollamaProcesses, "ollama-api-ps.openapi.json").models?.first)
        XCTAssertEqual(model.name, "gemma4")
        XCTAssertEqual(model.sizeBytes, 6_591_830_464)
        XCTAssertEqual(model.vramBytes, 5_333_539_264)
        XCTAssertEqual(model.contextLength, 4096)
    }

    func testLlamaCppSlots() throws {
        let cases: [(String, busy: Int, total: Int, decoded: Int)] = [
            ("llamacpp-slots-busy.json", 1, 2, 94),
            ("llamacpp-slots-idle.json", 0, 2, 0),
            ("llamacpp-b9014-slots.recorded-busy.json", 1, 1, 5),
            ("llamacpp-b9014-slots.recorded-idle.json", 0, 1, 0),
        ]
        for (fixture, busy, total, decoded) in cases {
            let snapshot = try parse(.llamacppSlots, fixture)
            XCTAssertEqual(snapshot.slotsBusy, busy, fixture)
            XCTAssertEqual(snapshot.slotsTotal, total, fixture)
            XCTAssertEqual(snapshot.tokensDecoded, decoded, fixture)
        }
        XCTAssertEqual(try parse(.llamacppSlots, "llamacpp-slots-busy.json").summary, "slots 1/2 busy")
    }

    func testLlamaCppProps() throws {
        XCTAssertEqual(try parse(.llamacppProps, "llamacpp-props.json"), ServerSnapshot(slotsTotal: 2))
    }

    func testLlamaCppMetrics() throws {
        XCTAssertEqual(
            try parse(.llamacppMetrics, "llamacpp-b9014-metrics.txt"),
            ServerSnapshot(requestsRunning: 1, requestsWaiting: 0, generationTokensPerSecond: 43.7158))
        XCTAssertEqual(
            try parse(.llamacppMetrics, "llamacpp-metrics-busy.txt"),
            ServerSnapshot(requestsRunning: 1, requestsWaiting: 0, generationTokensPerSecond: 0))
        for idle in ["llamacpp-metrics-idle.txt", "llamacpp-b9014-metrics.idle.txt"] {
            XCTAssertEqual(
                try parse(.llamacppMetrics, idle),
                ServerSnapshot(requestsRunning: 0, requestsWaiting: 0, generationTokensPerSecond: 0), idle)
        }
    }

    func testLlamaCppEndpointsMergeInThePresetsOrder() throws {
        var merged = ServerSnapshot()
        let files: [ServerMonitoringEndpoint: String] = [
            .llamacppMetrics: "llamacpp-metrics-busy.txt", .llamacppSlots: "llamacpp-slots-busy.json",
            .llamacppProps: "llamacpp-props.json",
        ]
        XCTAssertEqual(ProviderPreset.llamacpp.monitoringEndpoints, [.llamacppMetrics, .llamacppSlots, .llamacppProps])
        for endpoint in ProviderPreset.llamacpp.monitoringEndpoints {
            merged = merged.merging(try parse(endpoint, files[endpoint]!))
        }
        XCTAssertEqual(merged.requestsRunning, 1)
        XCTAssertEqual(merged.requestsWaiting, 0)
        XCTAssertEqual(merged.slotsBusy, 1)
        XCTAssertEqual(merged.slotsTotal, 2)
        XCTAssertEqual(merged.tokensDecoded, 94)
        XCTAssertEqual(merged.summary, "queued at server 0 · slots 1/2 busy")
    }

    func testVLLMMetrics() throws {
        let busy = try parse(.vllmMetrics, "vllm-metrics.txt")
        XCTAssertEqual(busy.requestsRunning, 1)
        XCTAssertEqual(busy.requestsWaiting, 0)
        XCTAssertEqual(busy.kvCacheUsage, 0.38235294117647056)
        XCTAssertEqual(busy.timeToFirstTokenCount, 4)
        XCTAssertEqual(try XCTUnwrap(busy.meanTimeToFirstToken), 3.8550660610198975 / 4, accuracy: 1e-12)
        XCTAssertEqual(busy.summary, "queued at server 0 · running 1 · kv 38%")
        let idle = try parse(.vllmMetrics, "vllm-metrics.idle.txt")
        XCTAssertEqual(idle.requestsRunning, 0)
        XCTAssertEqual(idle.kvCacheUsage, 0)
        XCTAssertEqual(idle.timeToFirstTokenCount, 2)
    }

    func testVLLMOlderCacheNameAndSeveralEngines() throws {
        let snapshot = try parse(.vllmMetrics, text: """
            vllm:num_requests_running{engine="0"} 4.0
            vllm:num_requests_running{engine="1"} 4.0
            vllm:num_requests_waiting{engine="0"} 2.0
            vllm:num_requests_waiting{engine="1"} 3.0
            vllm:gpu_cache_usage_perc{engine="0"} 0.5
            vllm:gpu_cache_usage_perc{engine="1"} 0.63

            """)
        XCTAssertEqual(snapshot.requestsRunning, 8)
        XCTAssertEqual(snapshot.requestsWaiting, 5)
        XCTAssertEqual(snapshot.kvCacheUsage, 0.63)
        XCTAssertEqual(snapshot.summary, "queued at server 5 · running 8 · kv 63%")
    }

    func testLMStudioModels() throws {
        let models = try XCTUnwrap(try parse(.lmstudioModels, "lmstudio-api-v0-models.json").models)
        XCTAssertEqual(models, [
            ServerSnapshot.Model(name: "qwen2.5-7b-instruct", loaded: true, contextLength: 8192),
            ServerSnapshot.Model(name: "text-embedding-nomic-embed-text-v1.5", loaded: false, contextLength: 2048),
        ])
    }

    func testPresetsNameTheirEndpoints() {
        XCTAssertEqual(ProviderPreset.ollama.monitoringEndpoints.map(\.path), ["/api/ps"])
        XCTAssertEqual(ProviderPreset.vllm.monitoringEndpoints.map(\.path), ["/metrics"])
        XCTAssertEqual(ProviderPreset.lmstudio.monitoringEndpoints.map(\.path), ["/api/v0/models"])
        XCTAssertEqual(ProviderPreset.llamacpp.monitoringEndpoints.map(\.path), ["/metrics", "/slots", "/props"])
        XCTAssertEqual(ProviderPreset.openai.monitoringEndpoints, [])
        XCTAssertEqual(ProviderPreset.anthropic.monitoringEndpoints, [])
    }

    // MARK: - Hostile bodies

    func testEveryTruncationOfEveryJSONFixtureIsAnErrorOrItsOwnShapeNeverATrap() throws {
        let cases: [(ServerMonitoringEndpoint, String)] = [
            (.ollamaProcesses, "ollama-api-ps.openapi.json"), (.llamacppSlots, "llamacpp-slots-busy.json"),
            (.llamacppProps, "llamacpp-props.json"), (.lmstudioModels, "lmstudio-api-v0-models.json"),
        ]
        for (endpoint, fixture) in cases {
            let body = try Fixtures.bytes("servers/" + fixture)
            let whole = try endpoint.parse(body)
            for length in 0..<body.count {
                do {
                    _ = try endpoint.parse(Array(body[..<length]))
                } catch {
                    // A cut JSON document is not JSON (some prefixes of trailing white space are
                    // still the whole document and parse; that is fine).
                    XCTAssertEqual(error, .notJSON(endpoint: endpoint.path), "\(fixture) cut at \(length)")
                }
            }
            XCTAssertFalse(whole.isEmpty, fixture)
        }
    }

    func testWrongShapesAreNamedErrors() {
        let wrong: [(ServerMonitoringEndpoint, String, ServerMonitorError)] = [
            (.llamacppSlots,
             #"{"error":{"code":501,"message":"This server does not support slots endpoint.","type":"not_supported_error"}}"#,
             .unexpectedShape(endpoint: "/slots", detail: "expected an array of slots")),
            (.ollamaProcesses, "[1,2]", .unexpectedShape(endpoint: "/api/ps", detail: "expected {\"models\": [...]}")),
            (.lmstudioModels, #"{"data": 3}"#, .unexpectedShape(endpoint: "/api/v0/models", detail: "expected {\"data\": [...]}")),
            (.llamacppProps, "\"text\"", .unexpectedShape(endpoint: "/props", detail: "expected an object")),
            (.ollamaProcesses, "<html>busy</html>", .notJSON(endpoint: "/api/ps")),
            (.llamacppSlots, "", .notJSON(endpoint: "/slots")),
        ]
        for (endpoint, body, expected) in wrong {
            XCTAssertThrowsError(try endpoint.parse(Array(body.utf8)), body) { error in
                XCTAssertEqual(error as? ServerMonitorError, expected, body)
            }
        }
    }

    func testHostileNumbersAreNoDataNotATrap() throws {
        let props = try parse(.llamacppProps, text: #"{"total_slots": 1e300}"#)
        XCTAssertNil(props.slotsTotal)
        XCTAssertNil(try parse(.llamacppProps, text: #"{"total_slots": -4}"#).slotsTotal)
        XCTAssertNil(try parse(.llamacppProps, text: #"{"total_slots": "4"}"#).slotsTotal)
        let ps = try parse(.ollamaProcesses, text: #"""
            {"models":[{"name":"m","size":1e300,"size_vram":2.5e18,"context_length":4096.0,"expires_at":"soon"},
                       {"size":5},{"name":7}]}
            """#)
        XCTAssertEqual(ps.models, [ServerSnapshot.Model(name: "m", loaded: true, contextLength: 4096)])
        let slots = try parse(.llamacppSlots, text: #"""
            [{"is_processing":true,"next_token":{"n_decoded":9.2e18}},
             {"is_processing":true,"next_token":{"n_decoded":9.2e18}},
             {"is_processing":"yes"}, 5, null]
            """#)
        XCTAssertEqual(slots.slotsBusy, 2)
        XCTAssertEqual(slots.slotsTotal, 5)
        XCTAssertNil(
            try parse(.vllmMetrics, text: "vllm:kv_cache_usage_perc NaN\nvllm:num_requests_waiting 1e30\n").kvCacheUsage)
        XCTAssertEqual(try parse(.vllmMetrics, text: "vllm:kv_cache_usage_perc 7\n").kvCacheUsage, 1)
        XCTAssertNil(try parse(.vllmMetrics, text: "vllm:num_requests_waiting 1e30\n").requestsWaiting)
    }

    func testDeeplyNestedJSONIsAnErrorNotAStackOverflow() {
        let depth = 200_000
        let body = Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
        XCTAssertThrowsError(try ServerMonitoringEndpoint.llamacppSlots.parse(body))
    }

    func testBodiesOverTheCapAreRefusedBeforeParsing() {
        let huge = Array(repeating: UInt8(ascii: " "), count: ServerMonitoringEndpoint.maximumJSONBytes + 1)
        for endpoint in ServerMonitoringEndpoint.allCases {
            XCTAssertThrowsError(try endpoint.parse(huge)) { error in
                guard case .bodyTooLarge(let path, let bytes, _)? = error as? ServerMonitorError else {
                    return XCTFail("\(endpoint): \(error)")
                }
                XCTAssertEqual(path, endpoint.path)
                XCTAssertEqual(bytes, huge.count)
            }
        }
    }

    func testGarbageMetricsBodyIsNoData() throws {
        let snapshot = try parse(.vllmMetrics, text: "<html><body>502 Bad Gateway</body></html>")
        XCTAssertTrue(snapshot.isEmpty)
        XCTAssertEqual(snapshot.summary, "no data")
    }

    func testTimestampForms() {
        XCTAssertEqual(
            ServerMonitoringEndpoint.parseTimestamp("2024-06-04T14:38:31.837530123-07:00")?.timeIntervalSince1970 ?? 0,
            1_717_537_111.837530123, accuracy: 1e-5)
        XCTAssertEqual(ServerMonitoringEndpoint.parseTimestamp("2024-06-04T21:38:31Z")?.timeIntervalSince1970, 1_717_537_111)
        XCTAssertNil(ServerMonitoringEndpoint.parseTimestamp("2024-06-04T21:38:31.Z"))
        XCTAssertNil(ServerMonitoringEndpoint.parseTimestamp("0001-01-01T00:00:00" + String(repeating: "9", count: 100)))
    }
}
