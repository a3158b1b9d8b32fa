import Lint
import Schema
import Template
import TestSupport
import Testing

@testable import Changes

/// Before/after template pairs under fixtures/changes: every kind of change, with its impact.
@Suite struct DifferTests {
    static let directory = String(#filePath.split(separator: "/Tests/")[0]) + "/fixtures/changes/"

    static func context(_ name: String, parameters: [String: String] = [:]) throws -> LintContext {
        try LintContext(source: try read(directory + name + ".yaml"), options: ResolveOptions(parameters: parameters))
    }

    static func review(_ name: String, allowances: [Review.Allowance] = [], threshold: Impact = .breaking) throws
        -> Review
    {
        let base = try context("base")
        let head = try context(name)
        return Review(
            base: base.tables, head: head.tables, headTemplate: head.template, allowances: allowances,
            threshold: threshold)
    }

    @Test(arguments: [
        ("reorder", [String]()),
        ("key-schema-named", ["Users KeySchema replace rejected"]),
        ("key-schema-unnamed", ["Events KeySchema replace dataLoss", "Events AttributeDefinitions modify none"]),
        (
            "key-schema-unnamed-retained",
            [
                "Events KeySchema replace replacement", "Events AttributeDefinitions modify none",
                "Events UpdateReplacePolicy modify none",
            ]
        ),
        ("attribute-type", ["Events AttributeDefinitions replace dataLoss"]),
        ("table-rename", ["Users TableName replace replacement"]),
        ("lsi-add", ["Events LocalSecondaryIndexes replace dataLoss", "Events AttributeDefinitions modify none"]),
        ("gsi-add", ["Users AttributeDefinitions modify none", "Users GlobalSecondaryIndexes[byName] add slow"]),
        (
            "gsi-remove",
            ["Users AttributeDefinitions modify none", "Users GlobalSecondaryIndexes[byEmail] remove breaking"]
        ),
        ("gsi-projection-change", ["Users GlobalSecondaryIndexes[byEmail] modify rejected"]),
        (
            "gsi-rename",
            [
                "Users GlobalSecondaryIndexes modify slow", "Users GlobalSecondaryIndexes[byEmailV2] add slow",
                "Users GlobalSecondaryIndexes[byEmail] remove breaking",
            ]
        ),
        ("stream-view-change", ["Users StreamSpecification modify breaking"]),
        ("stream-removed", ["Users StreamSpecification remove breaking"]),
        ("stream-added", ["Events StreamSpecification add inPlace"]),
        ("billing-on-demand", ["Events BillingMode modify inPlace", "Events ProvisionedThroughput remove inPlace"]),
        ("throughput", ["Events ProvisionedThroughput modify inPlace"]),
        (
            "settings",
            [
                "Users TimeToLiveSpecification modify inPlace", "Users PointInTimeRecoverySpecification modify inPlace",
                "Users DeletionProtectionEnabled modify inPlace", "Users TableClass add inPlace",
                "Users SSESpecification add inPlace",
                "Users Tags modify inPlace",
            ]
        ),
        ("policy-retain-to-delete", ["Users DeletionPolicy modify none"]),
        ("remove-retained", ["Users  remove breaking"]),
        ("remove-unretained", ["Events  remove dataLoss"]),
        ("logical-rename-named", ["Members  add rejected", "Users  remove breaking"]),
        ("new-table", ["Audit  add none"]),
        (
            "replaced-with-gsis",
            [
                "Events KeySchema replace dataLoss", "Events AttributeDefinitions modify none",
                "Events GlobalSecondaryIndexes modify none",
            ]
        ),
        ("ttl-added", ["Users TimeToLiveSpecification remove inPlace", "Events TimeToLiveSpecification add inPlace"]),
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

    /// The "disables, then enables" caution is for a changed attribute only, not for TTL being added or removed.
    @Test func ttlBeingAddedCarriesOnlyTheHourlyLimit() throws {
        let changes = try Self.review("ttl-added").changes
        #expect(
            changes.allSatisfy { $0.caution == "DynamoDB allows one TTL change per table per hour" },
            "\(changes.map(\.caution))")
        let renamed = try #require(try Self.review("settings").changes.first { $0.path == "TimeToLiveSpecification" })
        #expect(renamed.caution?.contains("disables TTL, then enables it") == true)
    }

    @Test func aReplacedTableTakesItsNewGSIsAtOnceWithoutStaging() throws {
        let review = try Self.review("replaced-with-gsis")
        #expect(review.steps.isEmpty)
        #expect(!review.changes.contains { $0.impact == .rejected || $0.impact == .slow })
    }

    @Test func reorderedNonKeyAttributesAreNoChange() throws {
        func tables(_ attributes: String) throws -> [Table] {
            try LintContext(
                source: Array(
                    """
                    Resources:
                      T:
                        Type: AWS::DynamoDB::Table
                        Properties:
                          BillingMode: PAY_PER_REQUEST
                          AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                          KeySchema: [{AttributeName: id, KeyType: HASH}]
                          GlobalSecondaryIndexes:
                            - {IndexName: byE, KeySchema: [{AttributeName: e, KeyType: HASH}], Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [\(attributes)]}}
                    """.utf8)
            ).tables
        }
        #expect(Differ.changes(base: try tables("a, b, c"), head: try tables("c, a, b")).isEmpty)
        #expect(Differ.changes(base: try tables("a, b"), head: try tables("a, b, c")).map(\.impact) == [.rejected])
    }

    @Test func aCustomNamedTableThatMustBeReplacedIsRejectedWithTheRenameAdvice() throws {
        let change = try #require(try Self.review("key-schema-named").changes.first)
        #expect(
            change.message.contains(
                "CloudFormation cannot update a stack when a custom-named resource requires replacing"))
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
