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
    public var members: [String: Shape]
    public var required: [String]

    public init(_ name: String, _ members: [String: Shape], required: [String] = []) {
        self.name = name
        self.members = members
        self.required = required
    }
}
