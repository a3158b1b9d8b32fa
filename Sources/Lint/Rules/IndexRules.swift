import Schema
import Template

/// Index names: 3–255 characters of `[a-zA-Z0-9_.-]`.
struct IndexNameRule: Rule {
    let description = RuleDescription(
        id: "DDB201", name: "index-name", severity: .error,
        summary: "an index name is 3 to 255 characters of letters, digits, '_', '-' and '.'",
        help: "rename the index; note that renaming a deployed GSI deletes and re-creates it",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  GlobalSecondaryIndexes:
                  - IndexName: by-email.v2
                    KeySchema: [{AttributeName: e, KeyType: HASH}]
                    Projection: {ProjectionType: ALL}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      GlobalSecondaryIndexes:
                      - IndexName: 1️⃣by
                        KeySchema: [{AttributeName: e, KeyType: HASH}]
                        Projection: {ProjectionType: ALL}
                      - IndexName: 2️⃣by email
                        KeySchema: [{AttributeName: e, KeyType: HASH}]
                        Projection: {ProjectionType: ALL}
                """, "index name 'by' is 2 characters; it needs 3 to 255",
                "index name 'by email' has characters other than")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            table.forEachSecondaryIndex { index in
                guard let name = index.name.value, let problem = NameRules.problem(with: name) else { return }
                sink.report("index name \(problem)", at: index.name.range, in: table)
            }
        }
    }
}

/// Names shared by DynamoDB's table and index names.
enum NameRules {
    static func problem(with name: String) -> String? {
        if name.count < 3 || name.count > 255 { return "'\(name)' is \(name.count) characters; it needs 3 to 255" }
        // ASCII only, so letters are two ranges (Unicode's isAlphabetic looked each one up in its tables).
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "_.-".unicodeScalars.contains(scalar)
        }
        return allowed ? nil : "'\(name)' has characters other than letters, digits, '_', '-' and '.'"
    }
}

/// GSI and LSI names are unique across both kinds of index of a table.
struct IndexNameUniqueRule: Rule {
    let description = RuleDescription(
        id: "DDB202", name: "index-name-unique", severity: .error,
        summary: "index names must be unique across the GSIs and LSIs of a table",
        help: "give each index its own name",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]
                  AttributeDefinitions:
                  - {AttributeName: id, AttributeType: S}
                  - {AttributeName: at, AttributeType: S}
                  - {AttributeName: e, AttributeType: S}
                  BillingMode: PAY_PER_REQUEST
                  GlobalSecondaryIndexes:
                  - IndexName: byEmail
                    KeySchema: [{AttributeName: e, KeyType: HASH}]
                    Projection: {ProjectionType: ALL}
                  LocalSecondaryIndexes:
                  - IndexName: byAt
                    KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]
                    Projection: {ProjectionType: ALL}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]
                      AttributeDefinitions:
                      - {AttributeName: id, AttributeType: S}
                      - {AttributeName: at, AttributeType: S}
                      - {AttributeName: e, AttributeType: S}
                      BillingMode: PAY_PER_REQUEST
                      GlobalSecondaryIndexes:
                      - IndexName: byKey
                        KeySchema: [{AttributeName: e, KeyType: HASH}]
                        Projection: {ProjectionType: ALL}
                      LocalSecondaryIndexes:
                      - IndexName: 1️⃣byKey
                        KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]
                        Projection: {ProjectionType: ALL}
                """, "LSI 'byKey' has the same name as GSI 'byKey'")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            var seen: [String: String] = [:]
            table.forEachSecondaryIndex { index in
                guard let name = index.name.value else { return }
                if let first = seen[name] {
                    sink.report("\(index.label) has the same name as \(first)", at: index.name.range, in: table)
                } else {
                    seen[name] = index.label
                }
            }
        }
    }
}

/// At most 20 GSIs and 5 LSIs per table.
struct IndexCountRule: Rule {
    static let gsiLimit = 20
    static let lsiLimit = 5

