import Template

/// Reads one table the way drift and plan need it: DescribeTable, then DescribeTimeToLive,
/// DescribeContinuousBackups and ListTagsOfResource side by side, and the contributor-insights and Kinesis reads
/// only when asked (a template declares them).
public struct LiveTableReader: Sendable {
    /// The optional reads.
    public struct Extras: Sendable, Equatable {
        /// "" for the table itself, else a GSI's name.
        public var contributorInsights: Set<String> = []
        public var kinesis = false

        public init(contributorInsights: Set<String> = [], kinesis: Bool = false) {
            self.contributorInsights = contributorInsights
            self.kinesis = kinesis
        }
    }

    let client: DynamoDBClient

    public init(client: DynamoDBClient) {
        self.client = client
    }

    /// nil when the table does not exist.
    public func read(_ name: String, logicalId: String? = nil, extras: Extras = Extras()) async throws -> LiveTable? {
        let description: JSONValue
        do {
            description = try await client.describeTable(name)
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return nil
        }
        let arn = description["TableArn"]?.nonEmptyString
        async let timeToLive = client.describeTimeToLive(name)
        async let backups = continuousBackups(name)
        async let tags = tags(arn)
        async let insights = contributorInsights(name, extras.contributorInsights)
        async let kinesis = extras.kinesis ? client.describeKinesisStreamingDestination(name) : nil
        return LiveTable(
            description: description, timeToLive: try await timeToLive, continuousBackups: try await backups,
            tags: try await tags, contributorInsights: try await insights, kinesis: try await kinesis,
            logicalId: logicalId)
    }

    private func tags(_ arn: String?) async throws -> [(String, String)] {
        guard let arn else { return [] }
        return try await client.listTags(arn)
    }

    public func listTables() async throws -> [String] { try await client.listTables() }

    public func describe(_ name: String) async throws -> LiveTable? {
        do {
            return LiveTable(description: try await client.describeTable(name))
        } catch let error as AWSError where error.code == "ResourceNotFoundException" {
            return nil
        }
    }

    /// DescribeContinuousBackups names a missing table differently (FACTS.md §3); a table deleted between the
    /// two reads has no backups to report.
    private func continuousBackups(_ name: String) async throws -> JSONValue? {
        do {
            return try await client.describeContinuousBackups(name)
        } catch let error as AWSError where error.code == "TableNotFoundException" {
            return nil
        }
    }

    private func contributorInsights(_ name: String, _ targets: Set<String>) async throws -> [String: String] {
        var statuses: [String: String] = [:]
        for target in targets.sorted() {
            let answer = try await client.describeContributorInsights(name, index: target.isEmpty ? nil : target)
            statuses[target] = answer["ContributorInsightsStatus"]?.stringValue ?? "DISABLED"
        }
        return statuses
    }
}
