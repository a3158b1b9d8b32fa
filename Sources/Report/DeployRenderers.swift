import Changes
import Outcomes
import StackModel
import Template

/// `ddbstack deploy` for people (one line per event, a summary) and for pipelines (a JSON summary).
public enum DeployText {
    /// One line for an event, without the time stamp; nil for what is not worth a line (the stack's own
    /// events, which `stackStatus` already says).
    public static func line(_ event: DeployEvent, stack: String) -> String? {
        switch event {
        case .backup(let backup):
            return "backup of \(backup.tableName) (\(backup.logicalId)): \(backup.name) \(backup.status) \(backup.arn)"
        case .uploaded(let step, let url):
            return "template of step \(step) uploaded to \(url)"
        case .changeSet(let step, let count, let changeSet):
            let prefix = count > 1 ? "step \(step) of \(count): " : ""
            if changeSet.isEmpty { return prefix + "change set \(changeSet.name): no changes" }
            let changes = changeSet.changes.map { change in
                "\(change.action) \(change.logicalId)" + (change.replacement == "True" ? " (replacement)" : "")
                    + (change.scope.isEmpty ? "" : " [\(change.scope.joined(separator: ", "))]")
            }
            return prefix + "change set \(changeSet.name) \(changeSet.status): "
                + (changes.isEmpty ? "no resource changes" : changes.joined(separator: "; "))
        case .executing(let step, let count, let name):
            return (count > 1 ? "step \(step) of \(count): " : "") + "executing \(name)"
        case .stackEvent(let event):
            guard event.logicalId != stack else { return nil }
            return "\(event.logicalId) \(event.status)" + (event.physicalId.map { " (\($0))" } ?? "")
                + (event.reason.map { ": \($0)" } ?? "")
        case .stackStatus(let status, let reason):
            return "stack \(stack): \(status)" + (reason.map { " (\($0))" } ?? "")
        case .waiting(let wait):
            switch wait {
            case .stack(let name, let status, let reason):
                return "stack \(name): \(status)" + (reason.map { " (\($0))" } ?? "")
            case .table(let state): return "\(state.name): \(WaitText.describe(state))"
            case .throttled(let interval): return "throttled: polling every \(String(format: interval)) s"
            case .unreachable(let interval, let error):
                return "no answer (\(error)): trying again in \(String(format: interval)) s"
            }
        case .cancelling(let message):
            return message
        }
    }

    /// The exit code of a deploy: its ending's, and 3 at least when a clean-up left something behind.
    public static func exitCode(_ outcome: DeployOutcome) -> Int32 {
        let code = exitCode(outcome.result)
        return outcome.leftovers.isEmpty ? code : max(code, 3)
    }

    /// The exit code DESIGN.md gives each ending.
    public static func exitCode(_ result: DeployOutcome.Result) -> Int32 {
        switch result {
        case .ready, .noChanges, .prepared: return 0
        case .guardRefused, .unaccepted, .unverified: return 1
        case .refused, .rolledBack, .timedOut, .interrupted, .failed: return 3
        }
    }

    public static func resultName(_ result: DeployOutcome.Result) -> String {
        switch result {
        case .ready: return "ready"
        case .noChanges: return "noChanges"
        case .guardRefused: return "refused"
        case .unaccepted: return "changeSetNotAccepted"
        case .unverified: return "changeSetNotVerified"
        case .prepared: return "prepared"
        case .refused: return "changeSetRefused"
        case .rolledBack: return "rolledBack"
        case .timedOut: return "timedOut"
        case .interrupted: return "interrupted"
        case .failed: return "failed"
        }
    }

