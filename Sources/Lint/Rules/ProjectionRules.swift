import Schema
import Template

/// ProjectionType is ALL, KEYS_ONLY or INCLUDE.
struct ProjectionTypeValueRule: Rule {
    let description = RuleDescription(
        id: "DDB211", name: "projection-type", severity: .error,
        summary: "ProjectionType is ALL, KEYS_ONLY or INCLUDE",
        help: "use KEYS_ONLY or INCLUDE to keep an index small, ALL when readers need every attribute",
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
                  - IndexName: byE
                    KeySchema: [{AttributeName: e, KeyType: HASH}]
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
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      GlobalSecondaryIndexes:
                      - IndexName: byE
                        KeySchema: [{AttributeName: e, KeyType: HASH}]
                        Projection: {ProjectionType: 1️⃣KEYS}
                """, "ProjectionType 'KEYS' of GSI 'byE' is not ALL, KEYS_ONLY or INCLUDE; did you mean 'KEYS_ONLY'?")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            table.forEachSecondaryIndex { index in
                guard let type = index.projection?.type, let text = type.value, !Projection.types.contains(text) else {
                    return
                }
                var message = "ProjectionType '\(text)' of \(index.label) is not ALL, KEYS_ONLY or INCLUDE"
                if let guess = Suggestions.closest(to: text, in: Projection.types) {
                    message += "; did you mean '\(guess)'?"
                }
                sink.report(message, at: type.range, in: table)
            }
        }
    }
}

/// NonKeyAttributes: required by INCLUDE and only allowed with it; at most 20 per index, no repeats.
struct ProjectionAttributesRule: Rule {
    static let perIndexLimit = 20

    let description = RuleDescription(
        id: "DDB212", name: "projection-attributes", severity: .error,
        summary:
            "NonKeyAttributes is required by ProjectionType INCLUDE, allowed only with it, and holds at most 20 distinct names",
        help: "use INCLUDE with the attributes readers need, or ALL if they need more than 20",
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
                  - IndexName: byE
                    KeySchema: [{AttributeName: e, KeyType: HASH}]
                    Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [name]}
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
                        - {IndexName: a, KeySchema: [{AttributeName: e, KeyType: HASH}], Projection: 1️⃣{ProjectionType: INCLUDE}}
                        - {IndexName: b, KeySchema: [{AttributeName: e, KeyType: HASH}], Projection: {ProjectionType: KEYS_ONLY, NonKeyAttributes: 2️⃣[name]}}
                        - {IndexName: c, KeySchema: [{AttributeName: e, KeyType: HASH}], Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [name, 3️⃣name]}}
                """, "ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
                "NonKeyAttributes of GSI 'b' is only allowed with ProjectionType INCLUDE",
                "'name' is listed twice in NonKeyAttributes of GSI 'c'")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            table.forEachSecondaryIndex { index in
                guard let projection = index.projection, let type = projection.type?.value else { return }
                let attributes = projection.nonKeyAttributes
                if type == "INCLUDE", projection.nonKeyAttributesRange == nil {
                    sink.report(
                        "\(index.label): ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
                        at: projection.range, in: table)
                } else if type != "INCLUDE", let range = projection.nonKeyAttributesRange {
                    sink.report(
                        "NonKeyAttributes of \(index.label) is only allowed with ProjectionType INCLUDE, not \(type)",
                        at: range, in: table)
                }
                if attributes.count > Self.perIndexLimit {
                    sink.report(
                        "\(index.label) projects \(attributes.count) non-key attributes; at most \(Self.perIndexLimit)",
                        at: projection.nonKeyAttributesRange ?? projection.range, in: table)
                }
                var seen: Set<String> = []
                for attribute in attributes {
                    guard let name = attribute.value, !seen.insert(name).inserted else { continue }
                    sink.report(
                        "'\(name)' is listed twice in NonKeyAttributes of \(index.label)", at: attribute.range,
                        in: table)
                }
            }
        }
    }
}

/// At most 100 projected non-key attributes summed over every index of a table.
struct ProjectionTotalRule: Rule {
    static let limit = 100

    let description = RuleDescription(
        id: "DDB213", name: "projection-total", severity: .error,
        summary:
            "NonKeyAttributes summed over all indexes of a table may not exceed 100 (an attribute in two indexes counts twice)",
        help: "project ALL on the indexes that need many attributes, or fewer attributes",
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
                  - IndexName: byE
                    KeySchema: [{AttributeName: e, KeyType: HASH}]
                    Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [a, b, c]}
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
                      GlobalSecondaryIndexes: 1️⃣[
                """
                    + (1...6).map { index in
                        "      {IndexName: gsi\(index), KeySchema: [{AttributeName: e, KeyType: HASH}], Projection: {ProjectionType: INCLUDE, NonKeyAttributes: ["
                            + (1...20).map { "a\($0)" }.joined(separator: ", ") + "]}}"
                    }.joined(separator: ",\n") + "]",
                "'T' projects 120 non-key attributes over its indexes; at most 100")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            var total = 0
            table.forEachSecondaryIndex { total += $0.projection?.nonKeyAttributes.count ?? 0 }
            guard total > Self.limit else { return }
            sink.report(
                "'\(table.logicalId)' projects \(total) non-key attributes over its indexes; at most \(Self.limit)",
                at: table.globalSecondaryIndexesRange ?? table.localSecondaryIndexesRange ?? table.idRange, in: table)
        }
    }
}
