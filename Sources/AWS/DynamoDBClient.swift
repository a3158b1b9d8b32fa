import Template

/// DynamoDB's control plane over JSON 1.0 (`X-Amz-Target: DynamoDB_20120810.<Operation>`), with pagination.
public struct DynamoDBClient: Sendable {
    let connection: ServiceConnection

    public init(context: AWSContext) {
        connection = ServiceConnection(
            context: context, service: "dynamodb", displayName: "DynamoDB", errorFormat: .json, verifiesCRC32: true)
    }

    /// One operation: a JSON object in, the response object out; a body that is not JSON is a clear error.
    public func call(_ operation: String, _ input: [JSONValue.Member], idempotent: Bool = true) async throws
        -> JSONValue
    {
        let body = Array(JSONWriter.write(.object(input), pretty: false).utf8)
        let response = try await connection.send(
            operation: operation,
            headers: [
                ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.\(operation)"),
            ],
            body: body, idempotent: idempotent)
        do {
            return try JSONParser.parse(response.body)
        } catch {
            throw AWSError(
                service: "DynamoDB", operation: operation, code: "MalformedResponse",
                message: "the response is not JSON (\(error))",
                requestId: response.header("x-amzn-RequestId"), status: response.status)
        }
    }

    public func describeTable(_ name: String) async throws -> JSONValue {
        try await call("DescribeTable", [.init("TableName", .string(name))])["Table"] ?? .object([])
    }

    public func describeTimeToLive(_ name: String) async throws -> JSONValue {
        try await call("DescribeTimeToLive", [.init("TableName", .string(name))])["TimeToLiveDescription"]
            ?? .object([])
    }

    public func describeContinuousBackups(_ name: String) async throws -> JSONValue {
        try await call("DescribeContinuousBackups", [.init("TableName", .string(name))])["ContinuousBackupsDescription"]
            ?? .object([])
    }

    public func describeContributorInsights(_ name: String, index: String? = nil) async throws -> JSONValue {
        var input: [JSONValue.Member] = [.init("TableName", .string(name))]
        if let index { input.append(.init("IndexName", .string(index))) }
        return try await call("DescribeContributorInsights", input)
    }

    public func describeKinesisStreamingDestination(_ name: String) async throws -> JSONValue {
        try await call("DescribeKinesisStreamingDestination", [.init("TableName", .string(name))])
    }

    /// Every table name, following `LastEvaluatedTableName`.
    public func listTables() async throws -> [String] {
        var names: [String] = []
        var start: String?
        repeat {
            var input: [JSONValue.Member] = [.init("Limit", .int(100))]
            if let start { input.append(.init("ExclusiveStartTableName", .string(start))) }
            let page = try await call("ListTables", input)
            names += page["TableNames"]?.arrayValue?.compactMap(\.stringValue) ?? []
            start = page["LastEvaluatedTableName"]?.stringValue
        } while start != nil
        return names
    }

    /// Every tag of a resource, following `NextToken`.
    public func listTags(_ arn: String) async throws -> [(String, String)] {
        var tags: [(String, String)] = []
        var token: String?
        repeat {
            var input: [JSONValue.Member] = [.init("ResourceArn", .string(arn))]
            if let token { input.append(.init("NextToken", .string(token))) }
            let page = try await call("ListTagsOfResource", input)
            tags += (page["Tags"]?.arrayValue ?? []).compactMap { tag in
                tag["Key"]?.stringValue.map { ($0, tag["Value"]?.stringValue ?? "") }
            }
            token = page["NextToken"]?.stringValue
        } while token != nil
        return tags
    }

    /// Not retried after it may have reached AWS: a second attempt could take a second backup.
    public func createBackup(table: String, name: String) async throws -> JSONValue {
        try await call(
            "CreateBackup", [.init("TableName", .string(table)), .init("BackupName", .string(name))], idempotent: false)[
                "BackupDetails"]
            ?? .object([])
    }

    public func describeBackup(_ arn: String) async throws -> JSONValue {
        try await call("DescribeBackup", [.init("BackupArn", .string(arn))])["BackupDescription"] ?? .object([])
    }
}
