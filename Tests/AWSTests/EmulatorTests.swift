import Foundation
import Template
import TestSupport
import Testing

@testable import AWS

@Suite(.serialized, .enabled(if: Testbed.enabled)) struct EmulatorTests {
    @Test func theDynamoDBClientReadsALiveTableOverHTTP() async throws {
        let client = DynamoDBClient(context: try Testbed.context(Testbed.endpoint))
        let name = Testbed.unique("live")
        try await Testbed.createTable(client, name)
        _ = try await client.call(
            "UpdateTimeToLive",
            [
                .init("TableName", .string(name)),
                .init(
                    "TimeToLiveSpecification",
                    .object([.init("Enabled", .bool(true)), .init("AttributeName", .string("expiresAt"))])),
            ])
        let description = try await client.describeTable(name)
        let arn = try #require(description["TableArn"]?.stringValue)
        let live = LiveTable(
            description: description, timeToLive: try await client.describeTimeToLive(name),
            continuousBackups: try await client.describeContinuousBackups(name), tags: try await client.listTags(arn))
        #expect(live.table.keySchema.attributeNames == ["id"])
        #expect(live.table.globalSecondaryIndexes.map { $0.name.value } == ["byEmail"])
        #expect(live.table.timeToLive?.attributeName?.value == "expiresAt")
        #expect(live.table.tags.map { $0.key.value } == ["team"])
        #expect(live.table.billingMode == .payPerRequest)
        #expect(live.isReady)
        #expect(try await client.listTables().contains(name))
    }

    @Test func aMissingTableIsATypedError() async throws {
        let client = DynamoDBClient(context: try Testbed.context(Testbed.endpoint))
        do {
            _ = try await client.describeTable("no-such-table-\(UInt32.random(in: 0...UInt32.max))")
            Issue.record("expected ResourceNotFoundException")
        } catch let error as AWSError {
            #expect(error.code == "ResourceNotFoundException")
            #expect(error.status == 400)
        }
    }

    @Test func throttlingFiveHundredsResetsAndTruncationEndInSuccess() async throws {
        let client = DynamoDBClient(context: try Testbed.context(Testbed.proxy))
        let name = Testbed.unique("faults")
        try await Testbed.createTable(client, name)
        try await Testbed.rules(
            """
            [{"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "throttle", "count": 1},
             {"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "http503", "count": 1},
             {"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "reset", "count": 1},
             {"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "corrupt", "count": 1}]
            """)
        let description = try await client.describeTable(name)
        #expect(description["TableName"]?.stringValue == name)
        try await Testbed.rules(
            """
            [{"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "truncate", "count": 1},
             {"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "drop", "count": 1}]
            """)
        #expect(try await client.describeTable(name)["TableName"]?.stringValue == name)
    }

    @Test func persistentThrottlingEndsInOneClearError() async throws {
        let client = DynamoDBClient(context: try Testbed.context(Testbed.proxy, maximumAttempts: 3))
        let name = Testbed.unique("storm")
        try await Testbed.createTable(client, name)
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "throttle", "count": 3}]"#
        )
        do {
            _ = try await client.describeTable(name)
            Issue.record("expected the throttling to win")
        } catch let error as AWSError {
            #expect(
                error.description.hasPrefix(
                    "DynamoDB DescribeTable: ThrottlingException: Rate of requests exceeds the allowed throughput. (gave up after 3 attempts)"
                ))
        }
    }

    @Test func theProxyFakesStatusesTheClientAccepts() async throws {
        let client = DynamoDBClient(context: try Testbed.context(Testbed.proxy))
        let name = Testbed.unique("status")
        try await Testbed.createTable(client, name)
        try await Testbed.rules(
            """
            [{"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "tableStatus", "status": "CREATING", "count": 1},
             {"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "backfilling", "index": "byEmail", "count": 1}]
            """)
        let creating = LiveTable(description: try await client.describeTable(name))
        #expect(creating.status == "CREATING")
        let backfilling = LiveTable(description: try await client.describeTable(name))
        #expect(backfilling.indexes == [LiveTable.IndexStatus(name: "byEmail", status: "CREATING", backfilling: true)])
        #expect(LiveTable(description: try await client.describeTable(name)).isReady)
    }

    /// ministack with AUTH=true verifies signatures made with keys from IAM CreateAccessKey.
    @Test func signaturesAreVerifiedEndToEnd() async throws {
        let root = try Testbed.context(
            Testbed.auth, credentials: Credentials(accessKeyId: "test", secretAccessKey: "test"))
        let iam = QueryProtocol(
            connection: ServiceConnection(
                context: root, service: "iam", displayName: "IAM", errorFormat: .xml, verifiesCRC32: false),
            version: "2010-05-08")
        let user = Testbed.unique("signer")
        _ = try await iam.call("CreateUser", [("UserName", user)], idempotent: false)
        let policy =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:ListTables","Resource":"*"}]}"#
        _ = try await iam.call(
            "PutUserPolicy", [("UserName", user), ("PolicyName", "list"), ("PolicyDocument", policy)], idempotent: false
        )
        let key = try await iam.call("CreateAccessKey", [("UserName", user)], idempotent: false)
        let id = try #require(key.value("AccessKey", "AccessKeyId"))
        let secret = try #require(key.value("AccessKey", "SecretAccessKey"))
        let signed = DynamoDBClient(
            context: try Testbed.context(
                Testbed.auth, credentials: Credentials(accessKeyId: id, secretAccessKey: secret)))
        _ = try await signed.listTables()
        let forged = DynamoDBClient(
            context: try Testbed.context(
                Testbed.auth, credentials: Credentials(accessKeyId: id, secretAccessKey: secret + "x"),
                maximumAttempts: 1))
        do {
            _ = try await forged.listTables()
            Issue.record("a wrong secret must be refused")
        } catch let error as AWSError {
            #expect(error.code != "AccessDeniedException" && (error.status == 400 || error.status == 403), "\(error)")
        }
    }
}

