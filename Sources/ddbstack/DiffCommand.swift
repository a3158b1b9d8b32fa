import Arguments
import Changes
import Report

/// `ddbstack diff BASE HEAD`: every change between two templates, with its consequence; no AWS.
struct DiffCommand: Command {
    static let baseArgument = Positional("base", help: "The base template (what is on main).")
    static let headArgument = Positional("head", help: "The head template (the proposed change).")
    static let spec = CommandSpec(
        "diff", abstract: "Classify every change between two versions of a template.",
        positionals: [baseArgument, headArgument],
        options: ResolutionOptions.options + ChangeOptions.options + OutputOptions.options + [
            CommonOptions.impactThresholdOption.spec
        ])

    var base: String
    var head: String
    var resolution: ResolutionOptions
    var changes: ChangeOptions
    var output: OutputOptions
    var failOn: Impact

    var reportOptions: OutputOptions? { output }

    init(_ arguments: ParsedArguments) throws(UsageError) {
        base = arguments.required(Self.baseArgument)
        head = arguments.required(Self.headArgument)
        resolution = try ResolutionOptions(arguments)
        changes = try ChangeOptions(arguments)
        output = try OutputOptions(arguments)
        failOn = try CommonOptions.impactThreshold(arguments)
    }

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
