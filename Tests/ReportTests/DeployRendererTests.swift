import AWS
import Changes
import Foundation
import Operations
import Outcomes
import Testing

@testable import Report

/// What `deploy` says at the end, and the exit code of each ending.
@Suite struct DeployRendererTests {
    static func rolledBack() -> DeployOutcome {
        var outcome = DeployOutcome(result: .rolledBack)
        outcome.stackStatus = "UPDATE_ROLLBACK_FAILED"
        outcome.failure = .init(
            rootCause: .init(
                id: "e1", logicalId: "Orders", resourceType: "AWS::DynamoDB::Table", status: "UPDATE_FAILED",
                reason: "Cannot perform more than one GSI creation or deletion in a single update"),
            advice: ["the rollback is stuck …"], leftoverIndexes: [("orders", "byEmail")])
        outcome.elapsed = 12.34
        return outcome
    }

    @Test func aRollbackNamesTheRootCauseAndWhatToDoNext() {
        let text = DeployText.summary(
            Self.rolledBack(), stack: "app", command: "ddbstack deploy t.yaml --stack app", calls: 9)
        #expect(
            text == """
                error: stack app ended UPDATE_ROLLBACK_FAILED
                root cause: Orders (AWS::DynamoDB::Table) UPDATE_FAILED: Cannot perform more than one GSI creation or deletion in a single update
                next: the rollback is stuck …
                """)
    }

    @Test func everyEndingHasItsExitCode() {
        let codes: [(DeployOutcome.Result, Int32)] = [
            (.ready, 0), (.noChanges, 0), (.prepared(changeSet: "c"), 0), (.guardRefused, 1), (.refused("x"), 3),
            (.rolledBack, 3),
            (.timedOut, 3), (.interrupted, 3), (.failed("x"), 3), (.unaccepted(changeSet: "c", changes: []), 1),
            (.unverified(changeSet: "c", reason: "x"), 1),
        ]
        for (result, code) in codes { #expect(DeployText.exitCode(result) == code, "\(result)") }
        var cleanUpFailed = DeployOutcome(result: .noChanges)
        cleanUpFailed.leftovers = [
            "change set 'c' (AccessDenied): aws cloudformation delete-change-set --stack-name app --change-set-name c"
        ]
        #expect(DeployText.exitCode(cleanUpFailed) == 3, "a failed clean-up is never a clean exit")
    }

    @Test func theJSONSummaryCarriesStepsTablesFailureAndCalls() throws {
        var outcome = Self.rolledBack()
        outcome.steps = [
            .init(
                number: 1, changeSet: "ddbstack-abc", operations: ["Orders: create GSI byEmail"], status: "executed",
                resourceChanges: 1, seconds: 3.2)
        ]
        outcome.tables = [
            TableState(
                name: "orders", status: "ACTIVE", building: [],
                indexes: [.init(name: "byEmail", status: "ACTIVE", backfilling: false)], since: 1)
        ]
        let text = DeployText.json(
            outcome, stack: "app", command: "ddbstack deploy", calls: 42, revision: "abc", templateSHA256: "00ff",
            plan: nil)
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

    @Test func anInterruptBetweenStepsNamesWhatDidNotStartAndTheCommandThatFinishes() {
        var outcome = DeployOutcome(result: .interrupted)
        outcome.stackStatus = "UPDATE_COMPLETE"
        outcome.steps = [
            .init(
                number: 1, changeSet: "c-step-1", operations: ["Orders: create GSI byA"], status: "executed",
                resourceChanges: 1, seconds: 2),
            .init(
                number: 2, changeSet: "c-step-2", operations: ["Orders: create GSI byB"], status: "notStarted",
                resourceChanges: 0, seconds: 0),
        ]
        let text = DeployText.summary(outcome, stack: "app", command: "ddbstack deploy t.yaml --stack app", calls: 9)
        #expect(text.contains("not started: step 2 of 2 (Orders: create GSI byB)"))
        #expect(
            text.contains(
                "to finish the deploy once the stack is ready, run it again — it plans from what is deployed and goes on with step 2: ddbstack deploy t.yaml --stack app"
            ))
    }

    @Test func aChangeSetBeyondThePlanIsNamedWithWhatAcknowledgesIt() {
        var outcome = DeployOutcome(
            result: .unaccepted(
                changeSet: "c",
                changes: [
                    Change(
                        logicalId: "Orders", tableName: "orders", path: "", action: .replace, impact: .dataLoss,
                        message: "CloudFormation's change set 'c' replaces the table (TableName)", range: .none)
                ]))
        outcome.leftovers = [
            "change set 'c' (AccessDenied): aws cloudformation delete-change-set --stack-name app --change-set-name c"
        ]
        let text = DeployText.summary(outcome, stack: "app", command: "ddbstack deploy t.yaml --stack app", calls: 9)
        #expect(
            text == """
                refused: CloudFormation's change set c does more than the guard accepted; nothing was executed
                  Orders: dataLoss, not acknowledged: CloudFormation's change set 'c' replaces the table (TableName)
                    after review: --allow dataLoss:Orders, or Metadata 'ddbstack: {allow: [dataLoss], reason: "…"}' on the resource
                left behind: change set 'c' (AccessDenied): aws cloudformation delete-change-set --stack-name app --change-set-name c
                """)
    }

    @Test func aWaitThatEndsOnAFailedStackGivesTheAdvicePlanGives() {
        let outcome = WaitOutcome(
            result: .stackFailed(status: "UPDATE_ROLLBACK_FAILED", reason: "Orders UPDATE_FAILED: boom"), tables: [],
            elapsed: 1, polls: 1)
        let text = WaitText.summary(outcome, stack: "app", calls: 3)
        #expect(text.contains("error: stack ended UPDATE_ROLLBACK_FAILED: Orders UPDATE_FAILED: boom"))
        #expect(
            text.contains(
                "next: the rollback is stuck and the stack cannot be updated: fix what blocks it, then run aws cloudformation continue-update-rollback --stack-name app"
            ))
    }

    @Test func theStacksOwnEventsAreLeftToItsStatusLine() {
        let own = CloudFormationClient.StackEvent(
            id: "1", logicalId: "app", resourceType: "AWS::CloudFormation::Stack", status: "UPDATE_IN_PROGRESS")
        #expect(DeployText.line(.stackEvent(own), stack: "app") == nil)
        let table = CloudFormationClient.StackEvent(
            id: "2", logicalId: "Orders", physicalId: "orders", resourceType: "AWS::DynamoDB::Table",
            status: "UPDATE_FAILED", reason: "boom")
        #expect(DeployText.line(.stackEvent(table), stack: "app") == "Orders UPDATE_FAILED (orders): boom")
        #expect(
            DeployText.line(.stackStatus("UPDATE_COMPLETE", reason: nil), stack: "app") == "stack app: UPDATE_COMPLETE")
    }
}
