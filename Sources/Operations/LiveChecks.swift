import AWS
import Changes
import Outcomes
import Schema
import Template

/// What only the live account adds to a plan: a stack that cannot be updated now, tables that are busy, drift
/// the deploy would overwrite or trip over, and the on-demand switch quota. Pure: the reads happen elsewhere.
public enum LiveChecks {
    /// Why a stack in `status` cannot take an update, and what to do; nil when it can.
    public static func stackBlocker(_ stack: CloudFormationClient.Stack) -> Change? {
        let status = stack.status
        let message: String
        switch status {
        case "REVIEW_IN_PROGRESS", "CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE",
            "IMPORT_ROLLBACK_COMPLETE":
            return nil
        case "UPDATE_ROLLBACK_FAILED":
            message =
                "the stack is UPDATE_ROLLBACK_FAILED: CloudFormation accepts no update until the rollback is finished"
        case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED":
            message = "the stack is \(status): its creation failed, and such a stack can only be deleted"
        case "DELETE_FAILED", "DELETE_COMPLETE":
            message = "the stack is \(status)"
        default:
            guard status.hasSuffix("_IN_PROGRESS") else { return nil }
            message = "the stack is \(status): CloudFormation accepts no update until the operation in progress ends"
        }
        let reason = stack.statusReason.map { " (\($0))" } ?? ""
        var blocker = Change(
            logicalId: stack.name, tableName: nil, path: "StackStatus", action: .modify, impact: .rejected,
            message: message + reason, caution: CloudFormationClient.Stack.advice(status: status, stack: stack.name),
            range: .none)
        blocker.scope = .stack
        return blocker
    }

