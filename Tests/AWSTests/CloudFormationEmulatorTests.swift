import Template
import TestSupport
import Testing

@testable import AWS

/// The CloudFormation client against the emulator: a stack's whole life through change sets.
@Suite(.serialized, .enabled(if: Testbed.enabled)) struct CloudFormationEmulatorTests {
    static func template(keys: [String] = ["id"], named: Bool = false) -> String {
        let attributes = keys.map { #"{"AttributeName": "\#($0)", "AttributeType": "S"}"# }.joined(separator: ", ")
        let schema = keys.enumerated().map {
            #"{"AttributeName": "\#($0.element)", "KeyType": "\#($0.offset == 0 ? "HASH" : "RANGE")"}"#
        }
        .joined(separator: ", ")
        let name = named ? #""TableName": "named-table","# : ""
        return """
            {"Parameters": {"Env": {"Type": "String"}},
             "Resources": {"Events": {"Type": "AWS::DynamoDB::Table", "Properties": {\(name) "BillingMode": "PAY_PER_REQUEST",
               "AttributeDefinitions": [\(attributes)], "KeySchema": [\(schema)],
               "Tags": [{"Key": "env", "Value": {"Ref": "Env"}}]}}}}
            """
    }

    func changeSetSettled(_ client: CloudFormationClient, _ name: String, _ stack: String) async throws
        -> CloudFormationClient.ChangeSet
    {
        for _ in 0..<200 {
            let changeSet = try await client.describeChangeSet(name, stack: stack, includePropertyValues: true)
            if !changeSet.status.hasSuffix("IN_PROGRESS") && changeSet.status != "CREATE_PENDING" { return changeSet }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw AWSError(service: "test", operation: "wait", code: "Timeout", message: "change set \(name) never settled")
    }

    @Test func createsExecutesAndInspectsAStackThroughChangeSets() async throws {
        let client = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        let stack = Testbed.unique("cfn")
        var input = CloudFormationClient.ChangeSetInput(
            stackName: stack, changeSetName: "create-1", type: .create, templateBody: Self.template())
        input.parameters = [.init(key: "Env", value: "staging")]
        input.tags = [("ddbstack:revision", "abc123")]
        input.description = "first deploy"
        input.clientToken = "token-\(stack)"
        let created = try await client.createChangeSet(input)
        #expect(!created.id.isEmpty)
        let changeSet = try await changeSetSettled(client, "create-1", stack)
        #expect(changeSet.status == "CREATE_COMPLETE")
        #expect(
            changeSet.changes.map { "\($0.action) \($0.logicalId) \($0.resourceType)" } == [
                "Add Events AWS::DynamoDB::Table"
            ])
        try await client.executeChangeSet("create-1", stack: stack)
        #expect(try await Testbed.settle(stack) == "CREATE_COMPLETE")

        let described = try #require(try await client.describeStacks(stack).first)
        #expect(described.parameters == ["Env": "staging"])
        #expect(described.tags["ddbstack:revision"] == "abc123")
        let resources = try await client.listStackResources(stack)
        #expect(
            resources.map { "\($0.logicalId) \($0.resourceType) \($0.status)" } == [
                "Events AWS::DynamoDB::Table CREATE_COMPLETE"
            ])
        let events = try await client.describeStackEvents(stack)
        #expect(events.first?.status == "CREATE_COMPLETE" && events.first?.logicalId == stack)
        #expect(events.contains { $0.logicalId == "Events" && $0.status == "CREATE_COMPLETE" })
        #expect(try await client.getTemplate(stack).contains("\"Events\""))

        // Replacing a table by changing its key: the change set says so.
        var update = CloudFormationClient.ChangeSetInput(
            stackName: stack, changeSetName: "update-1", type: .update,
            templateBody: Self.template(keys: ["id", "at"]))
        update.parameters = [.init(key: "Env", value: nil, usePreviousValue: true)]
        _ = try await client.createChangeSet(update)
        let replacing = try await changeSetSettled(client, "update-1", stack)
        let change = try #require(replacing.changes.first)
        #expect(change.action == "Modify")
        // KeySchema is conditionally create-only (FACTS.md §1): the emulator, like CloudFormation, may say Conditional.
        #expect(["True", "Conditional"].contains(change.replacement ?? ""))
        #expect(change.details.contains { $0.name == "KeySchema" })
        try await client.deleteChangeSet("update-1", stack: stack)

        // No changes: the change set fails with CloudFormation's reason, which means "nothing to do".
        var same = CloudFormationClient.ChangeSetInput(
            stackName: stack, changeSetName: "same-1", type: .update, templateBody: Self.template())
        same.parameters = [.init(key: "Env", value: nil, usePreviousValue: true)]
        _ = try await client.createChangeSet(same)
        #expect(try await changeSetSettled(client, "same-1", stack).isEmpty)
    }

    @Test func stackAndChangeSetErrorsAreTyped() async throws {
        let client = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        do {
            _ = try await client.describeStacks("no-such-stack-\(UInt32.random(in: 0...UInt32.max))")
            Issue.record("expected a ValidationError")
        } catch let error as AWSError {
            #expect(error.code == "ValidationError")
            #expect(error.message.contains("does not exist"))
        }
        do {
            _ = try await client.describeChangeSet("nope", stack: "no-such-stack")
            Issue.record("expected ChangeSetNotFound")
        } catch let error as AWSError {
            #expect(error.code == "ChangeSetNotFound" || error.code == "ValidationError", "\(error)")
        }
        await #expect(throws: AWSError.self) { try await client.continueUpdateRollback("no-such-stack") }
        await #expect(throws: AWSError.self) { try await client.cancelUpdateStack("no-such-stack") }
    }

    @Test func theProxyReportsAStackInProgressForAFewPolls() async throws {
        let direct = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        let stack = Testbed.unique("phase")
        var input = CloudFormationClient.ChangeSetInput(
            stackName: stack, changeSetName: "c", type: .create, templateBody: Self.template())
        input.parameters = [.init(key: "Env", value: "staging")]
        _ = try await direct.createChangeSet(input)
        _ = try await changeSetSettled(direct, "c", stack)
        try await direct.executeChangeSet("c", stack: stack)
        #expect(try await Testbed.settle(stack) == "CREATE_COMPLETE")
        try await Testbed.rules(
            #"[{"service": "cloudformation", "operation": "DescribeStacks", "stack": "\#(stack)", "kind": "stackStatus", "status": "UPDATE_IN_PROGRESS", "count": 2}]"#
        )
        let proxied = CloudFormationClient(context: try Testbed.context(Testbed.proxy))
        var statuses: [String] = []
        for _ in 0..<3 { statuses.append(try await proxied.describeStacks(stack).first?.status ?? "") }
        #expect(statuses == ["UPDATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "CREATE_COMPLETE"])
    }

    @Test func throttledStackReadsAreRetriedThroughTheProxy() async throws {
        let client = CloudFormationClient(context: try Testbed.context(Testbed.proxy))
        try await Testbed.rules(
            #"[{"service": "cloudformation", "operation": "DescribeStacks", "kind": "throttle", "count": 2}]"#)
        _ = try await client.describeStacks()
    }
}
