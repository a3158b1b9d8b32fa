import AWS
import Changes
import Schema
import Template

/// What `plan` and `deploy` ask for: the template, its values, and how the plan is reviewed.
public struct PlanRequest: Sendable {
    /// `plan --change-set`: also ask CloudFormation for its verdict through a change set.
    public struct Preview: Sendable {
        public var changeSetName: String
        public var capabilities: [String]
        public var keep: Bool

        public init(changeSetName: String, capabilities: [String] = [], keep: Bool = false) {
            self.changeSetName = changeSetName
            self.capabilities = capabilities
            self.keep = keep
        }
    }

    public var stackName: String
    public var region: String
    /// The template as read, and its name for messages.
    public var source: [UInt8]
    public var file: String
    /// `--parameter` / `--parameters`: values for this template only; the deployed base keeps its own.
    public var given: [String: String]
    public var allowances: [Review.Allowance] = []
    public var threshold: Impact = .breaking
    /// Epoch seconds, for the on-demand quota.
    public var now: Int
    public var preview: Preview?

    public init(
        stackName: String, region: String, source: [UInt8], file: String, given: [String: String] = [:], now: Int
    ) {
        self.stackName = stackName
        self.region = region
        self.source = source
        self.file = file
        self.given = given
        self.now = now
    }
}

/// A template that cannot be read, at the file it came from (the local template, or the deployed one).
public struct PlanInputError: Error, Sendable {
    public var file: String
    public var error: ParseError
}

/// `plan` and `deploy`'s one plan: the deployed stack, its template resolved with the deployed values as the base,
/// the new template resolved with its own values as the head, what the live account and (on request) a change set
/// add — reviewed once, in `Review`.
public struct StackPlanner: Sendable {
    public var stacks: any StackReading
    public var tables: any TableReading
    /// For `PlanRequest.preview`.
    public var changeSets: (any ChangeSetAPI)?
    public var sleep: @Sendable (Double) async -> Void
    public var concurrency: Int
    /// A reader of tables in another region: given, a global table's other replicas are read where they live (drift
    /// the deploy overwrites, a replica deleted by hand, a new replica's name already taken there).
    public var replicaTables: (@Sendable (String) -> any TableReading)?

    public init(
        stacks: any StackReading, tables: any TableReading, changeSets: (any ChangeSetAPI)? = nil,
        sleep: @escaping @Sendable (Double) async -> Void, concurrency: Int = 8
    ) {
        self.stacks = stacks
        self.tables = tables
        self.changeSets = changeSets
        self.sleep = sleep
        self.concurrency = max(1, concurrency)
    }

    public func plan(_ request: PlanRequest) async throws -> StackPlan {
        let read = try await DeployedStack.read(request.stackName, from: stacks)
        // A REVIEW_IN_PROGRESS stack has never been deployed: what it holds is a change set, not tables.
        let deployed = read.flatMap { $0.stack.status == "REVIEW_IN_PROGRESS" ? nil : $0 }
        let headTemplate = try parse(request.source, file: request.file)
        let options = DeployedStack.options(
            for: headTemplate, on: deployed, region: request.region, stackName: request.stackName,
            given: request.given)
        let head = try resolve(headTemplate, options, file: request.file)
        let headModel = Model(head)
        let headTables = headModel.tables
        var base: [Table] = []
        var record: RevisionRecord?
        if let deployed { (base, record) = try await baseTables(of: deployed, region: request.region) }
        var plan = StackPlan(
            stackName: request.stackName, stack: read, deployed: deployed, record: record, head: head,
            headModel: headModel,
            base: base,
            review: Review(
                base: base, head: headTables, headTemplate: headTemplate,
                allowances: request.allowances, threshold: request.threshold,
                region: deployed?.region ?? request.region),
            parameters: Self.changeSetParameters(headTemplate, given: request.given, deployed: deployed))
        if let deployed { try await checkLive(&plan, deployed, now: request.now) }
        try await checkNewNames(&plan)
        try await checkNewReplicas(&plan, region: deployed?.region ?? request.region)
        if let preview = request.preview { try await merge(preview, source: request.source, into: &plan) }
        return plan
    }

