import Foundation
import Template
import Testing

/// The example workflows in infrastructure/github/: valid YAML with jobs, and every `ddbstack` command in them
/// uses a subcommand and options the binary has — so a renamed option cannot leave them silently broken.
@Suite struct WorkflowTests {
    static let directory = CLITests.root.appendingPathComponent("infrastructure/github")

    static func workflows() throws -> [(String, String)] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yml") }.sorted().map
        { name in
            (name, try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
        }
    }

    /// Each `ddbstack SUBCOMMAND …` invocation, continuation lines joined: (subcommand, options).
    static func invocations(_ text: String) -> [(String, [String])] {
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        return joined.split(separator: "\n").compactMap { line -> (String, [String])? in
            guard
                let start = line.range(
                    of: "ddbstack (lint|plan|deploy|drift|wait|diff|show|doctor|rules) ", options: .regularExpression)
            else { return nil }
            let words = line[start.lowerBound...].split(separator: " ").map(String.init)
            return (words[1], words.filter { $0.hasPrefix("--") })
        }
    }

    @Test func theWorkflowsAreThereAndParse() throws {
        let names = try Self.workflows().map(\.0)
        #expect(names == ["ddbstack-deploy.yml", "ddbstack-drift.yml", "ddbstack-lint.yml"])
        for (name, text) in try Self.workflows() {
            let root = try YAMLParser.parse(text)
            #expect(root["jobs"]?.entries?.isEmpty == false, "\(name) has no jobs")
            #expect(root["on"] != nil, "\(name) has no trigger")
        }
    }

    @Test func everyDdbstackCommandInThemUsesOptionsTheBinaryHas() throws {
        var seen = 0
        for (name, text) in try Self.workflows() {
            for (subcommand, options) in Self.invocations(text) {
                seen += 1
                let help = try CLITests.run([subcommand, "--help"])
                #expect(help.status == 0)
                for option in options where !help.stdout.contains(option + " ") && !help.stdout.contains(option + "\n")
                {
                    Issue.record("\(name): ddbstack \(subcommand) has no option \(option)")
                }
            }
        }
        #expect(seen >= 8)
    }
}
