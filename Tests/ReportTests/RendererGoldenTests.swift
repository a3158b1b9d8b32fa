import Glibc
import Lint
import TestSupport
import Testing

@testable import Report
@testable import Template

/// Renderer output against golden files; `UPDATE_GOLDENS=1 swift test` rewrites them.
@Suite struct RendererGoldenTests {
    static let goldens = String(#filePath.dropLast("RendererGoldenTests.swift".count)) + "Goldens/"
    static let source = """
        Resources:
          T:
            Type: AWS::DynamoDB::Table
            Properties:
              KeySchema: [{AttributeName: id, KeyType: HASH}]
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              BillingMode: PAY_PER_REQUEST
              GlobalSecondaryIndexes:
                - {IndexName: "a,b", KeySchema: [{AttributeName: id, KeyType: HASH}], Projection: {ProjectionType: INCLUDE}}
              Tags: [{Key: 'aws:x', Value: "<&>"}]

        """

    static func report() throws -> LintReport {
        let context = try LintContext(source: Array(source.utf8))
        return LintReport(file: "templates/t.yaml", findings: Linter().lint(context), source: source)
    }

    @Test(arguments: ["text", "json", "sarif", "github", "junit", "markdown", "show.txt", "show.json"])
    func rendersAsTheGoldenFile(name: String) throws {
        let report = try Self.report()
        let model = try LintContext(source: Array(Self.source.utf8)).model
        let output: String
        switch name {
        case "text": output = TextRenderer(color: false).render(report)
        case "json": output = FindingsJSON.render(report)
        case "sarif":
            output = SARIFRenderer.render(
                report, rules: RuleRegistry.all.map(\.description).filter { ["DDB201", "DDB212"].contains($0.id) })
        case "github": output = GitHubRenderer.render(report)
        case "junit": output = JUnitRenderer.render(report)
        case "markdown": output = MarkdownRenderer.render(report)
        case "show.txt": output = ModelRenderer.text(model, file: "templates/t.yaml")
        default: output = ModelRenderer.json(model, file: "templates/t.yaml")
        }
        let path = Self.goldens + "lint." + name
        if getenv("UPDATE_GOLDENS") != nil {
            let file = fopen(path, "w")!
            fputs(output, file)
            fclose(file)
        }
        let expected = try #require(Self.read(path), "missing golden \(path): run with UPDATE_GOLDENS=1")
        #expect(output == expected)
    }

    @Test func githubEscapesDataAndProperties() {
        #expect(GitHubRenderer.data("50%\nnext\r") == "50%25%0Anext%0D")
        #expect(GitHubRenderer.property("a:b,c") == "a%3Ab%2Cc")
    }

    @Test func textCutsVeryLongLinesAroundTheCaret() {
        let line = String(repeating: "x", count: 500) + "BAD" + String(repeating: "y", count: 500)
        let finding = Finding(
            ruleId: "DDB001", ruleName: "n", severity: .error, message: "m",
            range: SourceRange(start: SourceLocation(line: 1, column: 501), end: SourceLocation(line: 1, column: 504)),
            logicalId: nil, note: "why", help: "fix")
        let text = TextRenderer(color: false).render(LintReport(file: "f", findings: [finding], source: line))
        let excerpt = text.split(separator: "\n")[3]
        #expect(excerpt.count < 200)
        #expect(excerpt.contains("BAD"))
        let caret = text.split(separator: "\n")[4]
        #expect(
            caret.firstIndex(of: "^").map { caret.distance(from: caret.startIndex, to: $0) }
                == excerpt.firstRange(of: "BAD").map { excerpt.distance(from: excerpt.startIndex, to: $0.lowerBound) })
    }

    static func read(_ path: String) -> String? {
        readFixture(path).map { String(decoding: $0, as: UTF8.self) }
    }
}
