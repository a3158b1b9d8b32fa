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
}
