import Template

/// A command's arguments as given: option values by name, in order, and positional arguments. Values become their
/// types when a command reads them, through the same declaration that put the option in its spec.
public struct ParsedArguments: Sendable {
    public let command: CommandSpec
    var given: [String: [String]] = [:]
    var positionalValues: [String] = []

    init(command: CommandSpec) { self.command = command }

    public subscript(flag: Flag) -> Bool {
        !strings(flag.spec).isEmpty
    }

    /// The value of an option given at most once (the last, when it is given again), nil when not given.
    public func value<Value>(_ option: Option<Value>) throws(UsageError) -> Value? {
        try strings(option.spec).last.map { text throws(UsageError) in try convert(text, option.spec) }
    }

    /// The value of a required option: the scanner has refused a command line without it.
    public func value<Value>(_ option: Required<Value>) throws(UsageError) -> Value {
        try convert(strings(option.spec).last!, option.spec)
    }

    public func values<Value>(_ option: Repeated<Value>) throws(UsageError) -> [Value] {
        var values: [Value] = []
        for text in strings(option.spec) { values.append(try convert(text, option.spec)) }
        return values
    }

    /// An optional positional argument, nil when not given.
    public subscript(positional: Positional) -> String? {
        guard let index = command.positionals.firstIndex(of: positional) else {
            preconditionFailure("'\(positional.name)' is not an argument of '\(command.name)'")
        }
        return index < positionalValues.count ? positionalValues[index] : nil
    }

    /// A required positional argument: the scanner has refused a command line without it.
    public func required(_ positional: Positional) -> String {
        precondition(!positional.isOptional, "'\(positional.name)' is optional")
        return self[positional]!
    }

    /// What was given for an option the command declares; an undeclared one is a programming error.
    private func strings(_ spec: OptionSpec) -> [String] {
        precondition(command.option(named: spec.name) != nil, "'\(spec.flag)' is not an option of '\(command.name)'")
        return given[spec.name] ?? []
    }

    private func convert<Value: ArgumentValue>(_ text: String, _ spec: OptionSpec) throws(UsageError) -> Value {
        guard let value = Value(argument: text) else {
            var message = "\(spec.flag) takes \(Value.expected), not '\(text)'"
            if let choices = Value.choices, let guess = Suggestions.closest(to: text, in: choices) {
                message += "; did you mean '\(guess)'?"
            }
            throw UsageError(message)
        }
        return value
    }
}
