import Template

/// A command-line program: its subcommands, and what `--help`, `--version` and the completion scripts print.
public struct Program: Sendable {
    public var name: String
    public var abstract: String
    public var version: String
    public var commands: [CommandSpec]

    public init(_ name: String, abstract: String, version: String, commands: [CommandSpec]) {
        self.name = name
        self.abstract = abstract
        self.version = version
        self.commands = commands
    }

    /// What the arguments (without the program's own name) ask for.
    public enum Request: Sendable {
        /// Run a command with its parsed arguments.
        case run(ParsedArguments)
        /// Print this on standard output and exit 0: help, the version, a completion script.
        case print(String)
    }

    public func parse(_ arguments: [String]) throws(UsageError) -> Request {
        guard let first = arguments.first else { return .print(help()) }
        switch first {
        case "-h", "--help": return .print(help())
        case "--version": return .print(version + "\n")
        case "help": return .print(try help(topic: arguments.dropFirst().first))
        case "--generate-completion-script":
            guard arguments.count == 2, let shell = Shell(rawValue: arguments[1]) else {
                throw UsageError("--generate-completion-script takes one of \(Shell.names)")
            }
            return .print(completionScript(for: shell))
        default:
            guard let command = commands.first(where: { $0.name == first }) else { throw unknownCommand(first) }
            do throws(UsageError) {
                return try ArgumentScanner(command: command).scan(arguments.dropFirst())
                    .map { .run($0) } ?? .print(help(for: command))
            } catch {
                var error = error
                error.command = command.name
                throw error
            }
        }
    }

    /// `ddbstack help` and `ddbstack help lint`.
    private func help(topic: String?) throws(UsageError) -> String {
        guard let topic else { return help() }
        guard let command = commands.first(where: { $0.name == topic }) else { throw unknownCommand(topic) }
        return help(for: command)
    }

    private func unknownCommand(_ word: String) -> UsageError {
        let kind = word.hasPrefix("-") ? "option" : "command"
        var message = "unknown \(kind) '\(word)'"
        if let guess = Suggestions.closest(to: word, in: commands.map(\.name) + ["--help", "--version"]) {
            message += "; did you mean '\(guess)'?"
        }
        return UsageError(message)
    }

    /// The message for a usage error: the error, then the command's usage line and where its help is.
    public func describe(_ error: UsageError, command: CommandSpec?) -> String {
        let usage = command.map { "usage: \(name) \(HelpText.usage(of: $0))" } ?? "usage: \(name) <command> [<options>]"
        let more =
            command.map { "'\(name) \($0.name) --help' lists its options." } ?? "'\(name) --help' lists the commands."
        return "error: \(error.message)\n\(usage)\n\(more)\n"
    }
}

/// The shells `--generate-completion-script` writes for.
public enum Shell: String, Sendable, CaseIterable {
    case bash, zsh

    static var names: String { allCases.map(\.rawValue).joined(separator: " or ") }
}

/// A command line the program cannot accept: exit 2, with the message and the command's usage.
public struct UsageError: Error, Sendable, Equatable {
    public var message: String
    /// The command whose arguments are wrong, when the error is about one.
    public var command: String?

    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }
}
