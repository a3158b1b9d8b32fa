import Template

/// One attribute of a table's or an index's key.
public struct KeyElement: Sendable, Equatable {
    public enum KeyType: String, Sendable {
        case hash = "HASH"
        case range = "RANGE"

        /// Two comparisons: the generated initializer searched a table of the case names for every key element.
        public init?(rawValue: String) {
            switch rawValue.utf8.count {
            case 4 where rawValue == "HASH": self = .hash
            case 5 where rawValue == "RANGE": self = .range
            default: return nil
            }
        }
    }

    public var attributeName: Field<String>
    /// The KeyType as written; `keyType` is its typed reading.
    public var keyTypeText: Field<String>
    public var range: SourceRange

    public init(attributeName: Field<String>, keyTypeText: Field<String>, range: SourceRange = .none) {
        self.attributeName = attributeName
        self.keyTypeText = keyTypeText
        self.range = range
    }

    public var keyType: KeyType? { keyTypeText.value.flatMap(KeyType.init(rawValue:)) }
}

/// One entry of AttributeDefinitions.
public struct AttributeDefinition: Sendable, Equatable {
    public static let types: [String] = ["S", "N", "B"]

    public var name: Field<String>
    public var type: Field<String>
    public var range: SourceRange

    public init(name: Field<String>, type: Field<String>, range: SourceRange = .none) {
        self.name = name
        self.type = type
        self.range = range
    }
}

extension Array where Element == KeyElement {
    /// Attribute names, in key order, of the elements whose name is known.
    public var attributeNames: [String] { compactMap(\.attributeName.value) }

}
