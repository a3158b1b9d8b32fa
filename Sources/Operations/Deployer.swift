import Template
import Changes
import AWS

/// What a deploy asks of CloudFormation beyond reading it and previewing change sets.
public protocol StackOperations: StackReading, ChangeSetAPI {
    func executeChangeSet(_ name: String, stack: String?, clientRequestToken: String?) async throws
    /// The events of the operation started with `token`, newest first.
    func stackEvents(_ stack: String, token: String) async throws -> [CloudFormationClient.StackEvent]
    func cancelUpdateStack(_ stack: String) async throws
}

extension CloudFormationClient: StackOperations {}

/// On-demand backups before a table is replaced or removed.
public protocol BackupTaking: Sendable {
    func createBackup(table: String, name: String) async throws -> JSONValue
}

extension DynamoDBClient: BackupTaking {}

/// Where a template over the inline limit goes, so the change set can name it by TemplateURL.
public protocol TemplateUploading: Sendable {
    func putObject(bucket: String, key: String, body: [UInt8], contentType: String) async throws -> String
}

extension S3Client: TemplateUploading {}

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

    public init(stackName: String, creating: Bool, steps: [Step], changeSetName: String) {
        self.stackName = stackName
        self.creating = creating
        self.steps = steps
        self.changeSetName = changeSetName
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
            Step(number: step.number, body: step.number == review.steps.count ? text : JSONWriter.write(JSONValue(step.template)) + "\n",
                 operations: step.operations.map { "\($0.logicalId): \($0.kind.rawValue) GSI \($0.indexName)" })
        }
    }
}

/// What a deploy reports as it goes.
public enum DeployEvent: Sendable {
    case backup(DeployOutcome.Backup)
    case uploaded(step: Int, url: String)
    case changeSet(step: Int, of: Int, CloudFormationClient.ChangeSet)
    case executing(step: Int, of: Int, changeSet: String)
    case stackEvent(CloudFormationClient.StackEvent)
    case stackStatus(String, reason: String?)
    case waiting(WaitEvent)
    case cancelling(String)
}

/// The end of a deploy.
public struct DeployOutcome: Sendable {
    public enum Result: Sendable, Equatable {
        /// Every table ACTIVE, every GSI built.
        case ready
        /// Every change set was empty.
        case noChanges
        /// The guard stopped the deploy before anything was touched (a rejected or unacknowledged change).
        case guardRefused
        /// `--no-execute`: the change set waits for review.
        case prepared(changeSet: String)
        /// CloudFormation refused the change set.
        case refused(String)
        /// The stack failed or rolled back.
        case rolledBack
        case timedOut
        case interrupted
        /// A call failed (after the client's retries).
        case failed(String)
    }

    public struct Step: Sendable {
        public var number: Int
        public var changeSet: String
        public var operations: [String]
        /// executed, noChanges, prepared, refused, failed, interrupted
        public var status: String
        public var resourceChanges: Int
        public var seconds: Double

        public init(number: Int, changeSet: String, operations: [String], status: String, resourceChanges: Int, seconds: Double) {
            self.number = number
            self.changeSet = changeSet
            self.operations = operations
            self.status = status
            self.resourceChanges = resourceChanges
            self.seconds = seconds
        }
    }

    public struct Backup: Sendable, Equatable {
        public var logicalId: String
        public var tableName: String
        public var name: String
        public var arn: String
        public var status: String
    }

    /// Why a stack failed, and what to do about it.
    public struct Failure: Sendable {
        /// The first failed event of the operation: the cause, not the generic messages that follow it.
        public var rootCause: CloudFormationClient.StackEvent?
        public var advice: [String]
        /// (table, GSI) left on a table by a rolled-back update.
        public var leftoverIndexes: [(String, String)]

        public init(rootCause: CloudFormationClient.StackEvent?, advice: [String], leftoverIndexes: [(String, String)]) {
            self.rootCause = rootCause
            self.advice = advice
            self.leftoverIndexes = leftoverIndexes
        }
    }

    public var result: Result
    public var steps: [Step] = []
    public var backups: [Backup] = []
    public var stackStatus: String?
    public var stackReason: String?
    public var tables: [TableState] = []
    public var failure: Failure?
    /// The change set kept for review, or left by an interrupted or failed step.
    public var pendingChangeSet: String?
    public var cancelRequested = false
    public var elapsed: Double = 0

    public init(result: Result) {
        self.result = result
    }
}

