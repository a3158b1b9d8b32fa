/// What CloudFormation says about a stack, its resources, events and change sets, as plain values: read by the AWS
/// layer, reasoned about by the engines, rendered by the reports — which therefore need not link the AWS layer.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Types.html

public struct Stack: Sendable, Equatable {
    public var name: String
    public var id: String
    public var status: String
    public var statusReason: String?
    public var parameters: [String: String]
    public var tags: [String: String]

    public init(
        name: String, id: String, status: String, statusReason: String? = nil, parameters: [String: String] = [:],
        tags: [String: String] = [:]
    ) {
        self.name = name
        self.id = id
        self.status = status
        self.statusReason = statusReason
        self.parameters = parameters
        self.tags = tags
    }
}

public struct ResourceChange: Sendable, Equatable {
    public struct Detail: Sendable, Equatable {
        public var attribute: String
        public var name: String?
        public var requiresRecreation: String?
        public var changeSource: String?
        public var evaluation: String?
        public var beforeValue: String?
        public var afterValue: String?

        public init(
            attribute: String, name: String? = nil, requiresRecreation: String? = nil, changeSource: String? = nil,
            evaluation: String? = nil, beforeValue: String? = nil, afterValue: String? = nil
        ) {
            self.attribute = attribute
            self.name = name
            self.requiresRecreation = requiresRecreation
            self.changeSource = changeSource
            self.evaluation = evaluation
            self.beforeValue = beforeValue
            self.afterValue = afterValue
        }
    }

    public var action: String
    public var logicalId: String
    public var physicalId: String?
    public var resourceType: String
    /// True, False or Conditional.
    public var replacement: String?
    public var scope: [String]
    public var details: [Detail]

    public init(
        action: String, logicalId: String, physicalId: String? = nil, resourceType: String, replacement: String? = nil,
        scope: [String] = [], details: [Detail] = []
    ) {
        self.action = action
        self.logicalId = logicalId
        self.physicalId = physicalId
        self.resourceType = resourceType
        self.replacement = replacement
        self.scope = scope
        self.details = details
    }
}

public struct ChangeSet: Sendable {
    public var id: String
    public var name: String
    public var stackId: String
    public var status: String
    public var statusReason: String?
    public var executionStatus: String
    public var changes: [ResourceChange]
    public var description: String?
    /// The parameter values it deploys (a NoEcho one shown as `****`).
    public var parameters: [String: String]

    public init(
        id: String, name: String, stackId: String, status: String, statusReason: String? = nil,
        executionStatus: String = "",
        changes: [ResourceChange] = [], description: String? = nil, parameters: [String: String] = [:]
    ) {
        self.id = id
        self.name = name
        self.stackId = stackId
        self.status = status
        self.statusReason = statusReason
        self.executionStatus = executionStatus
        self.changes = changes
        self.description = description
        self.parameters = parameters
    }

    /// FACTS.md §3: an empty change set ends FAILED with this reason — which means "no changes".
    public var isEmpty: Bool {
        status == "FAILED" && (statusReason ?? "").contains("didn't contain changes")
    }
}

public struct StackEvent: Sendable, Equatable {
    public var id: String
    public var logicalId: String
    public var physicalId: String?
    public var resourceType: String
    public var status: String
    public var reason: String?
    /// Seconds since 1970.
    public var timestamp: Int?
    /// The ExecuteChangeSet token of the operation that caused it.
    public var clientRequestToken: String?

    public init(
        id: String, logicalId: String, physicalId: String? = nil, resourceType: String, status: String,
        reason: String? = nil,
        timestamp: Int? = nil, clientRequestToken: String? = nil
    ) {
        self.id = id
        self.logicalId = logicalId
        self.physicalId = physicalId
        self.resourceType = resourceType
        self.status = status
        self.reason = reason
        self.timestamp = timestamp
        self.clientRequestToken = clientRequestToken
    }
}

