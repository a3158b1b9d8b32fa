import AWS
import ArgumentParser
import Changes
import Glibc
import Report
import Template

/// The executable: parses the command line, runs one command, exits with the code DESIGN.md promises —
/// 0 clean, 1 findings, 2 usage or input error, 3 the operation failed.
@main
struct DDBStack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ddbstack",
        abstract: "Keep the DynamoDB tables of a CloudFormation template safe to change.",
        version: "0.1.0",
        subcommands: [
            ShowCommand.self, LintCommand.self, DiffCommand.self, PlanCommand.self, DeployCommand.self,
            DriftCommand.self, WaitCommand.self, RulesCommand.self, DoctorCommand.self,
        ])

    static func main() async {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            usage(error)
        }
        do {
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            guard let failure = Self.failure(error) else { usage(error) }
            fail(failure, command: command)
        }
    }

    /// Help and version requests exit 0; every other parse or validation error is a usage error: 2.
    static func usage(_ error: any Error) -> Never {
        guard exitCode(for: error) != .success else {
            Console.out(fullMessage(for: error))
            Glibc.exit(0)
        }
        Console.error(fullMessage(for: error))
        Glibc.exit(ExitStatus.usage)
    }

    /// What went wrong, as a failure with its exit code (3 for what AWS said or could not say); nil for the
    /// argument parser's own errors and requests.
    static func failure(_ error: any Error) -> CommandFailure? {
        switch error {
        case let failure as CommandFailure: return failure
        case let error as AWSError: return CommandFailure(message: "\(error)", exitCode: ExitStatus.failed)
        case let error as NoCredentialsError: return CommandFailure(message: "\(error)", exitCode: ExitStatus.failed)
        case let error as CredentialSourceError: return CommandFailure(message: "\(error)", exitCode: ExitStatus.failed)
        case let error as DigestUnavailable: return CommandFailure(message: "\(error)", exitCode: ExitStatus.failed)
        default: return nil
        }
    }

    /// The failure on standard error, and in the format the command was asked for — on standard output, or in
    /// `--output` — so a pipeline reading SARIF, annotations or JSON sees it too.
    static func fail(_ failure: CommandFailure, command: any ParsableCommand) -> Never {
        let name = type(of: command).configuration.commandName ?? "ddbstack"
        let error = failure.error(command: name)
        Console.error(error.text)
        if let output = (command as? any ReportsFailures)?.output {
            if let rendered = FailureRenderer.render(error, format: output.format) {
                try? output.emit(rendered)
            } else if output.output != nil {
                try? output.emit(error.text + "\n")
            }
        }
        Glibc.exit(failure.exitCode)
    }
}

/// A command with `--format` and `--output`, where its failures are rendered too.
protocol ReportsFailures {
    var output: OutputOptions { get }
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

/// An error that ends a command with a message and an exit code, and the file and place to blame when there is one.
struct CommandFailure: Error {
    /// The message without `error:` or a location in front.
    var message: String
    var exitCode: Int32
    var file: String?
    var location: SourceLocation?

    init(message: String, exitCode: Int32, file: String? = nil, location: SourceLocation? = nil) {
        self.message = message.hasPrefix("error: ") ? String(message.dropFirst(7)) : message
        self.exitCode = exitCode
        self.file = file
        self.location = location
    }

    /// A problem with `file` as a whole (too large, cannot be written).
    init(file: String, message: String, exitCode: Int32) {
        self.init(message: message, exitCode: exitCode, file: file)
    }

    /// An input problem with its file and location: `file:line:column: error: message`.
    static func input(_ message: String, file: String, line: Int? = nil, column: Int? = nil) -> CommandFailure {
        let location = line.map { SourceLocation(line: $0, column: column ?? 1) }
        return CommandFailure(message: message, exitCode: ExitStatus.usage, file: file, location: location)
    }

    /// A template that cannot be parsed or resolved, at its location in `file`.
    static func input(_ error: ParseError, file: String) -> CommandFailure {
        input(error.message, file: file, line: error.location.line, column: error.location.column)
    }

    func error(command: String) -> CommandError {
        CommandError(command: command, message: message, file: file, location: location, exitCode: exitCode)
    }
}
