import AWS
import Outcomes
import Schema
import Template
import Testing

@testable import Operations

/// A global table's replicas in other regions read where they live, with stand-in readers per region: each replica
/// compared with its own settings, a missing one reported, one that cannot be read named with the reason.
@Suite struct DriftReplicaTests {
    static let yaml = """
        Resources:
          Orders:
            Type: AWS::DynamoDB::GlobalTable
            Properties:
              TableName: orders
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
              BillingMode: PAY_PER_REQUEST
              StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
              Replicas:
                - {Region: us-east-1}
                - {Region: eu-west-1, TableClass: STANDARD_INFREQUENT_ACCESS}
                - {Region: ap-south-1}
        """

    /// Answers for one region: a table with this table class, no table, or an error.
    enum Answer: Sendable {
        case table(String)
        case none
        case failure(String)
    }

    struct Region: TableReading {
        let answer: Answer

        func read(_ name: String, logicalId: String?, extras: LiveTableReader.Extras) async throws -> LiveTable? {
            switch answer {
            case .table(let tableClass): return try DriftReplicaTests.live(tableClass: tableClass)
            case .none: return nil
            case .failure(let message):
                throw AWSError(
                    service: "DynamoDB", operation: "DescribeTable", code: "AccessDeniedException", message: message)
            }
        }
        func describe(_ name: String) async throws -> LiveTable? {
            try await read(name, logicalId: nil, extras: .init())
        }
        func listTables() async throws -> [String] { [] }
    }

    static func live(tableClass: String) throws -> LiveTable {
        LiveTable(
            description: try JSONParser.parse(
                Array(
                    """
                    {"TableName":"orders","TableStatus":"ACTIVE","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},
                     "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                     "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
                     "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},
                     "TableClassSummary":{"TableClass":"\(tableClass)"}}
                    """.utf8)),
            logicalId: "Orders")
    }

    static func detect(_ answers: [String: Answer]) async throws -> TableDrift {
        let expected = Model(try Resolver.resolve(try Template.parse(Array(yaml.utf8)))).tables
        var detector = DriftDetector(tables: Region(answer: .table("STANDARD")), sleep: { _ in })
        detector.region = "us-east-1"
        detector.replicaTables = { region in Region(answer: answers[region] ?? .none) }
        let drifts = try await detector.detect(expected: expected, physicalNames: ["Orders": "orders"])
        return try #require(drifts.first)
    }

    @Test func everyReplicaInSyncIsInSyncAndNoneIsLeftUncompared() async throws {
        let drift = try await Self.detect([
            "eu-west-1": .table("STANDARD_INFREQUENT_ACCESS"), "ap-south-1": .table("STANDARD"),
        ])
        #expect(drift.status == .inSync, "\(drift.differences.map(\.path))")
        #expect(!drift.notCompared.contains { $0.hasPrefix("Replicas[") }, "\(drift.notCompared)")
    }

    @Test func aReplicaIsComparedWithItsOwnSettings() async throws {
        let drift = try await Self.detect(["eu-west-1": .table("STANDARD"), "ap-south-1": .table("STANDARD")])
        #expect(drift.status == .drifted)
        #expect(drift.differences.map(\.path) == ["Replicas[eu-west-1].TableClass"])
    }

    @Test func aMissingReplicaIsADifferenceAndAnUnreadableOneIsNamedWithTheReason() async throws {
        let drift = try await Self.detect([
            "eu-west-1": .none, "ap-south-1": .failure("not authorized in ap-south-1"),
        ])
        #expect(drift.status == .drifted)
        let missing = try #require(drift.differences.first { $0.path == "Replicas[eu-west-1]" })
        #expect(missing.impact == .slow)
        #expect(missing.message.contains("does not exist"))
        #expect(
            drift.notCompared.contains { $0.hasPrefix("Replicas[ap-south-1] (could not be read in ap-south-1:") },
            "\(drift.notCompared)")
        #expect(drift.notCompared.contains { $0.contains("not authorized in ap-south-1") })
    }

    @Test func withoutAReaderForOtherRegionsTheOtherReplicasAreNamedAsNotCompared() async throws {
        let expected = Model(try Resolver.resolve(try Template.parse(Array(Self.yaml.utf8)))).tables
        var detector = DriftDetector(tables: Region(answer: .table("STANDARD")), sleep: { _ in })
        detector.region = "us-east-1"
        let drift = try #require(
            try await detector.detect(expected: expected, physicalNames: ["Orders": "orders"]).first)
        #expect(drift.notCompared.filter { $0.hasPrefix("Replicas[") }.count == 2)
    }
}
