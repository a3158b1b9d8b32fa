import Arguments
import Changes
import Lint
import Report
import Template

enum ColorChoice: String, ArgumentValue, CaseIterable {
    case auto, always, never
}

extension OutputFormat: ArgumentValue {}
extension Profile: ArgumentValue {}
extension Severity: ArgumentValue {}

/// Where and how a command writes its result.
struct OutputOptions {
    static let formatOption = Option<OutputFormat>(
        "format", help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).",
        default: "text")
    static let outputOption = Option<String>(
        "output", help: "Write the result to this file instead of standard output.", completion: .file)
    static let colorOption = Option<ColorChoice>(
        "color", help: "Color in text output: auto (a terminal, unless NO_COLOR is set), always, never.",
        default: "auto")
    static let quietOption = Flag("quiet", help: "Print only findings, no summary when clean.")
    static let verboseOption = Flag("verbose", help: "Explain what is being done on standard error.")
    static let options = [formatOption.spec, outputOption.spec, colorOption.spec, quietOption.spec, verboseOption.spec]

    var format: OutputFormat
    var output: String?
    var color: ColorChoice
    var quiet: Bool
    var verbose: Bool

    /// `formats`: the formats the command writes.
    init(_ arguments: ParsedArguments, formats: [OutputFormat] = OutputFormat.allCases) throws(UsageError) {
        format = try arguments.value(Self.formatOption) ?? .text
        output = try arguments.value(Self.outputOption)
        color = try arguments.value(Self.colorOption) ?? .auto
        quiet = arguments[Self.quietOption]
        verbose = arguments[Self.verboseOption]
        guard formats.contains(format) else {
            throw UsageError(
                "'\(arguments.command.name)' writes \(formats.map(\.rawValue).joined(separator: " or ")), not \(format.rawValue)"
            )
        }
    }

    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            return output == nil && Console.isTerminal(1) && Console.environment("NO_COLOR").map(\.isEmpty) ?? true
                && Console.environment("TERM") != "dumb"
        }
    }

    /// Writes the result to `--output` or standard output.
    func emit(_ text: String) throws(CommandFailure) {
        if let output {
            try FileIO.write(Secrets.mask(text), to: output)
        } else {
            Console.write(text, to: 1)
        }
    }

    func log(_ text: @autoclosure () -> String) {
        if verbose { Console.error("ddbstack: \(text())") }
    }
}

/// Options several commands share, and the one place their values are checked.
enum CommonOptions {
    static let concurrencyOption = Option<Int>(
        "concurrency", help: "Tables read at the same time, 1 to 64.", default: "8")

    /// diff's, plan's and deploy's `--fail-on` (lint's takes severities as well: `FailureThreshold`).
    static let impactThresholdOption = Option<Impact>(
        "fail-on", help: "The lowest impact that fails the command unless acknowledged (deploy refuses it).",
        default: "breaking")

    static func impactThreshold(_ arguments: ParsedArguments) throws(UsageError) -> Impact {
        try arguments.value(impactThresholdOption) ?? .breaking
    }

    static func concurrency(_ arguments: ParsedArguments) throws(UsageError) -> Int {
        let concurrency = try arguments.value(concurrencyOption) ?? 8
        guard (1...64).contains(concurrency) else { throw UsageError("--concurrency takes 1 to 64") }
        return concurrency
    }

    /// A `--timeout` in seconds: positive, 3600 when not given.
    static func timeout(_ arguments: ParsedArguments, _ option: Option<Double>) throws(UsageError) -> Double {
        let timeout = try arguments.value(option) ?? 3600
        guard timeout > 0 else { throw UsageError("--timeout takes a positive number of seconds") }
        return timeout
    }
}

/// Parameter values from files and the command line.
struct ParameterOptions {
    static let filesOption = Repeated<String>(
        "parameters", help: "A parameter file: AWS CLI JSON, CodePipeline JSON, or KEY=VALUE lines. Repeatable.",
        completion: .file)
    static let valuesOption = Repeated<String>(
        "parameter", help: "A parameter value, KEY=VALUE; overrides the files. Repeatable.")
    static let options = [filesOption.spec, valuesOption.spec]

    var parameterFiles: [String]
    var parameters: [String]

    init(_ arguments: ParsedArguments) throws(UsageError) {
        parameterFiles = try arguments.values(Self.filesOption)
        parameters = try arguments.values(Self.valuesOption)
        for parameter in parameters where !parameter.contains("=") || parameter.hasPrefix("=") {
            throw UsageError("--parameter takes KEY=VALUE, found '\(parameter)'")
        }
    }

