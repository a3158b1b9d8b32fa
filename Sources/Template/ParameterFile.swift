/// Parameter values from the files people already have: the AWS CLI's `[{"ParameterKey":…,"ParameterValue":…}]`,
/// CodePipeline's `{"Parameters":{…}}`, and `KEY=VALUE` lines (`#` comments and blank lines skipped).
public enum ParameterFile {
    public struct Value: Sendable, Equatable {
        public var key: String
        public var value: String
        public var location: SourceLocation
    }

    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> [Value] {
        let first = bytes.first {
            ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), 0xEF, 0xBB, 0xBF].contains(
                $0)
        }
        switch first {
        case UInt8(ascii: "["): return try awsCLI(YAMLParser.parse(bytes))
        case UInt8(ascii: "{"): return try codePipeline(YAMLParser.parse(bytes))
        case nil: return []
        default: return try keyValueLines(bytes)
        }
    }

    private static func awsCLI(_ root: Node) throws(ParseError) -> [Value] {
        var values: [Value] = []
        for item in root.items ?? [] {
            guard let key = item["ParameterKey"]?.scalarText else {
                throw ParseError(
                    "each entry needs a 'ParameterKey' (AWS CLI format: [{\"ParameterKey\": …, \"ParameterValue\": …}])",
                    at: item.range.start)
            }
            // UsePreviousValue keeps the deployed value, which only the stack knows: leave it unset here.
            if case .bool(true)? = item["UsePreviousValue"]?.kind { continue }
            guard let value = item["ParameterValue"] else {
                throw ParseError("parameter '\(key)' has no 'ParameterValue'", at: item.range.start)
            }
            values.append(Value(key: key, value: try text(value, key), location: item.range.start))
        }
        return values
    }

    private static func codePipeline(_ root: Node) throws(ParseError) -> [Value] {
        guard let parameters = root["Parameters"] else {
            throw ParseError(
                "expected {\"Parameters\": {\"Key\": \"Value\", …}} (CodePipeline template configuration)",
                at: root.range.start)
        }
        guard let entries = parameters.entries else {
            throw ParseError("'Parameters' must map names to values", at: parameters.range.start)
        }
        var values: [Value] = []
        for entry in entries {
            values.append(
                Value(key: entry.key, value: try text(entry.value, entry.key), location: entry.keyRange.start))
        }
        return values
    }

    private static func keyValueLines(_ bytes: [UInt8]) throws(ParseError) -> [Value] {
        let text = String(decoding: bytes, as: UTF8.self)
        var values: [Value] = []
        // CRLF is one Character in Swift, so splitting on "\n" alone would leave a Windows file one long line.
        for (number, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
        {
            let line = String(rawLine).trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                throw ParseError("expected KEY=VALUE, found '\(line)'", at: SourceLocation(line: number + 1, column: 1))
            }
            let key = String(line[..<equals]).trimmingSpaces
            let value = String(line[line.index(after: equals)...]).trimmingSpaces
            values.append(Value(key: key, value: value, location: SourceLocation(line: number + 1, column: 1)))
        }
        return values
    }

    /// A value may be a string, number or bool; a list becomes CloudFormation's comma-separated text.
    private static func text(_ node: Node, _ key: String) throws(ParseError) -> String {
        if let scalar = node.scalarText { return scalar }
        if let items = node.items, items.allSatisfy({ $0.scalarText != nil }) {
            return items.compactMap(\.scalarText).joined(separator: ",")
        }
        throw ParseError(
            "the value of parameter '\(key)' must be text, found \(node.kindDescription)", at: node.range.start)
    }
}
