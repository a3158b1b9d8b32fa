import Template

/// Which attributes an index carries besides its keys.
public struct Projection: Sendable, Equatable {
    /// Lists, like the model's other short sets of allowed values: finding one of three short strings takes a few
    /// comparisons, where a Set hashes the value first; the rules ask for every index of a template.
    public static let types: [String] = ["ALL", "KEYS_ONLY", "INCLUDE"]

    public var type: Field<String>?
    public var nonKeyAttributes: [Field<String>]
    /// The range of the NonKeyAttributes list, when written.
    public var nonKeyAttributesRange: SourceRange?
    public var range: SourceRange

    public init(
        type: Field<String>?, nonKeyAttributes: [Field<String>] = [], nonKeyAttributesRange: SourceRange? = nil,
        range: SourceRange = .none
    ) {
        self.type = type
        self.nonKeyAttributes = nonKeyAttributes
        self.nonKeyAttributesRange = nonKeyAttributesRange
        self.range = range
    }
}

/// A global or local secondary index.
public struct SecondaryIndex: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case global = "GSI"
        case local = "LSI"
    }

    public var kind: Kind
    public var name: Field<String>
    public var keySchema: [KeyElement]
    public var keySchemaRange: SourceRange
    public var projection: Projection?
    public var provisionedThroughput: Throughput?
    /// Global tables: whether WriteProvisionedThroughputSettings is given for this index.
    public var hasWriteProvisionedSettings: Bool
    public var contributorInsights: Field<Bool>?
    public var range: SourceRange

    public init(
        kind: Kind, name: Field<String>, keySchema: [KeyElement], keySchemaRange: SourceRange = .none,
        projection: Projection?, provisionedThroughput: Throughput? = nil, hasWriteProvisionedSettings: Bool = false,
        contributorInsights: Field<Bool>? = nil, range: SourceRange = .none
    ) {
        self.kind = kind
        self.name = name
        self.keySchema = keySchema
        self.keySchemaRange = keySchemaRange
        self.projection = projection
        self.provisionedThroughput = provisionedThroughput
        self.hasWriteProvisionedSettings = hasWriteProvisionedSettings
        self.contributorInsights = contributorInsights
        self.range = range
    }

    /// "GSI 'byEmail'", for messages.
    public var label: String { "\(kind.rawValue) '\(name.value ?? "?")'" }
}
