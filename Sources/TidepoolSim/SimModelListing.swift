/// The model listings of each API, built from the configured models.
enum SimModelListing {
    /// A fixed creation time (2025-01-01T00:00:00Z) so listings are reproducible.
    static let created = 1_735_689_600

    /// Ollama `GET /api/tags`.
    static func ollamaTags(_ models: [SimModel]) -> SimJSON {
        .object([
            ("models", .array(models.map { model in
                let name = model.name + ":latest"
                let digest = String(SimRandom.hash([model.name]), radix: 16)
                return .object([
                    ("name", .string(name)),
                    ("model", .string(name)),
                    ("modified_at", .string("2025-01-01T00:00:00Z")),
                    ("size", .int(1_000_000 + model.answerTokens * 10_000)),
                    ("digest", .string(String(repeating: digest, count: 4))),
                    ("details", .object([
                        ("parent_model", .string("")),
                        ("format", .string("gguf")),
                        ("family", .string("tidepool-sim")),
                        ("families", .array([.string("tidepool-sim")])),
                        ("parameter_size", .string("1B")),
                        ("quantization_level", .string("Q4_0")),
                    ])),
                ])
            })),
        ])
    }

    /// OpenAI-compatible `GET /v1/models`.
    static func openAI(_ models: [SimModel]) -> SimJSON {
        .object([
            ("object", .string("list")),
            ("data", .array(models.map {
                .object([
                    ("id", .string($0.name)), ("object", .string("model")),
                    ("created", .int(created)), ("owned_by", .string("tidepool-sim")),
                ])
            })),
        ])
    }

    /// Anthropic `GET /v1/models`.
    static func anthropic(_ models: [SimModel]) -> SimJSON {
        .object([
            ("data", .array(models.map {
                .object([
                    ("type", .string("model")), ("id", .string($0.name)),
                    ("display_name", .string($0.name)), ("created_at", .string("2025-01-01T00:00:00Z")),
                ])
            })),
            ("has_more", .bool(false)),
            ("first_id", models.first.map { .string($0.name) } ?? .null),
            ("last_id", models.last.map { .string($0.name) } ?? .null),
        ])
    }

    /// Ollama `GET /api/ps`: every configured model as loaded, wholly in VRAM, with the shape
    /// of the newer recorded example (`context_length`), expiring at a fixed time.
    static func ollamaProcesses(_ models: [SimModel]) -> SimJSON {
        .object([
            ("models", .array(models.map { model in
                let name = model.name + ":latest"
                let size = 1_000_000 + model.answerTokens * 10_000
                return .object([
                    ("name", .string(name)),
                    ("model", .string(name)),
                    ("size", .int(size)),
                    ("digest", .string(String(repeating: String(SimRandom.hash([model.name]), radix: 16), count: 4))),
                    ("details", .object([
                        ("parent_model", .string("")), ("format", .string("gguf")),
                        ("family", .string("tidepool-sim")), ("families", .array([.string("tidepool-sim")])),
                        ("parameter_size", .string("1B")), ("quantization_level", .string("Q4_0")),
                    ])),
                    ("expires_at", .string("2099-01-01T00:00:00.000000000Z")),
                    ("size_vram", .int(size)),
                    ("context_length", .int(4096)),
                ])
            })),
        ])
    }

    /// llama-server `GET /slots`: one entry per slot, `is_processing` from live use; a busy
    /// slot carries its task id (idle slots hold only `id`, `n_ctx`, `speculative`,
    /// `is_processing`, as recorded from b9014).
    static func llamacppSlots(_ slots: SimSlots) -> SimJSON {
        let busy = slots.usage.busy
        return .array((0..<slots.total).map { index in
            var fields: [(String, SimJSON)] = [
                ("id", .int(index)), ("n_ctx", .int(4096)), ("speculative", .bool(false)),
                ("is_processing", .bool(busy[index] != nil)),
            ]
            if let task = busy[index] { fields.append(("id_task", .int(Int(truncatingIfNeeded: task)))) }
            return .object(fields)
        })
    }
}
