import Lint
import Schema
import Template
import Testing

@testable import Changes

/// CloudFormation's verdict folded into a plan: what it replaces or removes beyond the plan is added at the impact
/// the table's policies give it, and can be acknowledged like any change.
@Suite struct ChangeSetVerdictTests {
    static func tables(_ properties: String, policy: String = "", name: String? = nil) throws -> [Table] {
        try LintContext(
            source: Array(
                """
                Resources:
                  Orders:
                    Type: AWS::DynamoDB::Table
                \(policy)    Properties:
                \(name.map { "      TableName: \($0)\n" } ?? "")      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                \(properties)
                """.utf8)
        ).tables
    }

    /// StagePlanner's template argument; nothing here is staged.
    static func template() throws -> Template {
        try Template.parse(Array("Resources: {Topic: {Type: AWS::SNS::Topic}}".utf8))
    }

    static func merged(
        _ resource: ChangeSetVerdict.Resource, base: [Table], head: [Table],
        allowances: [Review.Allowance] = []
    ) throws -> Review {
        var review = Review(base: base, head: head, headTemplate: try template(), allowances: allowances)
        review.merge(ChangeSetVerdict(name: "cs", resources: [resource]), base: base, head: head)
        return review
    }

    @Test(arguments: [
        // (replacement, UpdateReplacePolicy, TableName kept, expected impact)
        (ChangeSetVerdict.Resource.Replacement.always, "", false, Impact.dataLoss),
        (.always, "    UpdateReplacePolicy: Retain\n", false, .replacement),
        (.conditional, "", false, .dataLoss),
        (.always, "", true, .rejected),
    ])
    func aReplacementOnlyCloudFormationSawIsAddedAtItsImpact(
        _ replacement: ChangeSetVerdict.Resource.Replacement, _ policy: String,
        _ named: Bool, _ impact: Impact
    ) throws {
        let base = try Self.tables("", policy: policy, name: named ? "orders" : nil)
        let review = try Self.merged(
            .init(logicalId: "Orders", action: .modify, replacement: replacement, causes: ["KeySchema"]),
            base: base, head: base)
        #expect(review.changes.map { "\($0.action.rawValue) \($0.impact.rawValue)" } == ["replace \(impact.rawValue)"])
        #expect(review.failed)
        if replacement == .conditional {
            #expect(review.changes.first?.message.contains("treated as a replacement") == true)
        }
    }

    @Test func aRemovalOnlyCloudFormationSawFollowsTheDeletionPolicy() throws {
        let unretained = try Self.tables("")
        let removed = try Self.merged(.init(logicalId: "Orders", action: .remove), base: unretained, head: [])
        #expect(removed.changes.map { "\($0.action.rawValue) \($0.impact.rawValue)" } == ["remove dataLoss"])
        let retained = try Self.tables("", policy: "    DeletionPolicy: Retain\n")
        // The plan already has the removal: nothing is added twice.
        #expect(
            try Self.merged(.init(logicalId: "Orders", action: .remove), base: retained, head: []).changes.map(\.impact)
                == [.breaking])
    }

    @Test func anInPlaceVerdictDowngradesTheOfflineReplacement() throws {
        let base = try Self.tables("")
        let head = try Self.tables("", name: "renamed")
        let review = try Self.merged(
            .init(logicalId: "Orders", action: .modify, replacement: .never), base: base, head: head)
        #expect(review.changes.map(\.impact) == [.inPlace])
    }

    @Test func whatCloudFormationRevealedCanBeAcknowledgedWithAFlag() throws {
        let base = try Self.tables("")
        let review = try Self.merged(
            .init(logicalId: "Orders", action: .modify, replacement: .always), base: base, head: base,
            allowances: [.init(impact: .dataLoss, logicalId: "Orders")])
        #expect(review.changes.first?.acknowledged == true)
        #expect(!review.failed)
    }

    @Test func aRefusedChangeSetIsRejected() throws {
        var review = Review(base: [], head: [], headTemplate: try Self.template())
        review.merge(ChangeSetVerdict(name: "cs", refusal: "Template format error", resources: []), base: [], head: [])
        #expect(review.changes.map(\.impact) == [.rejected])
    }
}
