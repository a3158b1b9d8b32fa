/// YAML tags: short-form intrinsics become their long form; YAML's own `!!` tags type a value; any other tag is an error.
enum Tags {
    /// Every short-form intrinsic CloudFormation accepts, and the key of its long form.
    static let intrinsics: [String: String] = [
        "!Ref": "Ref", "!Condition": "Condition",
        "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!Join": "Fn::Join", "!Select": "Fn::Select",
        "!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!And": "Fn::And", "!Or": "Fn::Or",
        "!Not": "Fn::Not", "!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr",
        "!ImportValue": "Fn::ImportValue", "!GetAZs": "Fn::GetAZs", "!Transform": "Fn::Transform",
        "!ToJsonString": "Fn::ToJsonString", "!Length": "Fn::Length",
    ]

    /// Intrinsics whose scalar argument is a name or text, never a number or bool.
    private static let textArguments: Set<String> = [
        "!Ref", "!Condition", "!Sub", "!ImportValue", "!GetAZs", "!Base64",
    ]

    static func apply(_ tag: String?, to node: Node, plainScalar: Bool) throws(ParseError) -> Node {
        guard let tag, tag != "!" else { return node }
        if let key = intrinsics[tag] {
            let argument = try argument(of: tag, node)
            return Node(.mapping([Node.Entry(key: key, keyRange: node.range, value: argument)]), range: node.range)
        }
        if tag.hasPrefix("tag:yaml.org,2002:") {
            return try coreTag(String(tag.dropFirst("tag:yaml.org,2002:".count)), node)
        }
        var message = "unknown tag '\(tag)'"
        if let suggestion = Suggestions.closest(to: tag, in: intrinsics.keys) {
            message += "; did you mean '\(suggestion)'?"
        }
        throw ParseError(message, at: node.range.start)
    }

    private static func argument(of tag: String, _ node: Node) throws(ParseError) -> Node {
        guard let text = node.scalarText else { return node }
        if tag == "!GetAtt" {
            // `!GetAtt Table.StreamArn` is `[Table, StreamArn]`; only the first dot separates.
            guard let dot = text.firstIndex(of: ".") else {
                throw ParseError("!GetAtt needs 'LogicalId.Attribute', found '\(text)'", at: node.range.start)
            }
            let parts = [String(text[..<dot]), String(text[text.index(after: dot)...])]
            return Node(.sequence(parts.map { Node(.string($0), range: node.range) }), range: node.range)
        }
        return textArguments.contains(tag) ? Node(.string(text), range: node.range) : node
    }

    private static func coreTag(_ name: String, _ node: Node) throws(ParseError) -> Node {
        switch (name, node.kind) {
        case ("str", _):
            guard let text = node.scalarText ?? (node.kind.isNull ? "" : nil) else { break }
            return Node(.string(text), range: node.range)
        case ("int", .string(let text)), ("float", .string(let text)):
            guard Scalars.isNumber(text) else { break }
            return Node(.number(text), range: node.range)
        case ("bool", .string(let text)):
            guard case .bool(let value) = Scalars.plainKind(text) else { break }
            return Node(.bool(value), range: node.range)
        case ("null", _):
            return Node(.null, range: node.range)
        case ("map", .mapping), ("seq", .sequence), ("int", .number), ("float", .number), ("bool", .bool):
            return node
        default:
            break
        }
        throw ParseError("tag '!!\(name)' does not fit \(node.kindDescription)", at: node.range.start)
    }
}
