import AWS
import Changes
import Outcomes
import StackModel
import Template

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
    /// Tables in another region: a global table's replicas, whose GSIs are built there too before a step is done.
    public var replicaTables: (@Sendable (String) -> any TableReading)?

    public init(
        stacks: any StackOperations, tables: any TableReading, backups: (any BackupTaking)?,
        uploads: (any TemplateUploading)?,
        now: @escaping @Sendable () -> Double, clock: @escaping @Sendable () -> Int,
        sleep: @escaping @Sendable (Double) async -> Void, emit: @escaping @Sendable (DeployEvent) -> Void
    ) {
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
            if outcome.stackStatus == nil, let stack = try? await stacks.describeStacks(request.stackName).first {
                outcome.stackStatus = stack.status
            }
        }
        outcome.elapsed = now() - started
        return outcome
    }

    private func deploy(_ request: DeployRequest, started: Double, into outcome: inout DeployOutcome) async throws {
        if Task.isCancelled {
            outcome.result = .interrupted
            return
        }
        if let large = request.oversizedStep {
            outcome.result = .failed(
                "step \(large.number)'s template is \(large.body.utf8.count) bytes, over the \(ChangeSetPreview.inlineLimit)-byte inline limit; give --s3-bucket"
            )
            return
        }
        for target in request.backups {
            outcome.backups.append(try await backup(target))
            emit(.backup(outcome.backups.last!))
        }
        for step in request.steps {
            let stepStarted = now()
            var record = DeployOutcome.Step(
                number: step.number, changeSet: "", operations: step.operations, status: "failed", resourceChanges: 0,
                seconds: 0)
            let goOn: Bool
            do {
                goOn = try await run(step, request, started: started, record: &record, into: &outcome)
            } catch {
                record.seconds = now() - stepStarted
                outcome.steps.append(record)
                throw error
            }
            record.seconds = now() - stepStarted
            outcome.steps.append(record)
            guard goOn else { break }
        }
        for step in request.steps.dropFirst(outcome.steps.count) {
            outcome.steps.append(
                .init(
                    number: step.number, changeSet: request.changeSetName(step: step.number),
                    operations: step.operations,
                    status: "notStarted", resourceChanges: 0, seconds: 0))
        }
    }

    /// One step: its change set (made now, or the one `--execute` names, verified), checked against what the guard
    /// accepted, executed, followed, and waited on. false when the deploy ends here (`outcome` says why).
    private func run(
        _ step: DeployRequest.Step, _ request: DeployRequest, started: Double, record: inout DeployOutcome.Step,
        into outcome: inout DeployOutcome
    ) async throws -> Bool {
        let count = request.steps.count
        let type: CloudFormationClient.ChangeSetInput.Kind = step.number == 1 && request.creating ? .create : .update
        let existing = step.number == 1 ? request.existingChangeSet : nil
        let changeSet =
            if let existing {
                try await stacks.describeChangeSet(existing, stack: request.stackName, includePropertyValues: false)
            } else {
                try await create(step, name: request.changeSetName(step: step.number), type: type, request: request)
            }
        record.changeSet = changeSet.name
        record.resourceChanges = changeSet.changes.count
        emit(.changeSet(step: step.number, of: count, changeSet))
        if changeSet.isEmpty {
            record.status = "noChanges"
            outcome.leftovers += await discard(changeSet.name, type: .update, request: request)
            return true
        }
        guard changeSet.status == "CREATE_COMPLETE", ["AVAILABLE", ""].contains(changeSet.executionStatus) else {
            record.status = "refused"
            outcome.result = .refused(
                "change set '\(changeSet.name)' is \(changeSet.status)"
                    + (changeSet.executionStatus.isEmpty ? "" : ", \(changeSet.executionStatus)")
                    + (changeSet.statusReason.map { ": \($0)" } ?? ""))
            if existing == nil {
                outcome.leftovers += await discard(changeSet.name, type: type, request: request)
            } else {
                outcome.pendingChangeSet = changeSet.name
            }
            return false
        }
        if let existing, let reason = try await unverified(changeSet, step: step, request: request) {
            record.status = "refused"
            outcome.result = .unverified(changeSet: existing, reason: reason)
            outcome.pendingChangeSet = existing
            return false
        }
        let unaccepted = gate(changeSet, request: request)
        guard unaccepted.isEmpty else {
            record.status = "unaccepted"
            outcome.result = .unaccepted(changeSet: changeSet.name, changes: unaccepted)
            outcome.leftovers += await discard(changeSet.name, type: type, request: request)
            return false
        }
        if Task.isCancelled {
            record.status = "interrupted"
            outcome.result = .interrupted
            if existing == nil { outcome.leftovers += await discard(changeSet.name, type: type, request: request) }
            return false
        }
        if !request.execute {
            record.status = "prepared"
            outcome.pendingChangeSet = changeSet.name
            outcome.result = .prepared(changeSet: changeSet.name)
            return false
        }
        return try await execute(
            changeSet.name, step: step, request: request, started: started, record: &record, into: &outcome)
    }

    /// Executes the change set, follows the stack until it settles, then waits until every table is ready.
    private func execute(
        _ name: String, step: DeployRequest.Step, request: DeployRequest, started: Double,
        record: inout DeployOutcome.Step,
        into outcome: inout DeployOutcome
    ) async throws -> Bool {
        let token = "ddbstack-\(clock())-\(step.number)-\(UInt32.random(in: 0...UInt32.max))"
        try await stacks.executeChangeSet(name, stack: request.stackName, clientRequestToken: token)
        emit(.executing(step: step.number, of: request.steps.count, changeSet: name))
        record.status = "executed"
        guard try await follow(request, token: token, started: started, into: &outcome) else { return false }
        let names = try await DeployedStack.read(request.stackName, from: stacks)?.tableNames.values.sorted() ?? []
        var waiter = ReadinessWaiter(tables: tables, timeout: request.timeout, now: now, sleep: sleep) {
            emit(.waiting($0))
        }
        waiter.policy = policy
        waiter.replicaTables = replicaTables
        let wait = await waiter.waitForTables(names, started: started)
        outcome.tables = wait.tables
        switch wait.result {
        case .ready:
            outcome.result = .ready
            return true
        case .timedOut: outcome.result = .timedOut
        case .interrupted: outcome.result = .interrupted
        case .missing(let name): outcome.result = .failed("table '\(name)' of the stack does not exist")
        case .failed(let message): outcome.result = .failed(message)
        case .stackFailed: outcome.result = .rolledBack
        }
        return false
    }

    private func backup(_ target: DeployRequest.BackupTarget) async throws -> DeployOutcome.Backup {
        guard let backups else {
            throw AWSError(
                service: "DynamoDB", operation: "CreateBackup", code: "NotConfigured",
                message: "no DynamoDB client for backups")
        }
        // BackupName: 3–255 of [a-zA-Z0-9_.-].
        let safe = String(
            target.tableName.map { $0.isLetter || $0.isNumber || "_.-".contains($0) ? $0 : "-" }.prefix(200))
        let name = "ddbstack-\(safe)-\(clock())"
        let details = try await backups.createBackup(table: target.tableName, name: name)
        return .init(
            logicalId: target.logicalId, tableName: target.tableName, name: details["BackupName"]?.stringValue ?? name,
            arn: details["BackupArn"]?.stringValue ?? "", status: details["BackupStatus"]?.stringValue ?? "")
    }

    /// Creates the change set (after uploading the template when it is too large to send inline) and waits
    /// for CloudFormation to finish computing it. A name left by an earlier run is replaced.
    private func create(
        _ step: DeployRequest.Step, name: String, type: CloudFormationClient.ChangeSetInput.Kind,
        request: DeployRequest
    ) async throws -> CloudFormationClient.ChangeSet {
        var input = CloudFormationClient.ChangeSetInput(stackName: request.stackName, changeSetName: name, type: type)
        let bytes = Array(step.body.utf8)
        if bytes.count > ChangeSetPreview.inlineLimit, let bucket = request.bucket {
            // `run` has checked that every step over the limit has a bucket.
            guard let uploads else {
                throw AWSError(
                    service: "S3", operation: "PutObject", code: "NotConfigured",
                    message: "no S3 client for the template upload")
            }
            let key = "\(request.keyPrefix)/\(request.stackName)/\(Digest.hex(try Digest.sha256(bytes))).template"
            input.templateURL = try await uploads.putObject(
                bucket: bucket, key: key, body: bytes, contentType: "text/plain")
            emit(.uploaded(step: step.number, url: input.templateURL!))
        } else {
            input.templateBody = step.body
        }
        input.parameters = request.parameters
        input.capabilities = request.capabilities
        if step.number == request.steps.count, let tags = request.tags { input.tags = tags }
        input.roleARN = request.roleARN
        input.description = request.description(step: step.number)
        input.clientToken = "\(name)-\(clock())"
        do {
            _ = try await stacks.createChangeSet(input)
        } catch let error as AWSError where error.code == "AlreadyExistsException" {
            // A change set of this name from an earlier run that was never executed (on a new stack too, which
            // then waits in REVIEW_IN_PROGRESS): replace it.
            try await stacks.deleteChangeSet(name, stack: request.stackName)
            _ = try await stacks.createChangeSet(input)
        }
        return try await ChangeSetPreview(client: stacks, sleep: sleep).settled(name, stack: request.stackName)
    }

    /// Removes a change set that will not be executed, and the REVIEW_IN_PROGRESS stack of a CREATE one; what
    /// could not be removed, with the command that removes it.
    private func discard(_ name: String, type: CloudFormationClient.ChangeSetInput.Kind, request: DeployRequest) async
        -> [String]
    {
        await ChangeSetPreview.discard(name, stack: request.stackName, creating: type == .create, client: stacks)
    }

    /// Follows the stack and this operation's events until the stack leaves `*_IN_PROGRESS`. true when it
    /// completed; false with `outcome` set when it failed, timed out or was interrupted.
    private func follow(_ request: DeployRequest, token: String, started: Double, into outcome: inout DeployOutcome)
        async throws -> Bool
    {
        var seen: Set<String> = []
        var operationEvents: [CloudFormationClient.StackEvent] = []
        var interval = policy.initial
        var lastStatus: String?
        while true {
            var changed = false
            var throttled = false
            do {
                let events = try await stacks.stackEvents(request.stackName, token: token)
                for event in events.reversed() where seen.insert(event.id).inserted {
                    operationEvents.append(event)
                    changed = true
                    emit(.stackEvent(event))
                }
                guard let stack = try await stacks.describeStacks(request.stackName).first else {
                    throw AWSError(
                        service: "CloudFormation", operation: "DescribeStacks", code: "ValidationError",
                        message: "Stack with id \(request.stackName) does not exist")
                }
                outcome.stackStatus = stack.status
                outcome.stackReason = stack.statusReason
                if !stack.status.hasSuffix("_IN_PROGRESS") {
                    // The last events may land after the status flips: read them before saying it.
                    for event in try await stacks.stackEvents(request.stackName, token: token).reversed()
                    where seen.insert(event.id).inserted {
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
            if Task.isCancelled {
                await interrupted(request, into: &outcome)
                return false
            }
            interval = policy.next(after: interval, changed: changed, throttled: throttled)
            if throttled { emit(.waiting(.throttled(interval: interval))) }
            guard let pause = policy.pause(interval, elapsed: now() - started, timeout: request.timeout) else {
                outcome.result = .timedOut
                return false
            }
            await sleep(pause)
            if Task.isCancelled {
                await interrupted(request, into: &outcome)
                return false
            }
        }
    }

    /// Ctrl-C while CloudFormation works: the stack goes on (or, when asked, the update is cancelled).
    private func interrupted(_ request: DeployRequest, into outcome: inout DeployOutcome) async {
        outcome.result = .interrupted
        let stack = try? await stacks.describeStacks(request.stackName).first
        outcome.stackStatus = stack?.status ?? outcome.stackStatus
        guard request.cancelOnInterrupt else { return }
        guard stack?.status == "UPDATE_IN_PROGRESS" else {
            emit(
                .cancelling(
                    "CancelUpdateStack applies to updates in progress only; the stack is \(stack?.status ?? "unknown") and goes on"
                ))
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
    private func failure(
        _ stack: CloudFormationClient.Stack, events: [CloudFormationClient.StackEvent],
        request: DeployRequest
    ) async -> DeployOutcome.Failure {
        let cause = StackEvent.rootCause(of: events, stack: request.stackName)
        var leftovers: [(String, String)] = []
        if stack.status.hasPrefix("UPDATE_ROLLBACK") {
            for (table, before) in request.indexesBefore.sorted(by: { $0.key < $1.key }) {
                guard let live = try? await tables.describe(table) else { continue }
                for index in live.indexes where !before.contains(index.name) { leftovers.append((table, index.name)) }
            }
        }
        var advice = [
            CloudFormationClient.Stack.advice(status: stack.status, stack: request.stackName)
                ?? "the stack ended \(stack.status): see the events above"
        ]
        for (table, index) in leftovers {
            advice.append(
                "GSI '\(index)' on table '\(table)' was left by the rolled-back update and is not in the deployed template: delete it (aws dynamodb update-table --table-name \(table) --global-secondary-index-updates '[{\"Delete\":{\"IndexName\":\"\(index)\"}}]') or the next deploy that adds it fails"
            )
        }
        return DeployOutcome.Failure(rootCause: cause, advice: advice, leftoverIndexes: leftovers)
    }
}
