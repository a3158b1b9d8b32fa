import Testing

@testable import Arguments

enum Color: String, ArgumentValue, CaseIterable {
    case red, green
}

/// A small program that uses every kind of declaration.
enum Sample {
    static let file = Positional("file", help: "The input.")
    static let other = Positional("other", help: "A second input.", optional: true)
    static let color = Option<Color>("color", help: "A color.", default: "red")
    static let count = Option<Int>("count", help: "How many.")
    static let seconds = Option<Double>("seconds", help: "How long.")
    static let tag = Repeated<String>("tag", help: "A tag. Repeatable.")
    static let name = Required<String>("name", help: "The name.")
    static let quiet = Flag("quiet", help: "Say less.")
    static let run = CommandSpec(
        "run", abstract: "Run it.", positionals: [file, other],
        options: [color.spec, count.spec, seconds.spec, tag.spec, name.spec, quiet.spec])
    static let list = CommandSpec("list", abstract: "List them.", options: [quiet.spec])
    static let program = Program("tool", abstract: "A tool.", version: "1.2.3", commands: [run, list])

    static func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        guard case .run(let parsed) = try program.parse(arguments) else {
            throw UsageError("printed instead of running")
        }
        return parsed
    }

    static func error(_ arguments: [String]) -> UsageError? {
        do {
            _ = try program.parse(arguments).self
            return nil
        } catch {
            return error
        }
    }
}

@Suite struct ProgramParseTests {
    @Test func readsEveryKindOfArgument() throws {
        let parsed = try Sample.parse([
            "run", "in.yaml", "--color", "green", "--count=3", "--tag", "a", "--name", "n", "--tag=b=c", "--quiet",
            "--seconds", "2.5", "out.yaml",
        ])
        #expect(parsed.command.name == "run")
        #expect(parsed.required(Sample.file) == "in.yaml")
        #expect(parsed[Sample.other] == "out.yaml")
        #expect(try parsed.value(Sample.color) == .green)
        #expect(try parsed.value(Sample.count) == 3)
        #expect(try parsed.value(Sample.seconds) == 2.5)
        #expect(try parsed.values(Sample.tag) == ["a", "b=c"])
        #expect(try parsed.value(Sample.name) == "n")
        #expect(parsed[Sample.quiet])
    }

    @Test func absentOptionsAreNilEmptyOrOff() throws {
        let parsed = try Sample.parse(["run", "in.yaml", "--name", "n"])
        #expect(parsed[Sample.other] == nil)
        #expect(try parsed.value(Sample.color) == nil)
        #expect(try parsed.values(Sample.tag).isEmpty)
        #expect(!parsed[Sample.quiet])
    }

    @Test func aLaterValueReplacesAnEarlierOne() throws {
        let parsed = try Sample.parse(["run", "f", "--name", "a", "--count", "1", "--count", "2", "--name=b"])
        #expect(try parsed.value(Sample.count) == 2)
        #expect(try parsed.value(Sample.name) == "b")
    }

    @Test func doubleDashEndsTheOptions() throws {
        let parsed = try Sample.parse(["run", "--name", "n", "--", "--file-with-dashes", "-"])
        #expect(parsed.required(Sample.file) == "--file-with-dashes")
        #expect(parsed[Sample.other] == "-")
    }

    @Test func aValueStartingWithADashIsGivenAfterAnEqualsSign() throws {
        let parsed = try Sample.parse(["run", "f", "--name=-n", "--tag=--x", "--tag", "-"])
        #expect(try parsed.value(Sample.name) == "-n")
        #expect(try parsed.values(Sample.tag) == ["--x", "-"])
    }

