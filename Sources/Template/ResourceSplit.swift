import Glibc

/// A large block-style template read as two pieces at once, cut between two resources: libyaml reads one event
/// after another, so on one thread it alone is most of a large template's parse; cut in two, each half is read and
/// assembled on a core of its own.
///
/// The cut is made where YAML's own rules guarantee that a line starts a new key of `Resources`: a line indented
/// exactly as the first resource that starts with a letter or digit, inside a `Resources:` section written at
/// column 0 in which every line so indented is such a key. The pieces:
///   head:   the start of the file up to and including the indentation of the cut line
///   middle: from the cut line to the first line after `Resources` written at column 0 (a resource mapping of its own)
///   tail:   the rest (the sections after `Resources`), if any
/// The head and the tail are read on the calling thread, the middle on a thread of its own, each with its own line
/// numbers, and the middle's resources are appended to the head's. Anything unexpected (a piece that does not parse,
/// a key in two pieces, a document marker after `Resources`) gives up, and the caller parses the whole file as one:
/// its errors, and its tree, are always those of the whole file.
enum ResourceSplit {
    struct Cut: Equatable {
        var head: Range<Int>
        var middle: Range<Int>
        /// The line (from 0) the middle starts on.
        var middleLine: Int
        var tail: Range<Int>
        var tailLine: Int
    }

    /// The whole input's tree, parsed in pieces; nil when it cannot be cut or a piece gives up.
    static func parse(_ bytes: [UInt8], minimumBytes: Int = Parallelism.minimumBytes) -> Node? {
        guard bytes.count >= minimumBytes, let cut = cut(bytes) else { return nil }
        let middle = PieceResult()
        guard
            let thread = POSIXThread.start({
                middle.piece = try? TreeBuilder.buildPiece(bytes, range: cut.middle, firstLine: cut.middleLine)
            })
        else { return nil }
        let head = try? TreeBuilder.buildPiece(bytes, range: cut.head, firstLine: 0)
        let tail = cut.tail.isEmpty ? nil : try? TreeBuilder.buildPiece(bytes, range: cut.tail, firstLine: cut.tailLine)
        POSIXThread.join(thread)
        guard let head = head?.root, let middle = middle.piece, middle.root != nil else { return nil }
        if !cut.tail.isEmpty, tail?.root == nil { return nil }
        return merge(head: head, middle: middle, tail: tail)
    }

    /// The middle piece, written by its thread before the join that the caller reads it after.
    private final class PieceResult: @unchecked Sendable {
        var piece: TreeBuilder.Piece?
    }

    /// Where the input can be cut, near the point that gives both threads the same number of bytes.
    static func cut(_ bytes: [UInt8]) -> Cut? {
        guard breaksLinesOnlyAtLineFeeds(bytes) else { return nil }
        var lines = Lines(bytes)
        while let line = lines.next(), !line.isResourcesKey {}
        var indent: Int?
        var candidates: [(start: Int, number: Int)] = []
        var tail: (start: Int, number: Int)?
        while let line = lines.next() {
            guard let first = line.firstContent else { continue }  // blank or a comment
            if first.column == 0 {
                // After `Resources`: a document marker or directive would start another document in a piece.
                guard first.isKeyStart else { return nil }
                if tail == nil { tail = (line.start, line.number) }
                continue
            }
            guard tail == nil else { continue }
            if indent == nil { indent = first.column }
            // At the resources' indentation only keys: a list there (a resource's value written as an unindented
            // list) ends at the next key in the whole file but at the end of the head's stream in a piece.
            guard let indent, first.column >= indent else { return nil }
            if first.column == indent {
                guard first.isKeyStart else { return nil }
                candidates.append((line.start, line.number))
            }
        }
        guard let indent, candidates.count >= 2 else { return nil }
        let tailStart = tail?.start ?? bytes.count
        // The head and the tail are read on one thread, the middle on the other.
        let target = tailStart - bytes.count / 2
        let chosen = candidates.dropFirst().min { abs($0.start - target) < abs($1.start - target) }!
        return Cut(
            head: 0..<(chosen.start + indent), middle: chosen.start..<tailStart, middleLine: chosen.number,
            tail: tailStart..<bytes.count, tailLine: tail?.number ?? lines.number)
    }

