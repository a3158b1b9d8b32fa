import Schema
import Template

/// StreamViewType is one of the four DynamoDB Streams views.
struct StreamViewTypeValueRule: Rule {
    let description = RuleDescription(
        id: "DDB401", name: "stream-view-type", severity: .error,
        summary: "StreamViewType is KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES",
        help: "pick the view your consumers read; NEW_AND_OLD_IMAGES when unsure",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
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
                      BillingMode: PAY_PER_REQUEST
                      StreamSpecification: {StreamViewType: 1️⃣NEW_AND_OLD_IMAGE}
                """,
                "StreamViewType 'NEW_AND_OLD_IMAGE' is not one of KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE, OLD_IMAGE; did you mean 'NEW_AND_OLD_IMAGES'?"
            )
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        context.forEachTable { table in
            guard let field = table.stream?.viewType, let text = field.value, !Stream.viewTypes.contains(text) else {
                return
            }
            var message = "StreamViewType '\(text)' is not one of \(Stream.viewTypes.sorted().joined(separator: ", "))"
            if let guess = Suggestions.closest(to: text, in: Stream.viewTypes) {
                message += "; did you mean '\(guess)'?"
            }
            sink.report(message, at: field.range, in: table)
        }
    }
}

/// `Fn::GetAtt Table.StreamArn` needs the table to have a stream.
struct StreamArnWithoutStreamRule: Rule {
    let description = RuleDescription(
        id: "DDB402", name: "stream-arn-needs-stream", severity: .error,
        summary: "GetAtt StreamArn of a table without StreamSpecification fails at deploy time",
        help: "add StreamSpecification to the table, or stop reading its StreamArn",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
                  StreamSpecification: {StreamViewType: NEW_IMAGE}
            Outputs:
              Stream: {Value: !GetAtt 'T.StreamArn'}
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
                      BillingMode: PAY_PER_REQUEST
                  Mapping:
                    Type: AWS::Lambda::EventSourceMapping
                    Properties: {FunctionName: f, StartingPosition: LATEST, EventSourceArn: 1️⃣!GetAtt T.StreamArn}
                Outputs:
                  Stream: {Value: 2️⃣{'Fn::GetAtt': [T, StreamArn]}}
                """, "'T' has no StreamSpecification, so it has no StreamArn", "'T' has no StreamSpecification")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        let withoutStream = Set(
            context.tables.filter { $0.stream == nil && !$0.partlyUnknown.contains("StreamSpecification") }
                .map(\.logicalId))
        guard !withoutStream.isEmpty else { return }
        visit(context.template.root) { node in
            guard let (name, argument) = node.intrinsic, name == "Fn::GetAtt",
                let items = argument.items, items.count == 2, items[1].string == "StreamArn",
                let id = items[0].string, withoutStream.contains(id)
            else { return }
            sink.report("'\(id)' has no StreamSpecification, so it has no StreamArn", at: node.range, logicalId: id)
        }
    }

    /// Visits the nodes that are or contain intrinsic functions.
    private func visit(_ node: Node, _ body: (Node) -> Void) {
        guard node.containsIntrinsic else { return }
        body(node)
        switch node.kind {
        case .mapping(let entries): for entry in entries { visit(entry.value, body) }
        case .sequence(let items): for item in items { visit(item, body) }
        default: break
        }
    }
}
