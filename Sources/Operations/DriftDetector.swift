import AWS
import Outcomes
import Schema
import Template

/// Reads every table of the template (bounded concurrency) and compares each with the template.
public struct DriftDetector: Sendable {
    public var tables: any TableReading
    public var concurrency: Int
    /// Throttling and passing failures are ridden out as `wait` rides them out.
    public var policy = PollPolicy()
    public var now: @Sendable () -> Double
    public var sleep: @Sendable (Double) async -> Void
    /// The region the tables are read in (a global table's replica there is the table read).
    public var region: String?

    public init(
        tables: any TableReading, concurrency: Int = 8, now: @escaping @Sendable () -> Double = SystemClock.monotonic,
        sleep: @escaping @Sendable (Double) async -> Void = SystemClock.sleep
    ) {
        self.tables = tables
        self.concurrency = max(1, concurrency)
        self.now = now
        self.sleep = sleep
    }

    /// `physicalNames` maps logical ids to table names (from the stack, or the template's literal TableNames);
    /// a table without one is missing. `stackTags` are the tags CloudFormation adds to every table of the stack.
    public func detect(
        expected: [Table], physicalNames: [String: String], stackTags: [(String, String)] = [],
        missingReason: String = "deleted outside the stack"
    ) async throws -> [TableDrift] {
        let reads = try await readAll(
            expected.compactMap { table in physicalNames[table.logicalId].map { (table, $0) } })
        return expected.map { table in
            guard let name = physicalNames[table.logicalId] else {
                return TableDrift(
                    logicalId: table.logicalId, tableName: table.tableName?.value, status: .missing,
                    note: "not created: the stack has no resource '\(table.logicalId)'", range: table.idRange)
            }
            guard let live = reads[table.logicalId] ?? nil else {
                return TableDrift(
                    logicalId: table.logicalId, tableName: name, status: .missing,
                    note: "table '\(name)' does not exist: \(missingReason)", range: table.idRange)
            }
            return DriftComparison.compare(expected: table, live: live, stackTags: stackTags, region: region)
        }
    }

    /// Tables named with `prefix` that are not among `known`: created at runtime or by hand, outside any template.
    public func unmanaged(prefix: String, known: Set<String>) async throws -> [String] {
        try await tables.listTables().filter { $0.hasPrefix(prefix) && !known.contains($0) }.sorted()
    }

    /// At most `concurrency` tables in flight, each read again while it fails for a passing reason; the first
    /// lasting failure cancels the rest. Results by logical id.
    func readAll(_ work: [(Table, String)]) async throws -> [String: LiveTable?] {
        let (tables, policy, now, sleep) = (self.tables, self.policy, self.now, self.sleep)
        return try await withThrowingTaskGroup(of: (String, LiveTable?).self) { group in
            var results: [String: LiveTable?] = [:]
            var pending = work[...]
            func startNext() {
                guard let (table, name) = pending.popFirst() else { return }
                let extras = Self.extras(for: table)
                group.addTask {
                    (
                        table.logicalId,
                        try await policy.persisting(now: now, sleep: sleep) {
                            try await tables.read(name, logicalId: table.logicalId, extras: extras)
                        }
                    )
                }
            }
            for _ in 0..<concurrency { startNext() }
            while let (logicalId, live) = try await group.next() {
                results[logicalId] = .some(live)
                startNext()
            }
            return results
        }
    }

    /// The optional reads a table's template asks for.
    static func extras(for table: Table) -> LiveTableReader.Extras {
        var extras = LiveTableReader.Extras()
        if table.properties?["ContributorInsightsSpecification"] != nil { extras.contributorInsights.insert("") }
        for index in table.properties?["GlobalSecondaryIndexes"]?.items ?? []
        where index["ContributorInsightsSpecification"] != nil {
            if let name = index["IndexName"]?.scalarText { extras.contributorInsights.insert(name) }
        }
        extras.kinesis = table.properties?["KinesisStreamSpecification"] != nil
        return extras
    }
}
