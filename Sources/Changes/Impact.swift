/// What a change does to a table, from harmless to refused (DESIGN.md's impact classes), in increasing order.
public enum Impact: String, Sendable, Comparable, CaseIterable {
    /// Cosmetic: reordered lists, formatting.
    case none
    /// CloudFormation updates the table without interruption.
    case inPlace
    /// In place, but long-running: a GSI backfill.
    case slow
    /// Consumers can break; no data is lost.
    case breaking
    /// A new table; data stays only with UpdateReplacePolicy Retain.
    case replacement
    /// Data is destroyed.
    case dataLoss
    /// CloudFormation or DynamoDB will refuse it.
    case rejected

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Impact, rhs: Impact) -> Bool { lhs.rank < rhs.rank }

    /// Changes at this impact need an explicit acknowledgement (or can never have one, for `rejected`).
    public var needsAcknowledgement: Bool { self >= .breaking }

    /// "in place", for people.
    public var phrase: String {
        switch self {
        case .none: return "no effect"
        case .inPlace: return "in place"
        case .slow: return "slow"
        case .breaking: return "breaking"
        case .replacement: return "replacement"
        case .dataLoss: return "data loss"
        case .rejected: return "rejected"
        }
    }
}
