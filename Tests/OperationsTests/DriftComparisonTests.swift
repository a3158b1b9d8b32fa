import AWS
import Changes
import Schema
import Template
import Testing

@testable import Operations

/// The comparison of one template table with its live table, without a network: no false alarms on what the
/// API reports differently, and every real difference with its impact.
@Suite struct DriftComparisonTests {
    static func table(_ properties: String, policies: String = "") throws -> Table {
        let yaml =
            "Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n\(policies)    Properties:\n"
            + properties.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(
                separator: "\n") + "\n"
        return try #require(Model(try Resolver.resolve(try Template.parse(Array(yaml.utf8)))).tables.first)
    }

    static let keys = """
        AttributeDefinitions:
          - {AttributeName: id, AttributeType: S}
          - {AttributeName: email, AttributeType: S}
        KeySchema: [{AttributeName: id, KeyType: HASH}]
        GlobalSecondaryIndexes:
          - IndexName: byEmail
            KeySchema: [{AttributeName: email, KeyType: HASH}]
            Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [total, status]}
        """

    /// DescribeTable as AWS answers for that table: defaults spelled out, computed members, `aws:` tags.
    static func live(
        _ extra: String = "", gsiExtra: String = "", ttl: String? = nil, pitr: String = "DISABLED",
        tags: [(String, String)] = [], protected: Bool = false, tableClass: String = "STANDARD"
    ) throws -> LiveTable {
        let description = """
            {"TableName":"app-Orders-1","TableStatus":"ACTIVE","TableArn":"arn:aws:dynamodb:us-east-1:1:table/app-Orders-1",
             "AttributeDefinitions":[{"AttributeType":"S","AttributeName":"email"},{"AttributeName":"id","AttributeType":"S"}],
             "KeySchema":[{"KeyType":"HASH","AttributeName":"id"}],
             "BillingModeSummary":{"BillingMode":"PROVISIONED"},
             "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5,"NumberOfDecreasesToday":0},
             "GlobalSecondaryIndexes":[{"IndexName":"byEmail","KeySchema":[{"AttributeName":"email","KeyType":"HASH"}],
               "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["status","total"]},"IndexStatus":"ACTIVE",
               "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},
               "WarmThroughput":{"ReadUnitsPerSecond":12000,"WriteUnitsPerSecond":4000,"Status":"ACTIVE"}\(gsiExtra)}],
             "TableClassSummary":{"TableClass":"\(tableClass)"},"DeletionProtectionEnabled":\(protected),
             "WarmThroughput":{"ReadUnitsPerSecond":12000,"WriteUnitsPerSecond":4000,"Status":"ACTIVE"}\(extra)}
            """
        let timeToLive =
            ttl.map { #"{"TimeToLiveStatus":"ENABLED","AttributeName":"\#($0)"}"# }
            ?? #"{"TimeToLiveStatus":"DISABLED"}"#
        let backups =
            #"{"ContinuousBackupsStatus":"ENABLED","PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"\#(pitr)","RecoveryPeriodInDays":35}}"#
        return LiveTable(
            description: try JSONParser.parse(Array(description.utf8)),
            timeToLive: try JSONParser.parse(Array(timeToLive.utf8)),
            continuousBackups: try JSONParser.parse(Array(backups.utf8)),
            tags: tags + [("aws:cloudformation:stack-name", "app"), ("aws:cloudformation:logical-id", "Orders")],
            logicalId: "Orders")
    }

    static let provisioned = """
        ProvisionedThroughput: {ReadCapacityUnits: '5', WriteCapacityUnits: 5}
        """

    static func withGSIThroughput(_ keys: String) -> String {
        keys + "\n    ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: '5'}"
    }

    @Test(arguments: [
        ("implicit defaults", ""),
        (
            "explicit defaults",
            """
            BillingMode: PROVISIONED
            TableClass: STANDARD
            DeletionProtectionEnabled: false
            PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: false}
            SSESpecification: {SSEEnabled: false}
            TimeToLiveSpecification: {AttributeName: ttl, Enabled: 'false'}
            StreamSpecification: {}
            """
        ),
        (
            "computed warm throughput declared",
            "WarmThroughput: {ReadUnitsPerSecond: 12000}\nResourcePolicy: {PolicyDocument: {}}"
        ),
    ])
    func aTableNobodyTouchedIsInSync(_ label: String, _ extra: String) throws {
        let expected = try Self.table(
            Self.withGSIThroughput(Self.keys) + "\n" + Self.provisioned + (extra.isEmpty ? "" : "\n" + extra))
        let drift = DriftComparison.compare(expected: expected, live: try Self.live())
        #expect(
            drift.status == .inSync,
            "\(label): \(drift.differences.map { "\($0.path) \($0.expected ?? "-") \($0.actual ?? "-")" })")
    }

