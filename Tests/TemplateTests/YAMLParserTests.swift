import Testing

@testable import Template

@Suite struct YAMLParserTests {
    @Test func keepsLineAndColumnOfEveryNode() throws {
        let node = try YAMLParser.parse("Resources:\n  Users:\n    Type: AWS::DynamoDB::Table\n")
        let users = try #require(node["Resources"]?.entry("Users"))
        #expect(users.keyRange.start == SourceLocation(line: 2, column: 3))
        let type = try #require(users.value["Type"])
        #expect(type.range.start == SourceLocation(line: 3, column: 11))
        #expect(type.range.end == SourceLocation(line: 3, column: 31))
    }

    @Test(arguments: [
        ("a: 5", "number 5"), ("a: '5'", "string 5"), ("a: \"5\"", "string 5"), ("a: 2010-09-09", "string 2010-09-09"),
        ("a: true", "bool true"), ("a: False", "bool false"), ("a: yes", "string yes"), ("a: ~", "null"),
        ("a:", "null"),
        ("a: 1.5e3", "number 1.5e3"), ("a: 0x1F", "number 0x1F"), ("a: .inf", "number .inf"),
        ("a: 1.2.3", "string 1.2.3"),
        ("a: !!str 5", "string 5"), ("a: !!int '7'", "number 7"), ("a: |\n  5\n", "string 5\n"),
        ("a: -.5", "number -.5"),
        ("a: NULL", "null"), ("a: Null", "null"), ("a: nULL", "string nULL"), ("a: nulls", "string nulls"),
        ("a: TRUE", "bool true"), ("a: True", "bool true"), ("a: tRUE", "string tRUE"), ("a: FALSE", "bool false"),
        ("a: FaLSE", "string FaLSE"), ("a: ~x", "string ~x"), ("a: -x", "string -x"), ("a: Tags", "string Tags"),
        ("{\"a\": 12}", "number 12"), ("{\"a\":\"x\"}", "string x"),
    ])
    func typesScalarsAsCloudFormationDoes(source: String, expected: String) throws {
        let value = try #require(try YAMLParser.parse(source)["a"])
        #expect(describe(value) == expected)
    }

    @Test(arguments: [
        ("a: !Ref Table", "{Ref: string Table}"),
        ("a: !Sub '${AWS::Region}-x'", "{Fn::Sub: string ${AWS::Region}-x}"),
        ("a: !Sub ['x${A}', {A: 1}]", "{Fn::Sub: [string x${A}, {A: number 1}]}"),
        ("a: !GetAtt Table.StreamArn", "{Fn::GetAtt: [string Table, string StreamArn]}"),
        ("a: !GetAtt Table.Attr.Nested", "{Fn::GetAtt: [string Table, string Attr.Nested]}"),
        ("a: !GetAtt [Table, Arn]", "{Fn::GetAtt: [string Table, string Arn]}"),
        ("a: !If [C, 1, 2]", "{Fn::If: [string C, number 1, number 2]}"),
        ("a: !Not [!Condition C]", "{Fn::Not: [{Condition: string C}]}"),
        ("a: !Join ['-', [a, b]]", "{Fn::Join: [string -, [string a, string b]]}"),
        ("a: !Select [0, !Split [',', 'x,y']]", "{Fn::Select: [number 0, {Fn::Split: [string ,, string x,y]}]}"),
        ("a: !FindInMap [M, K, V]", "{Fn::FindInMap: [string M, string K, string V]}"),
        ("a: !Equals [a, b]", "{Fn::Equals: [string a, string b]}"),
        ("a: !And [!Condition A, !Condition B]", "{Fn::And: [{Condition: string A}, {Condition: string B}]}"),
        ("a: !Or [!Condition A, !Condition B]", "{Fn::Or: [{Condition: string A}, {Condition: string B}]}"),
        ("a: !Base64 text", "{Fn::Base64: string text}"),
        ("a: !Cidr [x, 6, 5]", "{Fn::Cidr: [string x, number 6, number 5]}"),
        ("a: !ImportValue Shared", "{Fn::ImportValue: string Shared}"),
        ("a: !GetAZs ''", "{Fn::GetAZs: string }"),
        ("a: !Transform {Name: M}", "{Fn::Transform: {Name: string M}}"),
        ("a: !ToJsonString {k: v}", "{Fn::ToJsonString: {k: string v}}"),
        ("a: !Length [1, 2]", "{Fn::Length: [number 1, number 2]}"),
    ])
    func rewritesShortFormIntrinsicsToLongForm(source: String, expected: String) throws {
        let value = try #require(try YAMLParser.parse(source)["a"])
        #expect(describe(value) == expected)
    }

