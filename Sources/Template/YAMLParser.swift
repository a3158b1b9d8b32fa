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
        if let root = ResourceSplit.parse(bytes) { return root }
        return try TreeBuilder.build(bytes, threaded: bytes.count >= Parallelism.minimumBytes)
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

/// One node event as the tree builder reads it; its text stays where its owner (libyaml, or a batch) keeps it, and
/// is valid only while the event is handled.
struct Event {
    enum Kind: UInt8, Sendable {
        case scalar, plainScalar, mappingStart, sequenceStart, end
    }

    var kind: Kind
    var start: SourceLocation
    var end: SourceLocation
    /// A scalar's text; empty for collections.
    var value: UnsafeBufferPointer<UInt8>
    var tag: UnsafeBufferPointer<UInt8>?
}

/// libyaml's events copied out of libyaml on the pipeline's producer thread: records, and the text of their scalars
/// and tags side by side, so a batch carries no pointer into libyaml's memory and costs the scanner little more than
/// a copy. Turning the text into typed nodes is the consumer's work, which keeps the two threads about even.
struct EventBatch: Sendable {
    /// Records handed over at a time: large enough that the lock is rare, small enough that the consumer starts early.
    static let capacity = 512

    struct Record: Sendable {
        var kind: Event.Kind
        var start: SourceLocation
        var end: SourceLocation
        /// The scalar's text in `text`; empty for collections.
        var value: Range<Int>
        var tag: Range<Int>?
    }

    var records: [Record] = []
    var text: [UInt8] = []
    /// Why the input cannot be read from here on; only the last batch has one.
    var failure: ParseError?

    init() {
        records.reserveCapacity(Self.capacity)
    }

    var isFull: Bool { records.count == Self.capacity }

    mutating func append(_ event: Event) {
        let value = append(event.value)
        let tag = event.tag.map { append($0) }
        records.append(Record(kind: event.kind, start: event.start, end: event.end, value: value, tag: tag))
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = text.count
        text.append(contentsOf: bytes)
        return start..<text.count
    }

    /// Calls `body` with each event, its text where this batch keeps it.
    func visit<Failure: Error>(_ body: (Event) throws(Failure) -> Void) throws(Failure) {
        try text.withUnsafeBufferPointer { (text) throws(Failure) in
            for record in records {
                let value = UnsafeBufferPointer(rebasing: text[record.value])
                let tag = record.tag.map { UnsafeBufferPointer(rebasing: text[$0]) }
                try body(Event(kind: record.kind, start: record.start, end: record.end, value: value, tag: tag))
            }
        }
    }
}

/// Reads the events of the input and hands each node event over, refusing what no template may contain (anchors,
/// aliases, several documents); the first error ends the reading.
struct EventReader {
    let bytes: [UInt8]
    /// The part of `bytes` read (all of it but for a piece of `ResourceSplit`), and the line it starts on, from 0.
    let range: Range<Int>
    let firstLine: Int
    private var documents = 0

    init(bytes: [UInt8], range: Range<Int>? = nil, firstLine: Int = 0) {
        self.bytes = bytes
        self.range = range ?? bytes.indices
        self.firstLine = firstLine
    }

    /// How the reading ended: why the input cannot be read from there on, or where libyaml ended the stream (which
    /// ends the root mapping too).
    struct Ending {
        var failure: ParseError?
        var streamEnd: SourceLocation?
    }

