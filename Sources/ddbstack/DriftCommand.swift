import AWS
import Arguments
import Operations
import Outcomes
import Report
import Schema
import Template

/// `ddbstack drift --stack NAME [TEMPLATE]`, or `ddbstack drift TEMPLATE --tables`: the template against the
/// live tables.
struct DriftCommand: Command {
    static let templateArgument = Positional(
        "template", help: "The template (default with --stack: the stack's deployed template).", optional: true)
    static let stackOption = Option<String>(
        "stack", help: "The stack whose tables to check; its parameter values resolve the template.")
    static let tablesOption = Flag(
        "tables", help: "Without a stack: find the template's tables by their literal TableNames.")
    static let unmanagedOption = Option<String>(
        "unmanaged-prefix",
        help: "Also list tables whose name starts with this prefix and that belong to no table of the template.")
    static let spec = CommandSpec(
        "drift", abstract: "Compare the template with the live tables: differences, missing tables, tables not ACTIVE.",
        positionals: [templateArgument],
        options: [stackOption.spec, tablesOption.spec, unmanagedOption.spec, CommonOptions.concurrencyOption.spec]
            + ParameterOptions.options + AWSOptions.options + OutputOptions.options)

    var template: String?
    var stack: String?
    var tables: Bool
    var unmanagedPrefix: String?
    var concurrency: Int
    var parameters: ParameterOptions
    var aws: AWSOptions
    var output: OutputOptions

    var reportOptions: OutputOptions? { output }

    init(_ arguments: ParsedArguments) throws(UsageError) {
        template = arguments[Self.templateArgument]
        stack = try arguments.value(Self.stackOption)
        tables = arguments[Self.tablesOption]
        unmanagedPrefix = try arguments.value(Self.unmanagedOption)
        concurrency = try CommonOptions.concurrency(arguments)
        parameters = try ParameterOptions(arguments)
        aws = try AWSOptions(arguments)
        output = try OutputOptions(arguments)
        if stack == nil && !tables { throw UsageError("give --stack NAME, or a TEMPLATE with --tables") }
        if stack != nil && tables {
            throw UsageError("--tables is for a template without a stack; drop it or --stack")
        }
        if tables && template == nil { throw UsageError("--tables needs a TEMPLATE") }
    }

    func run() async throws {
        let access = StackAccess(aws: try aws.resolve(verbose: output.verbose))
        let overrides = try parameters.values()
        var detector = DriftDetector(tables: access.tables, concurrency: concurrency, sleep: access.aws.context.sleep)
        detector.region = access.region
        detector.replicaTables = access.replicaTables
        var drifts: [TableDrift]
        var templateName: String
        var known: Set<String>
        if let stack {
            let deployed = try await access.requireStack(stack)
            let (context, name) = try await access.template(template, stack: deployed, given: overrides)
            templateName = name
            drifts = try await detector.detect(
                expected: context.tables, physicalNames: deployed.tableNames, stackTags: deployed.propagatedTags)
            known = Set(deployed.tableNames.values)
        } else {
            let path = template!
            let context = try loadTemplate(
                try FileIO.read(path), name: path,
                options: ResolveOptions(parameters: overrides, region: access.region))
            templateName = path
            let names = Dictionary(
                context.tables.compactMap { table in table.tableName?.value.map { (table.logicalId, $0) } },
                uniquingKeysWith: { first, _ in first })
            drifts = try await detector.detect(
                expected: context.tables, physicalNames: names, missingReason: "no such table in the account")
            for index in drifts.indices where names[drifts[index].logicalId] == nil {
                drifts[index].note = "no literal TableName: without --stack its table cannot be found"
            }
            known = Set(names.values)
        }
        let unmanaged =
            try await unmanagedPrefix.asyncMap { try await detector.unmanaged(prefix: $0, known: known) } ?? []
        let report = DriftReport(
            stack: stack, tables: drifts, unmanagedTables: unmanaged, apiCalls: access.aws.context.calls.total)
        let summary = DriftSummary(report: report, templateName: templateName, region: access.region)
        output.log(summary.line)
        try output.emit(render(summary))
        if report.hasDrift { throw ExitRequest(ExitStatus.findings) }
    }

    private func render(_ summary: DriftSummary) -> String {
        switch output.format {
        case .text: return DriftTextRenderer(color: output.useColor, quiet: output.quiet).render(summary)
        case .json: return DriftJSON.render(summary)
        case .markdown: return DriftMarkdown.render(summary)
        case .sarif, .github, .junit:
            let findings = LintReport(
                file: summary.templateName, findings: summary.findings, source: "", failOn: .error)
            switch output.format {
            case .sarif: return SARIFRenderer.render(findings, rules: [])
            case .github: return GitHubRenderer.render(findings)
            default: return JUnitRenderer.render(findings, suite: "ddbstack drift")
            }
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