public struct StackResource: Sendable, Equatable {
    public var logicalId: String
    public var physicalId: String?
    public var resourceType: String
    public var status: String
    /// May be absent (moto omits it).
    public var lastUpdated: Int?

    public init(logicalId: String, physicalId: String?, resourceType: String, status: String, lastUpdated: Int? = nil) {
        self.logicalId = logicalId
        self.physicalId = physicalId
        self.resourceType = resourceType
        self.status = status
        self.lastUpdated = lastUpdated
    }
}

extension Stack {
    /// The stack ended where it was going; any other status outside `*_IN_PROGRESS` is a failure or a rollback.
    public var succeeded: Bool { ["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"].contains(status) }

    /// What to do with a stack in `status` that failed, rolled back or is busy; nil when there is nothing to do.
    /// The one place each status family gets its advice: deploy's failures, plan's refusals and wait's ends.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html
    public static func advice(status: String, stack name: String) -> String? {
        switch status {
        case "CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS":
            return nil
        case "UPDATE_ROLLBACK_COMPLETE":
            return "the stack is back on its previous template and parameters; fix the cause and deploy again"
        case "UPDATE_ROLLBACK_FAILED":
            return
                "the rollback is stuck and the stack cannot be updated: fix what blocks it, then run aws cloudformation continue-update-rollback --stack-name \(name) (with --resources-to-skip for a resource that cannot be restored)"
        case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED":
            return
                "a stack whose creation failed cannot be updated: delete it (aws cloudformation delete-stack --stack-name \(name)) and deploy again"
        case "UPDATE_FAILED":
            return
                "the operation failed without a rollback: fix the cause and deploy again, or roll back with aws cloudformation rollback-stack --stack-name \(name)"
        case "DELETE_FAILED", "DELETE_COMPLETE":
            return "finish deleting it, or deploy under another stack name"
        default:
            return status.hasSuffix("_IN_PROGRESS")
                ? "wait for it (ddbstack wait --stack \(name)), then go on"
                : "the stack ended \(status): see its events"
        }
    }
}

extension StackEvent {
    /// The events of the stack's latest operation, oldest first, from events newest first: back to the stack's
    /// own CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS that started it.
    public static func latestOperation(_ newestFirst: [StackEvent], stack: String) -> [StackEvent] {
        var operation: [StackEvent] = []
        for event in newestFirst {
            operation.append(event)
            if event.resourceType == "AWS::CloudFormation::Stack",
                ["CREATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "IMPORT_IN_PROGRESS"].contains(event.status)
            {
                break
            }
        }
        return operation.reversed()
    }

    /// Why an operation failed: its first failed event that is not a "cancelled" echo of another failure and not
    /// the stack's own summary; else its first failed event.
    public static func rootCause(of operation: [StackEvent], stack: String) -> StackEvent? {
        let failed = operation.filter { $0.status.hasSuffix("_FAILED") }
        return failed.first { event in
            let reason = (event.reason ?? "").lowercased()
            return !reason.contains("cancelled") && !reason.contains("canceled") && event.logicalId != stack
        } ?? failed.first
    }
}

/// A GSI as DescribeTable reports it: its status and whether it is still backfilling.
public struct IndexStatus: Sendable, Equatable {
    public var name: String
    public var status: String
    public var backfilling: Bool

    public init(name: String, status: String, backfilling: Bool) {
        self.name = name
        self.status = status
        self.backfilling = backfilling
    }
}

/// A global table's replica in one region as DescribeTable reports it (`Replicas[].ReplicaStatus`).
/// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ReplicaDescription.html
public struct ReplicaStatus: Sendable, Equatable {
    public var region: String
    public var status: String
    /// The replica's GSIs not yet ACTIVE or still backfilling, read from its own table in its region: the table's
    /// DescribeTable reports each replica's status, not its indexes'.
    public var building: [IndexStatus] = []

    public init(region: String, status: String, building: [IndexStatus] = []) {
        self.region = region
        self.status = status
        self.building = building
    }

    public var isReady: Bool { status == "ACTIVE" && building.isEmpty }
}
