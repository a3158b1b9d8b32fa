import Schema
import Template

/// BillingMode is PROVISIONED or PAY_PER_REQUEST.
struct BillingModeValueRule: Rule {
    let description = RuleDescription(
        id: "DDB301", name: "billing-mode", severity: .error,
        summary: "BillingMode is PROVISIONED (the default) or PAY_PER_REQUEST",
        help: "write PAY_PER_REQUEST for on-demand capacity",
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
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: 1️⃣ON_DEMAND
                """, "BillingMode 'ON_DEMAND' is not PROVISIONED or PAY_PER_REQUEST; did you mean 'PAY_PER_REQUEST'?")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard table.kind != .simpleTable else { return }
            guard let field = table.billingModeText, let text = field.value, Table.BillingMode(rawValue: text) == nil
            else { return }
            var message = "BillingMode '\(text)' is not PROVISIONED or PAY_PER_REQUEST"
            let guess =
                ["ON_DEMAND": "PAY_PER_REQUEST", "ONDEMAND": "PAY_PER_REQUEST"][text.uppercased()]
                ?? Suggestions.closest(to: text, in: ["PROVISIONED", "PAY_PER_REQUEST"])
            if let guess { message += "; did you mean '\(guess)'?" }
            sink.report(message, at: field.range, in: table)
        }
    }
}

/// PROVISIONED needs throughput on the table and on every GSI (cfn-lint E3639).
struct ProvisionedThroughputRequiredRule: Rule {
    let description = RuleDescription(
        id: "DDB302", name: "provisioned-needs-throughput", severity: .error,
        summary:
            "with BillingMode PROVISIONED (the default) the table and every GSI need ProvisionedThroughput (a global table: WriteProvisionedThroughputSettings)",
        help:
            "add ProvisionedThroughput — on a global table, WriteProvisionedThroughputSettings (write auto scaling) — or set BillingMode: PAY_PER_REQUEST",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
                  GlobalSecondaryIndexes:
                  - IndexName: byE
                    KeySchema: [{AttributeName: e, KeyType: HASH}]
                    Projection: {ProjectionType: ALL}
                    ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  1️⃣T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                      GlobalSecondaryIndexes:
                        - 2️⃣{IndexName: byE, KeySchema: [{AttributeName: e, KeyType: HASH}], Projection: {ProjectionType: ALL}}
                """, "'T' is PROVISIONED (the default) but has no ProvisionedThroughput",
                "GSI 'byE' of a PROVISIONED table has no ProvisionedThroughput"),
            FailingExample(
                """
                Resources:
                  G:
                    Type: AWS::DynamoDB::GlobalTable
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: 1️⃣PROVISIONED
                      Replicas: [{Region: eu-west-1}]
                """, "'G' is PROVISIONED but has no WriteProvisionedThroughputSettings"),
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard table.billingMode == .provisioned else { return }
            let at = table.billingModeText?.range ?? table.idRange
            let implied = table.billingModeText == nil ? " (the default)" : ""
            if table.kind == .globalTable {
                if !table.hasWriteProvisionedSettings {
                    sink.report(
                        "'\(table.logicalId)' is PROVISIONED\(implied) but has no WriteProvisionedThroughputSettings",
                        at: at, in: table)
                }
                for index in table.globalSecondaryIndexes where !index.hasWriteProvisionedSettings {
                    sink.report(
                        "\(index.label) of a PROVISIONED global table has no WriteProvisionedThroughputSettings",
                        at: index.range, in: table)
                }
                return
            }
            if table.provisionedThroughput == nil, !table.partlyUnknown.contains("ProvisionedThroughput") {
                sink.report(
                    "'\(table.logicalId)' is PROVISIONED\(implied) but has no ProvisionedThroughput", at: at, in: table)
            }
            for index in table.globalSecondaryIndexes where index.provisionedThroughput == nil {
                sink.report(
                    "\(index.label) of a PROVISIONED table has no ProvisionedThroughput", at: index.range, in: table)
            }
        }
    }
}

