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
                "Orders Replicas modify rejected", "Orders Replicas[ap-south-1] add slow",
                "Orders Replicas[sa-east-1] add slow",
            ]
        ),
        ("global/base", "global/replica-settings", ["Orders Replicas[us-east-1] modify inPlace"]),
        ("global/base", "global/stream-changed", ["Orders StreamSpecification modify rejected"]),
        (
            "global/base", "global/consistency-changed",
            ["Orders MultiRegionConsistency modify rejected", "Orders GlobalTableWitnesses add inPlace"]
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
}
