import Foundation
import Testing
import Template
import AWS

/// The local test bed started by scripts/test.sh (inside a loopback-only network namespace). Without it the
/// tests are skipped when run by hand, and fail under scripts/test.sh (DDBSTACK_REQUIRE_TESTBED).
public enum Testbed {
    public static let environment = ProcessInfo.processInfo.environment
    public static let endpoint = environment["DDBSTACK_TESTBED"]
    public static let proxy = environment["DDBSTACK_TESTBED_PROXY"]
    public static let auth = environment["DDBSTACK_TESTBED_AUTH"]
    public static let required = environment["DDBSTACK_REQUIRE_TESTBED"] == "1"
    public static let enabled = endpoint != nil || required

    public static func context(_ url: String?, credentials: Credentials = Credentials(accessKeyId: "testing", secretAccessKey: "testing"),
                        maximumAttempts: Int = 5) throws -> AWSContext {
        let url = try #require(url, "the test bed is not running: use scripts/test.sh")
        return AWSContext(region: "us-east-1", credentials: StaticCredentialProvider(credentials), transport: CurlTransport(),
                          endpoints: Endpoints(override: url), retry: RetryPolicy(maximumAttempts: maximumAttempts), sleep: { _ in })
    }

    /// Adds fault or status rules to the proxy.
    public static func rules(_ json: String) async throws {
        let url = try #require(proxy)
        let response = try await CurlTransport().send(HTTPRequest(method: "POST", url: url + "/_proxy/rules", body: Array(json.utf8)))
        #expect(response.status == 200)
    }

    public static func unique(_ prefix: String) -> String { "\(prefix)-\(UInt32.random(in: 0...UInt32.max))" }

    public static func createTable(_ client: DynamoDBClient, _ name: String) async throws {
        _ = try await client.call("CreateTable", [
            .init("TableName", .string(name)), .init("BillingMode", .string("PAY_PER_REQUEST")),
            .init("AttributeDefinitions", .array([
                .object([.init("AttributeName", .string("id")), .init("AttributeType", .string("S"))]),
                .object([.init("AttributeName", .string("email")), .init("AttributeType", .string("S"))]),
            ])),
            .init("KeySchema", .array([.object([.init("AttributeName", .string("id")), .init("KeyType", .string("HASH"))])])),
            .init("GlobalSecondaryIndexes", .array([.object([
                .init("IndexName", .string("byEmail")),
                .init("KeySchema", .array([.object([.init("AttributeName", .string("email")), .init("KeyType", .string("HASH"))])])),
                .init("Projection", .object([.init("ProjectionType", .string("KEYS_ONLY"))])),
            ])])),
            .init("Tags", .array([.object([.init("Key", .string("team")), .init("Value", .string("identity"))])])),
        ], idempotent: false)
    }
}

