import Template

/// The tables of a resolved template, and the diagnostics found in their properties.
public struct Model: Sendable {
    public var tables: [Table]
    public var diagnostics: [Diagnostic]

    public init(tables: [Table], diagnostics: [Diagnostic]) {
        self.tables = tables
        self.diagnostics = diagnostics
    }

    /// Builds the model of every table resource whose condition is not false. A malformed property is a
    /// diagnostic at its location; the rest of the table is still modelled.
    public init(_ resolved: ResolvedTemplate) {
        var tables: [Table] = []
        var diagnostics = resolved.diagnostics
        for resource in resolved.resources {
            guard let kind = Table.Kind(rawValue: resource.type) else { continue }
            var checker = ShapeChecker(logicalId: resource.logicalId)
            if let properties = resource.properties {
                checker.check(properties, against: Shapes.shape(of: kind), path: "")
            } else if !Shapes.shape(of: kind).required.isEmpty {
                diagnostics.append(Diagnostic(DiagnosticID.requiredProperty, "\(kind.rawValue) requires 'Properties'",
                                              at: resource.source.idRange, logicalId: resource.logicalId))
            }
            diagnostics += checker.diagnostics
            tables.append(TableBuilder(resource: resource, kind: kind).build())
        }
        self.init(tables: tables, diagnostics: diagnostics)
    }
}

/// Reads one resource's resolved properties into a `Table`.
struct TableBuilder {
    let resource: ResolvedTemplate.Resource
    let kind: Table.Kind

    func build() -> Table {
        let source = resource.source
        var table = Table(
            logicalId: source.logicalId, kind: kind, range: source.range, idRange: source.idRange, condition: source.condition,
            dependsOn: source.dependsOn, deletionPolicy: Read.string(resource.deletionPolicy),
            updateReplacePolicy: Read.string(resource.updateReplacePolicy), metadata: ResourceMetadata(source.metadata))
        Self.read(resource.properties ?? Node(.mapping([]), range: source.idRange), into: &table)
        return table
    }

    /// Reads CloudFormation-shaped properties into `table` (whose kind is already set).
    static func read(_ properties: Node, into table: inout Table) {
        table.properties = properties
        table.partlyUnknown = Set((properties.entries ?? []).filter { !$0.value.isFullyResolved }.map(\.key))
        if table.kind == .simpleTable {
            readSimpleTable(properties, into: &table)
        } else {
            readTable(properties, into: &table)
        }
    }

    private static func readTable(_ p: Node, into table: inout Table) {
        table.tableName = Read.string(p["TableName"])
        (table.keySchema, table.keySchemaRange) = (Read.keySchema(p["KeySchema"]), p["KeySchema"]?.range ?? table.idRange)
        table.attributeDefinitions = Read.list(p["AttributeDefinitions"]) { node in
            AttributeDefinition(name: Read.string(node["AttributeName"]) ?? Field(nil, range: node.range),
                                type: Read.string(node["AttributeType"]) ?? Field(nil, range: node.range), range: node.range)
        }
        table.attributeDefinitionsRange = p["AttributeDefinitions"]?.range
        table.billingModeText = Read.string(p["BillingMode"])
        table.provisionedThroughput = Read.throughput(p["ProvisionedThroughput"])
        table.hasWriteProvisionedSettings = p["WriteProvisionedThroughputSettings"] != nil
        table.globalSecondaryIndexes = Read.list(p["GlobalSecondaryIndexes"]) { Read.index($0, kind: .global) }
        table.globalSecondaryIndexesRange = p["GlobalSecondaryIndexes"]?.range
        table.localSecondaryIndexes = Read.list(p["LocalSecondaryIndexes"]) { Read.index($0, kind: .local) }
        table.localSecondaryIndexesRange = p["LocalSecondaryIndexes"]?.range
        table.stream = p["StreamSpecification"].map { Stream(viewType: Read.string($0["StreamViewType"]), range: $0.range) }
        table.timeToLive = p["TimeToLiveSpecification"].map {
            TimeToLive(enabled: Read.bool($0["Enabled"]), attributeName: Read.string($0["AttributeName"]), range: $0.range)
        }
        table.pointInTimeRecovery = Read.pointInTimeRecovery(p["PointInTimeRecoverySpecification"])
        table.encryption = p["SSESpecification"].map {
            Encryption(enabled: Read.bool($0["SSEEnabled"]), type: Read.string($0["SSEType"]),
                       kmsMasterKeyId: Read.string($0["KMSMasterKeyId"]), range: $0.range)
        }
        table.tableClass = Read.string(p["TableClass"])
        table.deletionProtection = Read.bool(p["DeletionProtectionEnabled"])
        table.contributorInsights = Read.bool(p["ContributorInsightsSpecification"]?["Enabled"])
        table.kinesisStreamArn = Read.string(p["KinesisStreamSpecification"]?["StreamArn"])
        (table.tags, table.tagsRange) = (Read.tags(p["Tags"]), p["Tags"]?.range)
        table.replicas = Read.list(p["Replicas"]) { node in
            Replica(region: Read.string(node["Region"]) ?? Field(nil, range: node.range),
                    pointInTimeRecovery: Read.pointInTimeRecovery(node["PointInTimeRecoverySpecification"]),
                    deletionProtection: Read.bool(node["DeletionProtectionEnabled"]), tableClass: Read.string(node["TableClass"]),
                    tags: Read.tags(node["Tags"]), range: node.range)
        }
    }

