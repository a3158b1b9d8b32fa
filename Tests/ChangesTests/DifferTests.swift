import Testing
import TestSupport
import Template
import Schema
import Lint
@testable import Changes

/// Before/after template pairs under fixtures/changes: every kind of change, with its impact.
@Suite struct DifferTests {
    static let directory = String(#filePath.split(separator: "/Tests/")[0]) + "/fixtures/changes/"

    static func context(_ name: String, parameters: [String: String] = [:]) throws -> LintContext {
        try LintContext(source: try read(directory + name + ".yaml"), options: ResolveOptions(parameters: parameters))
    }

    static func review(_ name: String, allowances: [Review.Allowance] = [], threshold: Impact = .breaking) throws -> Review {
        let base = try context("base"), head = try context(name)
        return Review(base: base.tables, head: head.tables, headTemplate: head.template, allowances: allowances, threshold: threshold)
    }

    @Test(arguments: [
        ("reorder", [String]()),
        ("key-schema-named", ["Users KeySchema replace rejected"]),
        ("key-schema-unnamed", ["Events KeySchema replace dataLoss", "Events AttributeDefinitions modify none"]),
        ("key-schema-unnamed-retained", ["Events KeySchema replace replacement", "Events AttributeDefinitions modify none",
                                         "Events UpdateReplacePolicy modify none"]),
        ("attribute-type", ["Events AttributeDefinitions replace dataLoss"]),
        ("table-rename", ["Users TableName replace replacement"]),
        ("lsi-add", ["Events LocalSecondaryIndexes replace dataLoss", "Events AttributeDefinitions modify none"]),
        ("gsi-add", ["Users AttributeDefinitions modify none", "Users GlobalSecondaryIndexes[byName] add slow"]),
        ("gsi-remove", ["Users AttributeDefinitions modify none", "Users GlobalSecondaryIndexes[byEmail] remove breaking"]),
        ("gsi-projection-change", ["Users GlobalSecondaryIndexes[byEmail] modify rejected"]),
        ("gsi-rename", ["Users GlobalSecondaryIndexes modify slow", "Users GlobalSecondaryIndexes[byEmailV2] add slow",
                        "Users GlobalSecondaryIndexes[byEmail] remove breaking"]),
        ("stream-view-change", ["Users StreamSpecification modify breaking"]),
        ("stream-removed", ["Users StreamSpecification remove breaking"]),
        ("stream-added", ["Events StreamSpecification add inPlace"]),
        ("billing-on-demand", ["Events BillingMode modify inPlace", "Events ProvisionedThroughput remove inPlace"]),
        ("throughput", ["Events ProvisionedThroughput modify inPlace"]),
        ("settings", ["Users TimeToLiveSpecification modify inPlace", "Users PointInTimeRecoverySpecification modify inPlace",
                      "Users DeletionProtectionEnabled modify inPlace", "Users TableClass add inPlace", "Users SSESpecification add inPlace",
                      "Users Tags modify inPlace"]),
        ("policy-retain-to-delete", ["Users DeletionPolicy modify none"]),
        ("remove-retained", ["Users  remove breaking"]),
        ("remove-unretained", ["Events  remove dataLoss"]),
        ("logical-rename-named", ["Members  add rejected", "Users  remove breaking"]),
        ("new-table", ["Audit  add none"]),
    ])
    func classifiesEveryChange(name: String, expected: [String]) throws {
        let changes = try Self.review(name).changes
        #expect(changes.map { "\($0.logicalId) \($0.path) \($0.action.rawValue) \($0.impact.rawValue)" } == expected)
    }

    @Test(arguments: [
        ("billing-on-demand", "BillingMode", "at most 4 switches to on-demand"),
        ("settings", "TimeToLiveSpecification", "one TTL change per table per hour"),
        ("settings", "PointInTimeRecoverySpecification", "point-in-time recovery is turned off"),
        ("settings", "DeletionProtectionEnabled", "deletion protection is turned off"),
        ("policy-retain-to-delete", "DeletionPolicy", "the Retain safeguard is removed"),
        ("gsi-projection-change", "GlobalSecondaryIndexes[byEmail]", "add the new index under a new name"),
    ])
    func warnsWhereAQuotaOrSafeguardIsInvolved(name: String, path: String, caution: String) throws {
        let change = try #require(try Self.review(name).changes.first { $0.path == path })
        #expect(change.caution?.contains(caution) == true, "\(change.caution ?? "no caution")")
    }

    @Test func aCustomNamedTableThatMustBeReplacedIsRejectedWithTheRenameAdvice() throws {
        let change = try #require(try Self.review("key-schema-named").changes.first)
        #expect(change.message.contains("CloudFormation cannot update a stack when a custom-named resource requires replacing"))
        #expect(change.caution?.contains("rename the table") == true)
    }

    @Test func removalsPointIntoTheBaseTemplate() throws {
        let change = try #require(try Self.review("remove-unretained").changes.first)
        #expect(change.inBase)
        #expect(change.range.start.line == 23)
    }
}

func read(_ path: String) throws -> [UInt8] {
    try #require(readFixture(path), "missing fixture \(path)")
}
