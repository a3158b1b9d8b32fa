import AWS
import Foundation
import TestSupport
import Testing

/// The paths that once deleted a table without asking, and the other wrong "safe" verdicts: each side resolved
/// with its own values, `--execute` of a change set ddbstack did not make, re-runs on a new stack, a taken name.
@Suite(.serialized, .enabled(if: Testbed.enabled)) struct SafetyCLITests {
    static func deploy(_ template: String, _ stack: String, _ extra: [String] = []) throws -> CLITests.Result {
        try DeployCLITests.deploy(template, stack, extra)
    }

    static func tableExists(_ name: String) async throws -> Bool {
        try await LiveTableReader(client: DynamoDBClient(context: try Testbed.context(Testbed.endpoint))).describe(name)
            != nil
    }

    /// staging → production renames every table: the plan says so, and deploy refuses; before, the value was applied
    /// to the deployed base too, the plan said "no effect" and the deploy deleted the tables.
    @Test func aValueGivenNowAppliesToTheNewTemplateOnly() async throws {
        let (application, stack, parameters) = DeployCLITests.application()
        #expect(try Self.deploy(CLITests.template, stack, parameters).status == 0)
        let production = ["--parameter", "Environment=production"]
        let plan = try StackCLITests.run(
            ["plan", CLITests.template, "--stack", stack, "--color", "never"] + production)
        #expect(plan.status == 1, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("TableName  replacement"), "\(plan.stdout)")
        #expect(plan.stdout.contains("-/+ Users (\(application)-production-users)"))
        let refused = try Self.deploy(CLITests.template, stack, production)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refused: nothing was changed"))
        #expect(try await Self.tableExists("\(application)-staging-users"))
        // Without a value the deployed one carries over (UsePreviousValue): nothing changes.
        #expect(try StackCLITests.run(["plan", CLITests.template, "--stack", stack]).status == 0)
    }

    @Test func aParameterOnlyTheNewTemplateDeclaresCanBeGiven() async throws {
        let (_, stack, parameters) = DeployCLITests.application()
        #expect(try Self.deploy(CLITests.template, stack, parameters).status == 0)
        let added = try StackCLITests.write(
            StackCLITests.body.replacingOccurrences(of: "Parameters:\n", with: "Parameters:\n  Owner: {Type: String}\n")
        )
        let plan = try StackCLITests.run(["plan", added, "--stack", stack, "--parameter", "Owner=team-a"])
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let missing = try StackCLITests.run([
            "plan", CLITests.template, "--stack", stack, "--parameter", "Owner=team-a",
        ])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("parameter 'Owner' is given a value but the template does not declare it"))
    }

    @Test func executeRefusesAChangeSetDdbstackDidNotMakeFromThisTemplate() async throws {
        let (application, stack, parameters) = DeployCLITests.application()
        #expect(try Self.deploy(CLITests.template, stack, parameters).status == 0)
        // Someone prepares a change set that drops the RateLimit table.
        let client = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        var input = CloudFormationClient.ChangeSetInput(
            stackName: stack, changeSetName: "drop-rate-limit", type: .update,
            templateBody: try DeployCLITests.withoutRateLimit())
        input.parameters = [
            .init(key: "Environment", value: nil, usePreviousValue: true),
            .init(key: "ApplicationName", value: nil, usePreviousValue: true),
        ]
        _ = try await client.createChangeSet(input)
        let refused = try Self.deploy(CLITests.template, stack, ["--execute", "drop-rate-limit"])
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(
            refused.stdout.contains(
                "refused: change set drop-rate-limit is not executed: it was not made by 'ddbstack deploy --no-execute' from this template"
            ))
        #expect(try await Self.tableExists("\(application)-staging-rate-limit"))
        #expect(
            try await client.describeChangeSet("drop-rate-limit", stack: stack).status == "CREATE_COMPLETE",
            "another's change set is left alone")
    }

    @Test func noExecuteTwiceOnANewStackReplacesTheLeftoverChangeSet() async throws {
        let (_, stack, parameters) = DeployCLITests.application()
        for _ in 0..<2 {
            let prepared = try Self.deploy(CLITests.template, stack, parameters + ["--no-execute"])
            #expect(prepared.status == 0, "\(prepared.stdout)\(prepared.stderr)")
        }
        #expect(try await DeployCLITests.stack(stack)?.status == "REVIEW_IN_PROGRESS")
        let name = try #require(
            try Self.deploy(CLITests.template, stack, parameters + ["--no-execute"]).stdout
                .components(separatedBy: "--execute ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        let executed = try Self.deploy(CLITests.template, stack, parameters + ["--execute", name])
        #expect(executed.status == 0, "\(executed.stdout)\(executed.stderr)")
        #expect(try await DeployCLITests.stack(stack)?.status == "CREATE_COMPLETE")
    }

    @Test func aNewTableWhoseNameIsTakenIsRejectedBeforeAnythingStarts() async throws {
        let (application, stack, parameters) = DeployCLITests.application()
        try await Testbed.createTable(
            DynamoDBClient(context: try Testbed.context(Testbed.endpoint)), "\(application)-staging-users")
        let plan = try StackCLITests.run(
            ["plan", CLITests.template, "--stack", stack, "--color", "never"] + parameters)
        #expect(plan.status == 1)
        #expect(
            plan.stdout.contains(
                "a table named '\(application)-staging-users' already exists in the account, outside this stack"))
        #expect(plan.stdout.contains("import the existing table into the stack"))
        let refused = try Self.deploy(CLITests.template, stack, parameters)
        #expect(refused.status == 1)
        #expect(try await DeployCLITests.stack(stack) == nil, "no stack is left to delete by hand")
    }
}