    /// The closing lines: what happened, and when it went wrong, why and what to do next.
    public static func summary(_ outcome: DeployOutcome, stack: String, command: String, calls: Int) -> String {
        let seconds = String(format: outcome.elapsed)
        let status = outcome.stackStatus.map { " (\($0))" } ?? ""
        let steps = outcome.steps.count > 1 ? ", \(outcome.steps.count) steps" : ""
        var lines: [String] = []
        switch outcome.result {
        case .ready:
            lines.append(
                "deployed: stack \(stack)\(status)\(steps); \(outcome.tables.count) table\(outcome.tables.count == 1 ? "" : "s") ACTIVE with every GSI built, after \(seconds) s (\(calls) API calls)"
            )
        case .noChanges:
            lines.append(
                "no changes: stack \(stack) already matches the template\(status)"
                    + (outcome.leftovers.isEmpty ? "; the empty change set was deleted" : ""))
        case .guardRefused:
            lines.append("refused: the plan has a rejected or unacknowledged change; nothing was changed")
        case .unaccepted(let name, let changes):
            lines.append(
                "refused: CloudFormation's change set \(name) does more than the guard accepted; nothing was executed"
                    + (outcome.leftovers.isEmpty ? " and the change set was deleted" : ""))
            lines += refusal(changes).dropFirst()
        case .unverified(let name, let reason):
            lines.append("refused: change set \(name) is not executed: \(reason)")
            lines.append("nothing was executed; make a new one with: \(command) --no-execute")
        case .prepared(let name):
            lines.append("change set \(name) is ready for review on stack \(stack); nothing was executed")
            lines.append("execute it with: \(command) --execute \(name)")
        case .refused(let reason):
            lines.append("error: CloudFormation refused the change: \(reason)")
            lines.append(
                outcome.pendingChangeSet.map { "the change set \($0) is left for inspection" }
                    ?? "the change set was deleted; nothing was changed")
        case .rolledBack:
            lines.append(
                "error: stack \(stack) ended \(outcome.stackStatus ?? "in failure")"
                    + (outcome.stackReason.map { ": \($0)" } ?? ""))
        case .timedOut:
            lines.append("error: timed out after \(seconds) s; stack \(stack)\(status)")
            lines += pending(outcome)
            lines.append("nothing was cancelled; follow it with: ddbstack wait --stack \(stack)")
        case .interrupted:
            lines.append("interrupted after \(seconds) s; stack \(stack)\(status)")
            lines += pending(outcome)
            if outcome.cancelRequested {
                lines.append(
                    "the update is being cancelled (CancelUpdateStack): CloudFormation rolls it back; follow it with: ddbstack wait --stack \(stack)"
                )
            } else if let status = outcome.stackStatus, status.hasSuffix("_IN_PROGRESS") {
                lines.append("CloudFormation goes on without us; follow it with: ddbstack wait --stack \(stack)")
            } else if outcome.steps.last?.status == "interrupted" || outcome.steps.isEmpty {
                lines.append("nothing was executed; the change set was deleted")
            } else {
                lines.append("follow it with: ddbstack wait --stack \(stack)")
            }
        case .failed(let message):
            lines.append("error: \(message)" + (outcome.stackStatus.map { "; stack \(stack) is \($0)" } ?? ""))
        }
        if let failure = outcome.failure {
            if let cause = failure.rootCause {
                lines.append(
                    "root cause: \(cause.logicalId) (\(cause.resourceType)) \(cause.status): \(cause.reason ?? "no reason given")"
                )
            }
            lines += failure.advice.map { "next: \($0)" }
        }
        lines += outcome.leftovers.map { "left behind: \($0)" }
        let notStarted = outcome.steps.filter { $0.status == "notStarted" }
        if let first = notStarted.first {
            lines.append(
                "not started: step\(notStarted.count > 1 ? "s" : "") \(notStarted.map { String($0.number) }.joined(separator: ", ")) of \(outcome.steps.count)"
                    + " (\(notStarted.flatMap(\.operations).joined(separator: ", ")))")
            lines.append(
                "to finish the deploy once the stack is ready, run it again — it plans from what is deployed and goes on with step \(first.number): \(command)"
            )
        }
        if outcome.steps.count > 1 {
            lines += outcome.steps.map {
                "step \($0.number): \($0.status) \($0.changeSet) in \(String(format: $0.seconds)) s — \($0.operations.joined(separator: ", "))"
            }
        }
        lines += outcome.backups.map { "backup: \($0.tableName) → \($0.name) (\($0.arn))" }
        return lines.joined(separator: "\n")
    }

