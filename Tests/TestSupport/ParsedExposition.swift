import Foundation
import XCTest

/// The exposition read back by a parser nobody here wrote: Python's `prometheus_client`
/// (`python3-prometheus-client`), run as a subprocess. It raises on anything outside the text
/// format; its samples come back as JSON.
public struct ParsedExposition {
    /// One sample line: its family, the family's type, the sample's name, labels and value.
    public struct Sample: Decodable, Sendable {
        public let family: String
        public let type: String
        public let name: String
        public let labels: [String: String]
        public let value: Double
    }

    /// Family names in the order the exposition gave them (a name twice is a bug).
    public let families: [String]
    public let samples: [Sample]

    private static let script = """
        import sys, json
        from prometheus_client.parser import text_string_to_metric_families
        families, samples = [], []
        for family in text_string_to_metric_families(sys.stdin.read()):
            families.append(family.name)
            for s in family.samples:
                samples.append({"family": family.name, "type": family.type, "name": s.name,
                                "labels": s.labels, "value": s.value})
        print(json.dumps({"families": families, "samples": samples}))
        """

    private struct Output: Decodable {
        let families: [String]
        let samples: [Sample]
    }

    /// Parses `bytes`; fails the test (with Python's message) when the parser refuses them.
    public init(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
        let process = Process()
        // Debian's interpreter, where `python3-prometheus-client` installs the module (a
        // python3 earlier on PATH, such as pyenv's, does not see it).
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", Self.script]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", Self.script]
        }
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            XCTFail("prometheus_client refused the exposition: \(String(decoding: err, as: UTF8.self))\n"
                    + String(decoding: bytes, as: UTF8.self), file: file, line: line)
            throw CancellationError()
        }
        let decoded = try JSONDecoder().decode(Output.self, from: out)
        families = decoded.families
        samples = decoded.samples
    }

    /// The sum of the samples named `name` whose labels include `labels`.
    public func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        matching(name, labels).reduce(0) { $0 + $1.value }
    }

    /// The samples named `name` whose labels include `labels`.
    public func matching(_ name: String, _ labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
    }
}
