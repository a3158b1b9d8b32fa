import Template
import Testing

@testable import Lint

/// Every rule's examples are its tests (STYLE.md): passing examples raise nothing from the rule; failing ones
/// raise exactly one finding at each marker, carrying the expected message.
@Suite struct RuleExampleTests {
    static let markers: [String] = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]
    static let ids = RuleRegistry.all.map(\.description.id)

    @Test(arguments: ids)
    func passingExamplesRaiseNothing(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id))
        for example in rule.description.passing {
            let findings = try lint(example, with: rule)
            #expect(findings.isEmpty, "\(id): \(findings.map(\.message))")
        }
    }

    @Test(arguments: ids)
    func failingExamplesRaiseAFindingAtEachMarker(id: String) throws {
        let rule = try #require(RuleRegistry.rule(id))
        for example in rule.description.failing {
            let (source, locations) = Self.stripMarkers(example.template)
            #expect(locations.count == example.messages.count, "\(id): markers and messages differ in number")
            let findings = try lint(source, with: rule)
            #expect(
                findings.map { "\($0.range.start)" } == locations,
                "\(id): \(findings.map { "\($0.range.start) \($0.message)" })")
            for (finding, message) in zip(findings, example.messages) {
                #expect(finding.message.contains(message), "\(id): '\(finding.message)' lacks '\(message)'")
                #expect(finding.ruleId == id)
            }
        }
    }

    @Test func idsAndNamesAreUniqueAndEveryRuleHasBothKindsOfExample() {
        let descriptions = RuleRegistry.all.map(\.description)
        #expect(Set(descriptions.map(\.id)).count == descriptions.count)
        #expect(Set(descriptions.map(\.name)).count == descriptions.count)
        for description in descriptions {
            #expect(!description.passing.isEmpty && !description.failing.isEmpty, "\(description.id)")
            #expect(!description.summary.hasSuffix(".") && !description.help.hasSuffix("."), "\(description.id)")
        }
    }

    func lint(_ source: String, with rule: any Rule) throws -> [Finding] {
        let context = try LintContext(source: Array(source.utf8))
        return Linter(profile: .production, rules: [rule]).lint(context)
    }

    /// The source without markers, and where each marker stood ("line:column", columns in Unicode scalars).
    static func stripMarkers(_ text: String) -> (String, [String]) {
        var found: [(Int, String)] = []
        var output = ""
        var line = 1
        var column = 1
        var rest = text[...]
        outer: while let scalar = rest.unicodeScalars.first {
            for (number, marker) in markers.enumerated() where rest.hasPrefix(marker) {
                found.append((number, "\(line):\(column)"))
                rest = rest.dropFirst(marker.count)
                continue outer
            }
            output.unicodeScalars.append(scalar)
            rest = Substring(rest.unicodeScalars.dropFirst())
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (output, found.sorted { $0.0 < $1.0 }.map(\.1))
    }
}