    /// Why the guard stopped, change by change, and what to do about each.
    public static func refusal(_ changes: [Change]) -> [String] {
        var lines = ["refused: nothing was changed"]
        for change in changes {
            let location =
                change.range == .none ? change.logicalId : "\(change.logicalId) (line \(change.range.start.line))"
            if change.impact == .rejected {
                lines.append("  \(location): rejected: \(change.message)" + (change.caution.map { " — \($0)" } ?? ""))
            } else {
                lines.append("  \(location): \(change.impact.rawValue), not acknowledged: \(change.message)")
                lines.append(
                    "    after review: --allow \(change.impact.rawValue):\(change.logicalId), or Metadata 'ddbstack: {allow: [\(change.impact.rawValue)], reason: \"…\"}' on the resource"
                )
            }
        }
        return lines
    }

    private static func pending(_ outcome: DeployOutcome) -> [String] {
        outcome.tables.filter { !$0.isReady }.map {
            "still building: \($0.name): \(WaitText.describe($0)) for \(String(format: outcome.elapsed - $0.since)) s"
        }
    }

    /// The summary for pipelines: steps, change sets, durations, final statuses, backups, API calls.
    public static func json(
        _ outcome: DeployOutcome, stack: String, command: String, calls: Int, revision: String?, templateSHA256: String,
        plan: ChangeReport?
    ) -> String {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        let steps = outcome.steps.map { step -> JSONValue in
            .object([
                .init("number", .int(step.number)), .init("changeSet", .string(step.changeSet)),
                .init("status", .string(step.status)),
                .init("operations", .array(step.operations.map(JSONValue.string))),
                .init("resourceChanges", .int(step.resourceChanges)),
                .init("seconds", .number(String(format: step.seconds))),
            ])
        }
        let tables = outcome.tables.map { state -> JSONValue in
            .object([
                .init("tableName", .string(state.name)), .init("status", optional(state.status)),
                .init("ready", .bool(state.isReady)),
                .init(
                    "indexes",
                    .array(
                        state.indexes.map { index in
                            .object([
                                .init("indexName", .string(index.name)), .init("status", .string(index.status)),
                                .init("backfilling", .bool(index.backfilling)),
                            ])
                        })),
            ])
        }
        let backups = outcome.backups.map { backup -> JSONValue in
            .object([
                .init("logicalId", .string(backup.logicalId)), .init("tableName", .string(backup.tableName)),
                .init("backupName", .string(backup.name)),
                .init("backupArn", .string(backup.arn)), .init("status", .string(backup.status)),
            ])
        }
        var members: [JSONValue.Member] = [
            .init("formatVersion", .int(1)), .init("command", .string("deploy")), .init("stack", .string(stack)),
            .init("result", .string(resultName(outcome.result))), .init("exitCode", .int(Int(exitCode(outcome)))),
            .init("stackStatus", optional(outcome.stackStatus)),
            .init("stackStatusReason", optional(outcome.stackReason)),
            .init("revision", optional(revision)), .init("templateSha256", .string(templateSHA256)),
            .init("seconds", .number(String(format: outcome.elapsed))), .init("apiCalls", .int(calls)),
            .init("steps", .array(steps)), .init("pendingChangeSet", optional(outcome.pendingChangeSet)),
            .init("leftovers", .array(outcome.leftovers.map(JSONValue.string))),
            .init("backups", .array(backups)), .init("tables", .array(tables)),
        ]
        if let failure = outcome.failure {
            members.append(
                .init(
                    "failure",
                    .object([
                        .init(
                            "rootCause",
                            failure.rootCause.map { cause in
                                .object([
                                    .init("logicalId", .string(cause.logicalId)),
                                    .init("resourceType", .string(cause.resourceType)),
                                    .init("status", .string(cause.status)), .init("reason", optional(cause.reason)),
                                ])
                            } ?? .null),
                        .init("advice", .array(failure.advice.map(JSONValue.string))),
                        .init(
                            "leftoverIndexes",
                            .array(
                                failure.leftoverIndexes.map {
                                    .object([.init("tableName", .string($0.0)), .init("indexName", .string($0.1))])
                                })),
                    ])))
        }
        members.append(.init("text", .string(summary(outcome, stack: stack, command: command, calls: calls))))
        if let plan { members.append(.init("plan", .object(ChangesJSON.members(plan)))) }
        return JSONWriter.write(.object(members)) + "\n"
    }
}
