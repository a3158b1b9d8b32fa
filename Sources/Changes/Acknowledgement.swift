import Schema
import Template

/// Who accepted a change at or above the failure threshold after a review, and why.
public struct Acknowledgement: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// `Metadata: {ddbstack: {allow: [IMPACT], reason: "…"}}` on the resource, new or changed in this version.
        case metadata(reason: String, range: SourceRange)
        /// `--allow IMPACT:LogicalId` on the command line.
        case flag
    }

    public var impact: Impact
    public var logicalId: String
    public var source: Source

    public init(impact: Impact, logicalId: String, source: Source) {
        self.impact = impact
        self.logicalId = logicalId
        self.source = source
    }

    /// "Metadata (reason: …)" or "--allow replacement:Users", for the log.
    public var origin: String {
        switch source {
        case .metadata(let reason, _): return "Metadata (reason: \(reason))"
        case .flag: return "--allow \(impact.rawValue):\(logicalId)"
        }
    }

    /// An `allow` in a resource's Metadata that approves nothing, and why: a standing one (the base has it too, with
    /// the same reason — it was written for an earlier change), one without a reason, one naming no impact.
    public struct Ignored: Sendable, Equatable {
        public var logicalId: String
        public var entry: String
        public var range: SourceRange
        public var message: String
    }

    /// The acknowledgements the head template's Metadata carries for this comparison, and those it ignores.
    /// An entry counts only when written for this change: the base lacks it, or the reason changed.
    static func fromMetadata(base: [Table], head: [Table]) -> (counted: [Acknowledgement], ignored: [Ignored]) {
        let baseById = Dictionary(base.map { ($0.logicalId, $0.metadata) }, uniquingKeysWith: { first, _ in first })
        var counted: [Acknowledgement] = []
        var ignored: [Ignored] = []
        for table in head {
            let metadata = table.metadata
            for entry in metadata.allowed {
                let range = entry.range != .none ? entry.range : metadata.range ?? table.idRange
                let text = entry.value ?? ""
                func ignore(_ message: String) {
                    ignored.append(Ignored(logicalId: table.logicalId, entry: text, range: range, message: message))
                }
                guard let impact = entry.value.flatMap(Impact.init(name:)) else {
                    ignore("'\(text)' is not an impact (\(Impact.allCases.map(\.rawValue).joined(separator: ", ")))")
                    continue
                }
                guard let reason = metadata.reason?.trimmingSpaces, !reason.isEmpty else {
                    ignore("'allow: \(text)' on '\(table.logicalId)' has no reason, so it approves nothing")
                    continue
                }
                if let previous = baseById[table.logicalId], previous.reason?.trimmingSpaces == reason,
                    previous.allowed.contains(where: { $0.value.flatMap(Impact.init(name:)) == impact })
                {
                    ignore(
                        "'allow: \(text)' on '\(table.logicalId)' is stale: the base has it with the same reason, so it was written for an earlier change and approves nothing now"
                    )
                    continue
                }
                counted.append(
                    Acknowledgement(
                        impact: impact, logicalId: table.logicalId, source: .metadata(reason: reason, range: range)))
            }
        }
        return (counted, ignored)
    }
}
