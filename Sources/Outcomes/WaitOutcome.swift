import StackModel

/// A table's readiness as the waiter last saw it.
public struct TableState: Sendable, Equatable {
    public var name: String
    /// nil while DescribeTable does not know the table.
    public var status: String?
    public var building: [IndexStatus]
    /// Every GSI as last seen, built or not.
    public var indexes: [IndexStatus] = []
    /// Seconds since the wait started when this state was first seen.
    public var since: Double

    public init(name: String, status: String?, building: [IndexStatus], indexes: [IndexStatus] = [], since: Double) {
        self.name = name
        self.status = status
        self.building = building
        self.indexes = indexes
        self.since = since
    }

    /// A global table's replicas not ACTIVE yet.
    public var buildingReplicas: [ReplicaStatus] = []

    public var isReady: Bool { status == "ACTIVE" && building.isEmpty && buildingReplicas.isEmpty }

}

/// What the waiter reports as it goes.
public enum WaitEvent: Sendable {
    case stack(name: String, status: String, reason: String?)
    case table(TableState)
    case throttled(interval: Double)
    /// Reads failed for a passing reason (a dropped connection, a 5xx); the wait goes on with the last known state.
    case unreachable(interval: Double, error: String)
}

/// The end of a wait.
public struct WaitOutcome: Sendable {
    public enum Result: Sendable, Equatable {
        case ready, timedOut, interrupted
        /// The stack ended in a failed or rolled-back state.
        case stackFailed(status: String, reason: String?)
        /// The table never appeared.
        case missing(String)
        /// A read failed for another reason than throttling (after the client's own retries).
        case failed(String)
    }

    public var result: Result
    public var tables: [TableState]
    public var elapsed: Double
    public var polls: Int

    public init(result: Result, tables: [TableState], elapsed: Double, polls: Int) {
        self.result = result
        self.tables = tables
        self.elapsed = elapsed
        self.polls = polls
    }
}
