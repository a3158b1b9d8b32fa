import Changes
import Lint
import StackModel
import Template
import Testing

@testable import Report

@Suite struct ChangeReportTests {
    /// The stack's status is no table: a plan refused because the stack is busy counts no table changed.
    @Test func summariesCountTablesOnly() throws {
        var review = Review(
            base: [], head: [],
            headTemplate: try Template.parse(Array("Resources: {Topic: {Type: AWS::SNS::Topic}}".utf8)))
        var blocker = Change(
            logicalId: "app", tableName: nil, path: "StackStatus", action: .modify, impact: .rejected,
            message: "the stack is UPDATE_IN_PROGRESS", range: .none)
        blocker.scope = .stack
        review.amend { $0.append(blocker) }
        let report = ChangeReport(review: review, baseFile: "stack 'app'", headFile: "t.yaml")
        #expect(
            report.summaryLine
                == "0 tables to add, 0 changed in place, 0 replaced, 0 removed; 1 rejected by CloudFormation")
    }
}
