import Template

/// Checks resolved properties against a `Shape`: unknown names (with a did-you-mean), wrong types, missing
/// required members. Values CloudFormation coerces (`"5"` for an integer, `5` for a string) pass.
struct ShapeChecker {
    /// One step of the path to the value being checked, written out only for a diagnostic.
    private enum Step {
        case key(String)
        case index(Int)
    }

    let logicalId: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Where the checker is: pushed and popped around each member and item, so a clean value costs no string.
    private var path: [Step] = []

    init(logicalId: String) {
        self.logicalId = logicalId
    }

    /// Checks the top-level properties of a resource.
    mutating func check(_ properties: Node, against object: ObjectShape) {
        path = []
        checkObject(properties, against: object)
    }

    private mutating func check(_ node: Node, against shape: Shape) {
        if let (name, argument) = node.intrinsic {
            // An `Fn::If` on an unknown condition: both branches must fit.
            if name == "Fn::If", let branches = argument.items, branches.count == 3 {
                for branch in branches.dropFirst() where branch.intrinsic?.argument.string != "AWS::NoValue" {
                    check(branch, against: shape)
                }
            }
            return
        }
        switch shape {
        case .any:
            return
        case .string:
            expect(node.scalarText != nil, node, "a string")
        case .integer:
            expect(node.scalarText.flatMap { Int($0) } != nil, node, "an integer")
        case .number:
            expect(node.scalarText.flatMap { Double($0) } != nil, node, "a number")
        case .boolean:
            expect(Coerce.bool(node) != nil, node, "a boolean")
        case .list(let element):
            guard let items = node.items else { return expect(false, node, "a list") }
            for index in items.indices {
                path.append(.index(index))
                check(items[index], against: element)
                path.removeLast()
            }
        case .object(let object):
            checkObject(node, against: object)
        }
    }

    private mutating func checkObject(_ node: Node, against object: ObjectShape) {
        guard let entries = node.entries else { return expect(false, node, "a mapping") }
        // By position, so each entry's value is checked where it lies rather than copied out with its key.
        for index in entries.indices {
            let key = entries[index].key
            guard let shape = object.member(key) else {
                var message = "unknown property '\(key)' in \(owner(object))"
                if let guess = Suggestions.closest(to: key, in: object.members.map(\.name)) {
                    message += "; did you mean '\(guess)'?"
                }
                diagnostics.append(
                    Diagnostic(DiagnosticID.unknownProperty, message, at: entries[index].keyRange, logicalId: logicalId)
                )
                continue
            }
            path.append(.key(key))
            check(entries[index].value, against: shape)
            path.removeLast()
        }
        for name in object.required where node[name] == nil {
            diagnostics.append(
                Diagnostic(
                    DiagnosticID.requiredProperty, "\(owner(object)) requires '\(name)'", at: node.range,
                    logicalId: logicalId))
        }
    }

    /// "'GlobalSecondaryIndexes[0].Projection'", or the object's name at the top level.
    private func owner(_ object: ObjectShape) -> String {
        path.isEmpty ? object.name : "'\(pathText)'"
    }

    private var pathText: String {
        path.reduce(into: "") { text, step in
            switch step {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
    }

    private mutating func expect(_ condition: Bool, _ node: Node, _ expected: String) {
        guard !condition else { return }
        diagnostics.append(
            Diagnostic(
                DiagnosticID.propertyType, "'\(pathText)' must be \(expected), found \(node.kindDescription)",
                at: node.range, logicalId: logicalId))
    }
}
