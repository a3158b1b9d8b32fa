import AWS
import Foundation
import Template
import Testing

/// The local test bed started by scripts/test.sh (inside a loopback-only network namespace). Without it the
/// tests are skipped when run by hand, and fail under scripts/test.sh (DDBSTACK_REQUIRE_TESTBED).
public enum Testbed {
    public static let environment = ProcessInfo.processInfo.environment
    public static let endpoint = environment["DDBSTACK_TESTBED"]
    public static let proxy = environment["DDBSTACK_TESTBED_PROXY"]
    public static let auth = environment["DDBSTACK_TESTBED_AUTH"]
    public static let required = environment["DDBSTACK_REQUIRE_TESTBED"] == "1"
    public static let enabled = endpoint != nil || required

    public static func context(
        _ url: String?, credentials: Credentials = Credentials(accessKeyId: "testing", secretAccessKey: "testing"),
        maximumAttempts: Int = 5
    ) throws -> AWSContext {
        let url = try #require(url, "the test bed is not running: use scripts/test.sh")
        return AWSContext(
            region: "us-east-1", credentials: StaticCredentialProvider(credentials), transport: CurlTransport(),
            endpoints: Endpoints(override: url), retry: RetryPolicy(maximumAttempts: maximumAttempts), sleep: { _ in })
    }

    /// Adds fault or status rules to the proxy.
    public static func rules(_ json: String) async throws {
        let url = try #require(proxy)
        let response = try await CurlTransport().send(
            HTTPRequest(method: "POST", url: url + "/_proxy/rules", body: Array(json.utf8)))
        #expect(response.status == 200)
    }

    public static func unique(_ prefix: String) -> String { "\(prefix)-\(UInt32.random(in: 0...UInt32.max))" }

    /// A template with one on-demand global table `Orders` named `name` (key `id`, a stream, as several replicas
    /// need), its replicas written as given (`{Region: us-east-1}`), and `indexes` GSIs on attribute `e`.
    public static func globalTable(_ name: String, replicas: [String], indexes: [String] = []) -> String {
        let attributes = indexes.isEmpty ? "" : ", {AttributeName: e, AttributeType: S}"
        let gsis =
            indexes.isEmpty
            ? ""
            : "      GlobalSecondaryIndexes:\n"
                + indexes.map {
                    "        - {IndexName: \($0), KeySchema: [{AttributeName: e, KeyType: HASH}], Projection: {ProjectionType: ALL}}\n"
                }.joined()
        return """
            Resources:
              Orders:
                Type: AWS::DynamoDB::GlobalTable
                Properties:
                  TableName: \(name)
                  BillingMode: PAY_PER_REQUEST
                  StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}\(attributes)]
                  KeySchema: [{AttributeName: id, KeyType: HASH}]

            """ + gsis + "      Replicas:\n" + replicas.map { "        - \($0)\n" }.joined()
    }

    public static func createTable(_ client: DynamoDBClient, _ name: String) async throws {
        _ = try await client.call(
            "CreateTable",
            [
                .init("TableName", .string(name)), .init("BillingMode", .string("PAY_PER_REQUEST")),
                .init(
                    "AttributeDefinitions",
                    .array([
                        .object([.init("AttributeName", .string("id")), .init("AttributeType", .string("S"))]),
                        .object([.init("AttributeName", .string("email")), .init("AttributeType", .string("S"))]),
                    ])),
                .init(
                    "KeySchema",
                    .array([.object([.init("AttributeName", .string("id")), .init("KeyType", .string("HASH"))])])),
                .init(
                    "GlobalSecondaryIndexes",
                    .array([
                        .object([
                            .init("IndexName", .string("byEmail")),
                            .init(
                                "KeySchema",
                                .array([
                                    .object([
                                        .init("AttributeName", .string("email")), .init("KeyType", .string("HASH")),
                                    ])
                                ])),
                            .init("Projection", .object([.init("ProjectionType", .string("KEYS_ONLY"))])),
                        ])
                    ])),
                .init("Tags", .array([.object([.init("Key", .string("team")), .init("Value", .string("identity"))])])),
            ], idempotent: false)
    }
}

extension Testbed {
    /// Creates or updates `stack` from `body` through a change set, and waits until it settles; the final status.
    @discardableResult
    public static func deploy(
        _ stack: String, body: String, parameters: [String: String] = [:], tags: [(String, String)] = [],
        update: Bool = false
    ) async throws -> String {
        let client = CloudFormationClient(context: try context(endpoint))
        let name = "c\(UInt32.random(in: 0...UInt32.max))"
        var input = CloudFormationClient.ChangeSetInput(
            stackName: stack, changeSetName: name, type: update ? .update : .create, templateBody: body)
        input.parameters = parameters.map { .init(key: $0.key, value: $0.value) }
        input.tags = tags
        _ = try await client.createChangeSet(input)
        for _ in 0..<400 {
            let changeSet = try await client.describeChangeSet(name, stack: stack)
            if changeSet.status == "CREATE_COMPLETE" { break }
            if changeSet.status == "FAILED" { return "FAILED: \(changeSet.statusReason ?? "")" }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        try await client.executeChangeSet(name, stack: stack)
        return try await settle(stack)
    }

    /// Waits until the stack is no longer in progress; its status.
    public static func settle(_ stack: String) async throws -> String {
        let client = CloudFormationClient(context: try context(endpoint))
        for _ in 0..<400 {
            let status = try await client.describeStacks(stack).first?.status ?? ""
            if !status.hasSuffix("IN_PROGRESS") { return status }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        return "TIMEOUT"
    }

    /// The physical name of each table of the stack.
    public static func tables(of stack: String) async throws -> [String: String] {
        let resources = try await CloudFormationClient(context: try context(endpoint)).listStackResources(stack)
        return Dictionary(
            resources.compactMap { resource in resource.physicalId.map { (resource.logicalId, $0) } },
            uniquingKeysWith: { first, _ in first })
    }
}
