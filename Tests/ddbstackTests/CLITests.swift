import Foundation
import FoundationXML
import TestSupport
import Testing

/// The executable end to end: arguments in, output and exit code out.
@Suite(.serialized) struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let template = "infrastructure/cloudformation/dynamodb.yaml"

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let (process, out, err) = try start(arguments, environment: environment)
        return finish(process, out, err)
    }

    /// The ddbstack binary built next to the tests.
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "ddbstack")
        return FileManager.default.fileExists(atPath: beside.path)
            ? beside : root.appendingPathComponent(".build/debug/ddbstack")
    }

    /// The binary started, its output pipes open: for tests that signal it while it runs.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.environment = ["PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"].merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    static func finish(_ process: Process, _ out: Pipe, _ err: Pipe) -> Result {
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func theBundledTemplateLintsCleanInStagingAndUnderTheProductionProfile() throws {
        let staging = try Self.run(["lint", Self.template, "--parameters", "infrastructure/parameters/staging.json"])
        #expect(staging.status == 0, "\(staging.stdout)")
        #expect(staging.stdout.contains("no findings"))
        let production = try Self.run([
            "lint", Self.template, "--rules-profile", "production", "--parameters",
            "infrastructure/parameters/production.json",
        ])
        #expect(production.status == 0, "\(production.stdout)")
    }

    @Test func theProductionProfileFailsStagingSettings() throws {
        let result = try Self.run(["lint", Self.template, "--rules-profile", "production", "--format", "json"])
        #expect(result.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let ids = Set((json["findings"] as? [[String: Any]] ?? []).compactMap { $0["ruleId"] as? String })
        #expect(ids == ["DDB951", "DDB952"])
    }

    @Test(arguments: [
        ("fixtures/input/syntax-error.yaml", "fixtures/input/syntax-error.yaml:4:1: error: YAML syntax error"),
        ("fixtures/input/duplicate-key.yaml", "fixtures/input/duplicate-key.yaml:4:3: error: duplicate key 'T'"),
        ("fixtures/input/alias.yaml", "fixtures/input/alias.yaml:4:17: error: YAML anchor '&props'"),
        ("fixtures/input/tabs.yaml", "fixtures/input/tabs.yaml:3:1: error: tab character used for indentation"),
        ("fixtures/input/two-documents.yaml", "fixtures/input/two-documents.yaml:2:1: error: several YAML documents"),
        (
            "fixtures/input/unknown-tag.yaml",
            "fixtures/input/unknown-tag.yaml:5:18: error: unknown tag '!Reference'; did you mean '!Ref'?"
        ),
        ("fixtures/input/empty.yaml", "fixtures/input/empty.yaml:1:1: error: file is empty"),
        ("fixtures/input/invalid-utf8.yaml", "fixtures/input/invalid-utf8.yaml:4:21: error: invalid UTF-8"),
        (
            "fixtures/input/not-a-template.yaml",
            "fixtures/input/not-a-template.yaml:1:1: error: a template is a mapping of sections"
        ),
        ("fixtures/input/no-resources.yaml", "fixtures/input/no-resources.yaml:1:1: error: no 'Resources' section"),
        ("fixtures/input/missing.yaml", "fixtures/input/missing.yaml: error: cannot read: No such file or directory"),
        ("fixtures/input", "fixtures/input: error: is a directory"),
    ])
    func unreadableTemplatesExitTwoWithALocatedMessage(path: String, message: String) throws {
        for command in ["lint", "show"] {
            let result = try Self.run([command, path])
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func aNestingBombIsRefusedWithoutACrash() throws {
        let path = NSTemporaryDirectory() + "ddbstack-deep-\(getpid()).yaml"
        try (String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)).write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.run(["lint", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(":1:101: error: nesting deeper than 100 levels"))
    }

    @Test(arguments: [
        (
            ["lint", template, "--parameter", "Environment=prod"],
            "error: parameter 'Environment': 'prod' is not one of the allowed values"
        ),
        (
            ["lint", template, "--parameter", "Nope=1"],
            "error: parameter 'Nope' is given a value but the template does not declare it"
        ),
        (
            ["lint", template, "--parameters", "fixtures/input/bad-parameters.json"],
            "fixtures/input/bad-parameters.json:1:2: error: parameter 'Environment' has no 'ParameterValue'"
        ),
        (
            ["lint", template, "--parameters", "fixtures/input/nothing.json"],
            "fixtures/input/nothing.json: error: cannot read"
        ),
        (["lint", template, "--parameter", "Environment"], "--parameter takes KEY=VALUE"),
        (
            ["lint", template, "--frobnicate"],
            "error: unknown option '--frobnicate' for 'lint'\nusage: ddbstack lint [<options>] <template>"
        ),
        (["lint", template, "--ignore", "DDB999"], "--ignore 'DDB999' is not a rule"),
        (["show", template, "--format", "sarif"], "'show' writes text or json, not sarif"),
        (["rules", "DDB99"], "error: no rule 'DDB99'"),
        (
            ["lint", template, "--allow", "breaking:Users"],
            "--allow, --steps, --write-steps and an impact for --fail-on need --base"
        ),
        (["diff", template, template, "--allow", "rejected:Users"], "a rejected change cannot be acknowledged"),
        (["diff", template, template, "--allow", "Users"], "--allow"),
        (
            ["diff", template],
            "error: missing <head>: The head template (the proposed change).\nusage: ddbstack diff [<options>] <base> <head>"
        ),
    ])
    func badArgumentsAndParametersExitTwo(arguments: [String], message: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test(arguments: [
        ([String](), "USAGE: ddbstack <command> [<options>]"), (["--help"], "COMMANDS:\n  show "),
        (["lint", "--help"], "USAGE: ddbstack lint [<options>] <template>"),
        (["help", "deploy"], "USAGE: ddbstack deploy [<options>] <template> --stack <stack>"),
        (["--version"], "0.1.0\n"),
    ])
    func helpAndVersionExitZero(arguments: [String], text: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains(text), "\(result.stdout)")
        #expect(result.stderr.isEmpty)
    }

    /// The script the binary prints, sourced in bash, completes ddbstack's own options and values.
    @Test func printsABashCompletionScriptThatCompletes() throws {
        let script = try Self.run(["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        let (status, output) = try PipedProcess.run(
            "/bin/bash",
            input: Data(
                (script.stdout + """
                    COMP_WORDS=(ddbstack lint t.yaml --fail-on br); COMP_CWORD=4; _ddbstack; echo "${COMPREPLY[@]}"
                    COMP_WORDS=(ddbstack deploy --s3); COMP_CWORD=2; _ddbstack; echo "${COMPREPLY[@]}"

                    """).utf8))
        #expect(status == 0)
        let printed = String(decoding: output, as: UTF8.self)
        #expect(printed == "breaking\n--s3-bucket --s3-prefix\n")
    }

    @Test(arguments: [
        "infrastructure/parameters/production.json", "fixtures/input/codepipeline.json",
        "fixtures/input/parameters.env",
    ])
    func readsEveryParameterFileFormat(file: String) throws {
        let result = try Self.run(["show", Self.template, "--parameters", file, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"TableName\": \"finance-production-users\""))
        #expect(result.stdout.contains("\"DeletionProtectionEnabled\": true"))
    }

    @Test func showPrintsTheVersionedJSONContract() throws {
        let result = try Self.run(["show", Self.template, "--format", "json", "--region", "eu-west-1"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["formatVersion"] as? Int == 1)
        #expect(json["template"] as? String == Self.template)
        let tables = try #require(json["tables"] as? [[String: Any]])
        #expect(
            tables.map { $0["logicalId"] as? String } == [
                "Users", "Accounts", "Transactions", "Budgets", "Goals", "AuditLogs",
                "RateLimit", "DDoSProtection", "DeviceAttestation",
            ])
        let users = tables[0]
        #expect(users["deletionPolicy"] as? String == "Retain")
        #expect((users["location"] as? [String: Any])?["line"] as? Int == 29)
        let budgets = try #require(tables[3]["properties"] as? [String: Any])
        #expect((budgets["ProvisionedThroughput"] as? [String: Any])?["ReadCapacityUnits"] as? Int == 2)
    }

    /// libcurl and the thirty libraries it brings are loaded on the first request only, libcrypto on the first
    /// digest: an offline lint never pays for them (they were most of its start-up, then a millisecond of it).
    @Test func anOfflineCommandLoadsNeitherLibcurlNorLibcrypto() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["LD_DEBUG=files", Self.binary.path, "lint", Self.template]
        process.currentDirectoryURL = Self.root
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let loaded = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(loaded.contains("libyaml"), "LD_DEBUG shows what is loaded")
        #expect(!loaded.contains("libcurl"))
        #expect(!loaded.contains("libcrypto"))
    }

    /// GSIs and a stream under an `Fn::If` whose condition is unknown offline are not "none" and "off".
    @Test func showSaysWhatIsUnknownUntilDeployInsteadOfDroppingIt() throws {
        let text = try Self.run(["show", "fixtures/input/unresolved-if.yaml"]).stdout
        #expect(
            text.contains(
                "GSIs        unknown until deploy: GlobalSecondaryIndexes depends on a value not known offline"),
            "\(text)")
        #expect(text.contains("stream      unknown until deploy"))
        let known = try Self.run(["show", "fixtures/input/unresolved-if.yaml", "--parameter", "WithIndex=yes"]).stdout
        #expect(known.contains("GSI byE"))
        #expect(known.contains("stream      NEW_IMAGE"))
    }

    @Test func showKeepsWhatCannotBeKnownOfflineAsLongFormIntrinsics() throws {
        let path = NSTemporaryDirectory() + "ddbstack-unresolved-\(getpid()).yaml"
        try """
        Resources:
          T:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Sub '${AWS::StackName}-t'
              KeySchema: [{AttributeName: id, KeyType: HASH}]
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KinesisStreamSpecification: {StreamArn: !ImportValue shared-stream}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let unresolved = try Self.run(["show", path, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(unresolved.stdout.utf8)) as? [String: Any])
        let properties = try #require((json["tables"] as? [[String: Any]])?.first?["properties"] as? [String: Any])
        #expect(properties["TableName"] as? [String: String] == ["Fn::Sub": "${AWS::StackName}-t"])
        #expect(
            (properties["KinesisStreamSpecification"] as? [String: Any])?["StreamArn"] as? [String: String] == [
                "Fn::ImportValue": "shared-stream"
            ])
        let named = try Self.run(["show", path, "--format", "json", "--stack", "app"])
        #expect(named.stdout.contains("\"TableName\": \"app-t\""))
    }

    @Test func everyFormatRendersAndOutputGoesToAFile() throws {
        let fixture = "fixtures/lint/facts-section-2.yaml"
        for format in ["text", "json", "sarif", "github", "junit", "markdown"] {
            let path = NSTemporaryDirectory() + "ddbstack-out-\(getpid()).\(format)"
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try Self.run(["lint", fixture, "--format", format, "--output", path])
            #expect(result.status == 1, "\(format)")
            #expect(result.stdout.isEmpty)
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(written.contains("DDB402"), "\(format)")
            if format == "sarif" {
                let json = try #require(try JSONSerialization.jsonObject(with: Data(written.utf8)) as? [String: Any])
                #expect(json["version"] as? String == "2.1.0")
            }
            if format == "junit" {
                #expect(XMLParser(data: Data(written.utf8)).parse())
            }
        }
    }

    @Test func suppressionsAndThresholdsChangeTheOutcome() throws {
        let fixture = "fixtures/lint/facts-section-2.yaml"
        let ignored = try Self.run([
            "lint", fixture, "--format", "json", "--ignore", "DDB402", "--ignore", "index-name",
        ])
        #expect(!ignored.stdout.contains("DDB402") && !ignored.stdout.contains("DDB201"))
        let path = NSTemporaryDirectory() + "ddbstack-warn-\(getpid()).yaml"
        try
            "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}], BillingMode: PAY_PER_REQUEST}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Self.run(["lint", path]).status == 0)
        #expect(try Self.run(["lint", path, "--fail-on", "warning"]).status == 1)
        #expect(try Self.run(["lint", path, "--fail-on", "warning", "--ignore", "DDB912"]).status == 0)
    }

    @Test func rulesListsAndExplains() throws {
        let list = try Self.run(["rules"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("DDB402  stream-arn-needs-stream"))
        let one = try Self.run(["rules", "gsi-key"])
        #expect(one.stdout.hasPrefix("DDB205 gsi-key (error)"))
        #expect(one.stdout.contains("Fails (each marker is where a finding points):"))
    }

    @Test func colorFollowsTheFlagAndNO_COLOR() throws {
        let fixture = "fixtures/lint/facts-section-2.yaml"
        #expect(try Self.run(["lint", fixture, "--color", "always"]).stdout.contains("\u{1B}[1;31merror"))
        #expect(!(try Self.run(["lint", fixture]).stdout.contains("\u{1B}[")))
        #expect(
            !(try Self.run(["lint", fixture, "--color", "auto"], environment: ["NO_COLOR": "1"]).stdout.contains(
                "\u{1B}[")))
    }
}

/// `diff` and `lint --base`, end to end.
@Suite(.serialized) struct ChangeCLITests {
    static let base = "fixtures/changes/base.yaml"

    /// `diff` and `lint --base` compare two versions for one environment: a value applies to both, checked only
    /// against a version that declares it.
    @Test func aParameterOnlyOneVersionDeclaresMayBeGivenOneNeitherDeclaresMayNot() throws {
        let head = try StackCLITests.write(
            String(decoding: try #require(readFixture(Self.base)), as: UTF8.self)
                .replacing("Resources:\n", with: "Parameters:\n  Owner: {Type: String}\nResources:\n"))
        #expect(try CLITests.run(["diff", Self.base, head, "--parameter", "Owner=team-a"]).status == 0)
        #expect(try CLITests.run(["diff", head, Self.base, "--parameter", "Owner=team-a"]).status == 0)
        #expect(try CLITests.run(["lint", head, "--base", Self.base, "--parameter", "Owner=team-a"]).status == 0)
        let neither = try CLITests.run(["diff", Self.base, head, "--parameter", "Ownr=team-a"])
        #expect(neither.status == 2)
        #expect(
            neither.stderr.contains(
                "parameter 'Ownr' is given a value but neither template declares it; did you mean 'Owner'?"))
    }

    @Test func diffExitsOneOnUnacknowledgedChangesAndZeroOnceAcknowledged() throws {
        let failing = try CLITests.run(["diff", Self.base, "fixtures/changes/gsi-remove.yaml"])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("-   GlobalSecondaryIndexes[byEmail]  breaking: GSI removed"))
        #expect(
            failing.stdout.contains(
                "Summary: 0 tables to add, 1 changed in place, 0 replaced, 0 removed; 1 change needs acknowledgement"))
        let allowed = try CLITests.run([
            "diff", Self.base, "fixtures/changes/gsi-remove.yaml", "--allow", "breaking:Users",
        ])
        #expect(allowed.status == 0, "\(allowed.stdout)")
        #expect(allowed.stdout.contains("[acknowledged by --allow breaking:Users]"))
        #expect(try CLITests.run(["diff", Self.base, "fixtures/changes/gsi-add.yaml"]).status == 0)
        #expect(
            try CLITests.run(["diff", Self.base, "fixtures/changes/gsi-add.yaml", "--fail-on", "slow"]).status == 1)
    }

    @Test func diffJSONFollowsTheContract() throws {
        let result = try CLITests.run(["diff", Self.base, "fixtures/changes/gsi-rename.yaml", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let changes = try #require(json["changes"] as? [[String: Any]])
        #expect(changes.map { $0["impact"] as? String } == ["slow", "slow", "breaking"])
        #expect(
            Set(changes[0].keys).isSuperset(of: [
                "logicalId", "tableName", "path", "action", "impact", "acknowledged", "message", "line",
            ]))
        #expect((json["steps"] as? [Any])?.count == 2)
        #expect((json["changeSummary"] as? [String: Any])?["needAcknowledgement"] as? Int == 1)
    }

    @Test func writeStepsWritesTemplatesThatEachLintClean() throws {
        let directory = NSTemporaryDirectory() + "ddbstack-steps-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try CLITests.run([
            "diff", Self.base, "fixtures/changes/gsi-three-adds.yaml", "--write-steps", directory, "--steps",
        ])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("Staged plan: 3 deploys"))
        for step in 1...3 {
            let lint = try CLITests.run(["lint", "\(directory)/step-\(step).json"])
            #expect(lint.status == 0, "step \(step): \(lint.stdout)")
        }
    }

    @Test func lintBaseReadsTheTemplateFromAGitRevision() throws {
        let repository = NSTemporaryDirectory() + "ddbstack-git-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: repository) }
        try FileManager.default.createDirectory(atPath: repository + "/infra", withIntermediateDirectories: true)
        let git = { (arguments: [String]) throws in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments =
                ["-C", repository, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
                + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        try git(["init", "-q", "-b", "main"])
        try git(["commit", "-q", "--allow-empty", "-m", "empty"])
        let template = repository + "/infra/dynamodb.yaml"
        try FileManager.default.copyItem(atPath: CLITests.root.path + "/" + Self.base, toPath: template)
        try git(["add", "."])
        try git(["commit", "-q", "-m", "base"])
        try? FileManager.default.removeItem(atPath: template)
        try FileManager.default.copyItem(
            atPath: CLITests.root.path + "/fixtures/changes/remove-unretained.yaml", toPath: template)

        let changed = try CLITests.run(["lint", template, "--base", "main"])
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("-   Events  data loss: removed from the template"))
        #expect(try CLITests.run(["lint", template, "--base", "main", "--allow", "dataLoss:Events"]).status == 0)
        let fresh = try CLITests.run(["lint", template, "--base", "HEAD~1", "--format", "json"])
        #expect(fresh.stdout.contains("\"tablesAdded\": 1"), "\(fresh.stdout)")
        let unknown = try CLITests.run(["lint", template, "--base", "no-such-branch"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--base 'no-such-branch' is neither a file nor a git revision"))
    }

    @Test func lintBaseAcceptsAFileAndAnnotatesForGitHub() throws {
        let result = try CLITests.run([
            "lint", "fixtures/changes/gsi-projection-change.yaml", "--base", Self.base, "--format", "github",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("::error file=fixtures/changes/gsi-projection-change.yaml,line=15"))
        #expect(
            result.stdout.contains("title=change/rejected rejected::'Users' GlobalSecondaryIndexes[byEmail]: rejected"))
    }
}

/// `ddbstack doctor` over HTTP against a loopback stand-in.
@Suite(.serialized) struct DoctorCLITests {
    static let keys = [
        "AWS_ACCESS_KEY_ID": "AKIDTESTING1234", "AWS_SECRET_ACCESS_KEY": "doctor-secret-never-printed",
        "HOME": "/nonexistent",
    ]

    @Test func reportsRegionCredentialsEndpointsAndOneCallPerService() throws {
        let server = try LocalServer(script: "fake_aws.py")
        defer { server.stop() }
        let result = try CLITests.run(
            ["doctor", "--region", "eu-west-1", "--endpoint-url", server.base], environment: Self.keys)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("region         eu-west-1 (from --region)"))
        #expect(result.stdout.contains("credentials    environment, key …1234"))
        #expect(result.stdout.contains("endpoint       DynamoDB \(server.base) (configured)"))
        #expect(result.stdout.contains("identity       arn:aws:iam::000000000000:user/ci (account 000000000000)"))
        #expect(result.stdout.contains("DynamoDB       ok, ListTables: 2 tables visible"))
        #expect(result.stdout.contains("CloudFormation ok, DescribeStacks: 1 stacks visible"))
        #expect(
            !result.stdout.contains("doctor-secret-never-printed")
                && !result.stderr.contains("doctor-secret-never-printed"))
    }

    @Test func verboseLogsRequestsWithoutSecrets() throws {
        let server = try LocalServer(script: "fake_aws.py")
        defer { server.stop() }
        let result = try CLITests.run(
            ["doctor", "--region", "eu-west-1", "--endpoint-url", server.base, "--verbose"],
            environment: Self.keys.merging(["AWS_SESSION_TOKEN": "doctor-token-never-printed"]) { $1 })
        #expect(result.stderr.contains("ddbstack: DynamoDB ListTables → 200 in "))
        for secret in ["doctor-secret-never-printed", "doctor-token-never-printed"] {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
        }
    }

    @Test func explainsWhatIsWrongAndExitsThree() throws {
        let unreachable = try CLITests.run(
            ["doctor", "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:9"], environment: Self.keys)
        #expect(unreachable.status == 3)
        #expect(unreachable.stdout.contains("identity       ✗ STS GetCallerIdentity: RequestFailed: cannot connect"))
        #expect(unreachable.stderr.contains("ddbstack doctor: 3 checks failed"))
        let anonymous = try CLITests.run(
            ["doctor", "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:9"],
            environment: ["HOME": "/nonexistent"])
        #expect(anonymous.status == 3)
        #expect(
            anonymous.stdout.contains(
                "credentials    ✗ no AWS credentials found; tried: environment (AWS_ACCESS_KEY_ID), web identity"))
        let noRegion = try CLITests.run(["doctor"], environment: Self.keys)
        #expect(noRegion.status == 2)
        #expect(noRegion.stderr.contains("no AWS region"))
    }
}
