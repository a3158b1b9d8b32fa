import Synchronization
import Template

/// The tables of a resolved template, and the diagnostics found in their properties.
public struct Model: Sendable {
    /// The tables a deploy with these values creates.
    public var tables: [Table]
    /// Tables whose condition is false with these values: not deployed, but modelled as written for lint.
    public var excludedTables: [Table] = []
    public var diagnostics: [Diagnostic]

    public init(tables: [Table], diagnostics: [Diagnostic]) {
        self.tables = tables
        self.diagnostics = diagnostics
    }

    /// Builds the model of every table resource whose condition is not false. A malformed property is a
    /// diagnostic at its location; the rest of the table is still modelled.
    public init(_ resolved: ResolvedTemplate) {
        let resources = (resolved.resources + resolved.excludedResources).compactMap { resource in
            Table.Kind(rawValue: resource.type).map { (resource, $0) }
        }
        // Each table is checked and built on its own, so the tables of a large template are built on every core.
        let built = Mutex([(Table, [Diagnostic])?](repeating: nil, count: resources.count))
        POSIXThread.concurrentPerform(
            iterations: resources.count, parallel: resources.count >= Parallelism.minimumTables
        ) { index in
            let table = Self.table(resources[index].0, kind: resources[index].1)
            built.withLock { $0[index] = table }
        }
        var tables: [Table] = []
        var excluded: [Table] = []
        var diagnostics = resolved.diagnostics
        for (index, result) in built.withLock({ $0 }).enumerated() {
            guard let (table, found) = result else { continue }
            diagnostics += found
            if resources[index].0.conditionValue == false { excluded.append(table) } else { tables.append(table) }
        }
        self.init(tables: tables, diagnostics: diagnostics)
        excludedTables = excluded
    }

    /// One table resource: its properties checked against the shape of its kind, and its model.
    private static func table(_ resource: ResolvedTemplate.Resource, kind: Table.Kind) -> (Table, [Diagnostic]) {
        var checker = ShapeChecker(logicalId: resource.logicalId)
        var diagnostics: [Diagnostic] = []
        if let properties = resource.properties {
            checker.check(properties, against: Shapes.shape(of: kind))
        } else if !Shapes.shape(of: kind).required.isEmpty {
            diagnostics.append(
                Diagnostic(
                    DiagnosticID.requiredProperty, "\(kind.rawValue) requires 'Properties'",
                    at: resource.source.idRange, logicalId: resource.logicalId))
        }
        return (TableBuilder(resource: resource, kind: kind).build(), diagnostics + checker.diagnostics)
    }
}

/// Reads one resource's resolved properties into a `Table`.
struct TableBuilder {
    let resource: ResolvedTemplate.Resource
    let kind: Table.Kind

