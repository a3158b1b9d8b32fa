extension Resolver {
    /// Each parameter's effective value (given, else its default) as a typed node; given values are validated.
    static func effectiveValues(_ template: Template, given: [String: String],
                                diagnostics: inout [Diagnostic]) throws(ParseError) -> [String: Node] {
        let declared = Dictionary(template.parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in given.keys.sorted() where declared[name] == nil {
            var message = "parameter '\(name)' is given a value but the template does not declare it"
            if let guess = Suggestions.closest(to: name, in: declared.keys) { message += "; did you mean '\(guess)'?" }
            throw ParseError(message, at: template.root.range.start)
        }
        var values: [String: Node] = [:]
        for parameter in template.parameters {
            if let value = given[parameter.name] {
                if let problem = parameter.violation(of: value) {
                    throw ParseError("parameter '\(parameter.name)': \(problem)", at: parameter.range.start)
                }
                if !parameter.isResolvedAtDeploy { values[parameter.name] = typedValue(value, of: parameter) }
            } else if let defaultNode = parameter.defaultValue, let text = defaultText(defaultNode) {
                if let problem = parameter.violation(of: text) {
                    diagnostics.append(Diagnostic(DiagnosticID.templateStructure, "default of parameter '\(parameter.name)': \(problem)",
                                                  at: defaultNode.range))
                }
                if !parameter.isResolvedAtDeploy { values[parameter.name] = typedValue(text, of: parameter) }
            }
        }
        return values
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
        let items = text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
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
