import Schema
import Template

/// TableName: 3–255 characters of `[a-zA-Z0-9_.-]`.
struct TableNameRule: Rule {
    let description = RuleDescription(
        id: "DDB901", name: "table-name", severity: .error,
        summary: "a table name is 3 to 255 characters of letters, digits, '_', '-' and '.'",
        help: "fix the name before the first deploy: renaming a deployed table replaces it",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: app-users.v1
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
            """
        ],
        failing: [
            FailingExample(
                """
                Parameters: {Env: {Type: String, Default: x}}
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: 1️⃣ab
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                  U:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: 2️⃣!Sub '${Env} users'
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "TableName 'ab' is 2 characters; it needs 3 to 255",
                "TableName 'x users' has characters other than")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard let field = table.tableName, let name = field.value, let problem = NameRules.problem(with: name)
            else { return }
            sink.report("TableName \(problem)", at: field.range, in: table)
        }
    }
}

/// Two table resources may not have the same physical name.
struct TableNameUniqueRule: Rule {
    let description = RuleDescription(
        id: "DDB902", name: "table-name-unique", severity: .error,
        summary: "two tables cannot have the same TableName: the second one fails to create",
        help: "give each table its own name (a prefix with the environment or stack name keeps them apart)",
        passing: [
            """
            Resources:
              A:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: users
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
              B:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: accounts
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
            """
        ],
        failing: [
            FailingExample(
                """
                Parameters: {Env: {Type: String, Default: staging}}
                Resources:
                  A:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: staging-users
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                  B:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: 1️⃣!Sub '${Env}-users'
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "TableName 'staging-users' of 'B' is also the name of 'A'")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        var owners: [String: String] = [:]
        // A table a false Condition leaves out may share its name with the one deployed instead.
        context.forEachTable { table in
            guard !context.isExcluded(table) else { return }
            guard let field = table.tableName, let name = field.value else { return }
            if let first = owners[name] {
                sink.report(
                    "TableName '\(name)' of '\(table.logicalId)' is also the name of '\(first)'", at: field.range,
                    in: table)
            } else {
                owners[name] = table.logicalId
            }
        }
    }
}
