import Lint
import Schema
import Template
import Testing

@testable import Changes

@Suite struct ReviewTests {
    @Test(arguments: [
        ("gsi-rename", [["Users create byEmailV2"], ["Users delete byEmail"]]),
        ("gsi-three-adds", [["Users create byA"], ["Users create byB"], ["Users create byC"]]),
        (
            "gsi-two-tables",
            [
                ["Users create byA", "Events create byC"], ["Users create byB", "Events create byD"],
                ["Users delete byEmail"],
            ]
        ),
    ])
    func stagesGSIOperationsOnePerTablePerStepCreationsFirst(name: String, expected: [[String]]) throws {
        let review = try DifferTests.review(name)
        #expect(
            review.steps.map { $0.operations.map { "\($0.logicalId) \($0.kind.rawValue) \($0.subject.name)" } }
                == expected
        )
        #expect(!review.changes.contains { $0.impact == .rejected })
        #expect(review.changes.first { $0.stageable }?.impact == .slow)
    }

    /// Every intermediate template lints clean and differs from the one before by one GSI operation per table.
    @Test(arguments: ["gsi-rename", "gsi-three-adds", "gsi-two-tables"])
    func everyStepLintsCleanAndIsAcceptableToCloudFormation(name: String) throws {
        let review = try DifferTests.review(name)
        var previous = try DifferTests.context("base").tables
        for step in review.steps {
            let text = JSONWriter.write(JSONValue(step.template))
            let context = try LintContext(source: Array(text.utf8))
            let errors = Linter().lint(context).filter { $0.severity == .error }
            #expect(errors.isEmpty, "step \(step.number): \(errors.map(\.message))")
            let changes = Differ.changes(base: previous, head: context.tables)
            #expect(!changes.contains { $0.impact == .rejected }, "step \(step.number): \(changes.map(\.message))")
            previous = context.tables
        }
        let last = try DifferTests.context(name).tables
        #expect(Differ.changes(base: previous, head: last).isEmpty)
    }

    @Test func nothingToStageWithASingleGSIOperation() throws {
        #expect(try DifferTests.review("gsi-add").steps.isEmpty)
    }

    @Test func unacknowledgedBreakingChangesFailAndAcknowledgedOnesPass() throws {
        #expect(try DifferTests.review("gsi-remove").failed)
        #expect(
            try !DifferTests.review("gsi-remove", allowances: [Review.Allowance(impact: .breaking, logicalId: "Users")])
                .failed)
        // An acknowledgement names the impact: a breaking allowance does not cover data loss.
        #expect(
            try DifferTests.review(
                "remove-unretained", allowances: [Review.Allowance(impact: .breaking, logicalId: "Events")]
            ).failed)
        #expect(
            try !DifferTests.review(
                "remove-unretained", allowances: [Review.Allowance(impact: .dataLoss, logicalId: "Events")]
            ).failed)
    }

    @Test func theHeadTemplatesMetadataAcknowledgesItsOwnResource() throws {
        let base = try DifferTests.context("base")
        let source = String(decoding: try read(DifferTests.directory + "table-rename.yaml"), as: UTF8.self)
            .replacing(
                "    UpdateReplacePolicy: Retain\n",
                with:
                    "    UpdateReplacePolicy: Retain\n    Metadata: {ddbstack: {allow: [replacement], reason: new naming scheme}}\n"
            )
        let head = try LintContext(source: Array(source.utf8))
        let review = Review(base: base.tables, head: head.tables, headTemplate: head.template)
        #expect(review.changes.first?.acknowledged == true)
        #expect(!review.failed)
    }

    @Test func rejectedChangesCanNeverBeAcknowledged() throws {
        let review = try DifferTests.review(
            "gsi-projection-change", allowances: [Review.Allowance(impact: .rejected, logicalId: "Users")])
        #expect(review.failed)
        #expect(review.changes.first?.acknowledged == false)
    }

    @Test func theThresholdMoves() throws {
        #expect(try !DifferTests.review("gsi-add").failed)
        #expect(try DifferTests.review("gsi-add", threshold: .slow).failed)
        #expect(try !DifferTests.review("gsi-remove", threshold: .replacement).failed)
    }

    @Test func allowancesParseImpactAndLogicalId() {
        #expect(Review.Allowance("data-loss:Users") == Review.Allowance(impact: .dataLoss, logicalId: "Users"))
        #expect(Review.Allowance("replacement") == nil)
        #expect(Review.Allowance("sometimes:Users") == nil)
    }
}