/// `deploy` after the guard: backups, one change set per step (uploaded to S3 when too large), execution,
/// the stack's events for this operation as they come, and the readiness wait CloudFormation does not do.
/// Emits events; never prints.
public struct Deployer: Sendable {
    public var stacks: any StackOperations
    public var tables: any TableReading
    public var backups: (any BackupTaking)?
    public var uploads: (any TemplateUploading)?
    public var policy = PollPolicy()
    /// Monotonic seconds.
    public var now: @Sendable () -> Double
    /// Seconds since 1970, for backup names and tokens.
    public var clock: @Sendable () -> Int
    public var sleep: @Sendable (Double) async -> Void
    public var emit: @Sendable (DeployEvent) -> Void

    public init(stacks: any StackOperations, tables: any TableReading, backups: (any BackupTaking)?, uploads: (any TemplateUploading)?,
                now: @escaping @Sendable () -> Double, clock: @escaping @Sendable () -> Int,
                sleep: @escaping @Sendable (Double) async -> Void, emit: @escaping @Sendable (DeployEvent) -> Void) {
        self.stacks = stacks
        self.tables = tables
        self.backups = backups
        self.uploads = uploads
        self.now = now
        self.clock = clock
        self.sleep = sleep
        self.emit = emit
    }

    public func run(_ request: DeployRequest) async -> DeployOutcome {
        let started = now()
        var outcome = DeployOutcome(result: .noChanges)
        do {
            try await deploy(request, started: started, into: &outcome)
        } catch {
            outcome.result = .failed("\(error)")
            if outcome.stackStatus == nil, let stack = try? await stacks.describeStacks(request.stackName).first { outcome.stackStatus = stack.status }
        }
        outcome.elapsed = now() - started
        return outcome
    }

    private func deploy(_ request: DeployRequest, started: Double, into outcome: inout DeployOutcome) async throws {
        if Task.isCancelled { outcome.result = .interrupted; return }
        if let large = request.oversizedStep {
            outcome.result = .failed("step \(large.number)'s template is \(large.body.utf8.count) bytes, over the \(ChangeSetPreview.inlineLimit)-byte inline limit; give --s3-bucket")
            return
        }
        for target in request.backups {
            outcome.backups.append(try await backup(target))
            emit(.backup(outcome.backups.last!))
        }
        let count = request.steps.count
        for step in request.steps {
            let stepStarted = now()
            var record = DeployOutcome.Step(number: step.number, changeSet: "", operations: step.operations, status: "failed", resourceChanges: 0, seconds: 0)
            defer { record.seconds = now() - stepStarted; outcome.steps.append(record) }
            let type: CloudFormationClient.ChangeSetInput.Kind = step.number == 1 && request.creating ? .create : .update
            let changeSet: CloudFormationClient.ChangeSet
            if step.number == 1, let existing = request.existingChangeSet {
                changeSet = try await stacks.describeChangeSet(existing, stack: request.stackName, includePropertyValues: false)
            } else {
                let name = count > 1 ? "\(request.changeSetName)-step-\(step.number)" : request.changeSetName
                changeSet = try await create(step, name: name, type: type, request: request)
            }
            record.changeSet = changeSet.name
            record.resourceChanges = changeSet.changes.count
            emit(.changeSet(step: step.number, of: count, changeSet))
            if changeSet.isEmpty {
                record.status = "noChanges"
                try? await stacks.deleteChangeSet(changeSet.name, stack: request.stackName)
                continue
            }
            guard changeSet.status == "CREATE_COMPLETE", ["AVAILABLE", ""].contains(changeSet.executionStatus) else {
                record.status = "refused"
                outcome.pendingChangeSet = changeSet.name
                outcome.result = .refused("change set '\(changeSet.name)' is \(changeSet.status)"
                    + (changeSet.executionStatus.isEmpty ? "" : ", \(changeSet.executionStatus)") + (changeSet.statusReason.map { ": \($0)" } ?? ""))
                if request.existingChangeSet == nil { await discard(changeSet.name, type: type, request: request); outcome.pendingChangeSet = nil }
                return
            }
            if Task.isCancelled {
                record.status = "interrupted"
                outcome.result = .interrupted
                if request.existingChangeSet == nil || step.number > 1 { await discard(changeSet.name, type: type, request: request) }
                return
            }
            if !request.execute {
                record.status = "prepared"
                outcome.pendingChangeSet = changeSet.name
                outcome.result = .prepared(changeSet: changeSet.name)
                return
            }
            let token = "ddbstack-\(clock())-\(step.number)-\(UInt32.random(in: 0...UInt32.max))"
            try await stacks.executeChangeSet(changeSet.name, stack: request.stackName, clientRequestToken: token)
            emit(.executing(step: step.number, of: count, changeSet: changeSet.name))
            record.status = "executed"
            guard try await follow(request, token: token, started: started, into: &outcome) else { return }
            let names = try await DeployedStack.read(request.stackName, from: stacks)?.tableNames.values.sorted() ?? []
            var waiter = ReadinessWaiter(tables: tables, timeout: request.timeout, now: now, sleep: sleep) { emit(.waiting($0)) }
            waiter.policy = policy
            let wait = await waiter.waitForTables(names, started: started)
            outcome.tables = wait.tables
            switch wait.result {
            case .ready: outcome.result = .ready
            case .timedOut: outcome.result = .timedOut; return
            case .interrupted: outcome.result = .interrupted; return
            case .missing(let name): outcome.result = .failed("table '\(name)' of the stack does not exist"); return
            case .failed(let message): outcome.result = .failed(message); return
            case .stackFailed: outcome.result = .rolledBack; return
            }
        }
    }

