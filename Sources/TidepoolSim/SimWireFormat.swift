/// The three wire protocols the simulator speaks, each with its own error shape.
enum SimWireFormat: Sendable, Hashable {
    /// Ollama's native API: NDJSON streams, `{"error":"..."}` errors.
    case ollama
    /// OpenAI-compatible Chat Completions: SSE `data:` lines, `{"error":{...}}` errors.
    case openAI
    /// Anthropic Messages: SSE with `event:` lines, `{"type":"error","error":{...}}` errors.
    case anthropic

    /// An error the simulator answers with, rendered per format.
    enum Failure: Sendable, Equatable {
        case unknownModel(String)
        case badRequest(String)
        case rateLimited
        /// Every slot busy and the server does not queue (Ollama's 503).
        case busy
        case serverError
        case notFound(path: String)
    }

    /// The HTTP status of a failure.
    static func status(of failure: Failure) -> Int {
        switch failure {
        case .unknownModel, .notFound: return 404
        case .badRequest: return 400
        case .rateLimited: return 429
        case .busy: return 503
        case .serverError: return 500
        }
    }

    /// The body of a failure in this format's shape, worded like the real server.
    func errorBody(_ failure: Failure) -> SimJSON {
        switch self {
        case .ollama:
            let message: String
            switch failure {
            case .unknownModel(let model): message = "model \"\(model)\" not found, try pulling it first"
            case .badRequest(let text): message = text
            case .rateLimited, .busy: message = "server busy, please try again.  maximum pending requests exceeded"
            case .serverError: message = "llama runner process has terminated: simulated failure (tidepool-sim)"
            case .notFound: message = "404 page not found"
            }
            return .object([("error", .string(message))])
        case .openAI:
            let (message, type, code): (String, String, SimJSON)
            switch failure {
            case .unknownModel(let model):
                (message, type, code) = (
                    "The model `\(model)` does not exist or you do not have access to it.",
                    "invalid_request_error", .string("model_not_found"))
            case .badRequest(let text): (message, type, code) = (text, "invalid_request_error", .null)
            case .rateLimited:
                (message, type, code) = (
                    "Rate limit reached for requests. Please try again in 1s. (tidepool-sim)",
                    "requests", .string("rate_limit_exceeded"))
            case .busy:
                (message, type, code) = ("The server is overloaded, please try again later. (tidepool-sim)", "server_error", .null)
            case .serverError:
                (message, type, code) = (
                    "The server had an error while processing your request. Sorry about that! (tidepool-sim)",
                    "server_error", .null)
            case .notFound(let path):
                (message, type, code) = ("Invalid URL (\(path))", "invalid_request_error", .null)
            }
            return .object([
                ("error", .object([
                    ("message", .string(message)), ("type", .string(type)), ("param", .null), ("code", code),
                ])),
            ])
        case .anthropic:
            let (type, message): (String, String)
            switch failure {
            case .unknownModel(let model): (type, message) = ("not_found_error", "model: \(model)")
            case .badRequest(let text): (type, message) = ("invalid_request_error", text)
            case .rateLimited:
                (type, message) = ("rate_limit_error", "Number of requests has exceeded your rate limit (tidepool-sim).")
            case .busy: (type, message) = ("overloaded_error", "Overloaded (tidepool-sim)")
            case .serverError: (type, message) = ("api_error", "Internal server error (tidepool-sim)")
            case .notFound: (type, message) = ("not_found_error", "Not found")
            }
            return .object([
                ("type", .string("error")),
                ("error", .object([("type", .string(type)), ("message", .string(message))])),
            ])
        }
    }
}