    let description = RuleDescription(
        id: "DDB203", name: "index-count", severity: .error,
        summary: "a table has at most 20 GSIs (the default quota) and 5 LSIs",
        help: "merge indexes with overloaded keys, or request a GSI quota increase before deploying",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      GlobalSecondaryIndexes:
                """ + "\n"
                    + (1...21).map {
                        "        \($0 == 1 ? "1️⃣" : "")- {IndexName: gsi\($0), KeySchema: [{AttributeName: e, KeyType: HASH}], Projection: {ProjectionType: KEYS_ONLY}}"
                    }
                    .joined(separator: "\n"), "21 GSIs; a table has at most 20"),
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: s, KeyType: RANGE}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: s, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      LocalSecondaryIndexes:
                """ + "\n"
                    + (1...6).map {
                        "        \($0 == 1 ? "1️⃣" : "")- {IndexName: lsi\($0), KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: s, KeyType: RANGE}], Projection: {ProjectionType: KEYS_ONLY}}"
                    }
                    .joined(separator: "\n"), "6 LSIs; a table has at most 5"),
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            if table.globalSecondaryIndexes.count > Self.gsiLimit {
                sink.report(
                    "\(table.globalSecondaryIndexes.count) GSIs; a table has at most \(Self.gsiLimit)",
                    at: table.globalSecondaryIndexesRange ?? table.idRange, in: table)
            }
            if table.localSecondaryIndexes.count > Self.lsiLimit {
                sink.report(
                    "\(table.localSecondaryIndexes.count) LSIs; a table has at most \(Self.lsiLimit)",
                    at: table.localSecondaryIndexesRange ?? table.idRange, in: table)
            }
        }
    }
}

/// An LSI shares the table's HASH key and adds its own RANGE key; the table needs a RANGE key too.
struct LocalIndexKeyRule: Rule {
    let description = RuleDescription(
        id: "DDB204", name: "lsi-key", severity: .error,
        summary:
            "an LSI's key is the table's HASH key plus a RANGE key, and only tables with a RANGE key can have LSIs",
        help: "use the table's partition key as the LSI's HASH key, or make it a GSI",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]
                  AttributeDefinitions:
                  - {AttributeName: id, AttributeType: S}
                  - {AttributeName: at, AttributeType: S}
                  - {AttributeName: v, AttributeType: N}
                  BillingMode: PAY_PER_REQUEST
                  LocalSecondaryIndexes:
                  - IndexName: byV
                    KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: v, KeyType: RANGE}]
                    Projection: {ProjectionType: ALL}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: at, AttributeType: S}, {AttributeName: v, AttributeType: N}]
                      BillingMode: PAY_PER_REQUEST
                      LocalSecondaryIndexes:
                        - {IndexName: byV, KeySchema: [{AttributeName: 1️⃣v, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}], Projection: {ProjectionType: ALL}}
                        - {IndexName: onlyHash, KeySchema: 2️⃣[{AttributeName: id, KeyType: HASH}], Projection: {ProjectionType: ALL}}
                """, "the HASH key of LSI 'byV' is 'v', not the table's HASH key 'id'",
                "LSI 'onlyHash' needs exactly a HASH and a RANGE key"),
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: v, AttributeType: N}]
                      BillingMode: PAY_PER_REQUEST
                      LocalSecondaryIndexes:
                        1️⃣- {IndexName: byV, KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: v, KeyType: RANGE}], Projection: {ProjectionType: ALL}}
                """,
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"),
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard !table.localSecondaryIndexes.isEmpty && !table.partlyUnknown.contains("KeySchema") else { return }
            if table.rangeKey == nil, table.hashKey != nil {
                sink.report(
                    "'\(table.logicalId)' has LSIs but no RANGE key (\"Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex\")",
                    at: table.localSecondaryIndexesRange ?? table.idRange, in: table)
                return
            }
            for index in table.localSecondaryIndexes {
                let key = index.keySchema
                guard key.count == 2, key[0].keyType == .hash, key[1].keyType == .range else {
                    sink.report(
                        "\(index.label) needs exactly a HASH and a RANGE key, in that order", at: index.keySchemaRange,
                        in: table)
                    continue
                }
                if let tableHash = table.hashKey?.attributeName.value, let hash = key[0].attributeName.value,
                    hash != tableHash
                {
                    sink.report(
                        "the HASH key of \(index.label) is '\(hash)', not the table's HASH key '\(tableHash)'",
                        at: key[0].attributeName.range, in: table)
                }
            }
        }
    }
}

/// GSI keys: 1–4 HASH then 0–4 RANGE attributes (multi-attribute keys), each attribute once.
struct GlobalIndexKeyRule: Rule {
    static let maximumPerType = 4

