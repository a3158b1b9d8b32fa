import ArgumentParser
import Lint
import Report
import Template

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

extension OutputFormat: ExpressibleByArgument {}
extension Profile: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

/// Where and how a command writes its result.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: OutputFormat = .text

    @Option(help: "Write the result to this file instead of standard output.")
    var output: String?

    @Option(help: "Color in text output: auto (a terminal, unless NO_COLOR is set), always, never.")
    var color: ColorChoice = .auto

    @Flag(help: "Print only findings, no summary when clean.")
    var quiet = false

    @Flag(help: "Explain what is being done on standard error.")
    var verbose = false

    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            return output == nil && Console.isTerminal(1) && Console.environment("NO_COLOR").map(\.isEmpty) ?? true
                && Console.environment("TERM") != "dumb"
        }
    }

    func require(_ formats: [OutputFormat], for command: String) throws {
        guard formats.contains(format) else {
            throw ValidationError(
                "'\(command)' writes \(formats.map(\.rawValue).joined(separator: " or ")), not \(format.rawValue)")
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

/// Parameter values from files and the command line.
struct ParameterOptions: ParsableArguments {
    @Option(
        name: .customLong("parameters"),
        help: "A parameter file: AWS CLI JSON, CodePipeline JSON, or KEY=VALUE lines. Repeatable.")
    var parameterFiles: [String] = []

    @Option(name: .customLong("parameter"), help: "A parameter value, KEY=VALUE; overrides the files. Repeatable.")
    var parameters: [String] = []

    func validate() throws {
        for parameter in parameters where !parameter.contains("=") || parameter.hasPrefix("=") {
            throw ValidationError("--parameter takes KEY=VALUE, found '\(parameter)'")
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
struct ResolutionOptions: ParsableArguments {
    @OptionGroup var parameters: ParameterOptions

    @Option(help: "The region, for AWS::Region, AWS::Partition and AWS::URLSuffix.")
    var region: String?

    @Option(help: "The stack name, for AWS::StackName.")
    var stack: String?

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
struct TemplateOptions: ParsableArguments {
    @Argument(help: "The CloudFormation template (YAML or JSON).")
    var template: String

    @OptionGroup var resolution: ResolutionOptions

    /// Reads, parses, resolves and models the template.
    func load() throws(CommandFailure) -> (LintContext, [UInt8]) {
        let bytes = try FileIO.read(template)
        return (try resolution.load(bytes, name: template, options: try resolution.resolveOptions()), bytes)
    }
}