/// PAY_PER_REQUEST forbids ProvisionedThroughput on the table and its GSIs (cfn-lint E3638); 0/0 is accepted.
struct OnDemandThroughputRule: Rule {
    let description = RuleDescription(
        id: "DDB303", name: "on-demand-without-throughput", severity: .error,
        summary: "with BillingMode PAY_PER_REQUEST, ProvisionedThroughput is refused on the table and on every GSI",
        help: "remove ProvisionedThroughput, or cap on-demand capacity with OnDemandThroughput",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  OnDemandThroughput: {MaxReadRequestUnits: 100}
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
                      ProvisionedThroughput: 1️⃣{ReadCapacityUnits: 5, WriteCapacityUnits: 5}
                      GlobalSecondaryIndexes:
                        - {IndexName: byE, KeySchema: [{AttributeName: e, KeyType: HASH}], Projection: {ProjectionType: ALL}, ProvisionedThroughput: 2️⃣{ReadCapacityUnits: 1, WriteCapacityUnits: 1}}
                """, "'T' is PAY_PER_REQUEST, so ProvisionedThroughput is not allowed",
                "GSI 'byE' of a PAY_PER_REQUEST table has ProvisionedThroughput")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard table.billingMode == .payPerRequest && table.kind == .table else { return }
            if let throughput = table.provisionedThroughput, !throughput.isZero {
                sink.report(
                    "'\(table.logicalId)' is PAY_PER_REQUEST, so ProvisionedThroughput is not allowed",
                    at: throughput.range, in: table)
            }
            for index in table.globalSecondaryIndexes {
                guard let throughput = index.provisionedThroughput, !throughput.isZero else { continue }
                sink.report(
                    "\(index.label) of a PAY_PER_REQUEST table has ProvisionedThroughput", at: throughput.range,
                    in: table)
            }
        }
    }
}

/// OnDemandThroughput caps on-demand capacity; DynamoDB refuses it on a PROVISIONED table or its GSIs.
/// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_OnDemandThroughput.html
struct ProvisionedWithoutOnDemandThroughputRule: Rule {
    let description = RuleDescription(
        id: "DDB305", name: "provisioned-without-on-demand-throughput", severity: .error,
        summary:
            "OnDemandThroughput applies to PAY_PER_REQUEST tables only; DynamoDB refuses it on a PROVISIONED table and its GSIs",
        help: "remove OnDemandThroughput, or set BillingMode: PAY_PER_REQUEST (and drop ProvisionedThroughput)",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  OnDemandThroughput: {MaxReadRequestUnits: 100}
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
                      ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
                      OnDemandThroughput: 1️⃣{MaxReadRequestUnits: 100}
                      GlobalSecondaryIndexes:
                        - IndexName: byE
                          KeySchema: [{AttributeName: e, KeyType: HASH}]
                          Projection: {ProjectionType: ALL}
                          ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
                          OnDemandThroughput: 2️⃣{MaxWriteRequestUnits: 10}
                """, "'T' is PROVISIONED (the default), so OnDemandThroughput is refused",
                "GSI 'byE' of a PROVISIONED table has OnDemandThroughput")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard table.billingMode == .provisioned && table.kind == .table else { return }
            let implied = table.billingModeText == nil ? " (the default)" : ""
            if let node = table.properties?["OnDemandThroughput"] {
                sink.report(
                    "'\(table.logicalId)' is PROVISIONED\(implied), so OnDemandThroughput is refused", at: node.range,
                    in: table)
            }
            for index in table.properties?["GlobalSecondaryIndexes"]?.items ?? [] {
                guard let node = index["OnDemandThroughput"] else { continue }
                sink.report(
                    "GSI '\(index["IndexName"]?.scalarText ?? "?")' of a PROVISIONED table has OnDemandThroughput",
                    at: node.range, in: table)
            }
        }
    }
}

/// Provisioned capacity units are at least 1.
struct ThroughputMinimumRule: Rule {
    let description = RuleDescription(
        id: "DDB304", name: "throughput-minimum", severity: .error,
        summary: "ReadCapacityUnits and WriteCapacityUnits of a PROVISIONED table and its GSIs are at least 1",
        help: "use at least 1 unit, or PAY_PER_REQUEST",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
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
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      ProvisionedThroughput: {ReadCapacityUnits: 1️⃣0, WriteCapacityUnits: 2️⃣-1}
                """, "ReadCapacityUnits of 'T' is 0; at least 1", "WriteCapacityUnits of 'T' is -1; at least 1")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard table.billingMode == .provisioned else { return }
            check(table.provisionedThroughput, owner: "'\(table.logicalId)'", table: table, into: &sink)
            for index in table.globalSecondaryIndexes {
                check(index.provisionedThroughput, owner: index.label, table: table, into: &sink)
            }
        }
    }

    private func check(_ throughput: Throughput?, owner: String, table: TableRef, into sink: inout FindingSink) {
        for (name, field) in [("ReadCapacityUnits", throughput?.read), ("WriteCapacityUnits", throughput?.write)] {
            guard let field, let value = field.value, value < 1 else { continue }
            sink.report("\(name) of \(owner) is \(value); at least 1", at: field.range, in: table)
        }
    }
}
