extension Resolver {
    /// The value of the named condition: nil when it depends on something unknown offline.
    mutating func condition(_ name: String, at range: SourceRange) -> Bool? {
        if conditionsUnknown, conditionDefinition(name) != nil { return nil }
        if let cached = conditionCache[name] { return cached }
        guard let definition = conditionDefinition(name) else {
            var message = "condition '\(name)' is not defined in 'Conditions'"
            if let guess = Suggestions.closest(to: name, in: template.conditions.map(\.key)) {
                message += "; did you mean '\(guess)'?"
            }
            report(DiagnosticID.unknownReference, message, at: range)
            return nil
        }
        guard conditionsInProgress.insert(name).inserted else {
            report(DiagnosticID.unknownReference, "condition '\(name)' depends on itself", at: range)
            return nil
        }
        let value = evaluate(definition)
        conditionsInProgress.remove(name)
        conditionCache[name] = .some(value)
        return value
    }

    /// Three-valued evaluation of a condition expression: true, false, or nil for unknown.
    mutating func evaluate(_ node: Node) -> Bool? {
        if case .bool(let value) = node.kind { return value }
        if let name = node["Condition"]?.string, node.entries?.count == 1 { return condition(name, at: node.range) }
        guard let (function, argument) = node.intrinsic else {
            report(
                DiagnosticID.intrinsicFunction,
                "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition, found \(node.kindDescription)",
                at: node.range)
            return nil
        }
        let operands = argument.items ?? []
        switch function {
        case "Fn::Equals":
            guard operands.count == 2 else { return malformed(function, "two values", argument) }
            guard let left = resolve(operands[0])?.scalarText, let right = resolve(operands[1])?.scalarText else {
                return nil
            }
            return left == right
        case "Fn::Not":
            guard operands.count == 1 else { return malformed(function, "one condition", argument) }
            return evaluate(operands[0]).map { !$0 }
        case "Fn::And", "Fn::Or":
            guard (2...10).contains(operands.count) else { return malformed(function, "2 to 10 conditions", argument) }
            let values = operands.map { evaluate($0) }
            let decisive = function == "Fn::Or"
            if values.contains(decisive) { return decisive }
            return values.contains(nil) ? nil : !decisive
        default:
            report(DiagnosticID.intrinsicFunction, "'\(function)' cannot be used as a condition", at: node.range)
            return nil
        }
    }

    private mutating func malformed(_ function: String, _ expected: String, _ argument: Node) -> Bool? {
        report(DiagnosticID.intrinsicFunction, "'\(function)' takes a list of \(expected)", at: argument.range)
        return nil
    }
}
