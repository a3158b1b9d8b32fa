import Schema
import Template

/// A table key is one HASH element, then optionally one RANGE element.
struct KeySchemaShapeRule: Rule {
    let description = RuleDescription(
        id: "DDB101", name: "key-schema", severity: .error,
        summary: "a table's KeySchema is exactly one HASH key, optionally followed by one RANGE key",
        help: "list the partition key (HASH) first and at most one sort key (RANGE) after it",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]
                  AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: S}]
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
                      KeySchema:
                      - {AttributeName: sk, KeyType: 1️⃣RANGE}
                      - {AttributeName: pk, KeyType: 2️⃣HASH}
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "the first key element must be HASH, found RANGE",
                "the second key element must be RANGE, found HASH"),
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: 1️⃣[]
                      BillingMode: PAY_PER_REQUEST
                """, "KeySchema of 'T' is empty"),
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}, 1️⃣{AttributeName: x, KeyType: RANGE}]
                      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: S}, {AttributeName: x, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "KeySchema of 'T' has 3 elements; a table key has at most 2"),
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard !table.partlyUnknown.contains("KeySchema") && table.kind != .simpleTable else { return }
            let key = table.keySchema
            guard !key.isEmpty else {
                if table.properties?["KeySchema"] != nil {
                    sink.report(
                        "KeySchema of '\(table.logicalId)' is empty; a table needs a HASH key",
                        at: table.keySchemaRange, in: table)
                }
                return
            }
            if key.count > 2 {
                sink.report(
                    "KeySchema of '\(table.logicalId)' has \(key.count) elements; a table key has at most 2",
                    at: key[2].range, in: table)
                return
            }
            for (position, element) in key.enumerated() {
                let expected: KeyElement.KeyType = position == 0 ? .hash : .range
                guard let type = element.keyType, type != expected else { continue }
                let ordinal = position == 0 ? "first" : "second"
                sink.report(
                    "the \(ordinal) key element must be \(expected.rawValue), found \(type.rawValue)",
                    at: element.keyTypeText.range, in: table)
            }
            if key.count == 2, let first = key[0].attributeName.value, first == key[1].attributeName.value {
                sink.report("'\(first)' is both the HASH and the RANGE key", at: key[1].attributeName.range, in: table)
            }
        }
    }
}

/// KeyType is HASH or RANGE, in every key.
struct KeyTypeValueRule: Rule {
    let description = RuleDescription(
        id: "DDB102", name: "key-type", severity: .error,
        summary: "KeyType must be HASH or RANGE (upper case)",
        help: "write HASH for the partition key and RANGE for the sort key",
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
                      KeySchema: [{AttributeName: id, KeyType: 1️⃣hash}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      GlobalSecondaryIndexes:
                      - IndexName: byE
                        KeySchema: [{AttributeName: e, KeyType: 2️⃣PARTITION}]
                        Projection: {ProjectionType: ALL}
                """, "KeyType 'hash' is not HASH or RANGE; did you mean 'HASH'?",
                "KeyType 'PARTITION' is not HASH or RANGE")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            table.forEachKeyElement { element in
                guard let text = element.keyTypeText.value, element.keyType == nil else { return }
                var message = "KeyType '\(text)' is not HASH or RANGE"
                if let guess = Suggestions.closest(to: text, in: ["HASH", "RANGE"]) {
                    message += "; did you mean '\(guess)'?"
                }
                sink.report(message, at: element.keyTypeText.range, in: table)
            }
        }
    }
}

/// AttributeType is S, N or B.
struct AttributeTypeValueRule: Rule {
    static let spelledOut = ["String": "S", "Number": "N", "Binary": "B", "string": "S", "number": "N", "binary": "B"]

    let description = RuleDescription(
        id: "DDB103", name: "attribute-type", severity: .error,
        summary: "a key attribute's type is S (string), N (number) or B (binary)",
        help: "use S, N or B; other types (lists, maps, booleans) cannot be key attributes",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: N}]
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
                      KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]
                      AttributeDefinitions:
                      - {AttributeName: id, AttributeType: 1️⃣String}
                      - {AttributeName: at, AttributeType: 2️⃣BOOL}
                      BillingMode: PAY_PER_REQUEST
                """, "AttributeType 'String' of 'id' is not S, N or B; did you mean 'S'?",
                "AttributeType 'BOOL' of 'at' is not S, N or B")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            for definition in table.attributeDefinitions {
                guard let type = definition.type.value, !AttributeDefinition.types.contains(type) else { continue }
                var message = "AttributeType '\(type)' of '\(definition.name.value ?? "?")' is not S, N or B"
                if let guess = Self.spelledOut[type] { message += "; did you mean '\(guess)'?" }
                sink.report(message, at: definition.type.range, in: table)
            }
        }
    }
}

/// AttributeDefinitions must be exactly the attributes used by the table key and every index key.
struct AttributeDefinitionsMatchRule: Rule {
    static let dependsOn: [String] = [
        "KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
    ]

    let description = RuleDescription(
        id: "DDB104", name: "attribute-definitions", severity: .error,
        summary: "AttributeDefinitions must list every key attribute of the table and its indexes, and nothing else",
        help:
            "define each attribute used in a KeySchema once; remove definitions no key uses (non-key attributes are never declared)",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: email, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  GlobalSecondaryIndexes:
                  - IndexName: byEmail
                    KeySchema: [{AttributeName: email, KeyType: HASH}]
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
                      AttributeDefinitions:
                        - {AttributeName: id, AttributeType: S}
                        - 1️⃣{AttributeName: name, AttributeType: S}
                        - 2️⃣{AttributeName: id, AttributeType: S}
                      BillingMode: PAY_PER_REQUEST
                      GlobalSecondaryIndexes:
                        - {IndexName: byEmail, KeySchema: [{AttributeName: 3️⃣email, KeyType: HASH}], Projection: {ProjectionType: ALL}}
                """, "'name' is defined in AttributeDefinitions but no key uses it", "'id' is defined twice",
                "'email' is used in the key of GSI 'byEmail' but not defined in AttributeDefinitions")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard table.kind != .simpleTable, table.partlyUnknown.isDisjoint(with: Self.dependsOn) else { return }
            var defined: Set<String> = []
            for definition in table.attributeDefinitions {
                guard let name = definition.name.value else { continue }
                if !defined.insert(name).inserted {
                    sink.report("'\(name)' is defined twice in AttributeDefinitions", at: definition.range, in: table)
                } else if !table.isKeyAttribute(name) {
                    sink.report(
                        "'\(name)' is defined in AttributeDefinitions but no key uses it (\"Some AttributeDefinitions are not used\")",
                        at: definition.range, in: table)
                }
            }
            var reported: Set<String> = []
            // The owner's label is made only for a finding: most tables have none.
            func requireDefinitions(_ key: [KeyElement], of owner: () -> String) {
                for element in key {
                    guard let name = element.attributeName.value, !defined.contains(name),
                        reported.insert(name).inserted
                    else { continue }
                    sink.report(
                        "'\(name)' is used in the key of \(owner()) but not defined in AttributeDefinitions",
                        at: element.attributeName.range, in: table)
                }
            }
            requireDefinitions(table.keySchema) { "the table" }
            for index in table.globalSecondaryIndexes { requireDefinitions(index.keySchema) { index.label } }
            for index in table.localSecondaryIndexes { requireDefinitions(index.keySchema) { index.label } }
        }
    }
}
