import Template

/// Read and write capacity units (ProvisionedThroughput).
public struct Throughput: Sendable, Equatable {
    public var read: Field<Int>?
    public var write: Field<Int>?
    public var range: SourceRange

    public init(read: Field<Int>?, write: Field<Int>?, range: SourceRange = .none) {
        self.read = read
        self.write = write
        self.range = range
    }

    /// 0/0, which DynamoDB reports (and CloudFormation now accepts) for on-demand tables.
    public var isZero: Bool { read?.value == 0 && write?.value == 0 }
}

/// StreamSpecification.
public struct Stream: Sendable, Equatable {
    public static let viewTypes: [String] = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]

    public var viewType: Field<String>?
    public var range: SourceRange

    public init(viewType: Field<String>?, range: SourceRange = .none) {
        self.viewType = viewType
        self.range = range
    }
}

/// TimeToLiveSpecification.
public struct TimeToLive: Sendable, Equatable {
    public var enabled: Field<Bool>?
    public var attributeName: Field<String>?
    public var range: SourceRange

    public init(enabled: Field<Bool>?, attributeName: Field<String>?, range: SourceRange = .none) {
        self.enabled = enabled
        self.attributeName = attributeName
        self.range = range
    }
}

/// PointInTimeRecoverySpecification.
public struct PointInTimeRecovery: Sendable, Equatable {
    public var enabled: Field<Bool>?
    public var recoveryPeriodInDays: Field<Int>?
    public var range: SourceRange

    public init(enabled: Field<Bool>?, recoveryPeriodInDays: Field<Int>? = nil, range: SourceRange = .none) {
        self.enabled = enabled
        self.recoveryPeriodInDays = recoveryPeriodInDays
        self.range = range
    }
}

/// SSESpecification.
public struct Encryption: Sendable, Equatable {
    public var enabled: Field<Bool>?
    public var type: Field<String>?
    public var kmsMasterKeyId: Field<String>?
    public var range: SourceRange

    public init(
        enabled: Field<Bool>?, type: Field<String>? = nil, kmsMasterKeyId: Field<String>? = nil,
        range: SourceRange = .none
    ) {
        self.enabled = enabled
        self.type = type
        self.kmsMasterKeyId = kmsMasterKeyId
        self.range = range
    }
}

/// One resource tag.
public struct Tag: Sendable, Equatable {
    public var key: Field<String>
    public var value: Field<String>
    public var range: SourceRange

    public init(key: Field<String>, value: Field<String>, range: SourceRange = .none) {
        self.key = key
        self.value = value
        self.range = range
    }
}

/// One replica of an `AWS::DynamoDB::GlobalTable`: the per-region settings that a plain table holds itself.
public struct Replica: Sendable, Equatable {
    public var region: Field<String>
    public var pointInTimeRecovery: PointInTimeRecovery?
    public var deletionProtection: Field<Bool>?
    public var tableClass: Field<String>?
    public var tags: [Tag]
    public var range: SourceRange

    public init(
        region: Field<String>, pointInTimeRecovery: PointInTimeRecovery? = nil, deletionProtection: Field<Bool>? = nil,
        tableClass: Field<String>? = nil, tags: [Tag] = [], range: SourceRange = .none
    ) {
        self.region = region
        self.pointInTimeRecovery = pointInTimeRecovery
        self.deletionProtection = deletionProtection
        self.tableClass = tableClass
        self.tags = tags
        self.range = range
    }
}
