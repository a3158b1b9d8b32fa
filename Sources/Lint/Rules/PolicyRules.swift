import Schema
import Template

/// DeletionPolicy and UpdateReplacePolicy values a DynamoDB table supports.
struct PolicyValueRule: Rule {
    static let deletionPolicies: [String] = ["Delete", "Retain", "RetainExceptOnCreate"]
    static let updateReplacePolicies: [String] = ["Delete", "Retain"]

    let description = RuleDescription(
        id: "DDB911", name: "policy-value", severity: .error,
        summary:
            "DynamoDB tables support DeletionPolicy Delete, Retain or RetainExceptOnCreate and UpdateReplacePolicy Delete or Retain; Snapshot is not supported",
        help: "use Retain, and take backups with PITR or AWS Backup",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                DeletionPolicy: RetainExceptOnCreate
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
                  T:
                    Type: AWS::DynamoDB::Table
                    DeletionPolicy: 1️⃣Snapshot
                    UpdateReplacePolicy: 2️⃣retain
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "DeletionPolicy 'Snapshot' is not supported for DynamoDB tables",
                "UpdateReplacePolicy 'retain' is not one of Delete, Retain; did you mean 'Retain'?")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            check(table.deletionPolicy, "DeletionPolicy", allowed: Self.deletionPolicies, table: table, into: &sink)
            check(
                table.updateReplacePolicy, "UpdateReplacePolicy", allowed: Self.updateReplacePolicies, table: table,
                into: &sink)
        }
    }

    private func check(
        _ field: Field<String>?, _ name: String, allowed: [String], table: TableRef, into sink: inout FindingSink
    ) {
        guard let field, let value = field.value, !allowed.contains(value) else { return }
        if value == "Snapshot" {
            sink.report("\(name) 'Snapshot' is not supported for DynamoDB tables", at: field.range, in: table)
            return
        }
        var message = "\(name) '\(value)' is not one of \(allowed.sorted().joined(separator: ", "))"
        if let guess = Suggestions.closest(to: value, in: allowed) { message += "; did you mean '\(guess)'?" }
        sink.report(message, at: field.range, in: table)
    }
}

/// Without both policies, removing the resource or replacing the table deletes the data.
struct RetentionPoliciesRule: Rule {
    let description = RuleDescription(
        id: "DDB912", name: "retention-policies", severity: .warning,
        summary:
            "without DeletionPolicy and UpdateReplacePolicy, both default to Delete: removing the table from the template or a replacement deletes its data",
        help: "set DeletionPolicy: Retain and UpdateReplacePolicy: Retain on tables that hold data you keep",
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
                    DeletionPolicy: Retain
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "'T' has no UpdateReplacePolicy")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            let missing = [
                ("DeletionPolicy", table.deletionPolicy), ("UpdateReplacePolicy", table.updateReplacePolicy),
            ]
            .filter { $0.1 == nil }.map(\.0)
            guard !missing.isEmpty else { return }
            sink.report(
                "'\(table.logicalId)' has no \(missing.joined(separator: " and ")): it defaults to Delete",
                at: table.idRange, in: table)
        }
    }
}
