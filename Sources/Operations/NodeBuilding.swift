import Template

extension Node {
    static func flag(_ value: Bool) -> Node { Node(.bool(value)) }
    static func number(_ value: Int) -> Node { Node(.number(String(value))) }

    static func list(_ items: [Node]) -> Node { Node(.sequence(items)) }

    /// true / false written as a boolean or as the strings CloudFormation accepts; nil otherwise.
    var truth: Bool? {
        switch kind {
        case .bool(let value): return value
        case .string(let text): return text.lowercased() == "true" ? true : text.lowercased() == "false" ? false : nil
        default: return nil
        }
    }

    /// An integer written as a number or a string (a Number parameter resolves to text).
    var integer: Int? { scalarText.flatMap { Int($0) } ?? scalarText.flatMap { Double($0) }.map { Int($0) } }

    var canonicalText: String { JSONWriter.compact(self) }
}
