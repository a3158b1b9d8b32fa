import Schema
import Template

/// The safeguards production tables rely on; only in the `production` profile. A value unknown offline is
/// not reported (it cannot be proven either way).
struct ProductionPointInTimeRecoveryRule: Rule {
    let description = RuleDescription(
        id: "DDB951", name: "production-pitr", severity: .error,
        summary:
            "production tables need point-in-time recovery: it is the only way back from a bad write or a deleted item",
        help: "set PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}",
        profile: .production,
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
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
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                  U:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: 2️⃣false}
                """, "'T' has no point-in-time recovery", "'U' has no point-in-time recovery")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            let owners =
                table.kind == .globalTable
                ? table.replicas.map { ($0.pointInTimeRecovery, $0.range) }
                : [(table.pointInTimeRecovery, table.idRange)]
            for (pitr, range) in owners where pitr?.enabled?.value != true && pitr?.enabled?.isUnknown != true {
                sink.report(
                    "'\(table.logicalId)' has no point-in-time recovery", at: pitr?.enabled?.range ?? range, in: table)
            }
        }
    }
}

struct ProductionDeletionProtectionRule: Rule {
    let description = RuleDescription(
        id: "DDB952", name: "production-deletion-protection", severity: .error,
        summary:
            "production tables need deletion protection: it stops a delete from any tool, not only from CloudFormation",
        help: "set DeletionProtectionEnabled: true",
        profile: .production,
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  DeletionProtectionEnabled: true
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
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "'T' is not deletion-protected")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard table.kind != .simpleTable else { return }
            let owners =
                table.kind == .globalTable
                ? table.replicas.map { ($0.deletionProtection, $0.range) } : [(table.deletionProtection, table.idRange)]
            for (field, range) in owners where field?.value != true && field?.isUnknown != true {
                sink.report("'\(table.logicalId)' is not deletion-protected", at: field?.range ?? range, in: table)
            }
        }
    }
}

struct ProductionRetainRule: Rule {
    let description = RuleDescription(
        id: "DDB953", name: "production-retain", severity: .error,
        summary:
            "production tables need DeletionPolicy and UpdateReplacePolicy Retain, so no template change can delete their data",
        help: "set DeletionPolicy: Retain and UpdateReplacePolicy: Retain",
        profile: .production,
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
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
                  1️⃣T:
                    Type: AWS::DynamoDB::Table
                    UpdateReplacePolicy: 2️⃣Delete
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "'T' has DeletionPolicy Delete (the default)", "'T' has UpdateReplacePolicy Delete")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            for (name, field) in [
                ("DeletionPolicy", table.deletionPolicy), ("UpdateReplacePolicy", table.updateReplacePolicy),
            ] {
                if field?.isUnknown == true { continue }
                let value = field?.value ?? "Delete"
                guard !value.hasPrefix("Retain") else { continue }
                let implied = field == nil ? " (the default)" : ""
                sink.report(
                    "'\(table.logicalId)' has \(name) \(value)\(implied)", at: field?.range ?? table.idRange, in: table)
            }
        }
    }
}

struct ProductionEncryptionRule: Rule {
    let description = RuleDescription(
        id: "DDB954", name: "production-encryption", severity: .error,
        summary:
            "production tables need encryption with a KMS key (SSEEnabled), so key use is audited in CloudTrail and access can be revoked",
        help:
            "set SSESpecification: {SSEEnabled: true} (AWS managed key) or add SSEType: KMS and KMSMasterKeyId for your own key",
        profile: .production,
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  SSESpecification: {SSEEnabled: true}
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
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "'T' is encrypted only with an AWS owned key")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            let enabled = table.encryption?.enabled
            guard enabled?.value != true, enabled?.isUnknown != true else { return }
            sink.report(
                "'\(table.logicalId)' is encrypted only with an AWS owned key (SSEEnabled is not true)",
                at: enabled?.range ?? table.idRange, in: table)
        }
    }
}
