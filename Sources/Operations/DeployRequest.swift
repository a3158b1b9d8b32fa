import AWS
import Changes
import Schema
import Template

/// Everything a deploy does, decided before it starts: the guard has passed and the templates of every step
/// are written.
public struct DeployRequest: Sendable {
    public struct Step: Sendable {
        public var number: Int
        /// The template sent for this step.
        public var body: String
        /// What the step does, for people: "Orders: create GSI byEmail".
        public var operations: [String]

        public init(number: Int, body: String, operations: [String]) {
            self.number = number
            self.body = body
            self.operations = operations
        }
    }

    /// A table about to be replaced or removed.
    public struct BackupTarget: Sendable, Equatable {
        public var logicalId: String
        public var tableName: String

        public init(logicalId: String, tableName: String) {
            self.logicalId = logicalId
            self.tableName = tableName
        }
    }

    public var stackName: String
    /// The stack does not exist yet (or only as REVIEW_IN_PROGRESS): the first change set is a CREATE.
    public var creating: Bool
    public var steps: [Step]
    /// The plan the guard accepted, and its two sides: each change set's verdict is checked against it before
    /// anything is executed.
    public var review: Review
    public var base: [Table] = []
    public var head: [Table] = []
    /// SHA-256 of the template deployed, recorded in every change set's Description.
    public var templateSHA256 = ""
    /// What the last step's template records.
    public var record: RevisionRecord?
    public var parameters: [CloudFormationClient.ChangeSetInput.Parameter] = []
    public var capabilities: [String] = []
    /// The stack's tags after the last step (they replace the stack's set); nil leaves them as they are.
    public var tags: [(String, String)]?
    public var roleARN: String?
    /// The change set's name; staged deploys add `-step-N`.
    public var changeSetName: String
    /// An S3 bucket for templates over the inline limit, and the key prefix.
    public var bucket: String?
    public var keyPrefix = "ddbstack"
    /// false: create the (first) change set and stop (`--no-execute`).
    public var execute = true
    /// Execute this change set (made earlier with `--no-execute`) as the first step instead of creating one.
    public var existingChangeSet: String?
    public var backups: [BackupTarget] = []
    /// The GSIs each deployed table has before the deploy (by physical name), to name what a rolled-back
    /// update leaves behind.
    public var indexesBefore: [String: Set<String>] = [:]
    public var cancelOnInterrupt = false
    /// Seconds for the whole deploy, waits included.
    public var timeout: Double = 3600

    public init(stackName: String, creating: Bool, steps: [Step], review: Review, changeSetName: String) {
        self.stackName = stackName
        self.creating = creating
        self.steps = steps
        self.review = review
        self.changeSetName = changeSetName
    }

    /// The deploy of `plan` (which the guard accepted) from `source`, the template's text, whose SHA-256 (hex) is
    /// `templateSHA256`: its steps, parameters, the accepted review, what each table had before; with `backup`, every
    /// table it replaces or removes.
    /// The last step's template records `revision` (RevisionRecord) — or, when the template is the one deployed, the
    /// revision that deployed it, so a new commit that changes nothing stays "no changes".
    public init(
        plan: StackPlan, source: [UInt8], templateSHA256: String, revision: String?, changeSetName: String, backup: Bool
    ) {
        self.init(
            stackName: plan.stackName, creating: plan.deployed == nil, steps: Self.steps(plan.review, source: source),
            review: plan.review, changeSetName: changeSetName)
        base = plan.base
        head = plan.headTables
        self.templateSHA256 = templateSHA256
        let unchanged = plan.record?.templateSHA256 == templateSHA256
        let record = RevisionRecord(
            revision: unchanged ? plan.record?.revision : revision, templateSHA256: templateSHA256)
        steps[steps.count - 1].body = record.stamp(steps[steps.count - 1].body, template: plan.head.template)
        self.record = record
        parameters = plan.parameters
        let names = plan.deployed?.tableNames ?? [:]
        if backup {
            for change in plan.review.changes where [.replace, .remove].contains(change.action) {
                guard let name = names[change.logicalId] else { continue }
                let target = BackupTarget(logicalId: change.logicalId, tableName: name)
                if !backups.contains(target) { backups.append(target) }
            }
        }
        for table in plan.base {
            if let name = names[table.logicalId] {
                indexesBefore[name] = Set(table.globalSecondaryIndexes.compactMap(\.name.value))
            }
        }
    }

    /// What a change set of this deploy says about itself: the template's SHA-256, so `--execute` can tell a change
    /// set ddbstack made from this template from any other.
    public func description(step: Int) -> String {
        let part = steps.count > 1 ? ", step \(step) of \(steps.count)" : ""
        return "ddbstack deploy\(part); template sha256:\(templateSHA256)"
    }

    /// The change set name of `step`: staged deploys add `-step-N`.
    public func changeSetName(step: Int) -> String {
        steps.count > 1 ? "\(changeSetName)-step-\(step)" : changeSetName
    }

    /// The first step whose template is over CloudFormation's inline limit when there is no bucket to upload it to.
    public var oversizedStep: Step? {
        bucket == nil ? steps.first { $0.body.utf8.count > ChangeSetPreview.inlineLimit } : nil
    }

    /// The template of each step: a staged plan's intermediates as JSON, the template's own text as the last
    /// step (or the only one).
    public static func steps(_ review: Review, source: [UInt8]) -> [Step] {
        let text = String(decoding: source, as: UTF8.self)
        guard !review.steps.isEmpty else { return [Step(number: 1, body: text, operations: ["the whole template"])] }
        return review.steps.map { step in
            Step(
                number: step.number,
                body: step.number == review.steps.count ? text : JSONWriter.write(JSONValue(step.template)) + "\n",
                operations: step.operations.map { "\($0.logicalId): \($0.summary)" })
        }
    }
}