    private func parse(_ source: [UInt8], file: String) throws -> Template {
        do { return try Template.parse(source) } catch { throw PlanInputError(file: file, error: error) }
    }

    private func resolve(_ template: Template, _ options: ResolveOptions, file: String) throws -> ResolvedTemplate {
        do { return try Resolver.resolve(template, options: options) } catch {
            throw PlanInputError(file: file, error: error)
        }
    }

    /// The deployed template (GetTemplate, as submitted) resolved with the values it was deployed with, and the
    /// revision it records.
    private func baseTables(of deployed: DeployedStack, region: String) async throws -> ([Table], RevisionRecord?) {
        let file = "stack '\(deployed.name)' (deployed template)"
        let body = try await stacks.getTemplate(deployed.name, stage: "Original", changeSet: nil)
        let template = try parse(Array(body.utf8), file: file)
        let tables = Model(try resolve(template, deployed.deployedOptions(region: region), file: file)).tables
        return (tables, RevisionRecord.read(template, tags: deployed.stack.tags))
    }

    /// A stack that cannot take an update, busy tables, drift the deploy overwrites or trips over, the quota.
    private func checkLive(_ plan: inout StackPlan, _ deployed: DeployedStack, now: Int) async throws {
        let names = deployed.tableNames
        let targets = plan.base.compactMap { table in names[table.logicalId].map { (table, $0) } }
        var detector = DriftDetector(tables: tables, concurrency: concurrency, sleep: sleep)
        let live = try await detector.readAll(targets)
        let (base, head, tags) = (plan.base, plan.headTables, deployed.propagatedTags)
        // The other replicas of the deployed global tables, compared as drift compares them.
        detector.region = deployed.region
        detector.replicaTables = replicaTables
        let replicaDifferences = try await detector.replicaDifferences(base, physicalNames: names, stackTags: tags)
        plan.review.amend { changes in
            if let blocker = LiveChecks.stackBlocker(deployed.stack) { changes.insert(blocker, at: 0) }
            changes = LiveChecks.apply(
                to: changes, base: base, head: head, live: live, replicaDifferences: replicaDifferences,
                stackTags: tags, now: now, region: deployed.region)
        }
    }