    let description = RuleDescription(
        id: "DDB205", name: "gsi-key", severity: .error,
        summary: "a GSI key has 1 to 4 HASH attributes followed by 0 to 4 RANGE attributes, each attribute once",
        help: "list the HASH attributes first, then the RANGE attributes, at most four of each",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions:
                  - {AttributeName: id, AttributeType: S}
                  - {AttributeName: t, AttributeType: S}
                  - {AttributeName: r, AttributeType: S}
                  - {AttributeName: at, AttributeType: N}
                  BillingMode: PAY_PER_REQUEST
                  GlobalSecondaryIndexes:
                  - IndexName: byTenantRegion
                    KeySchema:
                    - {AttributeName: t, KeyType: HASH}
                    - {AttributeName: r, KeyType: HASH}
                    - {AttributeName: at, KeyType: RANGE}
                    Projection: {ProjectionType: KEYS_ONLY}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: a, AttributeType: S}, {AttributeName: b, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      GlobalSecondaryIndexes:
                        - {IndexName: rangeFirst, KeySchema: [{AttributeName: a, KeyType: RANGE}, 1️⃣{AttributeName: b, KeyType: HASH}], Projection: {ProjectionType: ALL}}
                        - {IndexName: twice, KeySchema: [{AttributeName: a, KeyType: HASH}, {AttributeName: 2️⃣a, KeyType: RANGE}], Projection: {ProjectionType: ALL}}
                        - {IndexName: noHash, KeySchema: 3️⃣[{AttributeName: a, KeyType: RANGE}], Projection: {ProjectionType: ALL}}
                """, "HASH attributes of GSI 'rangeFirst' must come before its RANGE attributes",
                "'a' appears twice in the key of GSI 'twice'",
                "GSI 'noHash' has no HASH key")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            for index in table.globalSecondaryIndexes where !index.keySchema.isEmpty {
                check(index, of: table, into: &sink)
            }
        }
    }

    private func check(_ index: SecondaryIndex, of table: TableRef, into sink: inout FindingSink) {
        let key = index.keySchema
        let hashes = key.count { $0.keyType == .hash }
        let ranges = key.count { $0.keyType == .range }
        if hashes == 0, key.allSatisfy({ $0.keyType != nil }) {
            sink.report("\(index.label) has no HASH key", at: index.keySchemaRange, in: table)
        }
        if hashes > Self.maximumPerType || ranges > Self.maximumPerType {
            sink.report(
                "\(index.label) has \(hashes) HASH and \(ranges) RANGE attributes; at most \(Self.maximumPerType) of each",
                at: index.keySchemaRange, in: table)
        }
        if let firstRange = key.firstIndex(where: { $0.keyType == .range }),
            let misplaced = key[firstRange...].first(where: { $0.keyType == .hash })
        {
            sink.report(
                "HASH attributes of \(index.label) must come before its RANGE attributes", at: misplaced.range,
                in: table)
        }
        // A key has a handful of elements: comparing with the earlier ones beats hashing into a set.
        for (position, element) in key.enumerated() {
            guard let name = element.attributeName.value,
                key[..<position].contains(where: { $0.attributeName.value == name })
            else { continue }
            sink.report(
                "'\(name)' appears twice in the key of \(index.label)", at: element.attributeName.range, in: table)
        }
    }
}

/// Tables with secondary indexes created at once: DynamoDB limits how many may be CREATING together.
struct IndexedTableCreationRule: Rule {
    let description = RuleDescription(
        id: "DDB206", name: "indexed-table-creation", severity: .warning,
        summary:
            "DynamoDB limits how many tables with secondary indexes can be CREATING at once; CloudFormation creates independent tables in parallel",
        help: "chain tables that have indexes with DependsOn so they are created one after another",
        passing: [
            """
            Resources:
              A:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  GlobalSecondaryIndexes:
                  - IndexName: byE
                    KeySchema: [{AttributeName: e, KeyType: HASH}]
                    Projection: {ProjectionType: ALL}
              B:
                Type: AWS::DynamoDB::Table
                DependsOn: A
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  GlobalSecondaryIndexes:
                  - IndexName: byE
                    KeySchema: [{AttributeName: e, KeyType: HASH}]
                    Projection: {ProjectionType: ALL}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  A:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      GlobalSecondaryIndexes:
                      - IndexName: byE
                        KeySchema: [{AttributeName: e, KeyType: HASH}]
                        Projection: {ProjectionType: ALL}
                  1️⃣B:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      GlobalSecondaryIndexes:
                      - IndexName: byE
                        KeySchema: [{AttributeName: e, KeyType: HASH}]
                        Projection: {ProjectionType: ALL}
                """, "'B' has secondary indexes and nothing orders its creation after or before 'A'")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        // Positions, not copies of the tables: this rule runs beside the others, on the same tables.
        let tables = context.tables
        let indexed = tables.indices.filter { position in
            !tables[position].globalSecondaryIndexes.isEmpty || !tables[position].localSecondaryIndexes.isEmpty
                || tables[position].partlyUnknown.contains("GlobalSecondaryIndexes")
        }
        guard indexed.count > 1 else { return }
        var graph = DependencyGraph(context.template)
        let ancestors = indexed.map { graph.ancestors(of: tables[$0].logicalId) }
        // Resource positions looked up once: the pairwise scan below is quadratic in the indexed tables.
        let nodes = indexed.map { graph.node(tables[$0].logicalId) }
        func orders(_ first: Int, _ second: Int) -> Bool { nodes[second].map(ancestors[first].contains) ?? false }
        for position in indexed.indices {
            let unordered = indexed.indices.prefix(position).first { other in
                !orders(position, other) && !orders(other, position)
            }
            guard let other = unordered.map({ indexed[$0] }) else { continue }
            let table = indexed[position]
            sink.report(
                "'\(tables[table].logicalId)' has secondary indexes and nothing orders its creation after or before '\(tables[other].logicalId)'",
                at: tables[table].idRange, in: TableRef(tables, table))
        }
    }
}

/// Explicit (DependsOn) and implicit (Ref, GetAtt, Sub) dependencies between resources.
struct DependencyGraph {
    private let position: [String: Int]
    private let edges: [[Int]]
    private var memo: [Bitset?]

    init(_ template: Template) {
        let ids = template.resources.map(\.logicalId)
        let position = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        edges = template.resources.map { resource in
            var targets = Set(resource.dependsOn)
            resource.properties.map { Self.collectReferences($0, into: &targets) }
            return targets.compactMap { position[$0] }
        }
        self.position = position
        memo = Array(repeating: nil, count: ids.count)
    }

    /// The position of resource `id` in the bitsets `ancestors(of:)` returns; nil when there is no such resource.
    func node(_ id: String) -> Int? { position[id] }

    /// Every resource `id` transitively depends on, memoized as bitsets so a chain of hundreds of tables stays
    /// cheap. Iterative: a long chain must not exhaust the stack.
    mutating func ancestors(of id: String) -> Bitset {
        guard let root = position[id] else { return Bitset(count: 0) }
        var stack: [(Int, Bool)] = [(root, false)]
        var visiting = Bitset(count: edges.count)
        while let (node, expanded) = stack.popLast() {
            if memo[node] != nil { continue }
            if expanded {
                var set = Bitset(count: edges.count)
                for target in edges[node] {
                    set.insert(target)
                    if let inherited = memo[target] { set.formUnion(inherited) }
                }
                memo[node] = set
                continue
            }
            guard !visiting.contains(node) else { continue }  // A cycle: CloudFormation reports it.
            visiting.insert(node)
            stack.append((node, true))
            for target in edges[node] where memo[target] == nil && !visiting.contains(target) {
                stack.append((target, false))
            }
        }
        return memo[root] ?? Bitset(count: edges.count)
    }

    private static func collectReferences(_ node: Node, into targets: inout Set<String>) {
        guard node.containsIntrinsic else { return }
        if let (name, argument) = node.intrinsic {
            switch name {
            case "Ref": argument.string.map { _ = targets.insert($0) }
            case "Fn::GetAtt": (argument.items?.first?.string).map { _ = targets.insert($0) }
            case "Fn::Sub": subVariables(argument.string ?? argument.items?.first?.string ?? "", into: &targets)
            default: break
            }
        }
        switch node.kind {
        case .mapping(let entries): for entry in entries { collectReferences(entry.value, into: &targets) }
        case .sequence(let items): for item in items { collectReferences(item, into: &targets) }
        default: break
        }
    }

    /// The resource part of each `${Name}` or `${Name.Attribute}` in a Sub string.
    private static func subVariables(_ text: String, into targets: inout Set<String>) {
        let bytes = Array(text.utf8)
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{") else {
                index += 1
                continue
            }
            let start = index + 2
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "}"), bytes[end] != UInt8(ascii: ".") { end += 1 }
            targets.insert(String(decoding: bytes[start..<end], as: UTF8.self))
            index = end
        }
    }
}

/// A fixed-size set of small integers.
struct Bitset {
    private var words: [UInt64]

    init(count: Int) {
        words = Array(repeating: 0, count: (count + 63) / 64)
    }

    func contains(_ member: Int) -> Bool {
        member / 64 < words.count && words[member / 64] & (1 << UInt64(member % 64)) != 0
    }

    mutating func insert(_ member: Int) { words[member / 64] |= 1 << UInt64(member % 64) }

    mutating func formUnion(_ other: Bitset) {
        for index in other.words.indices { words[index] |= other.words[index] }
    }
}
