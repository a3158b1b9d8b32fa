import Changes
import Lint
import Report
import Schema
import Template

/// Feeds arbitrary bytes through every stage that reads a template without the network: the parser (whole, and in
/// the pieces a large template is read in), the resolver, the model, every lint rule in both profiles, every findings
/// renderer, the differ, the review and its renderers.
/// The libFuzzer target (`ddbstack-fuzz`) and the regression tests call the same function, so a crash the fuzzer
/// finds is replayed by `swift test` once its input is saved under `fixtures/fuzz/`.
public enum FuzzHarness {
    /// One input carries two templates when this line splits it: the base before, the head after.
    public static let separator: [UInt8] = Array("\n#--- head ---\n".utf8)

    /// Runs one input. Returns normally for every input, valid or not; a crash, a hang or a broken invariant
    /// (`precondition`) is a bug.
    public static func exercise(_ bytes: [UInt8]) {
        _ = try? ParameterFile.parse(bytes)
        let (base, headBytes) = split(bytes)
        precondition(YAMLParser.piecesAgreeWithWhole(headBytes), "the template read in pieces differs from the whole")
        guard let head = context(headBytes) else { return }
        lint(head, source: String(decoding: headBytes, as: UTF8.self))
        let baseTables = base.flatMap(context)?.tables ?? []
        compare(base: baseTables, head: head)
        let unchanged = Differ.changes(base: head.tables, head: head.tables)
        precondition(unchanged.isEmpty, "a template compared with itself has changes: \(unchanged.map(\.logicalId))")
    }

    /// Splits at the first separator; without one, the whole input is the head.
    static func split(_ bytes: [UInt8]) -> (base: [UInt8]?, head: [UInt8]) {
        guard let start = range(of: separator, in: bytes) else { return (nil, bytes) }
        return (Array(bytes[..<start]), Array(bytes[(start + separator.count)...]))
    }

    private static func range(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// Parsed, resolved in a region (so region-dependent rules run) and modelled; nil when the input is refused.
    private static func context(_ bytes: [UInt8]) -> LintContext? {
        try? LintContext(source: bytes, options: ResolveOptions(region: "eu-west-1"))
    }

    /// Both profiles' rules; the renderers on the production profile's findings, which include the standard
    /// profile's. SARIF lists the rules that found something (the whole registry is static text).
    private static func lint(_ context: LintContext, source: String) {
        _ = Linter(profile: .standard).lint(context)
        let findings = Linter(profile: .production).lint(context)
        let report = LintReport(file: "fuzz.yaml", findings: findings, source: source)
        _ = TextRenderer(color: true).render(report)
        _ = GitHubRenderer.render(report)
        _ = FindingsJSON.render(report)
        _ = JUnitRenderer.render(report)
        _ = MarkdownRenderer.render(report)
        let found = Set(findings.map(\.ruleId))
        _ = SARIFRenderer.render(report, rules: RuleRegistry.all.map(\.description).filter { found.contains($0.id) })
        _ = ModelRenderer.json(context.model, file: "fuzz.yaml")
    }

    private static func compare(base: [Table], head: LintContext) {
        let review = Review(base: base, head: head.tables, headTemplate: head.template, region: "eu-west-1")
        let report = ChangeReport(review: review, baseFile: "base.yaml", headFile: "head.yaml")
        _ = ChangesTextRenderer(color: true).render(report)
        _ = ChangesJSON.render(report)
        _ = ChangesMarkdown.render(report)
        _ = StagePlanner.steps(base: base, head: head.tables, headTemplate: head.template)
    }
}
