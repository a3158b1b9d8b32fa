import Schema
import Synchronization
import Template

/// Runs the rules of a profile over a template and applies suppressions.
public struct Linter: Sendable {
    public var profile: Profile
    /// Rule ids ignored everywhere (`--ignore`).
    public var ignored: Set<String>
    public var rules: [any Rule]

    public init(profile: Profile = .standard, ignored: Set<String> = [], rules: [any Rule] = RuleRegistry.all) {
        self.profile = profile
        self.ignored = ignored
        self.rules = rules
    }

    /// Findings in file order; those ignored on the command line or in a resource's Metadata are dropped.
    /// Tables a false Condition leaves out are checked too, as written: errors must not hide behind the values
    /// the pre-merge job happens to use.
    public func lint(_ context: LintContext) -> [Finding] {
        let active = rules.filter { profile == .production || $0.description.profile == .standard }
        var every = context
        // Appending copies the whole array of tables; most templates leave none out.
        if !context.model.excludedTables.isEmpty { every.model.tables += context.model.excludedTables }
        let findings = Self.run(active.filter { !ignored.contains($0.description.id) }, on: every)
        let metadata = Dictionary(
            every.tables.map { ($0.logicalId, $0.metadata) }, uniquingKeysWith: { first, _ in first })
        let excluded = Dictionary(
            context.model.excludedTables.map { ($0.logicalId, $0.condition ?? "") },
            uniquingKeysWith: { first, _ in first })
        return findings.compactMap { finding in Self.suppressing(finding, metadata[finding.logicalId ?? ""]) }
            .map { finding in
                guard let condition = finding.logicalId.flatMap({ excluded[$0] }) else { return finding }
                var noted = finding
                noted.note +=
                    "; '\(finding.logicalId ?? "")' is left out by condition '\(condition)' with these values, and checked as written"
                return noted
            }
            .sorted { ($0.range.start, $0.ruleId) < ($1.range.start, $1.ruleId) }
    }

    /// Every rule's findings, in the rules' order. Rules are independent and read the context only, so they run on
    /// every core: on a large template this takes lint's rule stage from one core's time to about half of it on two.
    static func run(_ rules: [any Rule], on context: LintContext) -> [Finding] {
        let results = Mutex([[Finding]](repeating: [], count: rules.count))
        POSIXThread.concurrentPerform(
            iterations: rules.count, parallel: context.tables.count >= Parallelism.minimumTables
        ) { index in
            var sink = FindingSink(rule: rules[index].description)
            rules[index].check(context, into: &sink)
            results.withLock { $0[index] = sink.findings }
        }
        return results.withLock { $0.flatMap { $0 } }
    }

    /// A finding a resource's Metadata ignores with a reason is dropped; one ignored without a reason stays, saying
    /// why the suppression is not honoured.
    static func suppressing(_ finding: Finding, _ metadata: ResourceMetadata?) -> Finding? {
        guard let metadata, metadata.ignoredRules.contains(where: { $0.value == finding.ruleId }) else {
            return finding
        }
        guard metadata.reason?.trimmingSpaces.isEmpty ?? true else { return nil }
        var kept = finding
        kept.note += "; the Metadata 'ignore' of \(finding.ruleId) is not honoured: it has no 'reason'"
        return kept
    }
}