    @Test func stackTagsAndAwsTagsAreNotDriftButAHandAddedTagIs() throws {
        let expected = try Self.table(
            Self.withGSIThroughput(Self.keys) + "\n" + Self.provisioned + "\nTags: [{Key: team, Value: orders}]")
        let inSync = DriftComparison.compare(
            expected: expected, live: try Self.live(tags: [("env", "prod"), ("team", "orders")]),
            stackTags: [("env", "prod")])
        #expect(inSync.status == .inSync)
        let drifted = DriftComparison.compare(
            expected: expected, live: try Self.live(tags: [("env", "prod"), ("team", "payments"), ("owner", "bob")]),
            stackTags: [("env", "prod")])
        #expect(
            drifted.differences.map { "\($0.path) \($0.expected ?? "-") \($0.actual ?? "-")" } == [
                #"Tags[owner] - "bob""#, #"Tags[team] "orders" "payments""#,
            ])
    }

    @Test(arguments: [
        ("alias/orders", "arn:aws:kms:us-east-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab", true),
        (
            "1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:us-east-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            true
        ),
        (
            "arn:aws:kms:us-east-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab", true
        ),
        (
            "1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:us-east-1:1:key/ffffffff-12ab-34cd-56ef-1234567890ab",
            false
        ),
    ])
    func aKMSKeyNamedByIdOrAliasMatchesTheReportedARN(_ declared: String, _ reported: String, _ same: Bool) throws {
        let expected = try Self.table(
            Self.withGSIThroughput(Self.keys) + "\n" + Self.provisioned
                + "\nSSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: '\(declared)'}")
        let live = try Self.live(
            #","SSEDescription":{"Status":"ENABLED","SSEType":"KMS","KMSMasterKeyArn":"\#(reported)"}"#)
        let drift = DriftComparison.compare(expected: expected, live: live)
        #expect(drift.status == (same ? .inSync : .drifted))
        #expect(drift.differences.map(\.path) == (same ? [] : ["SSESpecification"]))
    }

    @Test func settingsChangedByHandAreDifferencesWithTheImpactOfRestoringThem() throws {
        let expected = try Self.table(
            Self.withGSIThroughput(Self.keys) + "\n" + Self.provisioned
                + "\nTimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}")
        let live = try Self.live(
            #","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}"#, ttl: "ttl", pitr: "ENABLED")
        let drift = DriftComparison.compare(expected: expected, live: live)
        #expect(drift.status == .drifted)
        let found = drift.differences.map {
            "\($0.path) \($0.impact.rawValue) \($0.expected ?? "-") \($0.actual ?? "-")"
        }
        #expect(
            found == [
                #"TimeToLiveSpecification inPlace {"AttributeName":"expiresAt","Enabled":true} {"AttributeName":"ttl","Enabled":true}"#,
                #"StreamSpecification breaking - {"StreamViewType":"NEW_IMAGE"}"#,
                #"PointInTimeRecoverySpecification inPlace - {"PointInTimeRecoveryEnabled":true,"RecoveryPeriodInDays":35}"#,
            ])
        #expect(drift.differences[0].range.start.line == 15)
    }

    /// A setting the template states with its default value, changed by hand: shown as the template declares it.
    @Test(
        arguments: [
            ("DeletionProtectionEnabled: false", "DeletionProtectionEnabled", "false", "true"),
            ("TableClass: STANDARD", "TableClass", #""STANDARD""#, #""STANDARD_INFREQUENT_ACCESS""#),
            (
                "TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: false}", "TimeToLiveSpecification",
                #"{"AttributeName":"expiresAt","Enabled":false}"#, #"{"AttributeName":"expiresAt","Enabled":true}"#
            ),
        ] as [(String, String, String, String)])
    func aDeclaredDefaultChangedByHandIsShownAsDeclared(setting: String, path: String, declared: String, found: String)
        throws
    {
        let expected = try Self.table(Self.withGSIThroughput(Self.keys) + "\n" + Self.provisioned + "\n" + setting)
        let live = try Self.live(
            ttl: path.hasPrefix("TimeToLive") ? "expiresAt" : nil, protected: path.hasPrefix("Deletion"),
            tableClass: path == "TableClass" ? "STANDARD_INFREQUENT_ACCESS" : "STANDARD")
        let difference = try #require(
            DriftComparison.compare(expected: expected, live: live).differences.first { $0.path == path })
        #expect(difference.expected == declared)
        #expect(difference.actual == found)
        #expect(difference.message.hasPrefix("differs from the template, which declares"), "\(difference.message)")
        #expect(!difference.message.contains("not in the template"))
    }

    /// A global table's replica in the region read is the live table: its settings are compared; the other
    /// replicas are named as not compared, never silently "in sync".
    @Test func aGlobalTablesLocalReplicaIsComparedAndTheOthersAreNamed() throws {
        let yaml = """
            Resources:
              Orders:
                Type: AWS::DynamoDB::GlobalTable
                Properties:
                  AttributeDefinitions:
                    - {AttributeName: id, AttributeType: S}
                    - {AttributeName: email, AttributeType: S}
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  BillingMode: PROVISIONED
                  WriteProvisionedThroughputSettings: {WriteCapacityAutoScalingSettings: {MinCapacity: 1, MaxCapacity: 10, TargetTrackingScalingPolicyConfiguration: {TargetValue: 70}}}
                  GlobalSecondaryIndexes:
                    - IndexName: byEmail
                      KeySchema: [{AttributeName: email, KeyType: HASH}]
                      Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [total, status]}
                  StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
                  Replicas:
                    - Region: us-east-1
                      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
                      DeletionProtectionEnabled: true
                      TableClass: STANDARD_INFREQUENT_ACCESS
                    - {Region: eu-west-1}
            """
        let expected = try #require(Model(try Resolver.resolve(try Template.parse(Array(yaml.utf8)))).tables.first)
        let live = try Self.live(
            #","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}"#)
        let drift = DriftComparison.compare(expected: expected, live: live, region: "us-east-1")
        #expect(
            drift.differences.map(\.path).sorted() == [
                "DeletionProtectionEnabled", "PointInTimeRecoverySpecification", "TableClass",
            ],
            "\(drift.differences.map { "\($0.path) \($0.expected ?? "-") \($0.actual ?? "-")" })")
        #expect(
            drift.notCompared.contains("Replicas[eu-west-1] (another region's replica: read it there with --region)"))
        let unknown = DriftComparison.compare(expected: expected, live: live)
        #expect(unknown.notCompared.contains { $0.hasPrefix("Replicas (the region is unknown") })
    }

    @Test func aGSIAddedByHandIsBreakingToRestoreAndItsAttributeIsNotReportedTwice() throws {
        let expected = try Self.table(Self.withGSIThroughput(Self.keys) + "\n" + Self.provisioned)
        let description = try JSONParser.parse(
            Array(
                """
                {"TableName":"app-Orders-1","TableStatus":"ACTIVE","BillingModeSummary":{"BillingMode":"PROVISIONED"},
                 "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"email","AttributeType":"S"},{"AttributeName":"sku","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},
                 "GlobalSecondaryIndexes":[
                   {"IndexName":"byEmail","KeySchema":[{"AttributeName":"email","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["total","status"]},
                    "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}},
                   {"IndexName":"bySku","KeySchema":[{"AttributeName":"sku","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"},
                    "IndexStatus":"CREATING","Backfilling":true,"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}]}
                """.utf8))
        let drift = DriftComparison.compare(
            expected: expected, live: LiveTable(description: description, logicalId: "Orders"))
        #expect(drift.status == .notActive)
        #expect(drift.buildingIndexes.map(\.name) == ["bySku"])
        #expect(
            drift.differences.map { "\($0.path) \($0.impact.rawValue)" } == ["GlobalSecondaryIndexes[bySku] breaking"])
    }

    @Test func onDemandTablesIgnoreTheThroughputTheAPIReports() throws {
        let expected = try Self.table(
            "BillingMode: PAY_PER_REQUEST\n" + Self.keys
                + "\nProvisionedThroughput: {ReadCapacityUnits: 0, WriteCapacityUnits: 0}")
        let live = try Self.live().table.properties!
        var entries = live.entries!.filter { $0.key != "BillingMode" && $0.key != "ProvisionedThroughput" }
        entries.insert(Node.Entry(key: "BillingMode", keyRange: .none, value: Node(.string("PAY_PER_REQUEST"))), at: 0)
        var table = try Self.live()
        table.table = Table(logicalId: "Orders", properties: Node(.mapping(entries)))
        #expect(DriftComparison.compare(expected: expected, live: table).status == .inSync)
    }

    @Test func unresolvedAndUnreadablePropertiesAreSetAsideNotReported() throws {
        let expected = try Self.table(
            Self.withGSIThroughput(Self.keys) + "\n" + Self.provisioned
                + "\nSSESpecification: {SSEEnabled: true, KMSMasterKeyId: !GetAtt Key.Arn}\nImportSourceSpecification: {InputFormat: CSV}"
        )
        let drift = DriftComparison.compare(expected: expected, live: try Self.live())
        #expect(drift.status == .inSync)
        #expect(
            drift.notCompared == [
                "SSESpecification (depends on a value unknown offline)",
                "ImportSourceSpecification (not readable from DynamoDB)",
            ])
    }
}
