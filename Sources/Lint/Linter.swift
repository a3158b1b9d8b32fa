import Template
import Schema

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
    public func lint(_ context: LintContext) -> [Finding] {
        let active = rules.filter { profile == .production || $0.description.profile == .standard }
        var findings: [Finding] = []
        for rule in active where !ignored.contains(rule.description.id) {
            var sink = FindingSink(rule: rule.description)
            rule.check(context, into: &sink)
            findings += sink.findings
        }
        let suppressed = Dictionary(context.tables.map { ($0.logicalId, Set($0.metadata.ignoredRules.compactMap(\.value))) },
                                    uniquingKeysWith: { first, _ in first })
        return findings
            .filter { finding in !(finding.logicalId.flatMap { suppressed[$0] }?.contains(finding.ruleId) ?? false) }
            .sorted { ($0.range.start, $0.ruleId) < ($1.range.start, $1.ruleId) }
    }
}