    /// SAM: the primary key is the HASH key (`id` String when omitted); no throughput means on-demand.
    private static func readSimpleTable(_ p: Node, into table: inout Table) {
        let key = p["PrimaryKey"]
        let range = key?.range ?? table.idRange
        let name = Read.string(key?["Name"]) ?? Field("id", range: range)
        let samType = key?["Type"]?.scalarText ?? "String"
        let type = ["String": "S", "Number": "N", "Binary": "B"][samType]
        table.keySchema = [KeyElement(attributeName: name, keyTypeText: Field("HASH", range: range), range: range)]
        table.keySchemaRange = range
        table.attributeDefinitions = [AttributeDefinition(name: name, type: Field(type ?? samType, range: key?["Type"]?.range ?? range),
                                                          range: range)]
        table.tableName = Read.string(p["TableName"])
        table.provisionedThroughput = Read.throughput(p["ProvisionedThroughput"])
        table.billingModeText = Field(table.provisionedThroughput == nil ? "PAY_PER_REQUEST" : "PROVISIONED", range: table.idRange)
        table.encryption = p["SSESpecification"].map { Encryption(enabled: Read.bool($0["SSEEnabled"]), range: $0.range) }
        table.pointInTimeRecovery = Read.pointInTimeRecovery(p["PointInTimeRecoverySpecification"])
        table.tags = (p["Tags"]?.entries ?? []).map { entry in
            Tag(key: Field(entry.key, range: entry.keyRange), value: Field(entry.value.scalarText, range: entry.value.range),
                range: entry.keyRange)
        }
        table.tagsRange = p["Tags"]?.range
    }
}

/// Typed reads of resolved nodes: absent → nil; present but unknown offline or mistyped → a field with no value.
enum Read {
    static func string(_ node: Node?) -> Field<String>? {
        node.map { Field($0.isUnresolved ? nil : $0.scalarText, range: $0.range) }
    }

    static func bool(_ node: Node?) -> Field<Bool>? {
        node.map { Field(Coerce.bool($0), range: $0.range) }
    }

    static func int(_ node: Node?) -> Field<Int>? {
        node.map { Field(Coerce.int($0), range: $0.range) }
    }

    static func list<T>(_ node: Node?, _ element: (Node) -> T) -> [T] {
        (node?.items ?? []).filter { !$0.isUnresolved }.map(element)
    }

    static func keySchema(_ node: Node?) -> [KeyElement] {
        list(node) { element in
            KeyElement(attributeName: string(element["AttributeName"]) ?? Field(nil, range: element.range),
                       keyTypeText: string(element["KeyType"]) ?? Field(nil, range: element.range), range: element.range)
        }
    }

    static func throughput(_ node: Node?) -> Throughput? {
        node.map { Throughput(read: int($0["ReadCapacityUnits"]), write: int($0["WriteCapacityUnits"]), range: $0.range) }
    }

    static func pointInTimeRecovery(_ node: Node?) -> PointInTimeRecovery? {
        node.map {
            PointInTimeRecovery(enabled: bool($0["PointInTimeRecoveryEnabled"]), recoveryPeriodInDays: int($0["RecoveryPeriodInDays"]),
                                range: $0.range)
        }
    }

    static func tags(_ node: Node?) -> [Tag] {
        list(node) { Tag(key: string($0["Key"]) ?? Field(nil, range: $0.range), value: string($0["Value"]) ?? Field(nil, range: $0.range),
                         range: $0.range) }
    }

    static func index(_ node: Node, kind: SecondaryIndex.Kind) -> SecondaryIndex {
        let projection = node["Projection"].map { projection in
            Projection(type: string(projection["ProjectionType"]),
                       nonKeyAttributes: list(projection["NonKeyAttributes"]) { Field($0.isUnresolved ? nil : $0.scalarText, range: $0.range) },
                       nonKeyAttributesRange: projection["NonKeyAttributes"]?.range, range: projection.range)
        }
        return SecondaryIndex(
            kind: kind, name: string(node["IndexName"]) ?? Field(nil, range: node.range), keySchema: keySchema(node["KeySchema"]),
            keySchemaRange: node["KeySchema"]?.range ?? node.range, projection: projection,
            provisionedThroughput: throughput(node["ProvisionedThroughput"]),
            hasWriteProvisionedSettings: node["WriteProvisionedThroughputSettings"] != nil,
            contributorInsights: bool(node["ContributorInsightsSpecification"]?["Enabled"]), range: node.range)
    }
}
