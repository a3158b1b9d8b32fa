import ArgumentParser
import Template
import Lint
import AWS
import Operations

/// The deployed stack and the template a command compares with it: reading the stack, resolving the template
/// with the stack's own parameter values, and the errors when either is not there.
struct StackAccess {
    let aws: AWSOptions.Resolved
    var region: String { aws.context.region }
    var cloudFormation: CloudFormationClient { CloudFormationClient(context: aws.context) }
    var tables: LiveTableReader { LiveTableReader(client: DynamoDBClient(context: aws.context)) }

    /// The stack, or an error (exit 3) naming the region when it does not exist.
    func requireStack(_ name: String) async throws -> DeployedStack {
        guard let stack = try await DeployedStack.read(name, from: cloudFormation) else {
            throw CommandFailure(message: "error: stack '\(name)' does not exist in \(region)", exitCode: ExitStatus.failed)
        }
        return stack
    }

    /// The local template, or the deployed one (GetTemplate) when `path` is nil, resolved with the stack's
    /// parameter values and `overrides`.
    func template(_ path: String?, stack: DeployedStack, overrides: [String: String]) async throws -> (LintContext, String) {
        let options = stack.resolveOptions(region: region, overrides: overrides)
        if let path {
            return (try loadTemplate(try FileIO.read(path), name: path, options: options), path)
        }
        let name = "stack '\(stack.name)' (deployed template)"
        let body = try await cloudFormation.getTemplate(stack.name, stage: "Original")
        return (try loadTemplate(Array(body.utf8), name: name, options: options), name)
    }

    /// A change set's parameters: only those the new template declares; an override as given, else the deployed
    /// value as it is (UsePreviousValue: a NoEcho value is hidden, an SSM parameter's value is the name to look
    /// up), as `aws cloudformation deploy` does. Without a deployed stack, the template's defaults apply.
    static func changeSetParameters(_ head: Template, overrides: [String: String], deployed: DeployedStack?)
        -> [CloudFormationClient.ChangeSetInput.Parameter] {
        head.parameters.compactMap { parameter in
            if let value = overrides[parameter.name] { return .init(key: parameter.name, value: value) }
            guard deployed?.stack.parameters[parameter.name] != nil else { return nil }
            return .init(key: parameter.name, value: nil, usePreviousValue: true)
        }
    }
}