    private func backup(_ target: DeployRequest.BackupTarget) async throws -> DeployOutcome.Backup {
        guard let backups else { throw AWSError(service: "DynamoDB", operation: "CreateBackup", code: "NotConfigured", message: "no DynamoDB client for backups") }
        // BackupName: 3–255 of [a-zA-Z0-9_.-].
        let safe = String(target.tableName.map { $0.isLetter || $0.isNumber || "_.-".contains($0) ? $0 : "-" }.prefix(200))
        let name = "ddbstack-\(safe)-\(clock())"
        let details = try await backups.createBackup(table: target.tableName, name: name)
        return .init(logicalId: target.logicalId, tableName: target.tableName, name: details["BackupName"]?.stringValue ?? name,
                     arn: details["BackupArn"]?.stringValue ?? "", status: details["BackupStatus"]?.stringValue ?? "")
    }

    /// Creates the change set (after uploading the template when it is too large to send inline) and waits
    /// for CloudFormation to finish computing it. A name left by an earlier run is replaced.
    private func create(_ step: DeployRequest.Step, name: String, type: CloudFormationClient.ChangeSetInput.Kind,
                        request: DeployRequest) async throws -> CloudFormationClient.ChangeSet {
        var input = CloudFormationClient.ChangeSetInput(stackName: request.stackName, changeSetName: name, type: type)
        let bytes = Array(step.body.utf8)
        if bytes.count > ChangeSetPreview.inlineLimit, let bucket = request.bucket {
            // `run` has checked that every step over the limit has a bucket.
            guard let uploads else {
                throw AWSError(service: "S3", operation: "PutObject", code: "NotConfigured", message: "no S3 client for the template upload")
            }
            let key = "\(request.keyPrefix)/\(request.stackName)/\(Digest.hex(Digest.sha256(bytes))).template"
            input.templateURL = try await uploads.putObject(bucket: bucket, key: key, body: bytes, contentType: "text/plain")
            emit(.uploaded(step: step.number, url: input.templateURL!))
        } else {
            input.templateBody = step.body
        }
        input.parameters = request.parameters
        input.capabilities = request.capabilities
        if step.number == request.steps.count, let tags = request.tags { input.tags = tags }
        input.roleARN = request.roleARN
        input.description = request.steps.count > 1 ? "ddbstack deploy, step \(step.number) of \(request.steps.count)" : "ddbstack deploy"
        input.clientToken = "\(name)-\(clock())"
        do {
            _ = try await stacks.createChangeSet(input)
        } catch let error as AWSError where error.code == "AlreadyExistsException" && type == .update {
            // A change set of this name from an earlier run that was never executed: replace it.
            try await stacks.deleteChangeSet(name, stack: request.stackName)
            _ = try await stacks.createChangeSet(input)
        }
        return try await ChangeSetPreview(client: stacks, sleep: sleep).settled(name, stack: request.stackName)
    }

    /// Removes a change set that will not be executed, and the REVIEW_IN_PROGRESS stack of a CREATE one.
    private func discard(_ name: String, type: CloudFormationClient.ChangeSetInput.Kind, request: DeployRequest) async {
        try? await stacks.deleteChangeSet(name, stack: request.stackName)
        if type == .create { try? await stacks.deleteStack(request.stackName) }
    }

