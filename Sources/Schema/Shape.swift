/// The expected form of a property, for the type and unknown-property checks. Value constraints (enums,
/// ranges, lengths) are lint rules of their own, with their own ids, messages and examples.
public indirect enum Shape: Sendable {
    case string
    case integer
    case number
    case boolean
    /// JSON of any form (a policy document).
    case any
    case list(Shape)
    case object(ObjectShape)
}

/// A property group: its members, and which of them are required.
public struct ObjectShape: Sendable {
    public var name: String
    /// By name, in a list: every property of a template is looked up here, and comparing lengths first (which a
    /// native string knows without reading it) finds a member of a few dozen in fewer instructions than hashing the
    /// key would take.
    public private(set) var members: [(name: String, shape: Shape)]
    public var required: [String]

    public init(_ name: String, _ members: [String: Shape], required: [String] = []) {
        self.name = name
        self.members = members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        self.required = required
    }

    public func member(_ key: String) -> Shape? {
        let length = key.utf8.count
        return members.first { $0.name.utf8.count == length && $0.name == key }?.shape
    }
}
