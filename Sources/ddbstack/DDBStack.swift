import ArgumentParser
import Glibc
import AWS
import Template
import Changes

/// The executable: parses the command line, runs one command, exits with the code DESIGN.md promises —
/// 0 clean, 1 findings, 2 usage or input error, 3 the operation failed.
@main
struct DDBStack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ddbstack",
        abstract: "Keep the DynamoDB tables of a CloudFormation template safe to change.",
        version: "0.1.0",
        subcommands: [ShowCommand.self, LintCommand.self, DiffCommand.self, PlanCommand.self, DeployCommand.self, DriftCommand.self, WaitCommand.self, RulesCommand.self, DoctorCommand.self])

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            Console.error(failure.message)
            Glibc.exit(failure.exitCode)
        } catch let error as AWSError {
            // An AWS failure no command explained: say which call failed, and exit 3.
            Console.error("error: \(error)")
            Glibc.exit(ExitStatus.failed)
        } catch let error as NoCredentialsError {
            Console.error("error: \(error)")
            Glibc.exit(ExitStatus.failed)
        } catch let error as CredentialSourceError {
            Console.error("error: \(error)")
            Glibc.exit(ExitStatus.failed)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            // Help and version requests exit 0; every other parse or validation error is a usage error: 2.
            let code = exitCode(for: error)
            guard code != .success else {
                Console.out(fullMessage(for: error))
                Glibc.exit(0)
            }
            Console.error(fullMessage(for: error))
            Glibc.exit(ExitStatus.usage)
        }
    }
}

/// The exit codes, the same for every command.
enum ExitStatus {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let usage: Int32 = 2
    static let failed: Int32 = 3

    /// The one place a reviewed plan becomes an exit code: 1 when a change fails it (diff, lint --base, plan).
    static func check(_ review: Review) throws(ExitCode) {
        if review.failed { throw ExitCode(findings) }
    }
}

/// An error that ends a command with a message and an exit code.
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32

    /// An input problem with its file and location: `file:line:column: error: message`.
    static func input(_ message: String, file: String, line: Int? = nil, column: Int? = nil) -> CommandFailure {
        let location = [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return CommandFailure(message: "\(location): error: \(message)", exitCode: ExitStatus.usage)
    }

    /// A template that cannot be parsed or resolved, at its location in `file`.
    static func input(_ error: ParseError, file: String) -> CommandFailure {
        input(error.message, file: file, line: error.location.line, column: error.location.column)
    }
}