    @Test(arguments: [
        (["bogus"], "unknown command 'bogus'"),
        (["lsit"], "unknown command 'lsit'; did you mean 'list'?"),
        (["--verison"], "unknown option '--verison'; did you mean '--version'?"),
        (["run"], "missing <file>: The input."),
        (["run", "f"], "missing --name <name>: The name."),
        (["run", "f", "g", "h", "--name", "n"], "unexpected argument 'h' (run takes <file> [<other>])"),
        (["list", "x"], "'list' takes no arguments, found 'x'"),
        (
            ["run", "f", "--name", "n", "--colour", "red"],
            "unknown option '--colour' for 'run'; did you mean '--color'?"
        ),
        (["run", "f", "--name", "n", "-q"], "unknown option '-q' for 'run'"),
        (
            ["run", "f", "--name"],
            "--name needs a value (--name <name>; write --name=VALUE for one that starts with '-')"
        ),
        (
            ["run", "f", "--name", "--quiet"],
            "--name needs a value (--name <name>; write --name=VALUE for one that starts with '-')"
        ),
        (["run", "f", "--name", "n", "--quiet=yes"], "--quiet takes no value"),
        (["run", "f", "--name", "n", "--color", "blue"], "--color takes one of red, green, not 'blue'"),
        (
            ["run", "f", "--name", "n", "--color", "gren"],
            "--color takes one of red, green, not 'gren'; did you mean 'green'?"
        ),
        (["run", "f", "--name", "n", "--count", "3.5"], "--count takes a whole number, not '3.5'"),
        (["run", "f", "--name", "n", "--seconds", "inf"], "--seconds takes a number, not 'inf'"),
        (["run", "f", "--name", "n", "--seconds", "nan"], "--seconds takes a number, not 'nan'"),
        (["--generate-completion-script", "fish"], "--generate-completion-script takes one of bash or zsh"),
        (["help", "nope"], "unknown command 'nope'"),
    ])
    func refuses(_ arguments: [String], _ message: String) throws {
        let error: UsageError
        do {
            let parsed = try Sample.parse(arguments)
            // Values are typed when they are read, as a command does when it is made.
            _ = try (parsed.value(Sample.color), parsed.value(Sample.count), parsed.value(Sample.seconds))
            Issue.record("\(arguments) was accepted")
            return
        } catch let caught {
            error = caught
        }
        #expect(error.message == message)
    }

    @Test func anErrorInACommandsArgumentsNamesTheCommand() {
        #expect(Sample.error(["run", "--bogus"])?.command == "run")
        #expect(Sample.error(["bogus"])?.command == nil)
    }

    @Test(arguments: [
        [], ["--help"], ["-h"], ["help"],
    ])
    func printsTheProgramsHelp(_ arguments: [String]) throws {
        guard case .print(let text) = try Sample.program.parse(arguments) else {
            Issue.record("\(arguments) did not print")
            return
        }
        #expect(text == Sample.program.help())
    }

    @Test(arguments: [
        ["run", "--help"], ["run", "f", "-h"], ["run", "--bogus", "--help"], ["help", "run"],
    ])
    func printsACommandsHelpBeforeCheckingTheRest(_ arguments: [String]) throws {
        guard case .print(let text) = try Sample.program.parse(arguments) else {
            Issue.record("\(arguments) did not print")
            return
        }
        #expect(text == Sample.program.help(for: Sample.run))
    }

    @Test func helpAfterDoubleDashIsAnArgument() throws {
        let parsed = try Sample.parse(["run", "--name", "n", "--", "--help"])
        #expect(parsed.required(Sample.file) == "--help")
    }

    @Test func printsTheVersion() throws {
        guard case .print(let text) = try Sample.program.parse(["--version"]) else {
            Issue.record("--version did not print")
            return
        }
        #expect(text == "1.2.3\n")
    }

    @Test func describesAUsageErrorWithTheCommandsUsage() {
        let text = Sample.program.describe(UsageError("missing <file>: The input."), command: Sample.run)
        #expect(
            text == """
                error: missing <file>: The input.
                usage: tool run [<options>] <file> [<other>] --name <name>
                'tool run --help' lists its options.

                """)
        #expect(Sample.program.describe(UsageError("x"), command: nil).hasSuffix("'tool --help' lists the commands.\n"))
    }
}
