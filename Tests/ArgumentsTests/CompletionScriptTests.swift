import Foundation
import TestSupport
import Testing

@testable import Arguments

/// The scripts run in the shells they are for: bash completes words as a user's Tab would; zsh loads the script.
@Suite struct CompletionScriptTests {
    /// What bash offers for the words typed so far (the last one being completed), after sourcing the script.
    static func bashCompletions(_ words: [String], in directory: String = "/") throws -> [String] {
        let script = Sample.program.completionScript(for: .bash)
        let typed = (["tool"] + words).map { "'\($0)'" }.joined(separator: " ")
        let result = try shell(
            "/bin/bash",
            """
            cd \(directory)
            \(script)
            COMP_WORDS=(\(typed)); COMP_CWORD=\(words.count)
            _tool
            printf '%s\\n' "${COMPREPLY[@]}"
            """)
        return result.split(separator: "\n").map(String.init).sorted()
    }

    static func shell(_ path: String, _ input: String) throws -> String {
        let (status, output) = try PipedProcess.run(path, input: Data(input.utf8))
        #expect(status == 0, "\(path) failed")
        return String(decoding: output, as: UTF8.self)
    }

    @Test(arguments: [
        ([""], ["--generate-completion-script", "--help", "--version", "help", "list", "run"]),
        (["r"], ["run"]),
        (["run", "--c"], ["--color", "--count"]),
        (["run", "--color", ""], ["green", "red"]),
        (["run", "--color", "g"], ["green"]),
        // bash splits --color=g into '--color' '=' 'g'.
        (["run", "--color", "=", "g"], ["green"]),
        (["run", "--color", "="], ["green", "red"]),
        (["run", "--name", ""], []),
        (["list", "--"], ["--help", "--quiet"]),
        (["list", "x"], []),
        (["help", ""], ["list", "run"]),
        (["--generate-completion-script", ""], ["bash", "zsh"]),
    ])
    func bashOffers(_ words: [String], _ expected: [String]) throws {
        #expect(try Self.bashCompletions(words) == expected)
    }

    @Test func bashOffersFilesForFileArguments() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("completion-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data().write(to: directory.appendingPathComponent("template.yaml"))
        try Data().write(to: directory.appendingPathComponent("other.json"))
        #expect(try Self.bashCompletions(["run", "te"], in: directory.path) == ["template.yaml"])
        #expect(
            try Self.bashCompletions(["run", "f", "--name", "n", ""], in: directory.path) == [
                "other.json", "template.yaml",
            ])
    }

    @Test func zshLoadsTheScriptAsACompletionFunction() throws {
        let script = Sample.program.completionScript(for: .zsh)
        let output = try Self.shell(
            "/usr/bin/zsh",
            """
            autoload -U compinit && compinit -u -D
            \(script)
            print -r -- ${_comps[tool]}
            """)
        #expect(output == "_tool\n")
    }

    @Test func zshDescribesEveryOptionOfEveryCommand() {
        let script = Sample.program.completionScript(for: .zsh)
        #expect(script.contains("'--color=[A color.]:color:(red green)'"))
        #expect(script.contains("'*--tag=[A tag. Repeatable.]:tag: '"))
        #expect(script.contains("'--quiet[Say less.]'"))
        #expect(script.contains("'1:file:_files'"))
        #expect(script.contains("'2::other:_files'"))
    }

    @Test func zshQuotesHelpText() {
        let option = Option<String>("x", help: "It's [sic] a \\ test.")
        let program = Program(
            "p", abstract: "", version: "", commands: [CommandSpec("c", abstract: "", options: [option.spec])])
        #expect(program.completionScript(for: .zsh).contains(#"'--x=[It'\''s \[sic\] a \\ test.]:x: '"#))
    }
}