    /// The plan's changes, amended and extended with what the live tables show. `base` are the deployed
    /// template's tables, `live` the tables read by logical id (nil: the table does not exist), `now` in epoch seconds.
    /// `replicaDifferences`: by logical id, the drift of a global table's replicas in other regions
    /// (`Replicas[REGION].Property`, or `Replicas[REGION]` when that replica's table is gone).
    public static func apply(
        to changes: [Change], base: [Table], head: [Table], live: [String: LiveTable?],
        replicaDifferences: [String: [DriftDifference]] = [:], stackTags: [(String, String)], now: Int,
        region: String? = nil
    ) -> [Change] {
        var result = changes
        let baseById = Dictionary(base.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        for table in head {
            guard let deployed = baseById[table.logicalId], let found = live[table.logicalId] else { continue }
            let planned = result.indices.filter { result[$0].logicalId == table.logicalId }
            guard let liveTable = found else {
                result.append(missing(table, changed: !planned.isEmpty))
                continue
            }
            if !liveTable.isReady, !planned.isEmpty { result.append(busy(table, liveTable)) }
            let drift = DriftComparison.compare(
                expected: deployed, live: liveTable, stackTags: stackTags, region: region)
            for difference in drift.differences + (replicaDifferences[table.logicalId] ?? []) {
                if let change = amend(&result, planned, difference, table, deployed) { result.append(change) }
            }
            if let index = result.indices.first(where: {
                result[$0].logicalId == table.logicalId && result[$0].path == "BillingMode"
            }) {
                result[index].caution = onDemandCaution(result[index], liveTable, now: now) ?? result[index].caution
            }
        }
        for index in result.indices where result[index].path.isEmpty && result[index].action == .remove {
            if case let liveTable?? = live[result[index].logicalId], liveTable.table.deletionProtection?.value == true,
                result[index].caution == nil
            {
                result[index].caution =
                    "deletion protection is on for the live table (set outside the template): CloudFormation's delete will fail"
            }
        }
        return result
    }

    /// A new table whose TableName `change` names is already taken in the account, outside this stack.
    public static func nameTaken(_ change: Change, stack: String) -> Change {
        let name = change.tableName ?? change.logicalId
        var rejected = change
        rejected.impact = .rejected
        rejected.message =
            "a table named '\(name)' already exists in the account, outside this stack: CloudFormation's creation of it fails"
            + " (and a stack whose first creation fails is left ROLLBACK_COMPLETE, to be deleted by hand)"
        rejected.caution =
            "import the existing table into the stack (a change set of type IMPORT naming '\(change.logicalId)' with TableName '\(name)', the resource with DeletionPolicy Retain), or give the new table another TableName"
        return rejected
    }

    private static func missing(_ table: Table, changed: Bool) -> Change {
        Change(
            logicalId: table.logicalId, tableName: table.tableName?.value, path: "TableStatus", action: .modify,
            impact: changed ? .rejected : .none,
            message: "the table was deleted outside the stack"
                + (changed ? ": CloudFormation's update of it fails" : "; this deploy does not recreate it"),
            caution:
                "restore it from a backup under the same name, or remove it from the template, deploy, and add it back",
            range: table.idRange)
    }

    private static func busy(_ table: Table, _ live: LiveTable) -> Change {
        var states: [String] = []
        if live.status != "ACTIVE" { states.append("the table is \(live.status)") }
        for index in live.indexes where index.status != "ACTIVE" || index.backfilling {
            states.append("GSI '\(index.name)' is \(index.backfilling ? "still backfilling" : index.status)")
        }
        return Change(
            logicalId: table.logicalId, tableName: live.table.tableName?.value, path: "TableStatus", action: .modify,
            impact: .rejected,
            message: states.joined(separator: ", ")
                + ": DynamoDB refuses another update of this table until it is done",
            caution:
                "wait for it (ddbstack wait --table \(live.table.tableName?.value ?? table.logicalId)), then plan again",
            range: table.idRange)
    }

    /// Folds one drift difference into the plan: a caution on the change that overwrites it, a refusal where the
    /// live state makes the deploy fail, or a new note where the deploy leaves it alone.
    private static func amend(
        _ changes: inout [Change], _ planned: [Int], _ difference: DriftDifference, _ head: Table, _ deployed: Table
    ) -> Change? {
        let live = difference.actual ?? "(absent)"
        let replica = ReplicaPath.parse(difference.path)
        if let replica, replica.property == nil, difference.actual == nil,
            let index = planned.first(where: { changes[$0].path == difference.path })
        {
            changes[index].impact = .rejected
            changes[index].message =
                "the replica table in \(replica.region) was deleted outside the stack: CloudFormation's update of that replica fails"
            changes[index].caution =
                "restore the replica table from a backup in that region, or remove the replica from the template, deploy, and add it back"
            return nil
        }
        // A replica's own property is planned as a change of that replica.
        let owner = replica.map { ReplicaPath.of($0.region) }
        if let index = planned.first(where: { changes[$0].path == difference.path || changes[$0].path == owner }) {
            if difference.path == "StreamSpecification", difference.expected == nil, changes[index].action == .add {
                changes[index].impact = .rejected
                changes[index].message =
                    "a stream was enabled outside the stack and this deploy enables one too: DynamoDB refuses with \"Table already has an enabled stream\""
                changes[index].caution =
                    "disable the stream by hand first (its consumers lose it), or declare the live stream's view type and deploy"
                return nil
            }
            if difference.path.hasPrefix("GlobalSecondaryIndexes["), changes[index].action == .add,
                difference.expected == nil
            {
                changes[index].impact = .rejected
                changes[index].message =
                    "a GSI of that name was created outside the stack: the creation fails because the index exists"
                changes[index].caution = "delete the hand-made index first, or give the new one another name"
                return nil
            }
            let note = "changed outside the stack (live \(live)); this deploy sets the template's value"
            changes[index].caution = changes[index].caution.map { "\($0); \(note)" } ?? note
            return nil
        }
        return Change(
            logicalId: head.logicalId, tableName: head.tableName?.value, path: difference.path, action: .modify,
            impact: .none,
            before: difference.actual, after: difference.expected,
            message: "drifted outside the stack (live \(live), deployed template \(difference.expected ?? "(absent)"))",
            caution:
                "this deploy does not change it in the template, so CloudFormation leaves it as it is: see 'ddbstack drift'",
            range: difference.range)
    }

    /// A replica to be created in `region`, where a table of its name already exists outside the stack.
    public static func replicaNameTaken(_ change: Change, region: String) -> Change {
        let name = change.tableName ?? change.logicalId
        var rejected = change
        rejected.path = ReplicaPath.of(region)
        rejected.impact = .rejected
        rejected.message =
            "a table named '\(name)' already exists in \(region), outside this stack: CloudFormation's creation of the replica there fails"
        rejected.caution =
            "delete or rename the table in \(region) first (its items are not merged into the global table), or leave that region out"
        return rejected
    }

    /// DynamoDB allows 4 switches to on-demand per table in 24 hours; the last one shows how close the table is.
    private static func onDemandCaution(_ change: Change, _ live: LiveTable, now: Int) -> String? {
        guard change.after?.contains("PAY_PER_REQUEST") == true, live.table.billingMode == .provisioned,
            let last = live.lastSwitchToOnDemand, now - last < 86_400
        else { return nil }
        let hours = max(0, (now - last) / 3600)
        return
            "the table last switched to on-demand \(hours) h ago; DynamoDB allows at most 4 switches to on-demand per table in 24 hours"
    }
}
