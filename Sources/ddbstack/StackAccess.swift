import AWS
import Lint
import Operations
import Template

/// The deployed stack and the template a command compares with it: reading the stack, resolving the template
/// with the stack's own parameter values, and the errors when either is not there.
struct StackAccess {
    let aws: AWSOptions.Resolved
    var region: String { aws.context.region }
    var cloudFormation: CloudFormationClient { CloudFormationClient(context: aws.context) }
    var tables: LiveTableReader { LiveTableReader(client: DynamoDBClient(context: aws.context)) }
    /// Tables in another region: a global table's other replicas.
    var replicaTables: @Sendable (String) -> any TableReading {
        let context = aws.context
        return { region in LiveTableReader(client: DynamoDBClient(context: context.region(region))) }
    }

    /// The stack, or an error (exit 3) naming the region when it does not exist.
    func requireStack(_ name: String) async throws -> DeployedStack {
        guard let stack = try await DeployedStack.read(name, from: cloudFormation) else {
            throw CommandFailure(
                message: "error: stack '\(name)' does not exist in \(region)", exitCode: ExitStatus.failed)
        }
        return stack
    }

    /// The local template, or the deployed one (GetTemplate) when `path` is nil, resolved with the stack's
    /// parameter values and `given` (checked against that template).
    func template(_ path: String?, stack: DeployedStack, given: [String: String]) async throws -> (LintContext, String)
    {
        let name = path ?? "stack '\(stack.name)' (deployed template)"
        let bytes =
            if let path { try FileIO.read(path) } else {
                Array(try await cloudFormation.getTemplate(stack.name, stage: "Original").utf8)
            }
        do {
            let template = try Template.parse(bytes)
            let options = DeployedStack.options(
                for: template, on: stack, region: region, stackName: stack.name, given: given)
            let resolved = try Resolver.resolve(template, options: options)
            Secrets.register(resolved)
            return (LintContext(resolved: resolved, sourceSize: bytes.count), name)
        } catch {
            throw CommandFailure.input(error, file: name)
        }
    }

    /// `plan` and `deploy`'s one plan; a template that cannot be read is an input error at its file.
    func plan(_ request: PlanRequest, concurrency: Int) async throws -> StackPlan {
        var planner = StackPlanner(
            stacks: cloudFormation, tables: tables, changeSets: cloudFormation, sleep: aws.context.sleep,
            concurrency: concurrency)
        planner.replicaTables = replicaTables
        do {
            let plan = try await planner.plan(request)
            Secrets.register(plan.head)
            return plan
        } catch let failure as PlanInputError {
            throw CommandFailure.input(failure.error, file: failure.file)
        }
    }
}