    /// Follows the stack and this operation's events until the stack leaves `*_IN_PROGRESS`. true when it
    /// completed; false with `outcome` set when it failed, timed out or was interrupted.
    private func follow(_ request: DeployRequest, token: String, started: Double, into outcome: inout DeployOutcome) async throws -> Bool {
        var seen: Set<String> = []
        var operationEvents: [CloudFormationClient.StackEvent] = []
        var interval = policy.initial, lastStatus: String?
        while true {
            var changed = false, throttled = false
            do {
                let events = try await stacks.stackEvents(request.stackName, token: token)
                for event in events.reversed() where seen.insert(event.id).inserted {
                    operationEvents.append(event)
                    changed = true
                    emit(.stackEvent(event))
                }
                guard let stack = try await stacks.describeStacks(request.stackName).first else {
                    throw AWSError(service: "CloudFormation", operation: "DescribeStacks", code: "ValidationError",
                                   message: "Stack with id \(request.stackName) does not exist")
                }
                outcome.stackStatus = stack.status
                outcome.stackReason = stack.statusReason
                if !stack.status.hasSuffix("_IN_PROGRESS") {
                    // The last events may land after the status flips: read them before saying it.
                    for event in try await stacks.stackEvents(request.stackName, token: token).reversed() where seen.insert(event.id).inserted {
                        operationEvents.append(event)
                        emit(.stackEvent(event))
                    }
                    emit(.stackStatus(stack.status, reason: stack.statusReason))
                    if stack.succeeded { return true }
                    outcome.result = .rolledBack
                    outcome.failure = await failure(stack, events: operationEvents, request: request)
                    return false
                }
                if stack.status != lastStatus {
                    changed = true
                    lastStatus = stack.status
                    emit(.stackStatus(stack.status, reason: stack.statusReason))
                }
            } catch let error as AWSError where error.isTransient {
                // A passing failure (after the client's retries): slow down and look again, within the timeout.
                throttled = true
            }
            if Task.isCancelled { await interrupted(request, into: &outcome); return false }
            interval = policy.next(after: interval, changed: changed, throttled: throttled)
            if throttled { emit(.waiting(.throttled(interval: interval))) }
            guard now() - started + interval <= request.timeout else {
                outcome.result = .timedOut
                return false
            }
            await sleep(interval)
            if Task.isCancelled { await interrupted(request, into: &outcome); return false }
        }
    }

    /// Ctrl-C while CloudFormation works: the stack goes on (or, when asked, the update is cancelled).
    private func interrupted(_ request: DeployRequest, into outcome: inout DeployOutcome) async {
        outcome.result = .interrupted
        let stack = try? await stacks.describeStacks(request.stackName).first
        outcome.stackStatus = stack?.status ?? outcome.stackStatus
        guard request.cancelOnInterrupt else { return }
        guard stack?.status == "UPDATE_IN_PROGRESS" else {
            emit(.cancelling("CancelUpdateStack applies to updates in progress only; the stack is \(stack?.status ?? "unknown") and goes on"))
            return
        }
        do {
            try await stacks.cancelUpdateStack(request.stackName)
            outcome.cancelRequested = true
            emit(.cancelling("CancelUpdateStack sent: CloudFormation rolls the update back"))
        } catch {
            emit(.cancelling("CancelUpdateStack failed: \(error)"))
        }
    }

    /// The root cause (the first failure of the operation, before the "cancelled" echoes), the GSIs a
    /// rolled-back update left on its tables, and what to do next.
    private func failure(_ stack: CloudFormationClient.Stack, events: [CloudFormationClient.StackEvent],
                         request: DeployRequest) async -> DeployOutcome.Failure {
        let failed = events.filter { $0.status.hasSuffix("_FAILED") }
        let cause = failed.first { event in
            let reason = (event.reason ?? "").lowercased()
            return !reason.contains("cancelled") && !reason.contains("canceled") && event.logicalId != request.stackName
        } ?? failed.first
        var leftovers: [(String, String)] = []
        if stack.status.hasPrefix("UPDATE_ROLLBACK") {
            for (table, before) in request.indexesBefore.sorted(by: { $0.key < $1.key }) {
                guard let live = try? await tables.describe(table) else { continue }
                for index in live.indexes where !before.contains(index.name) { leftovers.append((table, index.name)) }
            }
        }
        var advice: [String] = []
        let name = request.stackName
        switch stack.status {
        case "UPDATE_ROLLBACK_COMPLETE":
            advice.append("the stack is back on its previous template and parameters; fix the cause and deploy again")
        case "UPDATE_ROLLBACK_FAILED":
            advice.append("the rollback is stuck and the stack cannot be updated: fix what blocks it, then run aws cloudformation continue-update-rollback --stack-name \(name) (with --resources-to-skip for a resource that cannot be restored)")
        case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED":
            advice.append("a stack whose creation failed cannot be updated: delete it (aws cloudformation delete-stack --stack-name \(name)) and deploy again")
        case "UPDATE_FAILED", "CREATE_FAILED":
            advice.append("the operation failed without a rollback: fix the cause and deploy again, or roll back with aws cloudformation rollback-stack --stack-name \(name)")
        default:
            advice.append("the stack ended \(stack.status): see the events above")
        }
        for (table, index) in leftovers {
            advice.append("GSI '\(index)' on table '\(table)' was left by the rolled-back update and is not in the deployed template: delete it (aws dynamodb update-table --table-name \(table) --global-secondary-index-updates '[{\"Delete\":{\"IndexName\":\"\(index)\"}}]') or the next deploy that adds it fails")
        }
        return DeployOutcome.Failure(rootCause: cause, advice: advice, leftoverIndexes: leftovers)
    }
}