    /// A replica the plan adds in a region where a table of that name already exists: CloudFormation's creation of
    /// the replica fails. For a new global table, every replica outside the stack's region is such an addition.
    private func checkNewReplicas(_ plan: inout StackPlan, region: String) async throws {
        guard let replicaTables else { return }
        let tables = Dictionary(plan.headTables.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        var additions: [(Change, String)] = []
        for change in plan.review.changes
        where change.action == .add && change.impact != .rejected && change.tableName != nil {
            guard let table = tables[change.logicalId], table.kind == .globalTable else { continue }
            if change.path.isEmpty {
                additions += table.replicas.compactMap(\.region.value).filter { $0 != region }.map { (change, $0) }
            } else if let replica = ReplicaPath.parse(change.path), replica.property == nil {
                additions.append((change, replica.region))
            }
        }
        let exists = try await boundedMap(additions, concurrency: concurrency) { change, region in
            try await replicaTables(region).describe(change.tableName ?? "") != nil
        }
        let taken = zip(additions, exists).filter(\.1).map { LiveChecks.replicaNameTaken($0.0.0, region: $0.0.1) }
        guard !taken.isEmpty else { return }
        plan.review.amend { changes in
            for change in taken {
                changes.removeAll { $0.logicalId == change.logicalId && $0.path == change.path && $0.action == .add }
                changes.append(change)
            }
        }
    }

    /// A new table whose literal TableName is already taken in the account: CloudFormation's creation fails (and a
    /// failed first creation leaves a stack that can only be deleted).
    private func checkNewNames(_ plan: inout StackPlan) async throws {
        let added = plan.review.changes.filter {
            $0.path.isEmpty && $0.action == .add && $0.impact != .rejected && $0.tableName != nil
        }
        let tables = self.tables
        let exists = try await boundedMap(added, concurrency: concurrency) { change in
            try await tables.describe(change.tableName ?? "") != nil
        }
        let stack = plan.stackName
        let taken = zip(added, exists).filter(\.1).map { LiveChecks.nameTaken($0.0, stack: stack) }
        guard !taken.isEmpty else { return }
        plan.review.amend { changes in
            for change in taken {
                changes.removeAll { $0.logicalId == change.logicalId && $0.path.isEmpty && $0.action == .add }
                changes.append(change)
            }
        }
    }

    /// `plan --change-set`: CloudFormation's verdict merged into the review, the change set removed unless kept.
    private func merge(_ preview: PlanRequest.Preview, source: [UInt8], into plan: inout StackPlan) async throws {
        guard let changeSets else { return }
        var input = CloudFormationClient.ChangeSetInput(
            stackName: plan.stackName, changeSetName: preview.changeSetName,
            type: plan.deployed == nil ? .create : .update,
            templateBody: String(decoding: source, as: UTF8.self))
        input.capabilities = preview.capabilities
        input.description = "ddbstack plan (preview only)"
        input.parameters = plan.parameters
        let outcome = try await ChangeSetPreview(client: changeSets, sleep: sleep).preview(input, keep: preview.keep)
        plan.changeSet = outcome
        plan.review.merge(ChangeSetPreview.verdict(outcome.changeSet), base: plan.base, head: plan.headTables)
    }

    /// A change set's parameters: those the new template declares; a given value as given, else the deployed value
    /// as it is (UsePreviousValue: a NoEcho value stays hidden, an SSM parameter's value is the name to look up),
    /// as `aws cloudformation deploy` does. Without a deployed stack, the template's defaults apply.
    static func changeSetParameters(_ head: Template, given: [String: String], deployed: DeployedStack?)
        -> [CloudFormationClient.ChangeSetInput.Parameter]
    {
        head.parameters.compactMap { parameter in
            if let value = given[parameter.name] { return .init(key: parameter.name, value: value) }
            guard deployed?.stack.parameters[parameter.name] != nil else { return nil }
            return .init(key: parameter.name, value: nil, usePreviousValue: true)
        }
    }
}

/// The plan of a template against a stack: what `plan` shows and `deploy` guards and executes.
public struct StackPlan: Sendable {
    public var stackName: String
    /// The stack as read, REVIEW_IN_PROGRESS included; nil when there is none.
    public var stack: DeployedStack?
    /// The deployed stack the plan compares with; nil when every table is created.
    public var deployed: DeployedStack?
    /// The revision the deployed template records.
    public var record: RevisionRecord?
    public var head: ResolvedTemplate
    /// The head as modelled once: its tables for the plan, and all of it for deploy's lint.
    public var headModel: Model
    public var headTables: [Table] { headModel.tables }
    /// The deployed template's tables.
    public var base: [Table]
    public var review: Review
    /// What each change set of this plan passes as parameters.
    public var parameters: [CloudFormationClient.ChangeSetInput.Parameter]
    /// `plan --change-set`: the change set read, and whether it was kept or its clean-up failed.
    public var changeSet: ChangeSetPreview.Outcome?

    /// "deployed: UPDATE_COMPLETE, revision abc" or the creation note, then the change set's fate.
    public var notes: [String] {
        var notes = [
            deployed.map { "deployed: \($0.stack.status)\(record?.revision.map { ", revision \($0)" } ?? "")" }
                ?? "the stack does not exist yet: every table is created"
        ]
        if let changeSet { notes.append(changeSet.note(stack: stackName)) }
        return notes
    }
}
