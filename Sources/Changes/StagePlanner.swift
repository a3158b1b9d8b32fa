import Schema
import Template

/// One deploy of a staged plan: at most one GSI creation or deletion per table, and the template that does it.
public struct Step: Sendable {
    public struct Operation: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case create, delete
        }

        public var logicalId: String
        public var indexName: String
        public var kind: Kind
    }

    public var number: Int
    public var operations: [Operation]
    /// The whole template for this step (the head template itself for the last one).
    public var template: Node
}

/// Splits GSI creations and deletions into a sequence of updates CloudFormation accepts: one per table per
/// step, creations before deletions, so that a renamed index has its successor serving before it goes.
public enum StagePlanner {
    /// The steps, or nil when no table needs more than one GSI operation or a table's GSIs are not literal
    /// enough in the head template to write intermediate templates.
    public static func steps(base: [Table], head: [Table], headTemplate: Template) -> [Step]? {
        let baseById = Dictionary(base.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        var queues: [(table: Table, previous: Table, operations: [Step.Operation])] = []
        for table in head {
            guard let previous = baseById[table.logicalId], !TableComparison(base: previous, head: table).isReplaced,
                let old = IndexComparison.byName(previous.properties?["GlobalSecondaryIndexes"]),
                let new = IndexComparison.byName(table.properties?["GlobalSecondaryIndexes"])
            else { continue }
            let creations = new.sortedBySource.filter { old[$0.key] == nil }
                .map { Step.Operation(logicalId: table.logicalId, indexName: $0.key, kind: .create) }
            let deletions = old.sortedBySource.filter { new[$0.key] == nil }
                .map { Step.Operation(logicalId: table.logicalId, indexName: $0.key, kind: .delete) }
            if !creations.isEmpty || !deletions.isEmpty { queues.append((table, previous, creations + deletions)) }
        }
        guard let count = queues.map(\.operations.count).max(), count > 1 else { return nil }
        var steps: [Step] = []
        for number in 1...count {
            var root = headTemplate.root
            if number < count {
                for queue in queues where queue.operations.count > number {
                    guard
                        let properties = intermediate(
                            queue.table, queue.previous, done: Array(queue.operations.prefix(number)),
                            template: headTemplate)
                    else { return nil }
                    root = root.setting(properties, at: ["Resources", queue.table.logicalId, "Properties"])
                }
            }
            let operations = queues.compactMap { $0.operations.count >= number ? $0.operations[number - 1] : nil }
            steps.append(Step(number: number, operations: operations, template: root))
        }
        return steps
    }

    /// The head table's Properties with only the first operations done: GSIs and the attribute definitions they need.
    private static func intermediate(_ table: Table, _ previous: Table, done: [Step.Operation], template: Template)
        -> Node?
    {
        guard let raw = template.resource(table.logicalId)?.properties,
            let rawIndexes = raw["GlobalSecondaryIndexes"]?.items,
            let rawDefinitions = raw["AttributeDefinitions"]?.items
        else { return nil }
        let created = Set(done.filter { $0.kind == .create }.map(\.indexName))
        let deleted = Set(done.filter { $0.kind == .delete }.map(\.indexName))
        let oldIndexes = IndexComparison.byName(previous.properties?["GlobalSecondaryIndexes"]) ?? [:]
        let newIndexes = IndexComparison.byName(table.properties?["GlobalSecondaryIndexes"]) ?? [:]
        var indexes: [Node] = []
        var resolvedIndexes: [Node] = []
        for item in rawIndexes {
            guard let name = item["IndexName"]?.string else { return nil }
            if oldIndexes[name] != nil || created.contains(name) {
                indexes.append(item)
                resolvedIndexes += newIndexes[name].map { [$0] } ?? []
            }
        }
        for (name, index) in oldIndexes.sortedBySource where newIndexes[name] == nil && !deleted.contains(name) {
            indexes.append(index)
            resolvedIndexes.append(index)
        }
        let needed = Set(
            table.keySchema.attributeNames + table.localSecondaryIndexes.flatMap(\.keySchema.attributeNames)
                + resolvedIndexes.flatMap { ($0["KeySchema"]?.items ?? []).compactMap { $0["AttributeName"]?.string } })
        var definitions: [Node] = []
        var defined: Set<String> = []
        let resolvedDefinitions = previous.properties?["AttributeDefinitions"]?.items ?? []
        // Raw and resolved definitions line up only when no item resolved to AWS::NoValue.
        guard let resolvedHead = table.properties?["AttributeDefinitions"]?.items,
            resolvedHead.count == rawDefinitions.count
        else { return nil }
        for (position, item) in rawDefinitions.enumerated() {
            guard let name = resolvedHead[position]["AttributeName"]?.string else { return nil }
            if needed.contains(name), defined.insert(name).inserted { definitions.append(item) }
        }
        for item in resolvedDefinitions {
            guard let name = item["AttributeName"]?.string, needed.contains(name), defined.insert(name).inserted else {
                continue
            }
            definitions.append(item)
        }
        return
            raw
            .setting(
                Node(.sequence(indexes), range: raw["GlobalSecondaryIndexes"]?.range ?? raw.range),
                at: ["GlobalSecondaryIndexes"]
            )
            .setting(
                Node(.sequence(definitions), range: raw["AttributeDefinitions"]?.range ?? raw.range),
                at: ["AttributeDefinitions"])
    }
}

extension Node {
    /// A copy with the value at a path of mapping keys replaced (the last key added when missing).
    func setting(_ value: Node, at path: [String]) -> Node {
        guard let key = path.first, let entries = entries else { return path.isEmpty ? value : self }
        var updated = entries
        if let position = entries.firstIndex(where: { $0.key == key }) {
            updated[position].value = entries[position].value.setting(value, at: Array(path.dropFirst()))
        } else if path.count == 1 {
            updated.append(Node.Entry(key: key, keyRange: range, value: value))
        } else {
            return self
        }
        return Node(.mapping(updated), range: range)
    }
}