    @Test(arguments: [
        ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first defined at line 1)"),
        ("x:\n  a: 1\n  y: [{b: 1, a: 2}]\n  a: 3\n", 4, 3, "duplicate key 'a' (first defined at line 2)"),
        ((0..<20).map { "k\($0): 1\n" }.joined() + "k7: 2\n", 21, 1, "duplicate key 'k7' (first defined at line 8)"),
        ("a: &x 1\nb: *x\n", 1, 4, "YAML anchor '&x'"),
        ("a: 1\n---\nb: 2\n", 2, 1, "several YAML documents"),
        ("a:\n\tb: 1\n", 2, 1, "tab character used for indentation"),
        ("a: !Reff X\n", 1, 4, "unknown tag '!Reff'; did you mean '!Ref'?"),
        ("a: [1, 2\n", 2, 1, "YAML syntax error"),
        ("a: b: c\n", 1, 5, "YAML syntax error: mapping values are not allowed in this context"),
        ("", 1, 1, "file is empty"),
        ("# only a comment\n\n", 1, 1, "file is empty"),
        ("? [a]\n: 1\n", 1, 3, "a mapping key must be a plain value"),
        ("a: !GetAtt NoDot\n", 1, 4, "!GetAtt needs 'LogicalId.Attribute'"),
        ("a: !!int abc\n", 1, 4, "tag '!!int' does not fit a string"),
    ])
    func refusesMalformedInputWithALocation(source: String, line: Int, column: Int, message: String) {
        #expect {
            try YAMLParser.parse(source)
        } throws: { error in
            guard let error = error as? ParseError else { return false }
            return error.location == SourceLocation(line: line, column: column) && error.message.contains(message)
        }
    }

    @Test func refusesInvalidUTF8AtTheBadByte() {
        let bytes = Array("a: 1\nb: x".utf8) + [0xFF, 0x0A]
        #expect(
            throws: ParseError(
                "invalid UTF-8 (byte 0xFF): a template must be UTF-8 text", at: SourceLocation(line: 2, column: 5))
        ) {
            try YAMLParser.parse(bytes)
        }
    }

    @Test func refusesNestingBeyondTheBoundWithoutRecursing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect {
            try YAMLParser.parse(deep)
        } throws: { ($0 as? ParseError)?.message.contains("nesting deeper than 100") == true }
    }

    @Test func refusesAFileFarBeyondAnyTemplateBeforeParsing() {
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: YAMLParser.maximumInputBytes + 1)
        #expect {
            try YAMLParser.parse(huge)
        } throws: { ($0 as? ParseError)?.message.contains("far beyond any template") == true }
    }

    @Test func readsJSONTemplatesIndentedWithTabs() throws {
        let json =
            "{\n\t\"Resources\": {\n\t\t\"T\": {\"Type\": \"AWS::DynamoDB::Table\", \"Properties\": {\"A\": [1, 2.5, true, null]}}\n\t}\n}\n"
        let node = try YAMLParser.parse(json)
        let properties = try #require(node["Resources"]?["T"]?["Properties"])
        #expect(describe(properties) == "{A: [number 1, number 2.5, bool true, null]}")
        #expect(properties.range.start == SourceLocation(line: 3, column: 55))
    }

    @Test func acceptsTabsInsideValues() throws {
        let node = try YAMLParser.parse("a: \"x\ty\"\nb:\t1\n")
        #expect(node["a"]?.string == "x\ty")
        #expect(describe(try #require(node["b"])) == "number 1")
    }
}

/// A compact rendering of a node for assertions.
func describe(_ node: Node) -> String {
    switch node.kind {
    case .string(let s): return "string \(s)"
    case .number(let s): return "number \(s)"
    case .bool(let b): return "bool \(b)"
    case .null: return "null"
    case .sequence(let items): return "[" + items.map(describe).joined(separator: ", ") + "]"
    case .mapping(let entries):
        return "{" + entries.map { "\($0.key): \(describe($0.value))" }.joined(separator: ", ") + "}"
    }
}

/// The parser reads events on a thread of its own in batches of `EventBatch.capacity`: errors, the end of input and
/// early exits must come out the same wherever they fall.
@Suite struct YAMLParserBatchTests {
    /// A mapping of `count` keys: about three events each.
    static func keys(_ count: Int) -> String {
        (0..<count).map { "k\($0): [\($0)]\n" }.joined()
    }

    @Test func readsADocumentOfManyBatchesWhole() throws {
        let node = try YAMLParser.parse(Self.keys(5_000))
        #expect(node.entries?.count == 5_000)
        #expect(node["k4999"]?.items?.first?.scalarText == "4999")
        #expect(node.entry("k4999")?.keyRange.start == SourceLocation(line: 5_000, column: 1))
    }

    @Test(arguments: [
        ("a: 1\n", "a: 2\n", "duplicate key 'a'"),
        ("", "x: [1\n", "YAML syntax error"),
        ("", "x: &anchor 1\n", "YAML anchor '&anchor'"),
        ("", "---\nb: 1\n", "several YAML documents"),
        ("", "x: !Reff y\n", "unknown tag '!Reff'"),
    ])
    func refusesAnErrorAfterManyBatchesAtItsLine(head: String, tail: String, message: String) {
        let source = head + Self.keys(3_000) + tail
        let line = 1 + (head.isEmpty ? 0 : 1) + 3_000
        #expect {
            try YAMLParser.parse(source)
        } throws: { error in
            guard let error = error as? ParseError else { return false }
            return error.message.contains(message) && error.location.line >= line
        }
    }

    @Test func stopsAtAnEarlyErrorInALargeDocument() {
        let source = "a: 1\na: 2\n" + Self.keys(50_000)
        #expect(
            throws: ParseError("duplicate key 'a' (first defined at line 1)", at: SourceLocation(line: 2, column: 1))
        ) {
            try YAMLParser.parse(source)
        }
    }
}
