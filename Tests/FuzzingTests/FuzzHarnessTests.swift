import Foundation
import Testing

@testable import Fuzzing

/// The fuzz target's body over every template the repository holds (the fuzzer's seeds) and over every input the
/// fuzzer once crashed on (`fixtures/fuzz/`): each must come back, with a template compared with itself unchanged.
struct FuzzHarnessTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func files(under folder: String) -> [URL] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter {
            ["yaml", "yml", "json", "txt", "bin"].contains($0.pathExtension)
        }
        .sorted { $0.path < $1.path }
    }

    static let seeds = files(under: "fixtures") + files(under: "infrastructure")

    @Test func theSeedsAreTheRepositorysTemplates() {
        #expect(Self.seeds.count > 50)
        #expect(Self.seeds.contains { $0.path.hasSuffix("infrastructure/cloudformation/dynamodb.yaml") })
    }

    @Test(arguments: seeds) func everySeedRunsThrough(_ file: URL) throws {
        FuzzHarness.exercise(Array(try Data(contentsOf: file)))
    }

    @Test func everyChangeFixtureRunsAsBaseAndHead() throws {
        let base = Array(try Data(contentsOf: Self.root.appendingPathComponent("fixtures/changes/base.yaml")))
        for head in Self.files(under: "fixtures/changes") {
            FuzzHarness.exercise(base + FuzzHarness.separator + Array(try Data(contentsOf: head)))
        }
    }

    @Test(
        arguments: [
            ("a\n#--- head ---\nb", "a", "b"),
            ("only a head", nil, "only a head"),
            ("\n#--- head ---\n", "", ""),
            ("x\n#--- head ---\ny\n#--- head ---\nz", "x", "y\n#--- head ---\nz"),
        ] as [(String, String?, String)])
    func splitsAtTheFirstSeparator(input: String, base: String?, head: String) {
        let parts = FuzzHarness.split(Array(input.utf8))
        #expect(parts.base.map { String(decoding: $0, as: UTF8.self) } == base)
        #expect(String(decoding: parts.head, as: UTF8.self) == head)
    }
}
