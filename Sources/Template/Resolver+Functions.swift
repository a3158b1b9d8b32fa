extension Resolver {
    static let knownFunctions: Set<String> = [
        "Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::Equals", "Fn::And",
        "Fn::Or", "Fn::Not", "Fn::FindInMap", "Fn::Base64", "Fn::Cidr", "Fn::ImportValue", "Fn::GetAZs",
        "Fn::Transform", "Fn::ToJsonString", "Fn::Length",
    ]

    /// One intrinsic function: its value when it can be known offline, else the function with resolved arguments.
    mutating func resolveIntrinsic(_ name: String, _ argument: Node, _ node: Node) -> Node? {
        switch name {
        case "Ref":
            guard let target = argument.string else { return invalid(name, "takes a name", node) }
            if target == "AWS::NoValue" { return nil }
            return reference(target, at: node.range) ?? node
        case "Fn::If":
            return resolveIf(argument, node)
        case "Fn::GetAtt":
            checkGetAtt(argument, node)
            return node
        case "Fn::Sub":
            return resolveSub(argument, node)
        default:
            break
        }
        guard Self.knownFunctions.contains(name) else {
            var message = "unknown intrinsic function '\(name)'"
            if let guess = Suggestions.closest(to: name, in: Self.knownFunctions) {
                message += "; did you mean '\(guess)'?"
            }
            report(DiagnosticID.intrinsicFunction, message, at: node.range)
            return node
        }
        let resolvedArgument = resolve(argument) ?? Node(.null, range: argument.range)
        let unresolved = Node(
            .mapping([Node.Entry(key: name, keyRange: node.range, value: resolvedArgument)]), range: node.range)
        return evaluate(name, resolvedArgument, at: node.range) ?? unresolved
    }

    /// Functions of already-resolved arguments; nil when an argument is still unknown.
    private mutating func evaluate(_ name: String, _ argument: Node, at range: SourceRange) -> Node? {
        let items = argument.items ?? []
        switch name {
        case "Fn::Join":
            guard items.count == 2, let delimiter = items[0].scalarText, let list = items[1].items else { return nil }
            let parts = list.compactMap(\.scalarText)
            return parts.count == list.count ? Node(.string(parts.joined(separator: delimiter)), range: range) : nil
        case "Fn::Select":
            guard items.count == 2, let indexText = items[0].scalarText, let list = items[1].items else { return nil }
            guard let index = Int(indexText), list.indices.contains(index) else {
                report(
                    DiagnosticID.intrinsicFunction,
                    "'Fn::Select' index \(indexText) is outside a list of \(list.count)", at: range)
                return nil
            }
            return Node(list[index].kind, range: range)
        case "Fn::Split":
            guard items.count == 2, let delimiter = items[0].scalarText, !delimiter.isEmpty,
                let text = items[1].scalarText
            else { return nil }
            let parts = text.split(separator: delimiter, omittingEmptySubsequences: false).map {
                Node(.string(String($0)), range: range)
            }
            return Node(.sequence(parts), range: range)
        case "Fn::FindInMap":
            return findInMap(items, at: range)
        case "Fn::Base64":
            return argument.scalarText.map { Node(.string(Base64.encode(Array($0.utf8))), range: range) }
        case "Fn::Length":
            return argument.items.map { Node(.number(String($0.count)), range: range) }
        case "Fn::ToJsonString":
            return argument.isFullyResolved ? Node(.string(JSONWriter.compact(argument)), range: range) : nil
        default:
            return nil  // GetAZs, Cidr, ImportValue, Transform: known only at deploy time.
        }
    }

    private mutating func resolveIf(_ argument: Node, _ node: Node) -> Node? {
        guard let items = argument.items, items.count == 3, let name = items[0].string else {
            return invalid("Fn::If", "takes [ConditionName, ValueIfTrue, ValueIfFalse]", node)
        }
        switch condition(name, at: items[0].range) {
        case true?: return resolve(items[1])
        case false?: return resolve(items[2])
        case nil:
            let noValue = Node(
                .mapping([Node.Entry(key: "Ref", keyRange: node.range, value: Node(.string("AWS::NoValue")))]))
            let branches = [items[0], resolve(items[1]) ?? noValue, resolve(items[2]) ?? noValue]
            return Node(
                .mapping([
                    Node.Entry(
                        key: "Fn::If", keyRange: node.range, value: Node(.sequence(branches), range: argument.range))
                ]),
                range: node.range)
        }
    }

    private mutating func checkGetAtt(_ argument: Node, _ node: Node) {
        let target = argument.items?.first?.string ?? argument.string?.split(separator: ".").first.map(String.init)
        guard let target else {
            _ = invalid("Fn::GetAtt", "takes [LogicalId, Attribute]", node)
            return
        }
        guard !isResource(target) else { return }
        var message = "'Fn::GetAtt' of '\(target)', which is not a resource of this template"
        if let guess = Suggestions.closest(to: target, in: resourceNames) { message += "; did you mean '\(guess)'?" }
        report(DiagnosticID.unknownReference, message, at: node.range)
    }

    private mutating func findInMap(_ items: [Node], at range: SourceRange) -> Node? {
        guard items.count >= 3 else {
            report(
                DiagnosticID.intrinsicFunction, "'Fn::FindInMap' takes [MapName, TopLevelKey, SecondLevelKey]",
                at: range)
            return nil
        }
        let keys = items.prefix(3).compactMap(\.scalarText)
        guard keys.count == 3 else { return nil }
        guard let map = template.mappings?[keys[0]] else {
            report(DiagnosticID.unknownReference, "mapping '\(keys[0])' is not defined in 'Mappings'", at: range)
            return nil
        }
        guard let value = map[keys[1]]?[keys[2]] else {
            // The language extension's DefaultValue stands in for a missing key.
            if items.count == 4, let fallback = items[3]["DefaultValue"] { return Node(fallback.kind, range: range) }
            report(
                DiagnosticID.unknownReference, "mapping '\(keys[0])' has no value at '\(keys[1])' / '\(keys[2])'",
                at: range)
            return nil
        }
        return Node(value.kind, range: range)
    }

    mutating func invalid(_ function: String, _ expectation: String, _ node: Node) -> Node {
        report(DiagnosticID.intrinsicFunction, "'\(function)' \(expectation)", at: node.range)
        return node
    }
}

extension Node {
    /// No intrinsic anywhere inside.
    public var isFullyResolved: Bool { !containsIntrinsic }
}
