import AWS
import Foundation
import TestSupport
import Testing

/// `ddbstack deploy` end to end: the binary against the test bed, on the bundled template.
@Suite(.serialized, .enabled(if: Testbed.enabled)) struct DeployCLITests {
    static let environment = StackCLITests.environment

    static func deploy(
        _ template: String, _ stack: String, _ extra: [String] = [], endpoint: String? = Testbed.endpoint
    ) throws -> CLITests.Result {
        try CLITests.run(
            ["deploy", template, "--stack", stack] + extra + ["--endpoint-url", endpoint ?? ""],
            environment: environment)
    }

    /// The bundled template under a unique application name, and its stack name.
    static func application() -> (String, String, [String]) {
        let application = "dep\(UInt32.random(in: 0...UInt32.max))"
        return (
            application, "\(application)-staging",
            ["--parameter", "Environment=staging", "--parameter", "ApplicationName=\(application)"]
        )
    }

    /// The stack, nil when it does not exist.
    static func stack(_ name: String) async throws -> CloudFormationClient.Stack? {
        do {
            return try await CloudFormationClient(context: try Testbed.context(Testbed.endpoint)).describeStacks(name)
                .first
        } catch let error as AWSError where error.message.contains("does not exist") {
            return nil
        }
    }

    /// The bundled template with a GSI added to Users.
    static func withIndex(_ name: String = "byStatus") throws -> String {
        let anchor = "          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [displayName, status]}\n"
        let index =
            "        - IndexName: \(name)\n          KeySchema:\n            - {AttributeName: email, KeyType: HASH}\n          Projection: {ProjectionType: KEYS_ONLY}\n"
        return try StackCLITests.write(StackCLITests.body.replacingOccurrences(of: anchor, with: anchor + index))
    }

    /// The bundled template without its RateLimit table.
    static func withoutRateLimit() throws -> String {
        let body = StackCLITests.body
        let start = try #require(body.range(of: "  RateLimit:\n"))
        let end = try #require(
            body.range(of: "\n  [A-Za-z]+:\n", options: .regularExpression, range: start.upperBound..<body.endIndex))
        return String(body[..<start.lowerBound]) + String(body[end.lowerBound...].dropFirst())
    }

    @Test func createsTheStackRecordsTheRevisionAndThenHasNoChanges() async throws {
        let (_, stack, parameters) = Self.application()
        let created = try Self.deploy(
            CLITests.template, stack, parameters + ["--revision", "abc123", "--color", "never"])
        #expect(created.status == 0, "\(created.stdout)\(created.stderr)")
        #expect(created.stdout.contains("change set ddbstack-abc123 CREATE_COMPLETE"))
        #expect(created.stdout.contains("Users CREATE_COMPLETE"))
        #expect(
            created.stdout.contains("deployed: stack \(stack) (CREATE_COMPLETE); 9 tables ACTIVE with every GSI built"))
        // The revision is in the deployed template's Metadata, not in stack tags that CloudFormation copies onto every table.
        #expect(try #require(try await Self.stack(stack)).tags.keys.filter { $0.hasPrefix("ddbstack:") }.isEmpty)
        let deployed = try await CloudFormationClient(context: try Testbed.context(Testbed.endpoint)).getTemplate(stack)
        let sha = Digest.hex(try Digest.sha256(try #require(readFixture(CLITests.template))))
        #expect(deployed.contains("ddbstack: {\"revision\": \"abc123\", \"templateSha256\": \"\(sha)\"}"))

        // A new commit that leaves the template alone changes nothing, and the live revision stays the one that deployed it.
        let again = try Self.deploy(CLITests.template, stack, ["--revision", "def456"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("no changes: stack \(stack) already matches the template"))
        let plan = try StackCLITests.run(["plan", CLITests.template, "--stack", stack])
        #expect(plan.stdout.contains("deployed: CREATE_COMPLETE, revision abc123"))
    }

    /// One GSI on one table: the change set modifies that table only — no stack tag re-tags the other eight.
    @Test func aDeployChangesOnlyTheTableThatChanged() async throws {
        let (_, stack, parameters) = Self.application()
        #expect(try Self.deploy(CLITests.template, stack, parameters + ["--revision", "r1"]).status == 0)
        let result = try Self.deploy(try Self.withIndex(), stack, ["--revision", "r2", "--format", "json"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains("change set ddbstack-r2 CREATE_COMPLETE: Modify Users [Properties]"),
            "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["steps"] as? [[String: Any]])?.first?["resourceChanges"] as? Int == 1)
        #expect(json["revision"] as? String == "r2")
        let plan = try StackCLITests.run(["plan", try Self.withIndex(), "--stack", stack])
        #expect(plan.stdout.contains("revision r2"))
    }

    /// A stack deployed by an older ddbstack keeps its tags untouched; the template's record wins from then on.
    @Test func aStackWithTheOldRevisionTagsKeepsThem() async throws {
        let (application, stack, _) = Self.application()
        let body = StackCLITests.body
        let sha = Digest.hex(try Digest.sha256(Array(body.utf8)))
        #expect(
            try await Testbed.deploy(
                stack, body: body, parameters: ["Environment": "staging", "ApplicationName": application],
                tags: [("ddbstack:template-sha256", sha), ("ddbstack:revision", "old1")]) == "CREATE_COMPLETE")
        let plan = try StackCLITests.run(["plan", CLITests.template, "--stack", stack])
        #expect(plan.stdout.contains("revision old1"))
        let result = try Self.deploy(try Self.withIndex(), stack, ["--revision", "new2"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try await Self.stack(stack)?.tags["ddbstack:revision"] == "old1", "the old tags are left as they were")
        #expect(
            try StackCLITests.run(["plan", try Self.withIndex(), "--stack", stack]).stdout.contains("revision new2"))
    }

    @Test func aNewGSIIsDeployedAndWaitedForUntilItsBackfillEnds() async throws {
        let (application, stack, parameters) = Self.application()
        #expect(try Self.deploy(CLITests.template, stack, parameters).status == 0)
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(application)-staging-users", "kind": "backfilling", "index": "byStatus", "count": 3}]"#
        )
        let result = try Self.deploy(
            try Self.withIndex(), stack, ["--format", "json", "--revision", "r2"], endpoint: Testbed.proxy)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // Progress goes to standard error, one time-stamped line per event; the summary to standard output.
        #expect(result.stderr.contains("s] \(application)-staging-users: ACTIVE; GSI 'byStatus' CREATING, backfilling"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["result"] as? String == "ready")
        #expect(json["stackStatus"] as? String == "UPDATE_COMPLETE")
        #expect(json["revision"] as? String == "r2")
        #expect((json["apiCalls"] as? Int ?? 0) > 0)
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.count == 1)
        #expect(steps.first?["status"] as? String == "executed")
        let tables = try #require(json["tables"] as? [[String: Any]])
        let users = try #require(tables.first { $0["tableName"] as? String == "\(application)-staging-users" })
        #expect((users["indexes"] as? [[String: Any]])?.map { $0["indexName"] as? String }.contains("byStatus") == true)
        let plan = try #require(json["plan"] as? [String: Any])
        #expect((plan["changeSummary"] as? [String: Any])?["gsiBackfills"] as? Int == 1)
    }

    @Test func theGuardRefusesAKeyChangeBeforeTouchingAnything() async throws {
        let (_, stack, parameters) = Self.application()
        #expect(try Self.deploy(CLITests.template, stack, parameters).status == 0)
        let client = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        let before = try await client.describeStackEvents(stack).count
        // A sort key added to the named Users table: a replacement CloudFormation cannot do under the same name.
        let old = "        - {AttributeName: userId, KeyType: HASH}\n      GlobalSecondaryIndexes:"
        let new =
            "        - {AttributeName: userId, KeyType: HASH}\n        - {AttributeName: email, KeyType: RANGE}\n      GlobalSecondaryIndexes:"
        let rekeyed = try StackCLITests.write(StackCLITests.body.replacingOccurrences(of: old, with: new))
        let refused = try Self.deploy(rekeyed, stack)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refused: nothing was changed"))
        #expect(refused.stderr.contains("Users (line"), "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("rejected"))
        #expect(try await client.describeStackEvents(stack).count == before)
        #expect(try await Self.stack(stack)?.status == "CREATE_COMPLETE")
    }

    @Test func aRemovalNeedsAcknowledgementAndIsBackedUpFirst() async throws {
        let (application, stack, parameters) = Self.application()
        #expect(try Self.deploy(CLITests.template, stack, parameters).status == 0)
        let removed = try StackCLITests.write(try Self.withoutRateLimit())
        let refused = try Self.deploy(removed, stack)
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("RateLimit"))
        #expect(refused.stderr.contains("breaking, not acknowledged"))
        #expect(refused.stderr.contains("--allow breaking:RateLimit"))

        let allowed = try Self.deploy(
            removed, stack, ["--allow", "breaking:RateLimit", "--backup", "--color", "never"])
        #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")
        #expect(
            allowed.stdout.contains(
                "backup of \(application)-staging-rate-limit (RateLimit): ddbstack-\(application)-staging-rate-limit-"))
        #expect(allowed.stdout.contains("backup: \(application)-staging-rate-limit → "))
    }

    @Test func lintErrorsAndAnOversizedTemplateStopItBeforeAnythingStarts() async throws {
        let (_, stack, _) = Self.application()
        let lint = try Self.deploy("fixtures/lint/facts-section-2.yaml", stack)
        #expect(lint.status == 1)
        #expect(lint.stderr.contains("lint error(s); nothing was changed"))
        let large = try StackCLITests.write(
            "Metadata:\n  Padding: \"" + String(repeating: "x", count: 60_000) + "\"\n" + StackCLITests.body)
        let oversized = try Self.deploy(large, stack, ["--parameter", "Environment=staging"])
        #expect(oversized.status == 2)
        #expect(oversized.stderr.contains("over CloudFormation's 51200-byte inline limit: give --s3-bucket"))
        #expect(try await Self.stack(stack) == nil)
    }

    @Test func noExecutePreparesTheChangeSetAndExecuteRunsIt() async throws {
        let (_, stack, parameters) = Self.application()
        let prepared = try Self.deploy(
            CLITests.template, stack, parameters + ["--no-execute", "--change-set-name", "review-1"])
        #expect(prepared.status == 0, "\(prepared.stdout)\(prepared.stderr)")
        #expect(prepared.stdout.contains("execute it with: ddbstack deploy \(CLITests.template) --stack \(stack) "))
        #expect(
            prepared.stdout.contains(
                "--change-set-name review-1 --endpoint-url \(Testbed.endpoint ?? "") --execute review-1"),
            "the command as typed, without --no-execute")
        #expect(try await Self.stack(stack)?.status == "REVIEW_IN_PROGRESS")
        let executed = try Self.deploy(CLITests.template, stack, parameters + ["--execute", "review-1"])
        #expect(executed.status == 0, "\(executed.stdout)\(executed.stderr)")
        #expect(try await Self.stack(stack)?.status == "CREATE_COMPLETE")
    }

    @Test func onATerminalEachTableHasOneLineRedrawnInPlace() async throws {
        let (_, stack, parameters) = Self.application()
        // script(1) gives the binary a terminal; its output is what the terminal received.
        let command =
            ([
                CLITests.binary.path, "deploy", CLITests.template, "--stack", stack, "--color", "never",
                "--endpoint-url", Testbed.endpoint ?? "",
            ]
            + parameters).joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", command, "/dev/null"]
        process.currentDirectoryURL = CLITests.root
        process.environment = ["PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true", "TERM": "xterm"].merging(
            Self.environment
        ) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let result = CLITests.finish(process, out, err)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // The block is erased (cursor up N lines, clear to the end) and drawn again under each new line.
        #expect(result.stdout.contains("\u{1B}[9F\u{1B}[J"))
        #expect(result.stdout.contains("  DeviceAttestation  ready  "))
        #expect(result.stdout.contains("] stack \(stack): CREATE_COMPLETE"))
        // Table events are in the block, not logged one per line as off a terminal.
        #expect(!result.stdout.contains("] Users CREATE_COMPLETE"))
    }

    @Test func ctrlCWhileABackfillRunsSaysWhereTheStackStands() async throws {
        let (application, stack, parameters) = Self.application()
        #expect(try Self.deploy(CLITests.template, stack, parameters).status == 0)
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(application)-staging-users", "kind": "backfilling", "index": "byStatus", "seconds": 30}]"#
        )
        let (process, out, err) = try CLITests.start(
            ["deploy", try Self.withIndex(), "--stack", stack, "--endpoint-url", Testbed.proxy ?? ""],
            environment: Self.environment)
        try await Task.sleep(nanoseconds: 3_000_000_000)
        process.interrupt()
        let result = CLITests.finish(process, out, err)
        #expect(result.status == 3)
        #expect(result.stdout.contains("interrupted after"))
        #expect(
            result.stdout.contains(
                "still building: \(application)-staging-users: ACTIVE; GSI 'byStatus' CREATING, backfilling"))
        #expect(result.stdout.contains("follow it with: ddbstack wait --stack \(stack)"))
    }
}
