import Template

/// What a resource's `Metadata: {ddbstack: …}` says: rules to ignore and reviewed changes to allow, with a reason.
public struct ResourceMetadata: Sendable, Equatable {
    public var ignoredRules: [Field<String>] = []
    public var allowed: [Field<String>] = []
    public var reason: String?
    public var range: SourceRange?

    public init(
        ignoredRules: [Field<String>] = [], allowed: [Field<String>] = [], reason: String? = nil,
        range: SourceRange? = nil
    ) {
        self.ignoredRules = ignoredRules
        self.allowed = allowed
        self.reason = reason
        self.range = range
    }

    /// Reads `Metadata.ddbstack`; a single string is accepted where a list is expected.
    public init(_ metadata: Node?) {
        guard let node = metadata?["ddbstack"] else { return }
        range = node.range
        ignoredRules = Self.list(node["ignore"])
        allowed = Self.list(node["allow"])
        reason = node["reason"]?.scalarText
    }

    private static func list(_ node: Node?) -> [Field<String>] {
        guard let node else { return [] }
        if let items = node.items { return items.map { Field($0.scalarText, range: $0.range) } }
        return [Field(node.scalarText, range: node.range)]
    }
}
