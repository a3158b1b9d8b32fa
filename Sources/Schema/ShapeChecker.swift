import Template

/// Checks resolved properties against a `Shape`: unknown names (with a did-you-mean), wrong types, missing
/// required members. Values CloudFormation coerces (`"5"` for an integer, `5` for a string) pass.
struct ShapeChecker {
    let logicalId: String
    private(set) var diagnostics: [Diagnostic] = []

    init(logicalId: String) {
        self.logicalId = logicalId
    }

    mutating func check(_ node: Node, against shape: Shape, path: @autoclosure () -> String) {
        if let (name, argument) = node.intrinsic {
            // An `Fn::If` on an unknown condition: both branches must fit.
            if name == "Fn::If", let branches = argument.items, branches.count == 3 {
                for branch in branches.dropFirst() where branch.intrinsic?.argument.string != "AWS::NoValue" {
                    check(branch, against: shape, path: path())
                }
            }
            return
        }
        switch shape {
        case .any:
            return
        case .string:
            expect(node.scalarText != nil, node, path(), "a string")
        case .integer:
            expect(node.scalarText.flatMap { Int($0) } != nil, node, path(), "an integer")
        case .number:
            expect(node.scalarText.flatMap { Double($0) } != nil, node, path(), "a number")
        case .boolean:
            expect(Coerce.bool(node) != nil, node, path(), "a boolean")
        case .list(let element):
            guard let items = node.items else { return expect(false, node, path(), "a list") }
            for (index, item) in items.enumerated() { check(item, against: element, path: "\(path())[\(index)]") }
        case .object(let object):
            check(node, against: object, path: path())
        }
    }

    mutating func check(_ node: Node, against object: ObjectShape, path: @autoclosure () -> String) {
        guard let entries = node.entries else { return expect(false, node, path(), "a mapping") }
        for entry in entries {
            guard let shape = object.members[entry.key] else {
                let path = path()
                let owner = path.isEmpty ? object.name : "'\(path)'"
                var message = "unknown property '\(entry.key)' in \(owner)"
                if let guess = Suggestions.closest(to: entry.key, in: object.members.keys) {
                    message += "; did you mean '\(guess)'?"
                }
                diagnostics.append(
                    Diagnostic(DiagnosticID.unknownProperty, message, at: entry.keyRange, logicalId: logicalId))
                continue
            }
            check(entry.value, against: shape, path: Self.join(path(), entry.key))
        }
        for name in object.required where node[name] == nil {
            let path = path()
            let owner = path.isEmpty ? object.name : "'\(path)'"
            diagnostics.append(
                Diagnostic(
                    DiagnosticID.requiredProperty, "\(owner) requires '\(name)'", at: node.range, logicalId: logicalId))
        }
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func expect(_ condition: Bool, _ node: Node, _ path: @autoclosure () -> String, _ expected: String)
    {
        guard !condition else { return }
        diagnostics.append(
            Diagnostic(
                DiagnosticID.propertyType, "'\(path())' must be \(expected), found \(node.kindDescription)",
                at: node.range, logicalId: logicalId))
    }
}
