import Lint
import Schema
import Template
import TestSupport
import Testing

@testable import Changes

/// Every kind of table compared as CloudFormation sees it: a SimpleTable as the Table SAM makes of it, a global
/// table's replicas as a set keyed by region, and a change of resource type refused.
@Suite struct KindTests {
    static let root = String(#filePath.split(separator: "/Tests/")[0]) + "/fixtures/"

    static func context(_ path: String) throws -> LintContext {
        try LintContext(source: try read(root + path + ".yaml"), options: ResolveOptions(region: "us-east-1"))
    }

    static func changes(_ base: String, _ head: String) throws -> [String] {
        let before = try context(base)
        let after = try context(head)
        return Review(base: before.tables, head: after.tables, headTemplate: after.template, region: "us-east-1")
            .changes
            .map { "\($0.logicalId) \($0.path) \($0.action.rawValue) \($0.impact.rawValue)" }
    }

    @Test(arguments: [
        ("sam/simple-table", "sam/as-table", [String]()),
        ("sam/as-table", "sam/simple-table", []),
        (
            "sam/simple-table", "sam/primary-key-changed",
            ["Items KeySchema replace rejected", "Items AttributeDefinitions modify none"]
        ),
        ("sam/simple-table", "sam/as-global-table", ["Items Type modify rejected"]),
        ("sam/as-table", "sam/as-global-table", ["Items Type modify rejected"]),
        ("global/base", "global/reordered", []),
        ("global/base", "global/replica-added", ["Orders Replicas[ap-south-1] add slow"]),
        ("global/base", "global/replica-removed", ["Orders Replicas[eu-west-1] remove dataLoss"]),
        ("global/base", "global/home-removed", ["Orders Replicas[us-east-1] remove rejected"]),
        (
            "global/base", "global/two-added",
            [
                "Orders Replicas modify slow", "Orders Replicas[ap-south-1] add slow",
                "Orders Replicas[sa-east-1] add slow",
            ]
        ),
        (
            "global/two-added", "global/base",
            [
                "Orders Replicas modify slow", "Orders Replicas[ap-south-1] remove dataLoss",
                "Orders Replicas[sa-east-1] remove dataLoss",
            ]
        ),
        ("global/base", "global/replica-settings", ["Orders Replicas[us-east-1] modify inPlace"]),
        ("global/base", "global/stream-changed", ["Orders StreamSpecification modify rejected"]),
        (
            "global/base", "global/consistency-changed",
            ["Orders MultiRegionConsistency modify rejected", "Orders GlobalTableWitnesses add rejected"]
        ),
        ("global/strong", "global/witness-moved", ["Orders GlobalTableWitnesses modify rejected"]),
        ("global/strong", "global/witness-removed", ["Orders GlobalTableWitnesses remove rejected"]),
        (
            "global/strong", "global/witness-and-replica-removed",
            ["Orders Replicas[us-east-2] remove dataLoss", "Orders GlobalTableWitnesses remove inPlace"]
        ),
    ])
    func eachKindIsComparedAsCloudFormationSeesIt(base: String, head: String, expected: [String]) throws {
        #expect(try Self.changes(base, head) == expected)
    }

    @Test func aTypeChangeAdvisesRetainRemoveImport() throws {
        let before = try Self.context("sam/as-table")
        let after = try Self.context("sam/as-global-table")
        let change = try #require(Differ.changes(base: before.tables, head: after.tables).first)
        #expect(change.message.contains("Update of resource type is not permitted"))
        #expect(change.caution?.contains("DeletionPolicy Retain, remove it from the template") == true)
        #expect(change.caution?.contains("resource-import change set") == true)
    }

    @Test func aSimpleTableIsModelledAsTheTableSAMMakesOfIt() throws {
        let simple = try #require(try Self.context("sam/simple-table").tables.first)
        let table = try #require(try Self.context("sam/as-table").tables.first)
        #expect(simple.kind == .simpleTable)
        #expect(Differ.changes(base: [simple], head: [table]).isEmpty)
        #expect(simple.keySchema.map { $0.attributeName.value } == ["pk"])
        #expect(simple.attributeDefinition(named: "pk")?.type.value == "S")
        #expect(simple.billingMode == .payPerRequest)
        #expect(simple.tags.map { "\($0.key.value ?? "")=\($0.value.value ?? "")" } == ["team=core"])
    }

    /// Replicas added or removed several at a time are staged like GSIs: one operation per table per deploy, GSIs
    /// first, each step a template CloudFormation takes and lint passes.
    @Test(arguments: [
        ("global/base", "global/two-added", [["Orders create ap-south-1"], ["Orders create sa-east-1"]]),
        ("global/two-added", "global/base", [["Orders delete ap-south-1"], ["Orders delete sa-east-1"]]),
        ("global/base", "global/replica-and-gsi", [["Orders create byCustomer"], ["Orders create ap-south-1"]]),
    ])
    func replicasAreStagedOnePerDeploy(base: String, head: String, expected: [[String]]) throws {
        let before = try Self.context(base)
        let after = try Self.context(head)
        let review = Review(base: before.tables, head: after.tables, headTemplate: after.template, region: "us-east-1")
        #expect(
            review.steps.map { $0.operations.map { "\($0.logicalId) \($0.kind.rawValue) \($0.subject.name)" } }
                == expected)
        #expect(!review.changes.contains { $0.impact == .rejected })
        var previous = before.tables
        for step in review.steps {
            let text = JSONWriter.write(JSONValue(step.template))
            let context = try LintContext(source: Array(text.utf8), options: ResolveOptions(region: "us-east-1"))
            let errors = Linter().lint(context).filter { $0.severity == .error }
            #expect(errors.isEmpty, "step \(step.number): \(errors.map(\.message))")
            let changes = Differ.changes(base: previous, head: context.tables, region: "us-east-1")
            #expect(!changes.contains { $0.impact == .rejected }, "step \(step.number): \(changes.map(\.message))")
            #expect(changes.filter { $0.action == .add || $0.action == .remove }.count == 1, "step \(step.number)")
            previous = context.tables
        }
        #expect(Differ.changes(base: previous, head: after.tables, region: "us-east-1").isEmpty)
    }

