import Lint
import Schema
import Template
import Testing

@testable import Changes

/// A Metadata acknowledgement counts only for the change it was written for, and only with a reason; `--allow`
/// counts whichever source revealed the change.
@Suite struct AcknowledgementTests {
    /// An unnamed table whose key changes (data loss), with `metadata` on it in each version.
    static func review(base baseMetadata: String?, head headMetadata: String?, allowances: [Review.Allowance] = [])
        throws -> Review
    {
        func context(_ key: String, _ metadata: String?) throws -> LintContext {
            try LintContext(
                source: Array(
                    """
                    Resources:
                      Events:
                        Type: AWS::DynamoDB::Table
                    \(metadata.map { "    Metadata: {ddbstack: \($0)}\n" } ?? "")    Properties:
                          BillingMode: PAY_PER_REQUEST
                          AttributeDefinitions: [{AttributeName: \(key), AttributeType: S}]
                          KeySchema: [{AttributeName: \(key), KeyType: HASH}]
                    """.utf8))
        }
        let base = try context("id", baseMetadata)
        let head = try context("pk", headMetadata)
        return Review(base: base.tables, head: head.tables, headTemplate: head.template, allowances: allowances)
    }

    @Test(
        arguments: [
            // (base Metadata, head Metadata, acknowledged, ignored message)
            (nil, "{allow: [dataLoss], reason: 'events are replayable'}", true, nil),
            (
                "{allow: [dataLoss], reason: 'events are replayable'}",
                "{allow: [dataLoss], reason: 'events are replayable'}", false, "is stale"
            ),
            (
                "{allow: [dataLoss], reason: 'last time'}", "{allow: [dataLoss], reason: 'events are replayable'}",
                true, nil
            ),
            (
                "{allow: [breaking], reason: 'events are replayable'}",
                "{allow: [breaking, dataLoss], reason: 'events are replayable'}", true, "is stale"
            ),
            (nil, "{allow: [dataLoss]}", false, "has no reason"),
            (nil, "{allow: [dataLoss], reason: ''}", false, "has no reason"),
            (nil, "{allow: [sometimes], reason: x}", false, "is not an impact"),
        ] as [(String?, String?, Bool, String?)])
    func aMetadataAcknowledgementCountsOnlyWhenWrittenForThisChangeWithAReason(
        base: String?, head: String?, acknowledged: Bool,
        ignored: String?
    ) throws {
        let review = try Self.review(base: base, head: head)
        let change = try #require(review.changes.first { $0.action == .replace })
        #expect(change.impact == .dataLoss)
        #expect(change.acknowledged == acknowledged)
        #expect(review.failed == !acknowledged)
        #expect(
            review.ignoredAcknowledgements.first?.message.contains(ignored ?? "-") ?? (ignored == nil),
            "\(review.ignoredAcknowledgements.map(\.message))")
        if acknowledged { #expect(change.acknowledgement?.origin == "Metadata (reason: events are replayable)") }
    }

    @Test func aFlagAcknowledgesAChangeThatOnlyCloudFormationRevealed() throws {
        var review = try Self.review(
            base: nil, head: nil, allowances: [.init(impact: .replacement, logicalId: "Orders")])
        let orders = Change(
            logicalId: "Orders", tableName: nil, path: "", action: .replace, impact: .replacement,
            message: "CloudFormation's change set replaces the table", range: .none)
        review.amend { $0.append(orders) }
        #expect(review.changes.last?.acknowledgement?.origin == "--allow replacement:Orders")
        review.amend {
            $0.append(
                Change(
                    logicalId: "Orders", tableName: nil, path: "StackStatus", action: .modify, impact: .rejected,
                    message: "busy", range: .none))
        }
        #expect(review.changes.last?.acknowledged == false, "rejected is never acknowledged")
        #expect(review.changes.compactMap(\.acknowledgement?.origin) == ["--allow replacement:Orders"])
    }
}