    func build() -> Table {
        let source = resource.source
        var table = Table(
            logicalId: source.logicalId, kind: kind, range: source.range, idRange: source.idRange,
            condition: source.condition,
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
        (table.keySchema, table.keySchemaRange) = (
            Read.keySchema(p["KeySchema"]), p["KeySchema"]?.range ?? table.idRange
        )
        table.attributeDefinitions = Read.list(p["AttributeDefinitions"]) { node in
            AttributeDefinition(
                name: Read.string(node["AttributeName"]) ?? Field(nil, range: node.range),
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
        table.stream = p["StreamSpecification"].map {
            Stream(viewType: Read.string($0["StreamViewType"]), range: $0.range)
        }
        table.timeToLive = p["TimeToLiveSpecification"].map {
            TimeToLive(
                enabled: Read.bool($0["Enabled"]), attributeName: Read.string($0["AttributeName"]), range: $0.range)
        }
        table.pointInTimeRecovery = Read.pointInTimeRecovery(p["PointInTimeRecoverySpecification"])
        table.encryption = p["SSESpecification"].map {
            Encryption(
                enabled: Read.bool($0["SSEEnabled"]), type: Read.string($0["SSEType"]),
                kmsMasterKeyId: Read.string($0["KMSMasterKeyId"]), range: $0.range)
        }
        table.tableClass = Read.string(p["TableClass"])
        table.deletionProtection = Read.bool(p["DeletionProtectionEnabled"])
        table.contributorInsights = Read.bool(p["ContributorInsightsSpecification"]?["Enabled"])
        table.kinesisStreamArn = Read.string(p["KinesisStreamSpecification"]?["StreamArn"])
        (table.tags, table.tagsRange) = (Read.tags(p["Tags"]), p["Tags"]?.range)
        table.replicas = Read.list(p["Replicas"]) { node in
            Replica(
                region: Read.string(node["Region"]) ?? Field(nil, range: node.range),
                pointInTimeRecovery: Read.pointInTimeRecovery(node["PointInTimeRecoverySpecification"]),
                deletionProtection: Read.bool(node["DeletionProtectionEnabled"]),
                tableClass: Read.string(node["TableClass"]),
                tags: Read.tags(node["Tags"]), range: node.range)
        }
    }

    /// SAM translates a SimpleTable into an `AWS::DynamoDB::Table` under the same logical id; the model holds
    /// that table, so a SimpleTable and the same Table written out compare equal and a PrimaryKey change is a key
    /// change. `PrimaryKey {Name, Type}` becomes the HASH key (`id` String without one); no ProvisionedThroughput
    /// means on-demand; Tags go from a map to a list; SSE, PITR and TableName pass through.
    /// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-simpletable.html
    private static func readSimpleTable(_ p: Node, into table: inout Table) {
        let key = p["PrimaryKey"]
        let at = key?.range ?? table.idRange
        let name = key?["Name"] ?? Node(.string("id"), range: at)
        let samType = key?["Type"] ?? Node(.string("String"), range: at)
        let type =
            samType.scalarText.flatMap { ["String": "S", "Number": "N", "Binary": "B"][$0] }.map {
                Node(.string($0), range: samType.range)
            } ?? samType
        var translated: [Node.Entry] = [
            entry(
                "AttributeDefinitions",
                Node(
                    .sequence([
                        Node(.mapping([entry("AttributeName", name, at), entry("AttributeType", type, at)]), range: at)
                    ]), range: at), at),
            entry(
                "KeySchema",
                Node(
                    .sequence([
                        Node(
                            .mapping([
                                entry("AttributeName", name, at),
                                entry("KeyType", Node(.string("HASH"), range: at), at),
                            ]), range: at)
                    ]), range: at), at),
        ]
        if let throughput = p["ProvisionedThroughput"] {
            translated.append(entry("ProvisionedThroughput", throughput, throughput.range))
        } else {
            translated.append(
                entry("BillingMode", Node(.string("PAY_PER_REQUEST"), range: table.idRange), table.idRange))
        }
        for property in ["SSESpecification", "TableName", "PointInTimeRecoverySpecification"] {
            if let value = p[property] { translated.append(entry(property, value, value.range)) }
        }
        if let tags = p["Tags"] {
            let list =
                tags.entries.map { entries in
                    Node(
                        .sequence(
                            entries.map { tag in
                                Node(
                                    .mapping([
                                        entry("Key", Node(.string(tag.key), range: tag.keyRange), tag.keyRange),
                                        entry("Value", tag.value, tag.value.range),
                                    ]), range: tag.keyRange)
                            }), range: tags.range)
                } ?? tags
            translated.append(entry("Tags", list, tags.range))
        }
        let properties = Node(.mapping(translated), range: p.range)
        readTable(properties, into: &table)
        table.properties = properties
    }

    private static func entry(_ key: String, _ value: Node, _ range: SourceRange) -> Node.Entry {
        Node.Entry(key: key, keyRange: range, value: value)
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
            KeyElement(
                attributeName: string(element["AttributeName"]) ?? Field(nil, range: element.range),
                keyTypeText: string(element["KeyType"]) ?? Field(nil, range: element.range), range: element.range)
        }
    }

    static func throughput(_ node: Node?) -> Throughput? {
        node.map {
            Throughput(read: int($0["ReadCapacityUnits"]), write: int($0["WriteCapacityUnits"]), range: $0.range)
        }
    }

    static func pointInTimeRecovery(_ node: Node?) -> PointInTimeRecovery? {
        node.map {
            PointInTimeRecovery(
                enabled: bool($0["PointInTimeRecoveryEnabled"]), recoveryPeriodInDays: int($0["RecoveryPeriodInDays"]),
                range: $0.range)
        }
    }

    static func tags(_ node: Node?) -> [Tag] {
        list(node) {
            Tag(
                key: string($0["Key"]) ?? Field(nil, range: $0.range),
                value: string($0["Value"]) ?? Field(nil, range: $0.range),
                range: $0.range)
        }
    }

    static func index(_ node: Node, kind: SecondaryIndex.Kind) -> SecondaryIndex {
        let projection = node["Projection"].map { projection in
            Projection(
                type: string(projection["ProjectionType"]),
                nonKeyAttributes: list(projection["NonKeyAttributes"]) {
                    Field($0.isUnresolved ? nil : $0.scalarText, range: $0.range)
                },
                nonKeyAttributesRange: projection["NonKeyAttributes"]?.range, range: projection.range)
        }
        return SecondaryIndex(
            kind: kind, name: string(node["IndexName"]) ?? Field(nil, range: node.range),
            keySchema: keySchema(node["KeySchema"]),
            keySchemaRange: node["KeySchema"]?.range ?? node.range, projection: projection,
            provisionedThroughput: throughput(node["ProvisionedThroughput"]),
            hasWriteProvisionedSettings: node["WriteProvisionedThroughputSettings"] != nil,
            contributorInsights: bool(node["ContributorInsightsSpecification"]?["Enabled"]), range: node.range)
    }
}
