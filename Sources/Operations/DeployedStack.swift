import AWS
import Schema
import Template

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
        Dictionary(
            resources.filter { Table.Kind(rawValue: $0.resourceType) != nil && $0.physicalId != nil }
                .map { ($0.logicalId, $0.physicalId!) }, uniquingKeysWith: { first, _ in first })
    }

    /// CloudFormation shows a NoEcho parameter's deployed value as this.
    public static let maskedValue = "****"

    /// The values the deployed template was deployed with. A NoEcho value is unknown — never its default.
    public func deployedOptions(region: String) -> ResolveOptions {
        let masked = Set(stack.parameters.filter { $0.value == Self.maskedValue }.keys)
        return ResolveOptions(
            parameters: stack.parameters.filter { !masked.contains($0.key) }, region: self.region ?? region,
            stackName: name, accountId: accountId, unknownParameters: masked)
    }

    /// The values `template` is deployed with, as a change set passes them: `given` for what it names, else the
    /// deployed value (UsePreviousValue) of a parameter the template still declares, else the template's default.
    /// `given` is checked against `template` only.
    public static func options(
        for template: Template, on deployed: DeployedStack?, region: String, stackName: String,
        given: [String: String]
    ) -> ResolveOptions {
        guard let deployed else { return ResolveOptions(parameters: given, region: region, stackName: stackName) }
        let declared = Set(template.parameters.map(\.name))
        var options = deployed.deployedOptions(region: region)
        options.parameters = options.parameters.filter { declared.contains($0.key) }.merging(given) { _, value in value
        }
        options.unknownParameters = options.unknownParameters.intersection(declared).subtracting(given.keys)
        return options
    }

    /// The tags CloudFormation copies onto every resource it creates (`aws:` ones are AWS's own).
    public var propagatedTags: [(String, String)] {
        stack.tags.filter { !$0.key.lowercased().hasPrefix("aws:") }.sorted { $0.key < $1.key }.map {
            ($0.key, $0.value)
        }
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

}

extension AWSError {
    /// "Stack with id X does not exist" / "Stack [X] does not exist".
    public var isStackMissing: Bool { code == "ValidationError" && message.contains("does not exist") }
}
