import Schema
import Template

/// One deploy of a staged plan: at most one GSI or replica creation or deletion per table, and the template that
/// does it.
public struct Step: Sendable {
    public struct Operation: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case create, delete
        }

        /// What an operation creates or deletes.
        public enum Subject: Sendable, Equatable {
            /// A GSI, by name.
            case index(String)
            /// A global table's replica, by region.
            case replica(String)

            public var noun: String {
                switch self {
                case .index: "GSI"
                case .replica: "replica"
                }
            }

            public var isIndex: Bool {
                if case .index = self { true } else { false }
            }

            /// The index name or the region.
            public var name: String {
                switch self {
                case .index(let name), .replica(let name): name
                }
            }
        }

        public var logicalId: String
        public var subject: Subject
        public var kind: Kind

        public init(logicalId: String, subject: Subject, kind: Kind) {
            self.logicalId = logicalId
            self.subject = subject
            self.kind = kind
        }

        /// `create GSI 'byEmail'`, `delete replica 'eu-west-1'`.
        public var summary: String { "\(kind.rawValue) \(subject.noun) '\(subject.name)'" }
    }

    public var number: Int
    public var operations: [Operation]
    /// The whole template for this step (the head template itself for the last one).
    public var template: Node
}

/// Splits what CloudFormation takes one at a time — GSI creations and deletions, and a global table's replicas added
/// or removed — into a sequence of updates it accepts: one operation per table per step; GSIs before replicas (a new
/// replica then starts with every index), creations before deletions, so that a renamed index has its successor
/// serving before it goes. A GSI and a replica are never changed in the same update: staging them apart costs one
/// deploy and is never refused.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-globaltable.html
public enum StagePlanner {
    /// The steps, or nil when no table needs more than one operation or a table's GSIs or replicas are not literal
    /// enough in the head template to write intermediate templates.
    public static func steps(base: [Table], head: [Table], headTemplate: Template) -> [Step]? {
        let baseById = Dictionary(base.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        var queues: [(table: Table, previous: Table, operations: [Step.Operation])] = []
        for table in head {
            guard let previous = baseById[table.logicalId], !TableComparison(base: previous, head: table).isReplaced
            else { continue }
            let operations = operations(table, previous)
            if !operations.isEmpty { queues.append((table, previous, operations)) }
        }
        guard let count = queues.map(\.operations.count).max(), count > 1 else { return nil }
        var steps: [Step] = []
        for number in 1...count {
            var root = headTemplate.root
            if number < count {
                for queue in queues where queue.operations.count > number {
                    guard
                        let properties = intermediate(
                            queue.table, queue.previous, operations: queue.operations, done: number,
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

    /// A table's operations in order: GSI creations, replica additions, GSI deletions, replica removals. Lists not
    /// known offline contribute none (the comparison has already classified them).
    private static func operations(_ table: Table, _ previous: Table) -> [Step.Operation] {
        func diff(_ key: String, _ keyedBy: String, _ subject: (String) -> Step.Operation.Subject)
            -> (create: [Step.Operation], delete: [Step.Operation])
        {
            guard let old = previous.properties?[key].keyed(by: keyedBy),
                let new = table.properties?[key].keyed(by: keyedBy)
            else { return ([], []) }
            let create = new.sortedBySource.filter { old[$0.key] == nil }
                .map { Step.Operation(logicalId: table.logicalId, subject: subject($0.key), kind: .create) }
            let delete = old.sortedBySource.filter { new[$0.key] == nil }
                .map { Step.Operation(logicalId: table.logicalId, subject: subject($0.key), kind: .delete) }
            return (create, delete)
        }
        let indexes = diff("GlobalSecondaryIndexes", "IndexName", Step.Operation.Subject.index)
        let replicas =
            table.kind == .globalTable
            ? diff("Replicas", "Region", Step.Operation.Subject.replica) : (create: [], delete: [])
        return indexes.create + replicas.create + indexes.delete + replicas.delete
    }

    /// The head table's Properties with only the first `done` operations done: the GSIs (with the attribute
    /// definitions they need) and the replicas of the base, plus what was created, minus what was deleted. Nil when a
    /// replica would name a GSI the step does not have yet (per-replica GSI settings): that needs a hand-made step.
    private static func intermediate(
        _ table: Table, _ previous: Table, operations: [Step.Operation], done count: Int, template: Template
    ) -> Node? {
        guard var raw = template.resource(table.logicalId)?.properties else { return nil }
        let done = operations.prefix(count)
        let indexes = (done: done.filter(\.subject.isIndex), all: operations.filter(\.subject.isIndex))
        if indexes.done.count < indexes.all.count {
            guard let staged = intermediateIndexes(table, previous, done: indexes.done, raw: raw) else { return nil }
            raw = staged
        }
        let replicas = (done: done.filter { !$0.subject.isIndex }, all: operations.filter { !$0.subject.isIndex })
        if replicas.done.count < replicas.all.count {
            guard let staged = intermediateReplicas(table, previous, done: replicas.done, raw: raw) else { return nil }
            raw = staged
        }
        let indexNames = Set((raw["GlobalSecondaryIndexes"]?.items ?? []).compactMap { $0["IndexName"]?.string })
        let named = (raw["Replicas"]?.items ?? []).flatMap { $0["GlobalSecondaryIndexes"]?.items ?? [] }
        guard named.allSatisfy({ $0["IndexName"]?.string.map(indexNames.contains) == true }) else { return nil }
        return raw
    }

    /// A list of the head's raw items that the base had or that `done` created, then the base's items not yet
    /// deleted; nil when an item's key is not literal. Raw and resolved items line up only when none resolved to
    /// AWS::NoValue, so the key is read from the raw item itself.
    private static func stagedList(
        raw: [Node], old: [String: Node], new: [String: Node], keyedBy key: String, created: Set<String>,
        deleted: Set<String>
    ) -> (raw: [Node], resolved: [Node])? {
        var items: [Node] = []
        var resolved: [Node] = []
        for item in raw {
            guard let name = item[key]?.string else { return nil }
            if old[name] != nil || created.contains(name) {
                items.append(item)
                resolved += new[name].map { [$0] } ?? []
            }
        }
        for (name, item) in old.sortedBySource where new[name] == nil && !deleted.contains(name) {
            items.append(item)
            resolved.append(item)
        }
        return (items, resolved)
    }

    private static func names(_ operations: [Step.Operation], _ kind: Step.Operation.Kind) -> Set<String> {
        Set(operations.filter { $0.kind == kind }.map(\.subject.name))
    }

    /// Replicas: the base's, plus those `done` added, minus those it removed.
    private static func intermediateReplicas(_ table: Table, _ previous: Table, done: [Step.Operation], raw: Node)
        -> Node?
    {
        guard let rawReplicas = raw["Replicas"]?.items,
            let old = previous.properties?["Replicas"].keyed(by: "Region"),
            let new = table.properties?["Replicas"].keyed(by: "Region"),
            let staged = stagedList(
                raw: rawReplicas, old: old, new: new, keyedBy: "Region", created: names(done, .create),
                deleted: names(done, .delete))
        else { return nil }
        return raw.setting(
            Node(.sequence(staged.raw), range: raw["Replicas"]?.range ?? raw.range), at: ["Replicas"])
    }

    /// GSIs, and the attribute definitions they need.
    private static func intermediateIndexes(_ table: Table, _ previous: Table, done: [Step.Operation], raw: Node)
        -> Node?
    {
        guard let rawIndexes = raw["GlobalSecondaryIndexes"]?.items,
            let rawDefinitions = raw["AttributeDefinitions"]?.items,
            let staged = stagedList(
                raw: rawIndexes,
                old: IndexComparison.byName(previous.properties?["GlobalSecondaryIndexes"]) ?? [:],
                new: IndexComparison.byName(table.properties?["GlobalSecondaryIndexes"]) ?? [:],
                keyedBy: "IndexName", created: names(done, .create), deleted: names(done, .delete))
        else { return nil }
        let needed = Set(
            table.keySchema.attributeNames + table.localSecondaryIndexes.flatMap(\.keySchema.attributeNames)
                + staged.resolved.flatMap { ($0["KeySchema"]?.items ?? []).compactMap { $0["AttributeName"]?.string } })
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
                Node(.sequence(staged.raw), range: raw["GlobalSecondaryIndexes"]?.range ?? raw.range),
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
