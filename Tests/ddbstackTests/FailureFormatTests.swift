import Foundation
import TestSupport
import Testing

/// Every failure in the format asked for, on standard output or in `--output`, and as text on standard error.
@Suite struct FailureFormatTests {
    static let broken = "fixtures/input/syntax-error.yaml"

    static func output() -> String { NSTemporaryDirectory() + "failure-\(UInt32.random(in: 0...UInt32.max)).out" }

    @Test(arguments: [
        ("json", #""error": {"#), ("sarif", #""ruleId": "ddbstack/input-error""#),
        ("github", "::error file=fixtures/input/syntax-error.yaml,line=4,col=1,"),
        ("junit", #"<failure type="ddbstack/input-error""#), ("markdown", "### ❌ ddbstack lint failed (exit 2)"),
    ])
    func aTemplateThatCannotBeReadIsReportedInEveryFormat(format: String, expected: String) throws {
        let printed = try CLITests.run(["lint", Self.broken, "--format", format])
        #expect(printed.status == 2)
        #expect(printed.stdout.contains(expected), "\(printed.stdout)")
        #expect(printed.stderr.contains("fixtures/input/syntax-error.yaml:4:1: error: YAML syntax error"))
        let path = Self.output()
        let written = try CLITests.run(["lint", Self.broken, "--format", format, "--output", path])
        #expect(written.status == 2)
        #expect(written.stdout.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(expected))
    }

    @Test func theJSONErrorCarriesTheLocationAndTheExitCode() throws {
        let result = try CLITests.run(["show", Self.broken, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["command"] as? String == "show")
        #expect(json["exitCode"] as? Int == 2)
        let error = try #require(json["error"] as? [String: Any])
        #expect(error["file"] as? String == Self.broken)
        #expect(error["line"] as? Int == 4)
        #expect((error["message"] as? String)?.hasPrefix("YAML syntax error") == true)
    }

    @Test func aBadParameterAndAMissingFileAreReportedToo() throws {
        let parameter = try CLITests.run(["lint", CLITests.template, "--parameter", "Nope=1", "--format", "sarif"])
        #expect(parameter.status == 2)
        #expect(parameter.stdout.contains("parameter 'Nope' is given a value but the template does not declare it"))
        let missing = try CLITests.run(["diff", "fixtures/input/missing.yaml", CLITests.template, "--format", "github"])
        #expect(missing.status == 2)
        #expect(missing.stdout.hasPrefix("::error file=fixtures/input/missing.yaml,"))
    }

    /// The pre-merge workflow's own commands on a broken template: the pull request gets an annotation and code
    /// scanning a SARIF result at the line, instead of an empty upload.
    @Test func theLintWorkflowShowsABrokenTemplate() throws {
        let workflow = try String(
            contentsOf: WorkflowTests.directory.appendingPathComponent("ddbstack-lint.yml"), encoding: .utf8)
        #expect(workflow.contains("--format github"))
        #expect(workflow.contains("--format sarif --output ddbstack.sarif"))
        let annotations = try CLITests.run(["lint", Self.broken, "--format", "github"])
        #expect(annotations.stdout.hasPrefix("::error file=\(Self.broken),line=4,col=1,"))
        let path = Self.output()
        _ = try CLITests.run(["lint", Self.broken, "--format", "sarif", "--output", path])
        let sarif = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let result = try #require(((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first)
        let location = try #require(
            (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == Self.broken)
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 4)
    }
}