    /// Hands each node event to `visit`, which returns false to stop the reading; an error `visit` throws ends it too.
    mutating func run(_ visit: (Event) throws(ParseError) -> Bool) -> Ending {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return Ending(
                failure: ParseError("libyaml could not be initialized", at: SourceLocation(line: 1, column: 1)))
        }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { whole in
            let buffer = UnsafeBufferPointer(rebasing: whole[range])
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return Ending(failure: syntaxError(parser)) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return Ending(streamEnd: location(event.start_mark)) }
                do throws(ParseError) {
                    guard let node = try check(event) else { continue }
                    guard try visit(node) else { return Ending() }
                } catch {
                    return Ending(failure: error)
                }
            }
        }
    }

    /// The event as the tree builder reads it; nil for the events that make no node (stream and document starts and
    /// ends). Throws for what no template may contain.
    private mutating func check(_ event: yaml_event_t) throws(ParseError) -> Event? {
        let start = location(event.start_mark)
        let end = location(event.end_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw ParseError("several YAML documents in one file: a template is exactly one document", at: start)
            }
            return nil
        case YAML_ALIAS_EVENT:
            let name = text(event.data.alias.anchor)
            throw ParseError(
                "YAML alias '*\(name)': CloudFormation does not accept anchors and aliases; write the value out",
                at: start)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            try refuseAnchor(scalar.anchor, at: start)
            let kind: Event.Kind = scalar.style == YAML_PLAIN_SCALAR_STYLE ? .plainScalar : .scalar
            let value = UnsafeBufferPointer(start: scalar.value, count: scalar.length)
            return Event(kind: kind, start: start, end: end, value: value, tag: bytes(scalar.tag))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            try refuseAnchor(anchor, at: start)
            let kind: Event.Kind = isMapping ? .mappingStart : .sequenceStart
            return Event(
                kind: kind, start: start, end: end, value: UnsafeBufferPointer(start: nil, count: 0), tag: bytes(tag))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            return Event(kind: .end, start: start, end: end, value: UnsafeBufferPointer(start: nil, count: 0), tag: nil)
        default:
            return nil
        }
    }

    private func bytes(_ text: UnsafeMutablePointer<yaml_char_t>?) -> UnsafeBufferPointer<UInt8>? {
        text.map { UnsafeBufferPointer(start: $0, count: strlen($0)) }
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
            message = "\(message) \(String(cString: context)) (line \(location(parser.context_mark).line))"
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
        SourceLocation(line: firstLine + Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}

/// Builds the tree from the events with an explicit stack, so depth never recurses.
struct TreeBuilder: ~Copyable {
    private struct Frame {
        var isMapping: Bool
        var tag: String?
        var start: SourceLocation
        /// Where this collection's members start in `entries` or `items`.
        var first: Int
        var pendingKey: (String, SourceRange)?
        var keySet: Set<String>?
    }

    private var stack: [Frame] = []
    /// The members of every open collection, each collection's after its parent's: a collection's are moved into an
    /// array of exactly their number when it ends, where an array per collection grew by reallocation as they came.
    private var entries = MoveStack<Node.Entry>()
    private var items = MoveStack<Node>()
    private var root: Node?

    /// The whole input's tree: the events are read on a thread of their own while this one assembles them
    /// (`threaded` false: read first, then assembled, as when no thread can be started).
    static func build(_ bytes: [UInt8], threaded: Bool = true) throws(ParseError) -> Node {
        try Pipeline.run(threaded: threaded) { (producer: Pipeline.Producer<EventBatch>) in
            var reader = EventReader(bytes: bytes)
            var batch = EventBatch()
            let ending = reader.run { event in
                batch.append(event)
                guard batch.isFull else { return true }
                defer { batch = EventBatch() }
                return producer.publish(batch)
            }
            batch.failure = ending.failure
            _ = producer.publish(batch)
        } consume: { (batches: inout Pipeline.Consumer<EventBatch>) throws(ParseError) -> Node in
            var builder = TreeBuilder()
            while let batch = batches.next() {
                try batch.visit { (event) throws(ParseError) in try builder.handle(event) }
                if let failure = batch.failure { throw failure }
            }
            guard let root = builder.root else {
                throw ParseError(
                    "file is empty: a template needs at least a 'Resources' section",
                    at: SourceLocation(line: 1, column: 1))
            }
            return root
        }
    }

    /// A part of the input read on its own: its tree (nil when it holds no document) and where its stream ended.
    struct Piece {
        var root: Node?
        var end: SourceLocation
    }

    /// `range` of `bytes`, read and assembled on the calling thread as libyaml hands the events over: no copy of
    /// them in batches.
    static func buildPiece(_ bytes: [UInt8], range: Range<Int>, firstLine: Int) throws(ParseError) -> Piece {
        var reader = EventReader(bytes: bytes, range: range, firstLine: firstLine)
        var builder = TreeBuilder()
        let ending = reader.run { (event) throws(ParseError) in
            try builder.handle(event)
            return true
        }
        if let failure = ending.failure { throw failure }
        return Piece(root: builder.root, end: ending.streamEnd ?? SourceLocation(line: firstLine + 1, column: 1))
    }

    private mutating func handle(_ event: Event) throws(ParseError) {
        let tag = event.tag.map { String(decoding: $0, as: UTF8.self) }
        switch event.kind {
        case .scalar, .plainScalar:
            let plain = event.kind == .plainScalar
            let text = { String(decoding: event.value, as: UTF8.self) }
            let kind: Node.Kind = plain && tag == nil ? Scalars.plainKind(event.value, text: text()) : .string(text())
            let node = Node(kind, range: SourceRange(start: event.start, end: event.end))
            try add(tag == nil ? node : try Tags.apply(tag, to: node, plainScalar: plain))
        case .mappingStart, .sequenceStart:
            let isMapping = event.kind == .mappingStart
            if let top = stack.last, top.isMapping, top.pendingKey == nil {
                throw ParseError(
                    "a mapping key must be a plain value, not a \(isMapping ? "mapping" : "list")", at: event.start)
            }
            if stack.count >= YAMLParser.maximumDepth {
                throw ParseError(
                    "nesting deeper than \(YAMLParser.maximumDepth) levels; no template needs that", at: event.start)
            }
            stack.append(
                Frame(
                    isMapping: isMapping, tag: tag, start: event.start, first: isMapping ? entries.count : items.count))
        case .end:
            let frame = stack.removeLast()
            let range = SourceRange(start: frame.start, end: event.end)
            let kind: Node.Kind =
                frame.isMapping
                ? .mapping(entries.popArray(from: frame.first)) : .sequence(items.popArray(from: frame.first))
            let node = Node(kind, range: range)
            try add(frame.tag == nil ? node : try Tags.apply(frame.tag, to: node, plainScalar: false))
        }
    }

    private mutating func add(_ node: consuming Node) throws(ParseError) {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        guard stack[top].isMapping else {
            items.push(node)
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
        entries.push(Node.Entry(key: key, keyRange: keyRange, value: node))
        stack[top].pendingKey = nil
    }

    /// Duplicate keys are an error at the duplicate (CloudFormation would silently keep one of them).
    private mutating func checkDuplicate(_ key: String, range: SourceRange, frame: Int) throws(ParseError) {
        if stack[frame].keySet?.contains(key) != false, let first = firstDefinition(of: key, frame: frame) {
            throw ParseError("duplicate key '\(key)' (first defined at line \(first.line))", at: range.start)
        }
        // Linear search is cheapest for the small mappings that dominate a template; large ones get a set.
        if stack[frame].keySet == nil, entries.count - stack[frame].first >= 16 {
            stack[frame].keySet = entries.withElements(from: stack[frame].first) { Set($0.map(\.key)) }
        }
        stack[frame].keySet?.insert(key)
    }

    /// Where `key` is first a key of the frame's mapping, if it is one.
    private func firstDefinition(of key: String, frame: Int) -> SourceLocation? {
        entries.withElements(from: stack[frame].first) { members in
            members.indices.first { members[$0].key == key }.map { members[$0].keyRange.start }
        }
    }
}

/// A stack whose top elements are handed over by moving them, with no copy and no reference counting: the members
/// of the collections the tree builder has open.
struct MoveStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 64
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Calls `body` with the elements from `start` to the top, where they lie.
    func withElements<Result>(from start: Int, _ body: (UnsafeBufferPointer<Element>) -> Result) -> Result {
        precondition(start >= 0 && start <= count, "start out of range")
        return body(UnsafeBufferPointer(start: base + start, count: count - start))
    }

    mutating func push(_ element: consuming Element) {
        if count == capacity {
            let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = larger
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// The elements from `start` to the top, moved into an array, and the stack cut down to `start`.
    ///
    /// `reserveCapacity` and `append`, not `Array(unsafeUninitializedCapacity:)`: the latter allocates through the
    /// standard library's unspecialized entry point, which looks up the array storage's generic metadata in the
    /// runtime's shared cache on every call — once per collection of the template, from two threads at once.
    mutating func popArray(from start: Int) -> [Element] {
        precondition(start >= 0 && start <= count, "start out of range")
        guard count > start else { return [] }
        var array = [Element]()
        array.reserveCapacity(count - start)
        for index in start..<count { array.append((base + index).move()) }
        count = start
        return array
    }
}

extension Node.Kind {
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
