import Template

/// The typed model of one DynamoDB table. The template, the base template and (later) the live account all
/// become `[Table]`, so every comparison is between two of them.
public struct Table: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case table = "AWS::DynamoDB::Table"
        case globalTable = "AWS::DynamoDB::GlobalTable"
        case simpleTable = "AWS::Serverless::SimpleTable"
    }

    public enum BillingMode: String, Sendable {
        case provisioned = "PROVISIONED"
        case payPerRequest = "PAY_PER_REQUEST"
    }

    public var logicalId: String
    public var kind: Kind
    /// The whole resource, and its logical id, in the template.
    public var range: SourceRange
    public var idRange: SourceRange
    public var condition: String?
    public var dependsOn: [String]
    public var deletionPolicy: Field<String>?
    public var updateReplacePolicy: Field<String>?
    public var metadata: ResourceMetadata

    public var tableName: Field<String>?
    public var keySchema: [KeyElement] = []
    public var keySchemaRange: SourceRange = .none
    public var attributeDefinitions: [AttributeDefinition] = []
    public var attributeDefinitionsRange: SourceRange?
    /// The BillingMode as written; nil when absent (CloudFormation's default is PROVISIONED).
    public var billingModeText: Field<String>?
    public var provisionedThroughput: Throughput?
    /// Global tables: whether WriteProvisionedThroughputSettings is given.
    public var hasWriteProvisionedSettings = false
    public var globalSecondaryIndexes: [SecondaryIndex] = []
    public var globalSecondaryIndexesRange: SourceRange?
    public var localSecondaryIndexes: [SecondaryIndex] = []
    public var localSecondaryIndexesRange: SourceRange?
    public var stream: Stream?
    public var timeToLive: TimeToLive?
    public var pointInTimeRecovery: PointInTimeRecovery?
    public var encryption: Encryption?
    public var tableClass: Field<String>?
    public var deletionProtection: Field<Bool>?
    public var contributorInsights: Field<Bool>?
    public var kinesisStreamArn: Field<String>?
    public var tags: [Tag] = []
    public var tagsRange: SourceRange?
    public var replicas: [Replica] = []
    /// The resolved Properties, CloudFormation's own names, for `show` and for anything the typed fields omit.
    public var properties: Node?
    /// Top-level properties holding something unknown offline; checks that need their whole value skip them.
    public var partlyUnknown: Set<String> = []

    public init(
        logicalId: String, kind: Kind, range: SourceRange = .none, idRange: SourceRange = .none,
        condition: String? = nil, dependsOn: [String] = [], deletionPolicy: Field<String>? = nil,
        updateReplacePolicy: Field<String>? = nil, metadata: ResourceMetadata = ResourceMetadata()
    ) {
        self.logicalId = logicalId
        self.kind = kind
        self.range = range
        self.idRange = idRange
        self.condition = condition
        self.dependsOn = dependsOn
        self.deletionPolicy = deletionPolicy
        self.updateReplacePolicy = updateReplacePolicy
        self.metadata = metadata
    }
}

extension Table {
    public static let tableClasses: [String] = ["STANDARD", "STANDARD_INFREQUENT_ACCESS"]

    /// The effective billing mode; nil when written as something unknown offline or invalid.
    public var billingMode: BillingMode? {
        guard let text = billingModeText else { return .provisioned }
        return text.value.flatMap(BillingMode.init(rawValue:))
    }

    /// Calls `body` with both kinds of secondary index, GSIs first, where they lie: the rules ask this of every
    /// table, and joining the two lists copied every index (a few dozen reference-counted fields) each time.
    public func forEachSecondaryIndex(_ body: (SecondaryIndex) throws -> Void) rethrows {
        try Self.forEachSecondaryIndex(global: globalSecondaryIndexes, local: localSecondaryIndexes, body)
    }

    /// Calls `body` with every element of the table's key and of its indexes' keys.
    public func forEachKeyElement(_ body: (KeyElement) throws -> Void) rethrows {
        try Self.forEachKeyElement(key: keySchema, global: globalSecondaryIndexes, local: localSecondaryIndexes, body)
    }

    /// Whether the table's key or the key of any index uses the attribute `name`.
    public func isKeyAttribute(_ name: String) -> Bool {
        Self.isKeyAttribute(name, key: keySchema, global: globalSecondaryIndexes, local: localSecondaryIndexes)
    }

    public var hashKey: KeyElement? { keySchema.hashKey }
    public var rangeKey: KeyElement? { keySchema.rangeKey }

    public func attributeDefinition(named name: String) -> AttributeDefinition? { attributeDefinitions.named(name) }

    /// "table 'Users'" for messages: the physical name when known, else the logical id.
    public var label: String { "table '\(tableName?.value ?? logicalId)'" }
}

/// The questions above, asked of a table's fields rather than of the table: a caller that reads a table where it
/// lies (the lint rules' `TableRef`) asks them without copying the whole table to call a method on it.
extension Table {
    public static func forEachSecondaryIndex(
        global: [SecondaryIndex], local: [SecondaryIndex], _ body: (SecondaryIndex) throws -> Void
    ) rethrows {
        for index in global.indices { try body(global[index]) }
        for index in local.indices { try body(local[index]) }
    }

    public static func forEachKeyElement(
        key: [KeyElement], global: [SecondaryIndex], local: [SecondaryIndex], _ body: (KeyElement) throws -> Void
    ) rethrows {
        for index in key.indices { try body(key[index]) }
        try forEachSecondaryIndex(global: global, local: local) { index in
            for element in index.keySchema.indices { try body(index.keySchema[element]) }
        }
    }

    /// A scan: keys are short, and no set of names is built for a question asked of every attribute definition.
    public static func isKeyAttribute(
        _ name: String, key: [KeyElement], global: [SecondaryIndex], local: [SecondaryIndex]
    ) -> Bool {
        func uses(_ key: [KeyElement]) -> Bool { key.contains { $0.attributeName.value == name } }
        return uses(key) || global.contains { uses($0.keySchema) } || local.contains { uses($0.keySchema) }
    }
}

extension [KeyElement] {
    public var hashKey: KeyElement? { first { $0.keyType == .hash } }
    public var rangeKey: KeyElement? { first { $0.keyType == .range } }
}

extension [AttributeDefinition] {
    public func named(_ name: String) -> AttributeDefinition? { first { $0.name.value == name } }
}

extension Table {
    /// A table described by CloudFormation-shaped properties that come from no template (the live account):
    /// the same model, so every comparison is between two `[Table]`.
    public init(logicalId: String, kind: Kind = .table, properties: Node, deletionPolicy: String? = nil) {
        self.init(logicalId: logicalId, kind: kind, deletionPolicy: deletionPolicy.map { Field($0) })
        TableBuilder.read(properties, into: &self)
    }
}
