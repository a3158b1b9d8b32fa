/// A 1-based line and column (columns count Unicode scalars, as libyaml does).
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// Where a value starts and where it ends in its file.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    public init(at location: SourceLocation) {
        self.init(start: location, end: location)
    }

    /// The range of values that did not come from a file (live tables, defaults).
    public static let none = SourceRange(at: SourceLocation(line: 0, column: 0))

    public var isNone: Bool { start.line == 0 }

    public var description: String { "\(start)-\(end)" }
}
