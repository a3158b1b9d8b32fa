/// A template parameter and the constraints CloudFormation checks a given value against.
public struct Parameter: Sendable {
    public var name: String
    public var range: SourceRange
    public var type: String
    public var defaultValue: Node?
    public var allowedValues: [String]?
    public var allowedPattern: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var minValue: Double?
    public var maxValue: Double?
    /// `NoEcho: true`: CloudFormation masks the value as `****`, and so does every output of ddbstack.
    public var noEcho = false

    /// A list type: CommaDelimitedList, List<…>.
    public var isList: Bool { type == "CommaDelimitedList" || type.hasPrefix("List<") }
    /// SSM-backed types take their value from Parameter Store at deploy time: never known offline.
    public var isResolvedAtDeploy: Bool { type.hasPrefix("AWS::SSM::Parameter::Value<") }
    public var isNumeric: Bool { type == "Number" || type == "List<Number>" }

    static func read(_ section: Node?, diagnostics: inout [Diagnostic]) -> [Parameter] {
        guard let section else { return [] }
        guard let entries = section.entries else {
            diagnostics.append(
                Diagnostic(DiagnosticID.templateStructure, "'Parameters' must be a mapping", at: section.range))
            return []
        }
        return entries.map { entry in
            let node = entry.value
            let type = node["Type"]?.string ?? "String"
            return Parameter(
                name: entry.key, range: entry.keyRange, type: type, defaultValue: node["Default"],
                allowedValues: node["AllowedValues"]?.items?.compactMap(\.scalarText),
                allowedPattern: node["AllowedPattern"]?.scalarText,
                minLength: node["MinLength"]?.scalarText.flatMap { Int($0) },
                maxLength: node["MaxLength"]?.scalarText.flatMap { Int($0) },
                minValue: node["MinValue"]?.scalarText.flatMap { Double($0) },
                maxValue: node["MaxValue"]?.scalarText.flatMap { Double($0) },
                noEcho: node["NoEcho"].flatMap(Coerce.bool) ?? false)
        }
    }

    /// Why `value` is not acceptable, or nil when it is.
    public func violation(of value: String) -> String? {
        let items =
            isList
            ? value.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingSpaces
            } : [value]
        for item in items {
            // A NoEcho value is never repeated, not even in the message that refuses it.
            if let problem = itemViolation(item) {
                return noEcho && !item.isEmpty ? problem.replacing(item, with: "****") : problem
            }
        }
        return nil
    }

    private func itemViolation(_ value: String) -> String? {
        if let allowedValues, !allowedValues.contains(value) {
            return
                "'\(value)' is not one of the allowed values \(allowedValues.map { "'\($0)'" }.joined(separator: ", "))"
        }
        if isNumeric {
            guard let number = Double(value) else { return "'\(value)' is not a number" }
            if let minValue, number < minValue { return "\(value) is below MinValue \(minValue.compact)" }
            if let maxValue, number > maxValue { return "\(value) is above MaxValue \(maxValue.compact)" }
        }
        if let minLength, value.count < minLength { return "'\(value)' is shorter than MinLength \(minLength)" }
        if let maxLength, value.count > maxLength { return "'\(value)' is longer than MaxLength \(maxLength)" }
        if let allowedPattern {
            // CloudFormation anchors AllowedPattern to the whole value (Java's String.matches).
            guard let regex = try? Regex(allowedPattern) else {
                return "AllowedPattern '\(allowedPattern)' is not a valid pattern"
            }
            if (try? regex.wholeMatch(in: value)) == nil {
                return "'\(value)' does not match AllowedPattern '\(allowedPattern)'"
            }
        }
        return nil
    }
}

extension Double {
    /// `5` rather than `5.0` for whole numbers.
    var compact: String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}

extension String {
    /// Without leading and trailing blanks (spaces, tabs; a trailing CR).
    public var trimmingSpaces: String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return String(slice)
    }
}
