/// `--help` text: a two-column list (names on the left, help wrapped at 80 columns on the right).
enum HelpText {
    static let width = 80
    static let column = 26

    /// `lint [<options>] <template>`
    static func usage(of command: CommandSpec) -> String {
        ([command.name, "[<options>]"] + command.positionals.map(\.synopsis)
            + command.options.filter(\.isRequired).map(\.synopsis)).joined(separator: " ")
    }

    static func program(_ program: Program) -> String {
        var text = "\(program.name) \(program.version): \(program.abstract)\n\n"
        text += "USAGE: \(program.name) <command> [<options>]\n\nCOMMANDS:\n"
        for command in program.commands { text += row(command.name, command.abstract) }
        text += "\nOPTIONS:\n"
        text += row("--version", "Show the version.")
        text += row(
            "--generate-completion-script <shell>",
            "Print a completion script for \(Shell.names) (e.g. `source <(\(program.name) --generate-completion-script bash)`)."
        )
        text += row("-h, --help", "Show this help.")
        return text
            + "\n'\(program.name) <command> --help' or '\(program.name) help <command>' lists a command's options.\n"
    }

    static func command(_ command: CommandSpec, program: String) -> String {
        var text = "\(command.abstract)\n\nUSAGE: \(program) \(usage(of: command))\n"
        if !command.positionals.isEmpty {
            text += "\nARGUMENTS:\n"
            for positional in command.positionals {
                text += row("<\(positional.name)>", positional.help + (positional.isOptional ? " (optional)" : ""))
            }
        }
        text += "\nOPTIONS:\n"
        for option in command.options { text += row(option.synopsis, describe(option)) }
        return text + row("-h, --help", "Show this help.")
    }

    /// The help, and the values and default when help does not already say them.
    private static func describe(_ option: OptionSpec) -> String {
        var extras: [String] = []
        if let choices = option.choices, !option.help.contains(choices.joined(separator: ", ")) {
            extras.append("values: " + choices.joined(separator: ", "))
        }
        if let value = option.defaultValue { extras.append("default: " + value) }
        return extras.isEmpty ? option.help : "\(option.help) (\(extras.joined(separator: "; ")))"
    }

    /// One entry: the name in the left column, its help beside it or, when the name is too wide, on the next line.
    private static func row(_ name: String, _ help: String) -> String {
        let lines = wrap(help, width: width - column)
        let indent = String(repeating: " ", count: column)
        let head = "  " + name
        var text: String
        var rest = lines[...]
        if head.count < column {
            text = head + String(repeating: " ", count: column - head.count) + (rest.popFirst() ?? "") + "\n"
        } else {
            text = head + "\n"
        }
        for line in rest { text += indent + line + "\n" }
        return text
    }

    /// Words filled into lines of at most `width` columns (a longer word gets a line of its own).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + (line.isEmpty && !lines.isEmpty ? [] : [line])
    }
}

extension Program {
    /// The program's help: its commands and its own options.
    public func help() -> String { HelpText.program(self) }

    /// A command's help: usage, arguments and options.
    public func help(for command: CommandSpec) -> String { HelpText.command(command, program: name) }
}
