import CYAML

/// A template that cannot be read at all: the caller reports it with its location and exits 2.
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): \(message)" }
}

/// YAML and JSON templates to `Node` trees, through libyaml's event API.
///
/// Scalar typing (documented choice): CloudFormation reads YAML with the 1.2 core schema, so a plain
/// scalar is `null` (`~`, `null`, empty), a bool (`true`/`false` in any of the three casings), a number
/// (decimal, `0x`, `0o`, floats, `.inf`, `.nan`) or otherwise a string — `2010-09-09`, `yes`, `on` stay
/// strings, and anything quoted or in a block scalar is a string. Short-form intrinsic tags are rewritten
/// to their long form here, so nothing downstream sees two spellings.
public enum YAMLParser {
    /// Refused before parsing: CloudFormation's own ceiling is 1 MB (TemplateURL); sixteen times that is no template.
    public static let maximumInputBytes = 16 * 1024 * 1024
    /// Deeper than any template needs, shallow enough that nothing recurses dangerously later.
    public static let maximumDepth = 100

    public static func parse(_ text: String) throws(ParseError) -> Node {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> Node {
        guard bytes.count <= maximumInputBytes else {
            throw ParseError(
                "file is \(bytes.count) bytes, far beyond any template (CloudFormation's limit is 1 MB); refusing to parse it",
                at: SourceLocation(line: 1, column: 1))
        }
        try UTF8Check.validate(bytes)
        if isBlank(bytes) {
            throw ParseError(
                "file is empty: a template needs at least a 'Resources' section", at: SourceLocation(line: 1, column: 1)
            )
        }
        var builder = TreeBuilder(bytes: bytes)
        return try builder.run()
    }

    /// Only whitespace and comments.
    static func isBlank(_ bytes: [UInt8]) -> Bool {
        var inComment = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"): inComment = false
            case UInt8(ascii: "#"): inComment = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): continue
            case 0xEF, 0xBB, 0xBF: continue  // a byte-order mark
            default: if !inComment { return false }
            }
        }
        return true
    }
}

/// Builds the tree from the event stream with an explicit stack, so depth never recurses.
struct TreeBuilder {
    private struct Frame {
        var isMapping: Bool
        var tag: String?
        var start: SourceLocation
        var items: [Node] = []
        var entries: [Node.Entry] = []
        var pendingKey: (String, SourceRange)?
        var keySet: Set<String>?
    }

    let bytes: [UInt8]
    private var stack: [Frame] = []
    private var root: Node?
    private var documents = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func run() throws(ParseError) -> Node {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ParseError("libyaml could not be initialized", at: SourceLocation(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(ParseError) -> Node in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { throw syntaxError(parser) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try handle(&event)
            }
            guard let root else {
                throw ParseError(
                    "file is empty: a template needs at least a 'Resources' section",
                    at: SourceLocation(line: 1, column: 1))
            }
            return root
        }
    }

    private mutating func handle(_ event: inout yaml_event_t) throws(ParseError) {
        let start = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw ParseError("several YAML documents in one file: a template is exactly one document", at: start)
            }
        case YAML_ALIAS_EVENT:
            let name = text(event.data.alias.anchor)
            throw ParseError(
                "YAML alias '*\(name)': CloudFormation does not accept anchors and aliases; write the value out",
                at: start)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            try refuseAnchor(scalar.anchor, at: start)
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let tag = scalar.tag.map { String(cString: $0) }
            let range = SourceRange(start: start, end: location(event.end_mark))
            let node = try scalarNode(value, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, tag: tag, range: range)
            try add(node)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            let rawTag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            try refuseAnchor(anchor, at: start)
            if let top = stack.last, top.isMapping, top.pendingKey == nil {
                throw ParseError(
                    "a mapping key must be a plain value, not a \(isMapping ? "mapping" : "list")", at: start)
            }
            if stack.count >= YAMLParser.maximumDepth {
                throw ParseError(
                    "nesting deeper than \(YAMLParser.maximumDepth) levels; no template needs that", at: start)
            }
            stack.append(Frame(isMapping: isMapping, tag: rawTag.map { String(cString: $0) }, start: start))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let range = SourceRange(start: frame.start, end: location(event.end_mark))
            let node = Node(frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items), range: range)
            try add(try Tags.apply(frame.tag, to: node, plainScalar: false))
        default:
            break
        }
    }

    private mutating func add(_ node: Node) throws(ParseError) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        guard let (key, keyRange) = stack[top].pendingKey else {
            guard let key = node.scalarText ?? (node.kind.isNull ? "" : nil) else {
                throw ParseError("a mapping key must be a plain value", at: node.range.start)
            }
            try checkDuplicate(key, range: node.range, frame: top)
            stack[top].pendingKey = (key, node.range)
            return
        }
        stack[top].entries.append(Node.Entry(key: key, keyRange: keyRange, value: node))
        stack[top].pendingKey = nil
    }

    /// Duplicate keys are an error at the duplicate (CloudFormation would silently keep one of them).
    private mutating func checkDuplicate(_ key: String, range: SourceRange, frame: Int) throws(ParseError) {
        let entries = stack[frame].entries
        let duplicate = stack[frame].keySet?.contains(key) ?? entries.contains { $0.key == key }
        if duplicate {
            let first = entries.first { $0.key == key }!.keyRange.start
            throw ParseError("duplicate key '\(key)' (first defined at line \(first.line))", at: range.start)
        }
        // Linear search is cheapest for the small mappings that dominate a template; large ones get a set.
        if stack[frame].keySet == nil, entries.count >= 16 { stack[frame].keySet = Set(entries.map(\.key)) }
        stack[frame].keySet?.insert(key)
    }

    private func scalarNode(_ value: String, plain: Bool, tag: String?, range: SourceRange) throws(ParseError) -> Node {
        let kind: Node.Kind = plain && tag == nil ? Scalars.plainKind(value) : .string(value)
        return try Tags.apply(tag, to: Node(kind, range: range), plainScalar: plain)
    }

    private func refuseAnchor(_ anchor: UnsafeMutablePointer<yaml_char_t>?, at start: SourceLocation) throws(ParseError)
    {
        guard let anchor else { return }
        throw ParseError(
            "YAML anchor '&\(text(anchor))': CloudFormation does not accept anchors and aliases; write the value out",
            at: start)
    }

    private func syntaxError(_ parser: yaml_parser_t) -> ParseError {
        let mark = parser.problem_mark
        let at = location(mark)
        if lineIndentsWithTab(at.line) {
            return ParseError(
                "tab character used for indentation: YAML indents with spaces only",
                at: SourceLocation(line: at.line, column: 1))
        }
        var message = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        if let context = parser.context {
            message = "\(message) \(String(cString: context)) (line \(parser.context_mark.line + 1))"
        }
        return ParseError("YAML syntax error: \(message)", at: at)
    }

    private func lineIndentsWithTab(_ line: Int) -> Bool {
        var current = 1
        var index = 0
        while index < bytes.count, current < line {
            if bytes[index] == UInt8(ascii: "\n") { current += 1 }
            index += 1
        }
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            if bytes[index] == UInt8(ascii: "\t") { return true }
            index += 1
        }
        return false
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}

extension Node.Kind {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
