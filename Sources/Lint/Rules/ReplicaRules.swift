import Schema
import Template

/// A global table's replicas: at least one, each region once, the stack's own region among them.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-globaltable.html
struct GlobalTableReplicasRule: Rule {
    let description = RuleDescription(
        id: "DDB451", name: "global-table-replicas", severity: .error,
        summary: "a global table lists at least one replica, each region once, and the stack's own region among them",
        help: "list one replica per region, including the region the stack is deployed to",
        passing: [
            """
            Resources:
              G:
                Type: AWS::DynamoDB::GlobalTable
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
                  Replicas: [{Region: !Ref 'AWS::Region'}, {Region: eu-west-1}]
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  G:
                    Type: AWS::DynamoDB::GlobalTable
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      Replicas: 1️⃣[]
                """, "'G' has no replicas: a global table needs at least the stack's own region"),
            FailingExample(
                """
                Resources:
                  G:
                    Type: AWS::DynamoDB::GlobalTable
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
                      Replicas: [{Region: eu-west-1}, 1️⃣{Region: eu-west-1}]
                """, "region 'eu-west-1' is listed twice in the replicas of 'G'"),
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard table.kind == .globalTable && !table.partlyUnknown.contains("Replicas") else { return }
            guard let list = table.properties?["Replicas"] else { return }
            if table.replicas.isEmpty {
                sink.report(
                    "'\(table.logicalId)' has no replicas: a global table needs at least the stack's own region",
                    at: list.range, in: table)
                return
            }
            var seen: Set<String> = []
            for replica in table.replicas {
                guard let region = replica.region.value else { continue }
                if !seen.insert(region).inserted {
                    sink.report(
                        "region '\(region)' is listed twice in the replicas of '\(table.logicalId)'", at: replica.range,
                        in: table)
                }
            }
            if let region = context.resolved.region, table.replicas.allSatisfy({ $0.region.value != nil }),
                !seen.contains(region)
            {
                sink.report(
                    "the replicas of '\(table.logicalId)' leave out \(region), the stack's own region, which CloudFormation requires",
                    at: list.range, in: table)
            }
        }
    }
}

/// More than one replica needs a stream: replication runs on it.
struct GlobalTableStreamRule: Rule {
    let description = RuleDescription(
        id: "DDB452", name: "global-table-stream", severity: .error,
        summary: "a global table with more than one replica needs StreamSpecification",
        help: "add StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}",
        passing: [
            """
            Resources:
              G:
                Type: AWS::DynamoDB::GlobalTable
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  Replicas: [{Region: us-east-1}]
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  1️⃣G:
                    Type: AWS::DynamoDB::GlobalTable
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      Replicas: [{Region: us-east-1}, {Region: eu-west-1}]
                """, "'G' has 2 replicas but no StreamSpecification")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard
                table.kind == .globalTable && table.replicas.count > 1 && table.stream == nil
                    && !table.partlyUnknown.contains("StreamSpecification")
            else { return }
            sink.report(
                "'\(table.logicalId)' has \(table.replicas.count) replicas but no StreamSpecification",
                at: table.idRange, in: table)
        }
    }
}

/// Strong consistency across regions needs three replicas, or two and one witness.
struct GlobalTableConsistencyRule: Rule {
    let description = RuleDescription(
        id: "DDB453", name: "global-table-consistency", severity: .error,
        summary:
            "MultiRegionConsistency STRONG needs three replicas, or two replicas and exactly one GlobalTableWitnesses entry",
        help: "add a third replica or one witness region, or use EVENTUAL",
        passing: [
            """
            Resources:
              G:
                Type: AWS::DynamoDB::GlobalTable
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
                  MultiRegionConsistency: STRONG
                  Replicas: [{Region: us-east-1}, {Region: us-east-2}]
                  GlobalTableWitnesses: [{Region: us-west-2}]
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  G:
                    Type: AWS::DynamoDB::GlobalTable
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
                      MultiRegionConsistency: 1️⃣STRONG
                      Replicas: [{Region: us-east-1}, {Region: us-east-2}]
                """, "'G' is STRONG with 2 replicas and 0 witnesses: it needs 3 replicas, or 2 and exactly one witness")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard table.kind == .globalTable else { return }
            guard let mode = table.properties?["MultiRegionConsistency"], mode.string == "STRONG",
                !table.partlyUnknown.contains("Replicas"), !table.partlyUnknown.contains("GlobalTableWitnesses")
            else { return }
            let witnesses = table.properties?["GlobalTableWitnesses"]?.items?.count ?? 0
            let replicas = table.replicas.count
            guard !(replicas == 3 && witnesses == 0), !(replicas == 2 && witnesses == 1) else { return }
            sink.report(
                "'\(table.logicalId)' is STRONG with \(replicas) replicas and \(witnesses) witnesses: it needs 3 replicas, or 2 and exactly one witness",
                at: mode.range, in: table)
        }
    }
}
