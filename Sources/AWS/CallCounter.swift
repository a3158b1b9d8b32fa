import Synchronization

/// Requests sent, per service and operation (every attempt counts): what a run cost, for `--verbose`, the JSON
/// summaries and the benchmarks. Shared by every copy of an `AWSContext`.
public final class CallCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    public init() {}

    func record(_ service: String, _ operation: String) {
        counts.withLock { $0["\(service) \(operation)", default: 0] += 1 }
    }

    /// "DynamoDB DescribeTable" → count.
    public var byOperation: [String: Int] { counts.withLock { $0 } }

    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}
