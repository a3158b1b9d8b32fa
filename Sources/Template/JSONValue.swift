/// JSON with ordered object members, so reports read in a stable, meaningful order.
public indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    /// Number text exactly as written to the output; must be a valid JSON number.
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    public static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}

extension JSONValue {
    /// A template value as JSON: numbers normalized to JSON syntax, intrinsics kept as their long-form objects.
    public init(_ node: Node) {
        switch node.kind {
        case .string(let text): self = .string(text)
        case .number(let text): self = JSONValue.number(fromYAML: text)
        case .bool(let value): self = .bool(value)
        case .null: self = .null
        case .sequence(let items): self = .array(items.map(JSONValue.init))
        case .mapping(let entries): self = .object(entries.map { Member($0.key, JSONValue($0.value)) })
        }
    }

    /// YAML number text (`0x1F`, `+5`, `.inf`) as a JSON number, or a string where JSON has no such number.
    static func number(fromYAML text: String) -> JSONValue {
        if text.hasPrefix("0x"), let value = Int(text.dropFirst(2), radix: 16) { return .int(value) }
        if text.hasPrefix("0o"), let value = Int(text.dropFirst(2), radix: 8) { return .int(value) }
        guard let value = Double(text), value.isFinite else { return .string(text) }
        if let integer = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) { return .int(integer) }
        var normalized = text.hasPrefix("+") ? String(text.dropFirst()) : text
        if normalized.hasPrefix(".") { normalized = "0" + normalized }
        if normalized.hasPrefix("-.") { normalized = "-0" + normalized.dropFirst() }
        if normalized.contains(".") && !normalized.contains(where: { $0 == "e" || $0 == "E" })
            && normalized.hasSuffix(".")
        {
            normalized += "0"
        }
        return .number(normalized)
    }
}

/// Serializes `JSONValue`s; the pretty form indents by two spaces, like the AWS CLI.
public enum JSONWriter {
    public static func compact(_ node: Node) -> String { write(JSONValue(node), pretty: false) }

    public static func write(_ value: JSONValue, pretty: Bool = true) -> String {
        var output = ""
        append(value, to: &output, indent: pretty ? 0 : nil)
        return output
    }

    private static func append(_ value: JSONValue, to output: inout String, indent: Int?) {
        switch value {
        case .string(let text): appendString(text, to: &output)
        case .number(let text): output += text
        case .bool(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .array(let items):
            appendContainer(open: "[", close: "]", count: items.count, to: &output, indent: indent) {
                index, output, inner in
                append(items[index], to: &output, indent: inner)
            }
        case .object(let members):
            appendContainer(open: "{", close: "}", count: members.count, to: &output, indent: indent) {
                index, output, inner in
                appendString(members[index].key, to: &output)
                output += indent == nil ? ":" : ": "
                append(members[index].value, to: &output, indent: inner)
            }
        }
    }

    private static func appendContainer(
        open: String, close: String, count: Int, to output: inout String, indent: Int?,
        element: (Int, inout String, Int?) -> Void
    ) {
        output += open
        guard count > 0 else {
            output += close
            return
        }
        let inner = indent.map { $0 + 2 }
        for index in 0..<count {
            if index > 0 { output += "," }
            if let inner { output += "\n" + String(repeating: " ", count: inner) }
            element(index, &output, inner)
        }
        if let indent { output += "\n" + String(repeating: " ", count: indent) }
        output += close
    }

    /// `text` as it appears between the quotes of a JSON string.
    public static func escaped(_ text: String) -> String {
        var output = ""
        appendString(text, to: &output)
        return String(output.dropFirst().dropLast())
    }

    /// `text` as a JSON string. The bytes between escapes are appended a run at a time (as UTF-8: a run may start
    /// inside a character, after an escaped byte a combining mark follows), the whole text when nothing needs one.
    static func appendString(_ text: String, to output: inout String) {
        output += "\""
        let utf8 = text.utf8
        var run = utf8.startIndex
        var index = run
        while index != utf8.endIndex {
            if let escape = escape(utf8[index]) {
                output += String(decoding: utf8[run..<index], as: UTF8.self)
                output += escape
                run = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        output += run == utf8.startIndex ? text : String(decoding: utf8[run...], as: UTF8.self)
        output += "\""
    }

    /// How JSON writes a byte that cannot stand for itself in a string; nil for any other byte.
    private static func escape(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "\""): "\\\""
        case UInt8(ascii: "\\"): "\\\\"
        case 0x0A: "\\n"
        case 0x0D: "\\r"
        case 0x09: "\\t"
        case 0x08: "\\b"
        case 0x0C: "\\f"
        case ..<0x20:
            "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
        default: nil
        }
    }
}
