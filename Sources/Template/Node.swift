/// One value of a parsed template, with where it came from.
///
/// Scalars are typed the way CloudFormation reads them (YAML 1.2 core schema, see `YAMLParser`):
/// numbers keep their text so `5` and `5.0` round-trip, and anything quoted stays a string.
public struct Node: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        case sequence([Node])
        case mapping([Entry])
    }

    /// One key and value of a mapping; keys are always scalars in a template.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var keyRange: SourceRange
        public var value: Node

        public init(key: String, keyRange: SourceRange, value: Node) {
            self.key = key
            self.keyRange = keyRange
            self.value = value
        }
    }

    public let kind: Kind
    public var range: SourceRange
    /// Whether an intrinsic function is anywhere in this value: lets the resolver skip the plain majority of a template.
    public let containsIntrinsic: Bool

    public init(_ kind: Kind, range: SourceRange = .none) {
        self.kind = kind
        self.range = range
        switch kind {
        case .mapping(let entries):
            containsIntrinsic =
                (entries.count == 1 && Node.isIntrinsicKey(entries[0].key))
                || entries.contains { $0.value.containsIntrinsic }
        case .sequence(let items):
            containsIntrinsic = items.contains { $0.containsIntrinsic }
        default:
            containsIntrinsic = false
        }
    }

    static func isIntrinsicKey(_ key: String) -> Bool {
        // Asked of every one-key mapping while parsing and of every value the model reads: one byte rules out
        // almost every key before a comparison.
        switch key.utf8.first {
        case UInt8(ascii: "R"): return key == "Ref"
        case UInt8(ascii: "F"): return key.utf8.starts(with: "Fn::".utf8)
        default: return false
        }
    }
}

extension Node {
    /// The text of a scalar (string, number or bool); nil for containers and null.
    public var scalarText: String? {
        switch kind {
        case .string(let s), .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    public var string: String? {
        if case .string(let s) = kind { return s }
        return nil
    }

    public var entries: [Entry]? {
        if case .mapping(let e) = kind { return e }
        return nil
    }

    public var items: [Node]? {
        if case .sequence(let i) = kind { return i }
        return nil
    }

    /// The value under `key` in a mapping.
    public subscript(key: String) -> Node? {
        guard case .mapping(let entries) = kind, let index = Self.position(of: key, in: entries) else { return nil }
        return entries[index].value
    }

    public func entry(_ key: String) -> Entry? {
        guard case .mapping(let entries) = kind, let index = Self.position(of: key, in: entries) else { return nil }
        return entries[index]
    }

    /// The lookup under every property read of the model: by index, so no entry is copied on the way, and by
    /// length first, which a native string knows without reading it.
    private static func position(of key: String, in entries: [Entry]) -> Int? {
        let length = key.utf8.count
        return entries.indices.first { entries[$0].key.utf8.count == length && entries[$0].key == key }
    }

    /// The intrinsic function this node is, if it is a one-key mapping such as `{"Ref": …}` or `{"Fn::If": …}`.
    public var intrinsic: (name: String, argument: Node)? {
        guard case .mapping(let entries) = kind, entries.count == 1, Node.isIntrinsicKey(entries[0].key) else {
            return nil
        }
        return (entries[0].key, entries[0].value)
    }

    /// A word for the kind of value, for messages ("a string", "a list").
    public var kindDescription: String {
        switch kind {
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .sequence: return "a list"
        case .mapping: return intrinsic.map { "'\($0.name)'" } ?? "a mapping"
        }
    }
}

extension Node {
    /// A string with no source position: a value built in code (the live account's), not parsed.
    public static func text(_ value: String) -> Node { Node(.string(value)) }

    /// A mapping with no source positions, members in the given order.
    public static func mapping(_ members: [(String, Node)]) -> Node {
        Node(.mapping(members.map { Entry(key: $0.0, keyRange: .none, value: $0.1) }))
    }
}
