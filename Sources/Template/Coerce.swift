/// CloudFormation's coercions of scalar text: `"true"` is a boolean, `"5"` an integer.
public enum Coerce {
    public static func bool(_ node: Node) -> Bool? {
        switch node.kind {
        case .bool(let value): return value
        case .string(let text):
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: return nil
            }
        default: return nil
        }
    }

    public static func int(_ node: Node) -> Int? { node.scalarText.flatMap { Int($0) } }
}
