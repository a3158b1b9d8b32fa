import Template
import Schema
import Changes
import AWS

/// `plan`: the new template against what is deployed — the deployed template resolved with the deployed
/// parameter values as the base, the live tables for what only the account knows.
public struct StackPlanner: Sendable {
    public var tables: any TableReading
    public var concurrency: Int

    public init(tables: any TableReading, concurrency: Int = 8) {
        self.tables = tables
        self.concurrency = max(1, concurrency)
    }

    /// A reviewed plan. `stack` nil (or REVIEW_IN_PROGRESS) plans the creation of every table; `base` are the
    /// deployed template's tables; `now` is epoch seconds, for the on-demand quota.
    public func plan(stack: DeployedStack?, base: [Table], head: [Table], headTemplate: Template,
                     allowances: [Review.Allowance] = [], threshold: Impact = .breaking, now: Int) async throws -> Review {
        var review = Review(base: base, head: head, headTemplate: headTemplate, allowances: allowances, threshold: threshold)
        guard let stack else { return review }
        var changes = review.changes
        if let blocker = LiveChecks.stackBlocker(stack.stack) { changes.insert(blocker, at: 0) }
        let names = stack.tableNames
        let deployed = base.filter { names[$0.logicalId] != nil }
        let live = try await DriftDetector.readAll(deployed.map { ($0, names[$0.logicalId]!) }, from: tables, concurrency: concurrency)
        changes = LiveChecks.apply(to: changes, base: base, head: head, live: live, stackTags: stack.propagatedTags, now: now)
        review.changes = changes
        return review
    }
}
