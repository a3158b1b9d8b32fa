import AWS

/// What the engines read from CloudFormation; `CloudFormationClient` in production, a stand-in in tests.
public protocol StackReading: Sendable {
    func describeStacks(_ name: String?) async throws -> [CloudFormationClient.Stack]
    func listStackResources(_ stack: String) async throws -> [CloudFormationClient.StackResource]
    /// The stack's template as submitted, or with `changeSet` the template that change set deploys.
    func getTemplate(_ stack: String, stage: String, changeSet: String?) async throws -> String
    /// The stack's events, newest first.
    func describeStackEvents(_ stack: String) async throws -> [CloudFormationClient.StackEvent]
}

/// What the engines read from DynamoDB; `LiveTableReader` in production.
public protocol TableReading: Sendable {
    /// nil when the table does not exist.
    func read(_ name: String, logicalId: String?, extras: LiveTableReader.Extras) async throws -> LiveTable?
    /// DescribeTable alone (status and indexes, for waiting); nil when the table does not exist.
    func describe(_ name: String) async throws -> LiveTable?
    func listTables() async throws -> [String]
}

extension CloudFormationClient: StackReading {}

extension LiveTableReader: TableReading {}
