/// YAML tags: short-form intrinsics become their long form; YAML's own `!!` tags type a value; any other tag is an error.
enum Tags {
    /// A short-form intrinsic: its tag, the key of its long form, and whether its scalar argument is a name or text,
    /// never a number or bool.
    struct Intrinsic {
        var tag: String
        var key: String
        var takesText = false
    }

    /// Every short-form intrinsic CloudFormation accepts. A list, not a dictionary: every tag is a small string,
    /// compared in a couple of instructions, where a dictionary would hash each tag of a template first.
    static let intrinsics: [Intrinsic] = [
        Intrinsic(tag: "!Ref", key: "Ref", takesText: true), Intrinsic(tag: "!Sub", key: "Fn::Sub", takesText: true),
        Intrinsic(tag: "!GetAtt", key: "Fn::GetAtt"), Intrinsic(tag: "!If", key: "Fn::If"),
        Intrinsic(tag: "!Condition", key: "Condition", takesText: true), Intrinsic(tag: "!Join", key: "Fn::Join"),
        Intrinsic(tag: "!Select", key: "Fn::Select"), Intrinsic(tag: "!Split", key: "Fn::Split"),
        Intrinsic(tag: "!Equals", key: "Fn::Equals"), Intrinsic(tag: "!And", key: "Fn::And"),
        Intrinsic(tag: "!Or", key: "Fn::Or"), Intrinsic(tag: "!Not", key: "Fn::Not"),
        Intrinsic(tag: "!FindInMap", key: "Fn::FindInMap"),
        Intrinsic(tag: "!Base64", key: "Fn::Base64", takesText: true),
        Intrinsic(tag: "!Cidr", key: "Fn::Cidr"),
        Intrinsic(tag: "!ImportValue", key: "Fn::ImportValue", takesText: true),
        Intrinsic(tag: "!GetAZs", key: "Fn::GetAZs", takesText: true),
        Intrinsic(tag: "!Transform", key: "Fn::Transform"),
        Intrinsic(tag: "!ToJsonString", key: "Fn::ToJsonString"), Intrinsic(tag: "!Length", key: "Fn::Length"),
    ]

    static func apply(_ tag: String?, to node: Node, plainScalar: Bool) throws(ParseError) -> Node {
        guard let tag, tag != "!" else { return node }
        if let intrinsic = intrinsics.first(where: { $0.tag == tag }) {
            let argument = try argument(of: intrinsic, node)
            return Node(
                .mapping([Node.Entry(key: intrinsic.key, keyRange: node.range, value: argument)]), range: node.range)
        }
        if tag.hasPrefix("tag:yaml.org,2002:") {
            return try coreTag(String(tag.dropFirst("tag:yaml.org,2002:".count)), node)
        }
        var message = "unknown tag '\(tag)'"
        if let suggestion = Suggestions.closest(to: tag, in: intrinsics.map(\.tag)) {
            message += "; did you mean '\(suggestion)'?"
        }
        throw ParseError(message, at: node.range.start)
    }

    private static func argument(of intrinsic: Intrinsic, _ node: Node) throws(ParseError) -> Node {
        guard let text = node.scalarText else { return node }
        if intrinsic.tag == "!GetAtt" {
            // `!GetAtt Table.StreamArn` is `[Table, StreamArn]`; only the first dot separates.
            guard let dot = text.firstIndex(of: ".") else {
                throw ParseError("!GetAtt needs 'LogicalId.Attribute', found '\(text)'", at: node.range.start)
            }
            let parts = [String(text[..<dot]), String(text[text.index(after: dot)...])]
            return Node(.sequence(parts.map { Node(.string($0), range: node.range) }), range: node.range)
        }
        return intrinsic.takesText ? Node(.string(text), range: node.range) : node
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
