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

    public init(name: String, id: String, status: String, statusReason: String? = nil, parameters: [String: String] = [:],
                tags: [String: String] = [:]) {
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

        public init(attribute: String, name: String? = nil, requiresRecreation: String? = nil, changeSource: String? = nil,
                    evaluation: String? = nil, beforeValue: String? = nil, afterValue: String? = nil) {
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

    public init(action: String, logicalId: String, physicalId: String? = nil, resourceType: String, replacement: String? = nil,
                scope: [String] = [], details: [Detail] = []) {
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

    public init(id: String, name: String, stackId: String, status: String, statusReason: String? = nil, executionStatus: String = "",
                changes: [ResourceChange] = [], description: String? = nil, parameters: [String: String] = [:]) {
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

    public init(id: String, logicalId: String, physicalId: String? = nil, resourceType: String, status: String, reason: String? = nil,
                timestamp: Int? = nil, clientRequestToken: String? = nil) {
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
