import Schema
import Template
import Testing

@testable import AWS

@Suite struct LiveTableTests {
    /// A DescribeTable answer with the emulator's quirks: throughput as strings, empty strings, no IndexStatus.
    static let description = try! JSONParser.parse(
        Array(
            """
            {"TableName":"finance-staging-users","TableStatus":"UPDATING","TableArn":"arn:aws:dynamodb:eu-west-1:1:table/finance-staging-users",
             "AttributeDefinitions":[{"AttributeName":"userId","AttributeType":"S"},{"AttributeName":"email","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"userId","KeyType":"HASH"}],
             "BillingModeSummary":{"BillingMode":"PROVISIONED","LastUpdateToPayPerRequestDateTime":1763800000.123},
             "ProvisionedThroughput":{"ReadCapacityUnits":"5","WriteCapacityUnits":5,"NumberOfDecreasesToday":0},
             "GlobalSecondaryIndexes":[{"IndexName":"byEmail","KeySchema":[{"AttributeName":"email","KeyType":"HASH"}],
               "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["status"]},"IndexStatus":"CREATING","Backfilling":true,
               "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}},
              {"IndexName":"byName","KeySchema":[{"AttributeName":"userId","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
             "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},"LatestStreamArn":"",
             "SSEDescription":{"Status":"ENABLED","SSEType":"KMS","KMSMasterKeyArn":"arn:aws:kms:eu-west-1:1:key/abc"},
             "TableClassSummary":{"TableClass":"STANDARD"},"DeletionProtectionEnabled":true,
             "WarmThroughput":{"ReadUnitsPerSecond":12000,"WriteUnitsPerSecond":4000,"Status":"ACTIVE"}}
            """.utf8))

    @Test func mapsDescribeTableIntoTheTemplateModel() throws {
        let live = LiveTable(
            description: Self.description,
            timeToLive: try JSONParser.parse(
                Array(#"{"TimeToLiveStatus":"ENABLED","AttributeName":"expiresAt"}"#.utf8)),
            continuousBackups: try JSONParser.parse(
                Array(
                    #"{"PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"ENABLED","RecoveryPeriodInDays":35}}"#
                        .utf8)),
            tags: [("team", "identity"), ("aws:cloudformation:stack-name", "app")], logicalId: "Users")
        let table = live.table
        #expect(table.logicalId == "Users")
        #expect(table.tableName?.value == "finance-staging-users")
        #expect(table.billingMode == .provisioned)
        #expect(table.provisionedThroughput?.read?.value == 5)
        #expect(table.keySchema.attributeNames == ["userId"])
        #expect(table.globalSecondaryIndexes.map { $0.name.value } == ["byEmail", "byName"])
        #expect(table.globalSecondaryIndexes[0].projection?.nonKeyAttributes.map(\.value) == ["status"])
        #expect(table.stream?.viewType?.value == "NEW_AND_OLD_IMAGES")
        #expect(table.timeToLive?.attributeName?.value == "expiresAt")
        #expect(table.pointInTimeRecovery?.recoveryPeriodInDays?.value == 35)
        #expect(table.encryption?.kmsMasterKeyId?.value == "arn:aws:kms:eu-west-1:1:key/abc")
        #expect(table.deletionProtection?.value == true)
        #expect(table.tags.map { $0.key.value } == ["team"])
        #expect(table.properties?["WarmThroughput"] == nil)
        #expect(live.status == "UPDATING")
        #expect(
            live.indexes == [
                LiveTable.IndexStatus(name: "byEmail", status: "CREATING", backfilling: true),
                LiveTable.IndexStatus(name: "byName", status: "ACTIVE", backfilling: false),
            ])
        #expect(!live.isReady)
        #expect(live.streamArn == nil)
        #expect(live.lastSwitchToOnDemand == 1_763_800_000)
    }

    @Test func onDemandTablesHaveNoThroughputEvenWhenTheEmulatorReportsSome() throws {
        let json = try JSONParser.parse(
            Array(
                #"{"TableName":"t","TableStatus":"ACTIVE","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},"KeySchema":[],"AttributeDefinitions":[]}"#
                    .utf8))
        let live = LiveTable(description: json)
        #expect(live.table.billingMode == .payPerRequest)
        #expect(live.table.provisionedThroughput == nil)
        #expect(live.isReady)
    }
}

@Suite struct ParserTests {
    @Test(arguments: [
        (
            #"{"a":[1,-2.5e3,true,false,null,"x\"\\\/\u00e9\ud83d\ude00\n"]}"#,
            #"{"a":[1,-2.5e3,true,false,null,"x\"\\/é😀\n"]}"#
        ),
        (" [ ] ", "[]"),
    ])
    func parsesJSON(input: String, compact: String) throws {
        #expect(JSONWriter.write(try JSONParser.parse(Array(input.utf8)), pretty: false) == compact)
    }

    @Test(arguments: [
        "{", "{\"a\" 1}", "[1,]", "tru", "\"\u{01}\"", "{\"a\":1} x", "01x", "\"\\q\"",
        String(repeating: "[", count: 300),
    ])
    func refusesMalformedJSON(input: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(Array(input.utf8)) }
    }

    @Test func readsXMLWithEntitiesAndNamespaces() throws {
        let xml = try XMLElement.parse(
            Array(
                """
                <?xml version="1.0"?>
                <!-- a comment -->
                <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
                  <DescribeStacksResult><Stacks><member><StackName>a &amp; b</StackName><StackStatusReason>&lt;x&gt; &#233;&#x41;</StackStatusReason><Empty/></member></Stacks></DescribeStacksResult>
                </DescribeStacksResponse>
                """.utf8))
        let stack = try #require(xml.child("DescribeStacksResult")?.child("Stacks")?.members.first)
        #expect(stack.value("StackName") == "a & b")
        #expect(stack.value("StackStatusReason") == "<x> éA")
        #expect(stack.value("Empty") == "")
        #expect(throws: XMLElement.ParseError.self) { try XMLElement.parse(Array("<a><b></a>".utf8.dropLast(4))) }
    }

    @Test(arguments: [
        ("2026-11-22T11:00:00Z", 1_795_345_200), ("2026-11-22T11:00:00.123Z", 1_795_345_200),
        ("2026-11-22T12:00:00+01:00", 1_795_345_200), ("2000-02-29T00:00:00Z", 951_782_400),
    ])
    func parsesTimestamps(text: String, seconds: Int) {
        #expect(Timestamp.parse(text) == seconds)
    }

    @Test func checksumsAsDynamoDBDoes() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }
}
