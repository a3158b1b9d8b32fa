import AWS
import Foundation
import Template
import TestSupport
import Testing

/// `ddbstack drift` and `ddbstack plan` end to end against the local test bed, on the bundled template.
@Suite(.serialized, .enabled(if: Testbed.enabled)) struct StackCLITests {
    static let environment = [
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
        "HOME": "/nonexistent",
    ]
    static let body = String(decoding: readFixture(CLITests.template)!, as: UTF8.self)

    static func run(_ arguments: [String], endpoint: String? = Testbed.endpoint) throws -> CLITests.Result {
        try CLITests.run(arguments + ["--endpoint-url", endpoint ?? ""], environment: environment)
    }

    /// The bundled template deployed under a unique application name (its tables have literal names).
    static func deployBundled() async throws -> (stack: String, application: String) {
        let application = "cli\(UInt32.random(in: 0...UInt32.max))"
        let stack = "\(application)-staging"
        let status = try await Testbed.deploy(
            stack, body: body, parameters: ["Environment": "staging", "ApplicationName": application],
            tags: [("team", "core")])
        #expect(status == "CREATE_COMPLETE")
        return (stack, application)
    }

    static func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "ddbstack-\(UInt32.random(in: 0...UInt32.max)).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func driftOfAFreshStackIsCleanThenReportsATTLChangedByHand() async throws {
        let (stack, application) = try await Self.deployBundled()
        let clean = try Self.run(["drift", "--stack", stack])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("0 drifted, 0 missing, 0 not ACTIVE, 9 in sync"))

        let client = "\(application)-staging-goals"
        _ = try await DynamoDBClient(context: try Testbed.context(Testbed.endpoint)).call(
            "UpdateTimeToLive",
            [
                .init("TableName", .string(client)),
                .init(
                    "TimeToLiveSpecification",
                    .object([.init("Enabled", .bool(true)), .init("AttributeName", .string("purgeAt"))])),
            ])
        let drifted = try Self.run(["drift", "--stack", stack, "--format", "json"])
        #expect(drifted.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(drifted.stdout.utf8)) as? [String: Any])
        let tables = try #require(json["tables"] as? [[String: Any]])
        let goals = try #require(tables.first { $0["logicalId"] as? String == "Goals" })
        #expect(goals["status"] as? String == "drifted")
        let difference = try #require((goals["differences"] as? [[String: Any]])?.first)
        #expect(difference["path"] as? String == "TimeToLiveSpecification")
        #expect(difference["impact"] as? String == "inPlace")
        #expect((difference["actual"] as? [String: Any])?["AttributeName"] as? String == "purgeAt")
        #expect(difference["expected"] is NSNull)

        let markdown = try Self.run(["drift", "--stack", stack, "--format", "markdown"])
        #expect(markdown.stdout.contains("| `Goals` (`\(client)`) | drifted | `TimeToLiveSpecification` |"))
        let github = try Self.run(["drift", "--stack", stack, "--format", "github"])
        #expect(github.stdout.contains("::error file=stack '\(stack)' (deployed template)"))
    }

    @Test func driftWithoutAStackFindsTablesByNameAndListsUnmanagedOnes() async throws {
        let (_, application) = try await Self.deployBundled()
        try await Testbed.createTable(
            DynamoDBClient(context: try Testbed.context(Testbed.endpoint)), "\(application)-staging-cache")
        let result = try Self.run([
            "drift", CLITests.template, "--tables", "--parameter", "ApplicationName=\(application)",
            "--parameter", "Environment=staging", "--unmanaged-prefix", "\(application)-",
        ])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("unmanaged (in no template): \(application)-staging-cache"))
        // Without the stack its tags are unknown: the stack's 'team' tag shows, and nothing else.
        #expect(result.stdout.contains("Tags[team]"))
        #expect(result.stdout.contains("Summary: 9 drifted, 0 missing, 0 not ACTIVE, 0 in sync; 1 unmanaged table"))
    }

    @Test func planAgainstTheDeployedStackShowsABackfillAndRefusesAKeyChangeOnANamedTable() async throws {
        let (stack, application) = try await Self.deployBundled()
        let withIndex = Self.body.replacingOccurrences(
            of: """
                      Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [displayName, status]}
                """,
            with: """
                      Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [displayName, status]}
                        - IndexName: byStatus
                          KeySchema:
                            - {AttributeName: email, KeyType: HASH}
                          Projection: {ProjectionType: KEYS_ONLY}
                """)
        let path = try Self.write(withIndex)
        let slow = try Self.run(["plan", path, "--stack", stack, "--parameter", "ApplicationName=\(application)"])
        #expect(slow.status == 0, "\(slow.stdout)\(slow.stderr)")
        #expect(slow.stdout.contains("GlobalSecondaryIndexes[byStatus]  slow: GSI added"))
        #expect(slow.stdout.contains("Changes from stack '\(stack)' (deployed)"))

        let withChangeSet = try Self.run(["plan", path, "--stack", stack, "--change-set", "--format", "json"])
        #expect(withChangeSet.status == 0, "\(withChangeSet.stderr)")
        #expect(withChangeSet.stdout.contains("merged and deleted"))

        let rekeyed = try Self.write(
            Self.body.replacingOccurrences(
                of: "        - {AttributeName: userId, KeyType: HASH}\n      GlobalSecondaryIndexes:",
                with: "        - {AttributeName: email, KeyType: HASH}\n      GlobalSecondaryIndexes:"))
        let refused = try Self.run(["plan", rekeyed, "--stack", stack])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("cannot update a stack when a custom-named resource requires replacing"))
    }

    @Test func waitEndsWhenTheTableIsReadyAndFailsAtTheTimeout() async throws {
        let name = Testbed.unique("cli-wait")
        try await Testbed.createTable(DynamoDBClient(context: try Testbed.context(Testbed.endpoint)), name)
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "tableStatus", "status": "CREATING", "count": 2}]"#
        )
        let ready = try Self.run(["wait", "--table", name], endpoint: Testbed.proxy)
        #expect(ready.status == 0, "\(ready.stdout)\(ready.stderr)")
        #expect(ready.stdout.contains("\(name): CREATING"))
        #expect(ready.stdout.contains("ready: 1 table ACTIVE with every GSI built"))
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "backfilling", "index": "byEmail", "seconds": 30}]"#
        )
        let late = try Self.run(
            ["wait", "--table", name, "--timeout", "1", "--format", "json"], endpoint: Testbed.proxy)
        #expect(late.status == 3)
        #expect(late.stdout.contains(#""result": "timedOut""#))
        #expect(late.stderr.contains("GSI 'byEmail' CREATING, backfilling"))
        let usage = try Self.run(["wait", "--table", name, "--stack", "app"])
        #expect(usage.status == 2)
    }

    @Test func ctrlCStopsTheWaitAndSaysHowToFollowIt() async throws {
        let name = Testbed.unique("cli-interrupt")
        try await Testbed.createTable(DynamoDBClient(context: try Testbed.context(Testbed.endpoint)), name)
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "tableStatus", "status": "UPDATING", "seconds": 30}]"#
        )
        let (process, out, err) = try CLITests.start(
            ["wait", "--table", name, "--endpoint-url", Testbed.proxy ?? ""], environment: Self.environment)
        // Time to start and poll at least once (the handlers are set before the first poll).
        try await Task.sleep(nanoseconds: 2_000_000_000)
        process.interrupt()
        let result = CLITests.finish(process, out, err)
        #expect(result.status == 3)
        #expect(result.stdout.contains("interrupted after"))
        #expect(result.stdout.contains("\(name): UPDATING"))
        #expect(result.stdout.contains("Follow it with: ddbstack wait --table \(name)"))
    }

    @Test func errorsAreNamedWithTheirExitCodes() throws {
        let missing = try Self.run(["drift", "--stack", "no-such-stack-\(UInt32.random(in: 0...UInt32.max))"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("does not exist in us-east-1"))
        let unreachable = try Self.run(["drift", "--stack", "app"], endpoint: "http://127.0.0.1:9")
        #expect(unreachable.status == 3)
        #expect(unreachable.stderr.contains("CloudFormation DescribeStacks"))
        let malformed = try Self.write(
            "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties: {KeySchema: [\n")
        let broken = try Self.run(["plan", malformed, "--stack", "app"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("\(malformed):"))
        let usage = try Self.run(["drift"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("give --stack NAME, or a TEMPLATE with --tables"))
    }

    /// A failure is in the format asked for too: the JSON a pipeline parses, and the file it reads.
    @Test func aMissingStackAndALintRefusalAreRenderedInTheFormatAskedFor() throws {
        let missing = try Self.run([
            "drift", "--stack", "no-such-stack-\(UInt32.random(in: 0...UInt32.max))", "--format", "json",
        ])
        #expect(missing.status == 3)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any])
        #expect(json["exitCode"] as? Int == 3)
        #expect(
            ((json["error"] as? [String: Any])?["message"] as? String)?.contains("does not exist in us-east-1") == true)
        let path = NSTemporaryDirectory() + "deploy-\(UInt32.random(in: 0...UInt32.max)).json"
        let refused = try DeployCLITests.deploy(
            "fixtures/lint/facts-section-2.yaml", "lint-refused-\(UInt32.random(in: 0...UInt32.max))",
            ["--format", "json", "--output", path])
        #expect(refused.status == 1)
        let written = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(
            ((written["error"] as? [String: Any])?["message"] as? String)?.contains(
                "lint error(s); nothing was changed") == true)
        #expect(written["command"] as? String == "deploy")
    }
}
