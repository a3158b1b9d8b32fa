import Testing

@testable import Arguments

@Suite struct HelpTextTests {
    @Test func listsArgumentsAndOptionsWithValuesAndDefaults() {
        #expect(
            Sample.program.help(for: Sample.run) == """
                Run it.

                USAGE: tool run [<options>] <file> [<other>] --name <name>

                ARGUMENTS:
                  <file>                  The input.
                  <other>                 A second input. (optional)

                OPTIONS:
                  --color <color>         A color. (values: red, green; default: red)
                  --count <count>         How many.
                  --seconds <seconds>     How long.
                  --tag <tag>             A tag. Repeatable.
                  --name <name>           The name.
                  --quiet                 Say less.
                  -h, --help              Show this help.

                """)
    }

    @Test func listsTheCommands() {
        let help = Sample.program.help()
        #expect(help.hasPrefix("tool 1.2.3: A tool.\n\nUSAGE: tool <command> [<options>]\n\nCOMMANDS:\n"))
        #expect(help.contains("  run                     Run it.\n  list                    List them.\n"))
        #expect(help.contains("  --version               Show the version.\n"))
    }

    @Test func wrapsLongHelpBesideTheNamesAndLongNamesAboveTheirHelp() {
        let long = Option<String>(
            "a-very-long-option-name", value: "value",
            help: "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen.")
        let short = Flag("x", help: String(repeating: "word ", count: 20))
        let command = CommandSpec("c", abstract: "C.", options: [long.spec, short.spec])
        let lines = Program("p", abstract: "", version: "", commands: [command]).help(for: command)
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= HelpText.width })
        let at = lines.firstIndex { $0.hasPrefix("  --a-very-long-option-name <value>") }!
        #expect(lines[at] == "  --a-very-long-option-name <value>")
        #expect(lines[at + 1].hasPrefix(String(repeating: " ", count: HelpText.column) + "One two"))
        #expect(lines.contains("  --x                     word word word word word word word word word word word"))
    }

    @Test(arguments: [
        ("", 10, [""]),
        ("one", 10, ["one"]),
        ("one two three", 7, ["one two", "three"]),
        ("unbreakableword x", 5, ["unbreakableword", "x"]),
    ])
    func wraps(_ text: String, _ width: Int, _ lines: [String]) {
        #expect(HelpText.wrap(text, width: width) == lines)
    }
}
