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
    /// A reader of tables in another region. Given (with `region`), a global table's other replicas are read where
    /// they live and each is compared with its own settings in the template.
    public var replicaTables: (@Sendable (String) -> any TableReading)?

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
        let drifts = expected.map { table in
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
        return try await withReplicas(drifts, expected: expected, physicalNames: physicalNames, stackTags: stackTags)
    }

    /// One read of a global table's replica in its region.
    struct ReplicaRead: Sendable {
        var logicalId: String
        var region: String
        var outcome: Result<LiveTable?, any Error>
    }

    /// Each drift of a global table with its other replicas compared too (when a reader for other regions is
    /// given): the replicas the template names in regions other than the one read, read at most `concurrency` at a
    /// time. A replica that cannot be read is named with the reason; it does not fail the report.
    func withReplicas(
        _ drifts: [TableDrift], expected: [Table], physicalNames: [String: String], stackTags: [(String, String)]
    ) async throws -> [TableDrift] {
        guard let replicaTables, let region else { return drifts }
        let present = Set(drifts.filter { $0.status != .missing }.map(\.logicalId))
        let work = expected.filter { $0.kind == .globalTable && present.contains($0.logicalId) }.flatMap { table in
            table.replicas.compactMap(\.region.value).filter { $0 != region }.compactMap { other in
                physicalNames[table.logicalId].map { (table, $0, other) }
            }
        }
        let reads = try await readReplicas(work, replicaTables)
        let tables = Dictionary(expected.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        return drifts.map { drift in
            guard let table = tables[drift.logicalId] else { return drift }
            return reads.filter { $0.logicalId == drift.logicalId }.reduce(drift) { drift, read in
                DriftComparison.adding(
                    read.outcome, region: read.region, to: drift, expected: table, stackTags: stackTags)
            }
        }
    }

    /// By logical id, the differences of each global table's replicas in other regions alone (the table read in
    /// `region` is compared elsewhere): what plan folds into its live checks.
    func replicaDifferences(_ expected: [Table], physicalNames: [String: String], stackTags: [(String, String)])
        async throws -> [String: [DriftDifference]]
    {
        let replicasOnly = expected.filter { $0.kind == .globalTable }.map {
            TableDrift(logicalId: $0.logicalId, tableName: physicalNames[$0.logicalId], status: .inSync)
        }
        let drifts = try await withReplicas(
            replicasOnly, expected: expected, physicalNames: physicalNames, stackTags: stackTags)
        return Dictionary(drifts.map { ($0.logicalId, $0.differences) }, uniquingKeysWith: { first, _ in first })
    }

    /// Reads `(table, table name, region)` replicas, riding out passing failures as table reads do; a lasting
    /// failure is that replica's outcome. Cancellation still ends the whole report.
    func readReplicas(_ work: [(Table, String, String)], _ reader: @escaping @Sendable (String) -> any TableReading)
        async throws -> [ReplicaRead]
    {
        try await boundedMap(work, concurrency: concurrency) { table, name, region in
            do {
                return ReplicaRead(
                    logicalId: table.logicalId, region: region,
                    outcome: .success(try await read(table, name, reader(region))))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                return ReplicaRead(logicalId: table.logicalId, region: region, outcome: .failure(error))
            }
        }
    }

    /// Tables named with `prefix` that are not among `known`: created at runtime or by hand, outside any template.
    public func unmanaged(prefix: String, known: Set<String>) async throws -> [String] {
        try await tables.listTables().filter { $0.hasPrefix(prefix) && !known.contains($0) }.sorted()
    }

    /// At most `concurrency` tables in flight, each read again while it fails for a passing reason; the first
    /// lasting failure cancels the rest. Results by logical id.
    func readAll(_ work: [(Table, String)]) async throws -> [String: LiveTable?] {
        let reads = try await boundedMap(work, concurrency: concurrency) { table, name in
            try await read(table, name, tables)
        }
        return Dictionary(zip(work.map(\.0.logicalId), reads), uniquingKeysWith: { first, _ in first })
    }

    /// One table, with the optional reads its template asks for, read again while it fails for a passing reason.
    private func read(_ table: Table, _ name: String, _ tables: any TableReading) async throws -> LiveTable? {
        try await policy.persisting(now: now, sleep: sleep) {
            try await tables.read(name, logicalId: table.logicalId, extras: Self.extras(for: table))
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
