/// A value typed on the command line, as an option's argument.
public protocol ArgumentValue {
    init?(argument: String)
    /// The values accepted, for help, completions and the error about any other; nil for free text.
    static var choices: [String]? { get }
    /// What the option takes, in the error about a value that does not parse ("a whole number").
    static var expected: String { get }
}

extension ArgumentValue {
    public static var choices: [String]? { nil }
    public static var expected: String { choices.map { "one of " + $0.joined(separator: ", ") } ?? "a value" }
}

extension ArgumentValue where Self: CaseIterable & RawRepresentable, RawValue == String {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var choices: [String]? { allCases.map(\.rawValue) }
}

extension String: ArgumentValue {
    public init?(argument: String) { self = argument }
}

extension Int: ArgumentValue {
    public init?(argument: String) { self.init(argument, radix: 10) }
    public static var expected: String { "a whole number" }
}

extension Double: ArgumentValue {
    /// Finite numbers only: `inf` and `nan` are no count of seconds.
    public init?(argument: String) {
        guard let value = Double(argument), value.isFinite else { return nil }
        self = value
    }
    public static var expected: String { "a number" }
}

/// What a shell offers for a value: nothing, file names, or directory names. Choices come from the value's type.
public enum Completion: Sendable {
    case none, file, directory
}

/// One `--name` option as the parser, the help and the completion scripts see it, whatever its value's type.
public struct OptionSpec: Sendable {
    public enum Arity: Sendable { case flag, single, repeated }

    /// The long name without its dashes.
    public var name: String
    public var arity: Arity
    /// The placeholder in help: `<format>`.
    public var valueName: String
    public var help: String
    public var choices: [String]?
    /// The value used when the option is not given, as help shows it.
    public var defaultValue: String?
    public var completion: Completion
    /// A command line without it is refused.
    public var isRequired = false

    public var flag: String { "--" + name }

    /// `--format <format>`, or `--quiet` for a flag.
    public var synopsis: String { arity == .flag ? flag : "\(flag) <\(valueName)>" }

}

/// `--name` alone: on or off.
public struct Flag: Sendable {
    public let spec: OptionSpec

    public init(_ name: String, help: String) {
        spec = OptionSpec(
            name: name, arity: .flag, valueName: "", help: help, choices: nil, defaultValue: nil, completion: .none)
    }
}

/// `--name VALUE`, at most once (a later one replaces an earlier one, as getopt-style tools do).
public struct Option<Value: ArgumentValue>: Sendable {
    public let spec: OptionSpec

    public init(
        _ name: String, value: String? = nil, help: String, default: String? = nil, completion: Completion = .none
    ) {
        spec = OptionSpec(
            name: name, arity: .single, valueName: value ?? name, help: help, choices: Value.choices,
            defaultValue: `default`, completion: completion)
    }
}

/// `--name VALUE`, which must be given (the last one counts).
public struct Required<Value: ArgumentValue>: Sendable {
    public let spec: OptionSpec

    public init(_ name: String, value: String? = nil, help: String, completion: Completion = .none) {
        var spec = Option<Value>(name, value: value, help: help, completion: completion).spec
        spec.isRequired = true
        self.spec = spec
    }
}

/// `--name VALUE`, any number of times, in order.
public struct Repeated<Value: ArgumentValue>: Sendable {
    public let spec: OptionSpec

    public init(_ name: String, value: String? = nil, help: String, completion: Completion = .none) {
        spec = OptionSpec(
            name: name, arity: .repeated, valueName: value ?? name, help: help, choices: Value.choices,
            defaultValue: nil, completion: completion)
    }
}

/// An argument given by its place, not by a name.
public struct Positional: Sendable, Equatable {
    public var name: String
    public var help: String
    public var isOptional: Bool
    public var completion: Completion

    public init(_ name: String, help: String, optional: Bool = false, completion: Completion = .file) {
        self.name = name
        self.help = help
        self.isOptional = optional
        self.completion = completion
    }

    public var synopsis: String { isOptional ? "[<\(name)>]" : "<\(name)>" }
}

/// A subcommand: its name, what it does, and everything it accepts.
public struct CommandSpec: Sendable {
    public var name: String
    public var abstract: String
    public var positionals: [Positional]
    public var options: [OptionSpec]

    public init(_ name: String, abstract: String, positionals: [Positional] = [], options: [OptionSpec]) {
        self.name = name
        self.abstract = abstract
        self.positionals = positionals
        self.options = options
    }

    func option(named name: String) -> OptionSpec? { options.first { $0.name == name } }
}