    /// The parameter values: files in order, then `--parameter`.
    func values() throws(CommandFailure) -> [String: String] {
        var values: [String: String] = [:]
        for file in parameterFiles {
            let bytes = try FileIO.read(file)
            do {
                for value in try ParameterFile.parse(bytes) { values[value.key] = value.value }
            } catch {
                throw CommandFailure.input(
                    error.message, file: file, line: error.location.line, column: error.location.column)
            }
        }
        for parameter in parameters {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[String(parts[0])] = String(parts[1])
        }
        return values
    }
}

/// Parses, resolves and models template text; an unreadable template is an input error (exit 2) at `name`.
func loadTemplate(_ bytes: [UInt8], name: String, options: ResolveOptions) throws(CommandFailure) -> LintContext {
    do {
        let context = try LintContext(source: bytes, options: options)
        Secrets.register(context.resolved)
        return context
    } catch {
        throw CommandFailure.input(error, file: name)
    }
}

/// The values templates are resolved with offline.
struct ResolutionOptions {
    static let regionOption = Option<String>(
        "region", help: "The region, for AWS::Region, AWS::Partition and AWS::URLSuffix.")
    static let stackOption = Option<String>("stack", help: "The stack name, for AWS::StackName.")
    static let options = ParameterOptions.options + [regionOption.spec, stackOption.spec]

    var parameters: ParameterOptions
    var region: String?
    var stack: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        parameters = try ParameterOptions(arguments)
        region = try arguments.value(Self.regionOption)
        stack = try arguments.value(Self.stackOption)
    }

    func resolveOptions() throws(CommandFailure) -> ResolveOptions {
        ResolveOptions(
            parameters: try parameters.values(), region: region ?? Console.environment("AWS_REGION"), stackName: stack)
    }

    func load(_ bytes: [UInt8], name: String, options: ResolveOptions) throws(CommandFailure) -> LintContext {
        try loadTemplate(bytes, name: name, options: options)
    }

    /// Two versions of one template for one environment (`diff`, `lint --base`): the given values apply to both,
    /// each checked only against a version that declares it; a value that neither declares is the error.
    func loadVersions(base: (bytes: [UInt8], name: String)?, head: (bytes: [UInt8], name: String))
        throws(CommandFailure) -> (base: LintContext?, head: LintContext)
    {
        var options = try resolveOptions()
        func parse(_ bytes: [UInt8], _ name: String) throws(CommandFailure) -> Template {
            do { return try Template.parse(bytes) } catch { throw CommandFailure.input(error, file: name) }
        }
        func model(_ template: Template, _ size: Int, _ name: String) throws(CommandFailure) -> LintContext {
            do {
                let resolved = try Resolver.resolve(template, options: options)
                Secrets.register(resolved)
                return LintContext(resolved: resolved, sourceSize: size)
            } catch {
                throw CommandFailure.input(error, file: name)
            }
        }
        let headTemplate = try parse(head.bytes, head.name)
        let baseTemplate = try base.map { base throws(CommandFailure) in try parse(base.bytes, base.name) }
        do {
            try Resolver.refuseUndeclared(
                Set(options.parameters.keys), in: [headTemplate] + (baseTemplate.map { [$0] } ?? []))
        } catch {
            throw CommandFailure.input(error, file: head.name)
        }
        options.refusesUndeclared = false
        let baseContext = try base.map { base throws(CommandFailure) in
            try model(baseTemplate!, base.bytes.count, base.name)
        }
        return (baseContext, try model(headTemplate, head.bytes.count, head.name))
    }
}

/// A template and the values it is resolved with.
struct TemplateOptions {
    static let templateArgument = Positional("template", help: "The CloudFormation template (YAML or JSON).")
    static let options = ResolutionOptions.options

    var template: String
    var resolution: ResolutionOptions

    init(_ arguments: ParsedArguments) throws(UsageError) {
        template = arguments.required(Self.templateArgument)
        resolution = try ResolutionOptions(arguments)
    }

    /// Reads, parses, resolves and models the template.
    func load() throws(CommandFailure) -> (LintContext, [UInt8]) {
        let bytes = try FileIO.read(template)
        return (try resolution.load(bytes, name: template, options: try resolution.resolveOptions()), bytes)
    }
}
