import Changes
import StackModel
import Template

/// One property where the live table differs from the template.
public struct DriftDifference: Sendable, Equatable {
    /// CloudFormation's names: `TimeToLiveSpecification`, `GlobalSecondaryIndexes[byEmail]`.
    public var path: String
    /// Compact JSON; nil when the template leaves the property out (or sets it off).
    public var expected: String?
    /// Compact JSON; nil when the live table does not have it.
    public var actual: String?
    /// What the change that restores the template would do.
    public var impact: Impact
    public var message: String
    /// Where the template declares the property (the table's logical id when it does not).
    public var range: SourceRange

    public init(path: String, expected: String?, actual: String?, impact: Impact, message: String, range: SourceRange) {
        self.path = path
        self.expected = expected
        self.actual = actual
        self.impact = impact
        self.message = message
        self.range = range
    }
}

/// The verdict on one table of the template.
public struct TableDrift: Sendable {
    public enum Status: String, Sendable {
        case inSync, drifted, missing, notActive
    }

    public var logicalId: String
    public var tableName: String?
    public var status: Status
    public var differences: [DriftDifference] = []
    /// DescribeTable's TableStatus, when the table exists.
    public var tableStatus: String?
    /// GSIs not yet ACTIVE or still backfilling.
    public var buildingIndexes: [IndexStatus] = []
    /// Properties left out of the comparison, with why.
    public var notCompared: [String] = []
    /// Why a table is missing, or another word on its state.
    public var note: String?
    public var range: SourceRange = .none

    public init(
        logicalId: String, tableName: String?, status: Status, differences: [DriftDifference] = [],
        tableStatus: String? = nil,
        buildingIndexes: [IndexStatus] = [], notCompared: [String] = [], note: String? = nil, range: SourceRange = .none
    ) {
        self.logicalId = logicalId
        self.tableName = tableName
        self.status = status
        self.differences = differences
        self.tableStatus = tableStatus
        self.buildingIndexes = buildingIndexes
        self.notCompared = notCompared
        self.note = note
        self.range = range
    }
}

/// Every table of a template against the account.
public struct DriftReport: Sendable {
    public var stack: String?
    public var tables: [TableDrift]
    /// Tables whose name starts with the `--unmanaged-prefix` and that belong to no table of the template.
    public var unmanagedTables: [String]
    /// Requests sent, every attempt counted.
    public var apiCalls: Int

    public init(stack: String?, tables: [TableDrift], unmanagedTables: [String] = [], apiCalls: Int = 0) {
        self.stack = stack
        self.tables = tables
        self.unmanagedTables = unmanagedTables
        self.apiCalls = apiCalls
    }

    /// Anything drifted, missing or not ACTIVE.
    public var hasDrift: Bool { tables.contains { $0.status != .inSync } || !unmanagedTables.isEmpty }
}
