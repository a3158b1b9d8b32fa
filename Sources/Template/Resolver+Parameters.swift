extension Resolver {
    /// Each parameter's effective value (given, else its default) as a typed node; given values are validated.
    static func effectiveValues(
        _ template: Template, options: ResolveOptions,
        diagnostics: inout [Diagnostic]
    ) throws(ParseError) -> [String: Node] {
        if options.refusesUndeclared { try refuseUndeclared(Set(options.parameters.keys), in: [template]) }
        var values: [String: Node] = [:]
        for parameter in template.parameters where !options.unknownParameters.contains(parameter.name) {
            if let value = options.parameters[parameter.name] {
                if let problem = parameter.violation(of: value) {
                    throw ParseError("parameter '\(parameter.name)': \(problem)", at: parameter.range.start)
                }
                if !parameter.isResolvedAtDeploy { values[parameter.name] = typedValue(value, of: parameter) }
            } else if let defaultNode = parameter.defaultValue, let text = defaultText(defaultNode) {
                if let problem = parameter.violation(of: text) {
                    diagnostics.append(
                        Diagnostic(
                            DiagnosticID.templateStructure, "default of parameter '\(parameter.name)': \(problem)",
                            at: defaultNode.range))
                }
                if !parameter.isResolvedAtDeploy { values[parameter.name] = typedValue(text, of: parameter) }
            }
        }
        return values
    }

    /// A value given for a parameter that none of `templates` declares is an error at the first template's start:
    /// `diff` and `lint --base` apply one set of values to two versions of a template, where either may add or
    /// drop a parameter.
    public static func refuseUndeclared(_ given: Set<String>, in templates: [Template]) throws(ParseError) {
        let declared = Set(templates.flatMap { $0.parameters.map(\.name) })
        guard let name = given.subtracting(declared).sorted().first, let first = templates.first else { return }
        var message =
            "parameter '\(name)' is given a value but "
            + (templates.count > 1 ? "neither template declares it" : "the template does not declare it")
        if let guess = Suggestions.closest(to: name, in: declared.sorted()) { message += "; did you mean '\(guess)'?" }
        throw ParseError(message, at: first.root.range.start)
    }

    /// A default may be written as a YAML list for list parameters; CloudFormation joins it with commas.
    private static func defaultText(_ node: Node) -> String? {
        if let items = node.items { return items.compactMap(\.scalarText).joined(separator: ",") }
        return node.scalarText
    }

    private static func typedValue(_ text: String, of parameter: Parameter) -> Node {
        func scalar(_ item: String) -> Node {
            parameter.isNumeric && Scalars.isNumber(item) ? Node(.number(item)) : Node(.string(item))
        }
        guard parameter.isList else { return scalar(text) }
        let items =
            text.isEmpty
            ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        return Node(.sequence(items.map(scalar)))
    }

    /// Pseudo-parameters known from the options; the partition and URL suffix follow from the region.
    static func pseudoValues(_ options: ResolveOptions) -> [String: String] {
        var values: [String: String] = [:]
        if let region = options.region {
            values["AWS::Region"] = region
            let partition = region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
            values["AWS::Partition"] = partition
            values["AWS::URLSuffix"] = partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"
        }
        if let stackName = options.stackName { values["AWS::StackName"] = stackName }
        if let accountId = options.accountId { values["AWS::AccountId"] = accountId }
        return values
    }
}