    @Test func theStacksOwnRegionRemovedStaysRejectedWhenStaged() throws {
        let before = try Self.context("global/two-added")
        let source = String(decoding: try read(Self.root + "global/two-added.yaml"), as: UTF8.self)
            .replacing(
                "        - {Region: us-east-1, PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}}\n",
                with: ""
            )
            .replacing("        - {Region: sa-east-1}\n", with: "")
        let after = try LintContext(source: Array(source.utf8), options: ResolveOptions(region: "us-east-1"))
        let review = Review(base: before.tables, head: after.tables, headTemplate: after.template, region: "us-east-1")
        #expect(review.changes.contains { $0.path == "Replicas[us-east-1]" && $0.impact == .rejected })
        #expect(review.failed)
    }

    /// A replica's own settings for a GSI an intermediate step does not have yet cannot be staged by ddbstack: the
    /// change stays rejected rather than producing a step CloudFormation would refuse.
    @Test func perReplicaSettingsOfAGSINotYetCreatedAreNotStaged() throws {
        let before = try Self.context("global/base")
        let source = String(decoding: try read(Self.root + "global/replica-and-gsi.yaml"), as: UTF8.self)
            .replacing(
                "        - {AttributeName: customer, AttributeType: S}\n",
                with:
                    "        - {AttributeName: customer, AttributeType: S}\n        - {AttributeName: day, AttributeType: S}\n"
            )
            .replacing(
                "          Projection: {ProjectionType: KEYS_ONLY}\n",
                with: "          Projection: {ProjectionType: KEYS_ONLY}\n        - IndexName: byDay\n"
                    + "          KeySchema: [{AttributeName: day, KeyType: HASH}]\n"
                    + "          Projection: {ProjectionType: KEYS_ONLY}\n"
            )
            .replacing(
                "        - {Region: eu-west-1}\n",
                with: "        - {Region: eu-west-1, GlobalSecondaryIndexes: [{IndexName: byDay, "
                    + "ContributorInsightsSpecification: {Enabled: true}}]}\n")
        let after = try LintContext(source: Array(source.utf8), options: ResolveOptions(region: "us-east-1"))
        #expect(after.tables.first.map { $0.globalSecondaryIndexes.count + $0.localSecondaryIndexes.count } == 2)
        let review = Review(base: before.tables, head: after.tables, headTemplate: after.template, region: "us-east-1")
        #expect(review.steps.isEmpty)
        #expect(review.changes.contains { $0.stageable && $0.impact == .rejected })
    }
}

/// A replica's path is written and read in one place.
@Suite struct ReplicaPathTests {
    @Test(
        arguments: [
            ("Replicas[eu-west-1]", "eu-west-1", nil),
            ("Replicas[eu-west-1].TableClass", "eu-west-1", "TableClass"),
            ("Replicas[us-east-1].Tags[team]", "us-east-1", "Tags[team]"),
        ] as [(String, String, String?)])
    func aReplicaPathIsReadBackAsWritten(path: String, region: String, property: String?) throws {
        #expect(ReplicaPath.of(region, property) == path)
        let parsed = try #require(ReplicaPath.parse(path))
        #expect(parsed.region == region && parsed.property == property)
    }

    @Test(arguments: ["Replicas", "GlobalSecondaryIndexes[byEmail]", "Replicas[eu-west-1] (not read)", "TableClass"])
    func anotherPathIsNotAReplicas(path: String) {
        #expect(ReplicaPath.parse(path) == nil)
    }
}
