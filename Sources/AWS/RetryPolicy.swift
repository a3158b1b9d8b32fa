/// When to try a request again and how long to wait first: exponential backoff with full jitter, capped
/// (FACTS.md §3). A request that may have reached AWS is repeated only when it is safe to repeat.
public struct RetryPolicy: Sendable {
    public var maximumAttempts: Int
    public var baseDelay: Double
    public var maximumDelay: Double

    public init(maximumAttempts: Int = 5, baseDelay: Double = 0.1, maximumDelay: Double = 20) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// What came back from one attempt.
    public enum Outcome: Sendable {
        case transport(TransportError)
        case service(AWSError)
        case checksumMismatch
    }

    public static let throttling: Set<String> = [
        "Throttling", "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown",
    ]
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalFailure", "ServiceUnavailable",
        "InternalServerError",
    ]

    /// Whether to try again. `idempotent` says the operation may be repeated after it may have taken effect.
    public func shouldRetry(_ outcome: Outcome, service: String, idempotent: Bool) -> Bool {
        switch outcome {
        case .transport(let error):
            // A refused connection never reached AWS; a timeout or a reset might have.
            return error.kind == .connect || idempotent
        case .checksumMismatch:
            return idempotent
        case .service(let error):
            if Self.throttling.contains(error.code) { return true }
            // DynamoDB's control-plane LimitExceededException is throttling; CloudFormation's is a quota.
            if error.code == "LimitExceededException" { return service == "dynamodb" }
            let transient =
                Self.transientCodes.contains(error.code) || [500, 502, 503, 504].contains(error.status ?? 0)
            return transient && idempotent
        }
    }

    /// The wait before attempt `attempt + 1` (attempts count from 1): uniform in [0, min(cap, base × 2^attempt)].
    public func delay(afterAttempt attempt: Int, random: Double) -> Double {
        let ceiling = min(maximumDelay, baseDelay * Double(1 << min(attempt, 30)))
        return ceiling * max(0, min(1, random))
    }
}
