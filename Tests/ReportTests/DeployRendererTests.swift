import Foundation
import Testing
import AWS
import Operations
@testable import Report

/// What `deploy` says at the end, and the exit code of each ending.
@Suite struct DeployRendererTests {
    static func rolledBack() -> DeployOutcome {
        var outcome = DeployOutcome(result: .rolledBack)
        outcome.stackStatus = "UPDATE_ROLLBACK_FAILED"
        outcome.failure = .init(rootCause: .init(id: "e1", logicalId: "Orders", resourceType: "AWS::DynamoDB::Table", status: "UPDATE_FAILED",
                                                 reason: "Cannot perform more than one GSI creation or deletion in a single update"),
                                advice: ["the rollback is stuck …"], leftoverIndexes: [("orders", "byEmail")])
        outcome.elapsed = 12.34
        return outcome
    }

    @Test func aRollbackNamesTheRootCauseAndWhatToDoNext() {
        let text = DeployText.summary(Self.rolledBack(), stack: "app", command: "ddbstack deploy t.yaml --stack app", calls: 9)
        #expect(text == """
            error: stack app ended UPDATE_ROLLBACK_FAILED
            root cause: Orders (AWS::DynamoDB::Table) UPDATE_FAILED: Cannot perform more than one GSI creation or deletion in a single update
            next: the rollback is stuck …
            """)
    }

    @Test func everyEndingHasItsExitCode() {
        let codes: [(DeployOutcome.Result, Int32)] = [
            (.ready, 0), (.noChanges, 0), (.prepared(changeSet: "c"), 0), (.guardRefused, 1), (.refused("x"), 3), (.rolledBack, 3),
            (.timedOut, 3), (.interrupted, 3), (.failed("x"), 3),
        ]
        for (result, code) in codes { #expect(DeployText.exitCode(result) == code, "\(result)") }
    }

    @Test func theJSONSummaryCarriesStepsTablesFailureAndCalls() throws {
        var outcome = Self.rolledBack()
        outcome.steps = [.init(number: 1, changeSet: "ddbstack-abc", operations: ["Orders: create GSI byEmail"], status: "executed", resourceChanges: 1, seconds: 3.2)]
        outcome.tables = [TableState(name: "orders", status: "ACTIVE", building: [], indexes: [.init(name: "byEmail", status: "ACTIVE", backfilling: false)], since: 1)]
        let text = DeployText.json(outcome, stack: "app", command: "ddbstack deploy", calls: 42, revision: "abc", templateSHA256: "00ff", plan: nil)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["result"] as? String == "rolledBack")
        #expect(json["exitCode"] as? Int == 3)
        #expect(json["apiCalls"] as? Int == 42)
        #expect(json["revision"] as? String == "abc")
        #expect((json["steps"] as? [[String: Any]])?.first?["changeSet"] as? String == "ddbstack-abc")
        let indexes = (json["tables"] as? [[String: Any]])?.first?["indexes"] as? [[String: Any]]
        #expect(indexes?.first?["indexName"] as? String == "byEmail")
        let failure = try #require(json["failure"] as? [String: Any])
        #expect((failure["rootCause"] as? [String: Any])?["logicalId"] as? String == "Orders")
        #expect((failure["leftoverIndexes"] as? [[String: Any]])?.first?["indexName"] as? String == "byEmail")
    }

    @Test func theStacksOwnEventsAreLeftToItsStatusLine() {
        let own = CloudFormationClient.StackEvent(id: "1", logicalId: "app", resourceType: "AWS::CloudFormation::Stack", status: "UPDATE_IN_PROGRESS")
        #expect(DeployText.line(.stackEvent(own), stack: "app") == nil)
        let table = CloudFormationClient.StackEvent(id: "2", logicalId: "Orders", physicalId: "orders", resourceType: "AWS::DynamoDB::Table",
                                                     status: "UPDATE_FAILED", reason: "boom")
        #expect(DeployText.line(.stackEvent(table), stack: "app") == "Orders UPDATE_FAILED (orders): boom")
        #expect(DeployText.line(.stackStatus("UPDATE_COMPLETE", reason: nil), stack: "app") == "stack app: UPDATE_COMPLETE")
    }
}