    /// Whether every line break is a line feed (or CR LF). libyaml also breaks lines at a lone CR and at NEL, LS
    /// and PS (U+0085, U+2028, U+2029), which would put a piece's line numbers off from the lines counted here.
    /// https://yaml.org/spec/1.2.2/#53-line-break-characters
    static func breaksLinesOnlyAtLineFeeds(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            func everyOccurrence(of byte: UInt8, isFollowedBy allowed: (Int) -> Bool) -> Bool {
                var from = 0
                while from < buffer.count,
                    let found = memchr(buffer.baseAddress! + from, Int32(byte), buffer.count - from)
                {
                    let index = UnsafeRawPointer(found) - UnsafeRawPointer(buffer.baseAddress!)
                    guard allowed(index + 1) else { return false }
                    from = index + 1
                }
                return true
            }
            func at(_ index: Int) -> UInt8? { index < buffer.count ? buffer[index] : nil }
            // NEL is C2 85 in UTF-8; LS and PS are E2 80 A8 and E2 80 A9.
            return everyOccurrence(of: UInt8(ascii: "\r")) { at($0) == UInt8(ascii: "\n") }
                && everyOccurrence(of: 0xC2) { at($0) != 0x85 }
                && everyOccurrence(of: 0xE2) { !(at($0) == 0x80 && (at($0 + 1) == 0xA8 || at($0 + 1) == 0xA9)) }
        }
    }

    /// The head's tree with the middle's resources appended to its `Resources` (its last section) and the tail's
    /// sections after it; nil when a key is in two pieces (the whole file's parse reports the duplicate). The root
    /// mapping ends where the last piece's stream ends, as the whole file's does.
    static func merge(head: Node, middle: TreeBuilder.Piece, tail: TreeBuilder.Piece?) -> Node? {
        guard var sections = head.entries, let resources = sections.last, resources.key == "Resources",
            let early = resources.value.entries, let moved = middle.root, let late = moved.entries,
            haveDistinctKeys(early, late)
        else { return nil }
        sections[sections.count - 1].value = Node(
            .mapping(early + late), range: SourceRange(start: resources.value.range.start, end: moved.range.end))
        if let tail {
            guard let more = tail.root?.entries, haveDistinctKeys(sections, more) else { return nil }
            sections += more
        }
        return Node(.mapping(sections), range: SourceRange(start: head.range.start, end: (tail ?? middle).end))
    }

    private static func haveDistinctKeys(_ first: [Node.Entry], _ second: [Node.Entry]) -> Bool {
        let keys = Set(first.map(\.key))
        return !second.contains { keys.contains($0.key) }
    }
}

/// The lines of the input, each with its start and number (from 0).
private struct Lines {
    struct Line {
        var start: Int
        var number: Int
        /// The line's bytes, without the line break.
        var text: ArraySlice<UInt8>

        /// `Resources:` at column 0 with nothing after it but spaces or a comment.
        var isResourcesKey: Bool {
            let key = "Resources:".utf8
            guard text.starts(with: key) else { return false }
            let rest = text.dropFirst(key.count).drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }
            return rest.first == nil || rest.first == UInt8(ascii: "#")
        }

        /// The first byte that is not a space, and its column; nil for a blank line or a comment.
        var firstContent: (column: Int, isKeyStart: Bool)? {
            guard let index = text.firstIndex(where: { $0 != UInt8(ascii: " ") }) else { return nil }
            let byte = text[index]
            if byte == UInt8(ascii: "#") || byte == UInt8(ascii: "\r") { return nil }
            let isLetterOrDigit =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            return (index - text.startIndex, isLetterOrDigit)
        }
    }

    private let bytes: [UInt8]
    private var position = 0
    /// The number of the next line.
    private(set) var number = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func next() -> Line? {
        guard position < bytes.count else { return nil }
        // memchr: the byte-by-byte search of a 450 KB template cost as much as a tenth of reading it.
        let end = bytes.withUnsafeBufferPointer { buffer -> Int in
            let start = buffer.baseAddress! + position
            guard let found = memchr(start, Int32(UInt8(ascii: "\n")), buffer.count - position) else {
                return buffer.count
            }
            return position + (UnsafeRawPointer(found) - UnsafeRawPointer(start))
        }
        defer {
            position = end + 1
            number += 1
        }
        return Line(start: position, number: number, text: bytes[position..<end])
    }
}

extension YAMLParser {
    /// Whether reading `bytes` in pieces, as templates of `Parallelism.minimumBytes` and more are read, gives the
    /// tree the whole file gives — at any size, so the fuzzer can check it on small inputs; true when they are not
    /// cut.
    public static func piecesAgreeWithWhole(_ bytes: [UInt8]) -> Bool {
        guard let pieces = ResourceSplit.parse(bytes, minimumBytes: 0) else { return true }
        return pieces == (try? TreeBuilder.build(bytes))
    }
}
