import Arguments
import Testing

@testable import ddbstack

/// ddbstack's own commands as the parser sees them.
@Suite struct CommandSpecTests {
    /// The least each command needs; making the command reads every option it declares, so an option read but not
    /// declared (a programming error) stops the test.
    static let minimal: [String: [String]] = [
        "show": ["t.yaml"], "lint": ["t.yaml"], "diff": ["a.yaml", "b.yaml"], "plan": ["t.yaml", "--stack", "s"],
        "deploy": ["t.yaml", "--stack", "s"], "drift": ["--stack", "s"], "wait": ["--table", "t"], "rules": [],
        "doctor": [],
    ]

    @Test func everyCommandIsMadeFromItsLeastCommandLine() throws {
        #expect(Set(Self.minimal.keys) == Set(DDBStack.program.commands.map(\.name)))
        for command in DDBStack.commands {
            let name = command.spec.name
            guard case .run(let parsed) = try DDBStack.program.parse([name] + Self.minimal[name, default: []]) else {
                Issue.record("\(name) printed instead of running")
                continue
            }
            #expect(type(of: try command.init(parsed)).spec.name == name)
        }
    }

    @Test func everyCommandDeclaresEachOptionOnce() {
        for command in DDBStack.program.commands {
            var seen: Set<String> = []
            for option in command.options where !seen.insert(option.name).inserted {
                Issue.record("\(command.name) declares --\(option.name) twice")
            }
        }
    }

    /// The completion scripts quote help text, not names: names and values must be plain words.
    @Test func namesAndValuesArePlainWords() {
        func plain(_ word: String) -> Bool {
            !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
        for command in DDBStack.program.commands {
            #expect(plain(command.name))
            for option in command.options {
                #expect(plain(option.name) && (option.arity == .flag || plain(option.valueName)), "--\(option.name)")
                for choice in option.choices ?? [] { #expect(plain(choice), "\(command.name) --\(option.name)") }
            }
            for positional in command.positionals { #expect(plain(positional.name)) }
        }
    }

    @Test(arguments: [
        (["lint", "t.yaml", "--ignore", "DDB999"], "--ignore 'DDB999' is not a rule; 'ddbstack rules' lists them"),
        (["lint", "t.yaml", "--steps"], "--allow, --steps, --write-steps and an impact for --fail-on need --base"),
        (
            ["lint", "t.yaml", "--fail-on", "slow"],
            "--allow, --steps, --write-steps and an impact for --fail-on need --base"
        ),
        (["lint", "t.yaml", "--parameter", "=x"], "--parameter takes KEY=VALUE, found '=x'"),
        (
            ["diff", "a", "b", "--allow", "rejected:T"],
            "--allow rejected:…: a rejected change cannot be acknowledged, CloudFormation will refuse it"
        ),
        (["show", "t.yaml", "--format", "sarif"], "'show' writes text or json, not sarif"),
        (["deploy", "t", "--stack", "s", "--timeout", "0"], "--timeout takes a positive number of seconds"),
        (["deploy", "t", "--stack", "s", "--concurrency", "65"], "--concurrency takes 1 to 64"),
        (["deploy", "t", "--stack", "s", "--tags", "x"], "--tags takes KEY=VALUE, found 'x'"),
        (
            ["deploy", "t", "--stack", "s", "--no-execute", "--execute", "c"],
            "--no-execute and --execute exclude each other"
        ),
        (
            ["deploy", "t", "--stack", "s", "--change-set-name", "1x"],
            "'1x' is not a change set name: a letter, then letters, digits and hyphens, at most 128"
        ),
        (["plan", "t", "--stack", "s", "--keep-change-set"], "--keep-change-set needs --change-set"),
        (["drift"], "give --stack NAME, or a TEMPLATE with --tables"),
        (["drift", "t", "--stack", "s", "--tables"], "--tables is for a template without a stack; drop it or --stack"),
        (["drift", "--tables"], "--tables needs a TEMPLATE"),
        (["wait"], "give --stack NAME or --table NAME (repeatable), not both"),
        (["wait", "--table", "t", "--format", "junit"], "'wait' writes text or json, not junit"),
    ])
    func refusesWhenMade(_ arguments: [String], _ message: String) throws {
        guard case .run(let parsed) = try DDBStack.program.parse(arguments) else {
            Issue.record("\(arguments) printed instead of running")
            return
        }
        let command = DDBStack.commands.first { $0.spec.name == parsed.command.name }!
        #expect(throws: UsageError(message)) { _ = try command.init(parsed) }
    }
}
