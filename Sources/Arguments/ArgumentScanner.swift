import Template

/// Splits one command's arguments into options and positional arguments, in the GNU style: `--name VALUE` or
/// `--name=VALUE`, flags alone, `--` ends the options, and `-h`/`--help` anywhere before it asks for help.
struct ArgumentScanner {
    let command: CommandSpec

    /// The parsed arguments, or nil when help was asked for (whatever else is wrong with the line).
    func scan(_ arguments: ArraySlice<String>) throws(UsageError) -> ParsedArguments? {
        if arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "-h" || $0 == "--help" }) { return nil }
        var parsed = ParsedArguments(command: command)
        var rest = arguments
        var optionsEnded = false
        while let argument = rest.popFirst() {
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                parsed.positionalValues.append(argument)
            } else if argument == "--" {
                optionsEnded = true
            } else {
                let (spec, value) = try option(argument, next: &rest)
                parsed.given[spec.name, default: []].append(value)
            }
        }
        try checkPositionals(parsed.positionalValues)
        if let missing = command.options.first(where: { $0.isRequired && parsed.given[$0.name] == nil }) {
            throw UsageError("missing \(missing.synopsis): \(missing.help)")
        }
        return parsed
    }

    /// The option an argument names and its value ("" for a flag), taking the next argument when the value is not
    /// written after `=`. A next argument that looks like an option is not taken: `--output --format json` is a
    /// forgotten value, not a file named `--format`.
    private func option(_ argument: String, next rest: inout ArraySlice<String>) throws(UsageError) -> (
        OptionSpec, String
    ) {
        let body = argument.dropFirst(argument.hasPrefix("--") ? 2 : 1)
        let name = String(body.prefix { $0 != "=" })
        let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
        guard argument.hasPrefix("--"), let spec = command.option(named: name) else {
            throw unknownOption(argument.hasPrefix("--") ? "--" + name : argument)
        }
        if spec.arity == .flag {
            guard inline == nil else { throw UsageError("\(spec.flag) takes no value") }
            return (spec, "")
        }
        if let inline { return (spec, inline) }
        guard let value = rest.first, value == "-" || !value.hasPrefix("-") else {
            throw UsageError(
                "\(spec.flag) needs a value (\(spec.synopsis); write \(spec.flag)=VALUE for one that starts with '-')")
        }
        rest.removeFirst()
        return (spec, value)
    }

    private func unknownOption(_ option: String) -> UsageError {
        var message = "unknown option '\(option)' for '\(command.name)'"
        if let guess = Suggestions.closest(to: option, in: command.options.map(\.flag) + ["--help"]) {
            message += "; did you mean '\(guess)'?"
        }
        return UsageError(message)
    }

    private func checkPositionals(_ values: [String]) throws(UsageError) {
        if values.count > command.positionals.count {
            let extra = values[command.positionals.count]
            throw UsageError(
                command.positionals.isEmpty
                    ? "'\(command.name)' takes no arguments, found '\(extra)'"
                    : "unexpected argument '\(extra)' (\(command.name) takes \(command.positionals.map(\.synopsis).joined(separator: " ")))"
            )
        }
        if let missing = command.positionals.dropFirst(values.count).first(where: { !$0.isOptional }) {
            throw UsageError("missing <\(missing.name)>: \(missing.help)")
        }
    }
}