/// Temporary credentials from the emulator's STS, through the chain, then used to sign a call.
@Suite(.serialized, .enabled(if: Testbed.enabled)) struct EmulatorCredentialTests {
    @Test func webIdentityAndAssumedRoleCredentialsComeFromSTS() async throws {
        let endpoint = try #require(Testbed.endpoint)
        let files: [String: String] = [
            "/ci/token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln\n",
            "/home/ci/.aws/config":
                "[profile deployer]\nrole_arn = arn:aws:iam::000000000000:role/deployer\nsource_profile = base\n",
            "/home/ci/.aws/credentials": "[base]\naws_access_key_id = test\naws_secret_access_key = test\n",
        ]
        let read: @Sendable (String) -> [UInt8]? = { files[$0].map { Array($0.utf8) } }
        let transport = CurlTransport()
        let oidc = AWSEnvironment(
            variables: [
                "HOME": "/home/ci", "AWS_WEB_IDENTITY_TOKEN_FILE": "/ci/token", "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_ROLE_ARN": "arn:aws:iam::000000000000:role/ci", "AWS_ENDPOINT_URL_STS": endpoint,
            ], readFile: read)
        let fromToken = try await CredentialChain(
            environment: oidc, explicitProfile: nil, region: "us-east-1", transport: transport
        ).credentials()
        #expect(fromToken.source == "web identity role arn:aws:iam::000000000000:role/ci")
        #expect(fromToken.sessionToken != nil && fromToken.expiration != nil)

        let profile = AWSEnvironment(
            variables: ["HOME": "/home/ci", "AWS_ENDPOINT_URL": endpoint, "AWS_EC2_METADATA_DISABLED": "true"],
            readFile: read)
        let assumed = try await CredentialChain(
            environment: profile, explicitProfile: "deployer", region: "us-east-1", transport: transport
        ).credentials()
        #expect(assumed.source == "assumed role arn:aws:iam::000000000000:role/deployer")
        let identity = try await STSClient(context: try Testbed.context(endpoint, credentials: assumed))
            .getCallerIdentity()
        #expect(identity.arn.contains("deployer"), "\(identity)")
    }
}
