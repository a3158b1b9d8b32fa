import ArgumentParser
import Changes
import Report

/// `ddbstack diff BASE HEAD`: every change between two templates, with its consequence; no AWS.
struct DiffCommand: ParsableCommand, ReportsFailures {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Classify every change between two versions of a template.")

    @Argument(help: "The base template (what is on main).")
    var base: String

    @Argument(help: "The head template (the proposed change).")
    var head: String

    @OptionGroup var resolution: ResolutionOptions
    @OptionGroup var changes: ChangeOptions
    @OptionGroup var output: OutputOptions

    @Option(
        name: .customLong("fail-on"),
        help:
            "The lowest impact that fails unless acknowledged: none, inPlace, slow, breaking (default), replacement, dataLoss."
    )
    var failOn: Impact = .breaking

    func run() throws {
        let (baseContext, headContext) = try resolution.loadVersions(
            base: (try FileIO.read(base), base), head: (try FileIO.read(head), head))
        let review = changes.review(
            base: baseContext?.tables ?? [], head: headContext, threshold: failOn,
            region: try resolution.resolveOptions().region)
        try changes.write(review)
        let report = ChangeReport(review: review, baseFile: base, headFile: head)
        output.log("\(review.changes.count) changes, \(review.steps.count) steps, impact \(review.impact.rawValue)")
        try output.emit(changes.render(report, format: output.format, color: output.useColor))
        try ExitStatus.check(review)
    }
}
