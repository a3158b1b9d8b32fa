import Foundation
import Lint
import Schema
import Template
import TestSupport
import Testing

@testable import Changes

/// Templates in the shapes real CloudFormation and SAM templates take (fixtures/corpus, each valid): lint's
/// standard profile raises no error with the default parameters (the production profile's errors are a policy
/// these templates do not all follow), every table is modelled, and a template compared with itself has no change.
@Suite struct CorpusTests {
    static let root = String(#filePath.split(separator: "/Tests/")[0]) + "/fixtures/corpus/"

    static let expected: [(String, [String])] = [
        ("autoscaling-table.json", ["Events"]),
        ("conditions-and-rules.yaml", ["Products"]),
        ("global-table-provisioned.yaml", ["Accounts"]),
        ("language-extensions.yaml", ["Audit"]),
        ("provisioned-lsi-stream.yaml", ["Messages", "Threads"]),
        ("sam-crud-api.yaml", ["OrdersTable"]),
        ("sam-http-simpletable.yaml", ["Sessions", "Counters"]),
        ("sam-nested-app.yaml", ["Profiles"]),
    ]

    @Test(arguments: expected)
    func aValidTemplateRaisesNoErrorAndEqualsItself(file: String, tables: [String]) throws {
        let context = try LintContext(source: try read(Self.root + file), options: ResolveOptions(region: "us-east-1"))
        #expect(context.tables.map(\.logicalId) == tables)
        let errors = Linter().lint(context).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map { "\($0.ruleId) \($0.message)" })")
        let review = Review(base: context.tables, head: context.tables, headTemplate: context.template)
        #expect(review.changes.isEmpty, "\(review.changes.map(\.message))")
    }

    @Test func everyTemplateOfTheCorpusIsChecked() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root).filter { !$0.hasSuffix(".md") }
        #expect(Set(files) == Set(Self.expected.map(\.0)))
    }
}
