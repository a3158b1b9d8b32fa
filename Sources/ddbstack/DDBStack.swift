import AWS
import Arguments
import Changes
import Glibc
import Report
import Template

/// The executable: parses the command line, runs one command, exits with the code DESIGN.md promises —
/// 0 clean, 1 findings, 2 usage or input error, 3 the operation failed.
@main
enum DDBStack {
    static var commands: [any Command.Type] {
        [
            ShowCommand.self, LintCommand.self, DiffCommand.self, PlanCommand.self, DeployCommand.self,
            DriftCommand.self, WaitCommand.self, RulesCommand.self, DoctorCommand.self,
        ]
    }

    static let program = Program(
        "ddbstack", abstract: "Keep the DynamoDB tables of a CloudFormation template safe to change.",
        version: "0.1.0", commands: commands.map { $0.spec })

    static func main() async {
        let command = parse(Array(CommandLine.arguments.dropFirst()))
        do {
            try await command.run()
        } catch let exit as ExitRequest {
            Glibc.exit(exit.code)
        } catch {
            fail(
                Self.failure(error) ?? CommandFailure(message: "\(error)", exitCode: ExitStatus.failed),
                command: command)
        }
    }

    /// The command the arguments ask for; help, the version and completion scripts are printed here, and a
    /// command line that cannot be run exits 2 with the command's usage.
    static func parse(_ arguments: [String]) -> any Command {
        do throws(UsageError) {
            switch try program.parse(arguments) {
            case .print(let text):
                Console.write(text, to: STDOUT_FILENO)
                Glibc.exit(ExitStatus.clean)
            case .run(let parsed):
                let type = commands.first { $0.spec.name == parsed.command.name }!
                do throws(UsageError) {
                    return try type.init(parsed)
                } catch {
                    usage(error, command: parsed.command)
                }
            }
        } catch {
            usage(error, command: error.command.flatMap { name in program.commands.first { $0.name == name } })
        }
    }

    static func usage(_ error: UsageError, command: CommandSpec?) -> Never {
        Console.write(program.describe(error, command: command), to: STDERR_FILENO)
        Glibc.exit(ExitStatus.usage)
    }

    /// What went wrong, as a failure with its exit code (3 for what AWS said or could not say); nil for an error
    /// no command should throw (reported as a failure of the operation).
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
    static func fail(_ failure: CommandFailure, command: any Command) -> Never {
        let error = failure.error(command: type(of: command).spec.name)
        Console.error(error.text)
        if let output = command.reportOptions {
            if let rendered = FailureRenderer.render(error, format: output.format) {
                try? output.emit(rendered)
            } else if output.output != nil {
                try? output.emit(error.text + "\n")
            }
        }
        Glibc.exit(failure.exitCode)
    }
}

/// One subcommand: what it accepts, how it is made from what was given (validation included), and its run.
protocol Command {
    static var spec: CommandSpec { get }
    init(_ arguments: ParsedArguments) throws(UsageError)
    func run() async throws
    /// `--format` and `--output`, where the command's failures are rendered too; nil when it has none.
    var reportOptions: OutputOptions? { get }
}

extension Command {
    var reportOptions: OutputOptions? { nil }
}

/// Ends a command with this exit code, having said what there was to say.
struct ExitRequest: Error {
    var code: Int32

    init(_ code: Int32) { self.code = code }
}

/// The exit codes, the same for every command.
enum ExitStatus {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let usage: Int32 = 2
    static let failed: Int32 = 3

    /// The one place a reviewed plan becomes an exit code: 1 when a change fails it (diff, lint --base, plan).
    static func check(_ review: Review) throws(ExitRequest) {
        if review.failed { throw ExitRequest(findings) }
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
