/// When and how long to wait before trying a request again.
///
/// Retries happen only before the first token: a connection that could not be made, HTTP 429
/// or 503. Once any text reached the consumer, a failure is final, because repeating the
/// request would repeat (and change) text already shown. Delays grow exponentially with
/// jitter, up to ``maxDelay``; a server's `Retry-After` wins when present, unless it asks for
/// more than ``maxRetryAfter``, in which case the error is reported at once with its advice.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included (1 turns retries off).
    public var maxAttempts: Int
    /// The delay before the second attempt, in seconds, before jitter.
    public var baseDelay: Double
    /// The longest computed delay, in seconds.
    public var maxDelay: Double
    /// The longest `Retry-After` honoured by waiting, in seconds.
    public var maxRetryAfter: Double
    /// Waits the given number of seconds; throws when the waiting task is cancelled.
    /// Injectable so tests run instantly and can record the delays.
    public var sleep: @Sendable (Double) async throws -> Void

    /// Creates a policy; the defaults are 3 attempts, 0.25 s doubling up to 4 s, and a
    /// `Retry-After` of up to 30 s honoured.
    public init(
        maxAttempts: Int = 3, baseDelay: Double = 0.25, maxDelay: Double = 4, maxRetryAfter: Double = 30,
        sleep: @escaping @Sendable (Double) async throws -> Void = RetryPolicy.taskSleep
    ) {
        self.maxAttempts = min(100, max(1, maxAttempts))
        self.baseDelay = Self.seconds(baseDelay)
        self.maxDelay = Self.seconds(maxDelay)
        self.maxRetryAfter = Self.seconds(maxRetryAfter)
        self.sleep = sleep
    }

    /// The defaults.
    public static let `default` = RetryPolicy()
    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Sleeps on the task clock (cancellable).
    public static let taskSleep: @Sendable (Double) async throws -> Void = { seconds in
        try await Task.sleep(for: .milliseconds(Int64((RetryPolicy.seconds(seconds) * 1000).rounded())))
    }

    /// `value` as a wait in seconds that every later conversion can hold: NaN and negatives
    /// become 0, anything above a day becomes a day.
    static func seconds(_ value: Double) -> Double {
        guard !value.isNaN else { return 0 }
        return min(86_400, max(0, value))
    }

    /// The delay before attempt `attempt + 1`, or nil when there should be none.
    /// "Equal jitter": half the exponential delay plus a random part of the other half, so
    /// panes failing together do not retry in lockstep.
    func delay(afterAttempt attempt: Int, retryAfter: Double?) -> Double? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter {
            guard !retryAfter.isNaN else { return nil }
            return retryAfter <= maxRetryAfter ? max(0, retryAfter) : nil
        }
        let exponential = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 30)))
        return exponential / 2 + Double.random(in: 0...(exponential / 2))
    }
}
