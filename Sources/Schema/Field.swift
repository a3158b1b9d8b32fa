import Template

/// A property value with the range it came from. `value` is nil when the template holds something that cannot
/// be known offline (an unresolved intrinsic) or is of the wrong type (already reported by the shape check).
public struct Field<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value?
    public var range: SourceRange

    public init(_ value: Value?, range: SourceRange = .none) {
        self.value = value
        self.range = range
    }
}

extension Field {
    /// True when the value is there but cannot be known offline.
    public var isUnknown: Bool { value == nil }
}
