extension Resolver {
    /// `Fn::Sub`: `${Name}` from the variable map, parameters and pseudo-parameters; `${Res.Attr}` and resources
    /// stay unknown; `${!Literal}` is the literal `${Literal}`.
    mutating func resolveSub(_ argument: Node, _ node: Node) -> Node? {
        let text: String
        var variables: [String: Node] = [:]
        var resolvedArgument = argument
        if let string = argument.string {
            text = string
        } else if let items = argument.items, items.count == 2, let string = items[0].string, let map = items[1].entries
        {
            text = string
            var resolvedEntries: [Node.Entry] = []
            for entry in map {
                guard let value = resolve(entry.value) else { continue }
                variables[entry.key] = value
                resolvedEntries.append(Node.Entry(key: entry.key, keyRange: entry.keyRange, value: value))
            }
            resolvedArgument = Node(
                .sequence([items[0], Node(.mapping(resolvedEntries), range: items[1].range)]), range: argument.range)
        } else {
            return invalid("Fn::Sub", "takes a string or [String, {Variable: Value}]", node)
        }
        guard let pieces = SubTemplate.parse(text) else {
            return invalid("Fn::Sub", "has an unterminated '${' in '\(text)'", node)
        }
        var output = ""
        var known = true
        for piece in pieces {
            switch piece {
            case .literal(let literal):
                output += literal
            case .variable(let name):
                if let value = variables[name] ?? subVariable(name, at: node.range), let scalar = value.scalarText {
                    output += scalar
                } else {
                    known = false
                }
            }
        }
        guard known else {
            return Node(
                .mapping([Node.Entry(key: "Fn::Sub", keyRange: node.range, value: resolvedArgument)]), range: node.range
            )
        }
        return Node(.string(output), range: node.range)
    }

    private mutating func subVariable(_ name: String, at range: SourceRange) -> Node? {
        if let dot = name.firstIndex(of: "."), !name.hasPrefix("AWS::") {
            let target = String(name[..<dot])
            if !isResource(target) {
                report(
                    DiagnosticID.unknownReference,
                    "'Fn::Sub' variable '${\(name)}' names '\(target)', which is not a resource of this template",
                    at: range)
            }
            return nil
        }
        return reference(name, at: range)
    }
}

/// The pieces of an `Fn::Sub` string.
enum SubTemplate {
    enum Piece: Equatable {
        case literal(String)
        case variable(String)
    }

    /// nil when a `${` is never closed.
    static func parse(_ text: String) -> [Piece]? {
        var pieces: [Piece] = []
        var literal = ""
        var rest = text[...]
        while let open = opening(in: rest) {
            literal += rest[..<open]
            let afterOpen = rest[rest.utf8.index(open, offsetBy: 2)...]
            guard let close = afterOpen.firstIndex(of: "}") else { return nil }
            let name = afterOpen[..<close]
            if name.hasPrefix("!") {
                literal += "${" + name.dropFirst() + "}"
            } else {
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.variable(name.trimmingSpacesSubstring))
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    /// Where the first `${` starts, found byte by byte: the generic `firstRange(of:)` cost more than the rest of
    /// resolving a `!Sub`.
    private static func opening(in text: Substring) -> Substring.Index? {
        let utf8 = text.utf8
        var from = utf8.startIndex
        while let dollar = utf8[from...].firstIndex(of: UInt8(ascii: "$")) {
            let next = utf8.index(after: dollar)
            if next < utf8.endIndex, utf8[next] == UInt8(ascii: "{") { return dollar }
            from = next
        }
        return nil
    }
}

extension Substring {
    var trimmingSpacesSubstring: String { String(self).trimmingSpaces }
}
