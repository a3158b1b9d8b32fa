import Template
import Schema
import AWS

/// A stack as CloudFormation knows it: status, parameters, tags, and the physical table behind each logical id.
public struct DeployedStack: Sendable {
    public var stack: CloudFormationClient.Stack
    public var resources: [CloudFormationClient.StackResource]

    /// DescribeStacks and ListStackResources; nil when the stack does not exist (FACTS.md §3: a ValidationError
    /// whose message says so).
    public static func read(_ name: String, from client: any StackReading) async throws -> DeployedStack? {
        let stack: CloudFormationClient.Stack
        do {
            guard let found = try await client.describeStacks(name).first else { return nil }
            stack = found
        } catch let error as AWSError where error.isStackMissing {
            return nil
        }
        return DeployedStack(stack: stack, resources: try await client.listStackResources(name))
    }

    public var name: String { stack.name }

    /// Physical table names by logical id, for the tables the stack has created.
    public var tableNames: [String: String] {
        Dictionary(resources.filter { Table.Kind(rawValue: $0.resourceType) != nil && $0.physicalId != nil }
            .map { ($0.logicalId, $0.physicalId!) }, uniquingKeysWith: { first, _ in first })
    }

    /// The parameter values the stack was deployed with, overridden by `overrides`. NoEcho values come back as
    /// `****` and are left out, so whatever uses them stays unknown instead of being compared with asterisks.
    public func parameterValues(overriddenBy overrides: [String: String] = [:]) -> [String: String] {
        stack.parameters.filter { $0.value != "****" }.merging(overrides) { _, override in override }
    }

    /// The tags CloudFormation copies onto every resource it creates (`aws:` ones are AWS's own).
    public var propagatedTags: [(String, String)] {
        stack.tags.filter { !$0.key.lowercased().hasPrefix("aws:") }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// From the stack's ARN, `arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID`.
    public var accountId: String? {
        let parts = stack.id.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 5 && !parts[4].isEmpty ? String(parts[4]) : nil
    }

    /// The region in the stack's ARN.
    public var region: String? {
        let parts = stack.id.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 5 && !parts[3].isEmpty ? String(parts[3]) : nil
    }

    /// The resolve options for a template deployed (or to be deployed) on this stack.
    public func resolveOptions(region: String, overrides: [String: String]) -> ResolveOptions {
        ResolveOptions(parameters: parameterValues(overriddenBy: overrides), region: self.region ?? region, stackName: name, accountId: accountId)
    }
}

extension AWSError {
    /// "Stack with id X does not exist" / "Stack [X] does not exist".
    public var isStackMissing: Bool { code == "ValidationError" && message.contains("does not exist") }
}
