import AWS
import Arguments
import Report

/// `ddbstack doctor`: region, credentials source, endpoints, identity, and one read per service.
struct DoctorCommand: Command {
    static let verboseOption = Flag("verbose", help: "Log each request on standard error.")
    static let spec = CommandSpec(
        "doctor", abstract: "Check that AWS can be reached: region, credentials, endpoints, one call per service.",
        options: AWSOptions.options + [verboseOption.spec])

    var aws: AWSOptions
    var verbose: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        aws = try AWSOptions(arguments)
        verbose = arguments[Self.verboseOption]
    }

    func run() async throws {
        let resolved = try aws.resolve(verbose: verbose)
        let context = resolved.context
        var lines: [(String, String)] = [("region", "\(context.region) (from \(resolved.regionSource))")]
        var failures = 0
        do {
            let credentials = try await context.credentials.credentials()
            lines.append(
                (
                    "credentials",
                    "\(credentials.source), key …\(credentials.accessKeyId.suffix(4))\(credentials.sessionToken == nil ? "" : " with a session token")"
                ))
        } catch {
            lines.append(("credentials", "✗ \(error)"))
            failures += 1
        }
        for (name, service) in [("DynamoDB", "dynamodb"), ("CloudFormation", "cloudformation"), ("STS", "sts")] {
            let configured = context.endpoints.isDefault(for: service) ? "" : " (configured)"
            lines.append(
                ("endpoint", "\(name) \(context.endpoints.url(for: service, region: context.region))\(configured)"))
        }
        if failures == 0 {
            let checks: [(String, () async throws -> String)] = [
                (
                    "identity",
                    {
                        let identity = try await STSClient(context: context).getCallerIdentity()
                        return "\(identity.arn) (account \(identity.account))"
                    }
                ),
                (
                    "DynamoDB",
                    {
                        "ok, ListTables: \(try await DynamoDBClient(context: context).listTables().count) tables visible"
                    }
                ),
                (
                    "CloudFormation",
                    {
                        "ok, DescribeStacks: \(try await CloudFormationClient(context: context).describeStacks().count) stacks visible"
                    }
                ),
            ]
            for (name, check) in checks {
                do {
                    lines.append((name, try await check()))
                } catch {
                    lines.append((name, "✗ \(error)"))
                    failures += 1
                }
            }
        }
        Console.out(lines.map { "\($0.0.padding(to: 15))\($0.1)" }.joined(separator: "\n"))
        if failures > 0 {
            Console.error("ddbstack doctor: \(failures) check\(failures == 1 ? "" : "s") failed")
            throw ExitRequest(ExitStatus.failed)
        }
    }
}
