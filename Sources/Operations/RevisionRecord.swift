import Template

/// Which revision of the template a stack runs, recorded in the template body ddbstack sends — top-level
/// `Metadata: {ddbstack: {revision, templateSha256}}` — and read back from the deployed template.
///
/// Not in stack tags: CloudFormation copies stack tags onto every resource, so a per-commit tag re-tags every table
/// on every deploy (each through UPDATE_IN_PROGRESS, within DynamoDB's TagResource limit of 5 calls per second).
/// The template's Metadata section reaches no resource, and CloudFormation does not update a stack for a Metadata
/// change alone, so a new commit that leaves the template alone stays "no changes".
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/metadata-section-structure.html
public struct RevisionRecord: Sendable, Equatable {
    public static let key = "ddbstack"

    public var revision: String?
    public var templateSHA256: String

    public init(revision: String?, templateSHA256: String) {
        self.revision = revision
        self.templateSHA256 = templateSHA256
    }

    /// The record in a deployed template; with `tags`, the one an older ddbstack left as stack tags (the template's wins).
    public static func read(_ template: Template?, tags: [String: String] = [:]) -> RevisionRecord? {
        if let node = template?.root["Metadata"]?[key], let sha = node["templateSha256"]?.scalarText {
            return RevisionRecord(revision: node["revision"]?.scalarText, templateSHA256: sha)
        }
        return tags["ddbstack:template-sha256"].map {
            RevisionRecord(revision: tags["ddbstack:revision"], templateSHA256: $0)
        }
    }

    /// This record as a flow mapping, which YAML and JSON read alike.
    var flow: String {
        let revision = self.revision.map { "\"revision\": \"\(JSONWriter.escaped($0))\", " } ?? ""
        return "{\(revision)\"templateSha256\": \"\(templateSHA256)\"}"
    }

    /// `source` (YAML or JSON) with this record in its top-level Metadata: added as the section's first entry, in
    /// place of an earlier record, or as a new section. Unchanged when Metadata is not a mapping.
    public func stamp(_ source: String, template: Template) -> String {
        var text = Array(source.unicodeScalars)
        let lines = Self.lineStarts(text)
        func offset(_ location: SourceLocation) -> Int { lines[location.line - 1] + location.column - 1 }
        guard let metadata = template.root.entries?.first(where: { $0.key == "Metadata" }) else {
            if Self.isFlow(template.root, text, offset) {
                text.insert(
                    contentsOf: " \"Metadata\": {\"\(Self.key)\": \(flow)},".unicodeScalars,
                    at: offset(template.root.range.start) + 1)
            } else {
                let newline = text.last == "\n" ? "" : "\n"
                text += "\(newline)Metadata:\n  \(Self.key): \(flow)\n".unicodeScalars
            }
            return String(String.UnicodeScalarView(text))
        }
        if let previous = metadata.value.entries?.first(where: { $0.key == Self.key }) {
            text.replaceSubrange(
                offset(previous.value.range.start)..<offset(previous.value.range.end), with: flow.unicodeScalars)
        } else if let entries = metadata.value.entries {
            let start = offset(metadata.value.range.start)
            if Self.isFlow(metadata.value, text, offset) {
                text.insert(
                    contentsOf: "\"\(Self.key)\": \(flow)\(entries.isEmpty ? "" : ", ")".unicodeScalars, at: start + 1)
            } else {
                let first = entries[0].keyRange.start
                let indent = String(repeating: " ", count: first.column - 1)
                text.insert(contentsOf: "\(Self.key): \(flow)\n\(indent)".unicodeScalars, at: offset(first))
            }
        }
        return String(String.UnicodeScalarView(text))
    }

    /// The template without a record: what to compare when asking whether two bodies deploy the same thing.
    public static func strip(_ root: Node) -> Node {
        guard let top = root.entries, let metadata = top.first(where: { $0.key == "Metadata" }),
            let entries = metadata.value.entries
        else { return root }
        let kept = entries.filter { $0.key != key }
        let sections = top.compactMap { entry -> Node.Entry? in
            guard entry.key == "Metadata" else { return entry }
            return kept.isEmpty
                ? nil
                : Node.Entry(
                    key: entry.key, keyRange: entry.keyRange, value: Node(.mapping(kept), range: entry.value.range))
        }
        return Node(.mapping(sections), range: root.range)
    }

    private static func isFlow(_ node: Node, _ text: [Unicode.Scalar], _ offset: (SourceLocation) -> Int) -> Bool {
        let start = offset(node.range.start)
        return start < text.count && text[start] == "{"
    }

    private static func lineStarts(_ text: [Unicode.Scalar]) -> [Int] {
        var starts = [0]
        for (index, scalar) in text.enumerated() where scalar == "\n" { starts.append(index + 1) }
        return starts
    }
}
