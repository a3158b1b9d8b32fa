import Foundation
import Testing

@testable import Template

@Suite struct ResourceSplitTests {
    /// A template of `tables` tables laid out as asked; `between` goes between two tables, `{i}` in it numbered.
    static func template(
        tables: Int, indent: Int = 2, lineBreak: String = "\n", outputs: Bool = true, between: String = ""
    ) -> String {
        let pad = String(repeating: " ", count: indent)
        var lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Parameters:", "  Stage: {Type: String}", "Resources:"]
        for index in 0..<tables {
            if index > 0, !between.isEmpty { lines.append(between.replacingOccurrences(of: "{i}", with: "\(index)")) }
            lines += [
                "\(pad)Table\(index):", "\(pad)  Type: AWS::DynamoDB::Table", "\(pad)  Properties:",
                "\(pad)    TableName: !Sub '${Stage}-\(index)'", "\(pad)    BillingMode: PAY_PER_REQUEST",
                "\(pad)    KeySchema: [{AttributeName: pk, KeyType: HASH}]",
                "\(pad)    AttributeDefinitions:", "\(pad)      - AttributeName: pk", "\(pad)        AttributeType: S",
            ]
        }
        if outputs { lines += ["Outputs:", "  First:", "    Value: !Ref Table0"] }
        return lines.joined(separator: lineBreak) + lineBreak
    }

    static func whole(_ text: String) -> Result<Node, ParseError> {
        Result { () throws(ParseError) in try TreeBuilder.build(Array(text.utf8)) }
    }

    @Test func cutsAtAResourceNearTheMiddleAndKeepsTheSectionsAfterResourcesApart() throws {
        let text = Self.template(tables: 20)
        let bytes = Array(text.utf8)
        let cut = try #require(ResourceSplit.cut(bytes))
        let middle = String(decoding: bytes[cut.middle], as: UTF8.self)
        #expect(middle.hasPrefix("  Table"))
        #expect(String(decoding: bytes[cut.head], as: UTF8.self).hasSuffix("\n  "), "the head ends at the cut key")
        #expect(String(decoding: bytes[cut.tail], as: UTF8.self).hasPrefix("Outputs:\n"))
        let lineOfCut = text.utf8.prefix(cut.middle.lowerBound).filter { $0 == UInt8(ascii: "\n") }.count
        #expect(cut.middleLine == lineOfCut)
        let mainThread = cut.head.count + cut.tail.count
        #expect(abs(mainThread - cut.middle.count) < bytes.count / 10, "both threads get about half")
    }

    @Test(arguments: [
        ("no Resources section", "Parameters:\n  A: {Type: String}\n"),
        ("one resource", "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n"),
        ("Resources written inline", "Resources: {A: {Type: X}, B: {Type: X}}\n"),
        ("a tag on Resources", "Resources: !!map\n  A: {Type: X}\n  B: {Type: X}\n"),
        ("a second document", "Resources:\n  A: {Type: X}\n  B: {Type: X}\n---\nResources: {}\n"),
        ("a document end", "Resources:\n  A: {Type: X}\n  B: {Type: X}\n...\n"),
        ("a directive", "Resources:\n  A: {Type: X}\n  B: {Type: X}\n%YAML 1.2\n"),
        ("a quoted key at column 0", "Resources:\n  A: {Type: X}\n  B: {Type: X}\n'Outputs': {}\n"),
        ("JSON", "{\"Resources\": {\"A\": {\"Type\": \"X\"}, \"B\": {\"Type\": \"X\"}}}\n"),
        // An unindented list as a resource's value ends at the next key whole, at the head's end in a piece (a
        // fuzzer find); nothing but keys is cut at the resources' indentation.
        ("a list as a resource", "Resources:\n  A:\n  - {Type: X}\n  B: {Type: X}\n  C: {Type: X}\n"),
        ("a line left of the resources", "Resources:\n    A: {Type: X}\n  B: {Type: X}\n    C: {Type: X}\n"),
        ("a quoted resource name", "Resources:\n  A: {Type: X}\n  'B': {Type: X}\n  C: {Type: X}\n"),
        // libyaml counts these as line breaks too; the pieces' line numbers would be off (a fuzzer find).
        ("a lone CR", "A: 1\r  \rResources:\n  A: {Type: X}\n  B: {Type: X}\n"),
        ("a NEL", "A: x\u{85}y\nResources:\n  A: {Type: X}\n  B: {Type: X}\n"),
        ("an LS", "A: x\u{2028}y\nResources:\n  A: {Type: X}\n  B: {Type: X}\n"),
        ("a PS", "A: x\u{2029}y\nResources:\n  A: {Type: X}\n  B: {Type: X}\n"),
    ])
    func leavesUncutWhatItCannotCutSafely(_ why: String, _ source: String) {
        #expect(ResourceSplit.cut(Array(source.utf8)) == nil, "\(why)")
    }

    @Test(arguments: [
        ("two-space indentation", template(tables: 9)),
        ("four-space indentation", template(tables: 9, indent: 4)),
        ("CRLF line breaks", template(tables: 9, lineBreak: "\r\n")),
        ("nothing after Resources", template(tables: 9, outputs: false)),
        ("no final line break", String(template(tables: 9).dropLast())),
        ("comments between resources", template(tables: 9, between: "  # the next table\n")),
        ("blank lines between resources", template(tables: 9, between: "\n\n")),
        ("a comment at column 0 between resources", template(tables: 9, between: "# the next table")),
        (
            "a block scalar in each resource",
            template(tables: 9, between: "  Note{i}:\n    Description: |\n      text\n")
        ),
        ("a flow mapping over lines", template(tables: 9, between: "  Flow{i}: {Type: X,\n    Properties: {}}")),
        ("a quoted scalar over lines", template(tables: 9, between: "  Quoted{i}:\n    Description: 'one\n      two'")),
        ("comments after the last resource", template(tables: 9) + "# the end\n\n"),
        ("an unindented list ending each resource", template(tables: 9, between: "  L{i}:\n    Tags:\n    - {Key: a}")),
        // The root ends where the stream does, after the forced line break (a fuzzer find).
        ("a last line of spaces", template(tables: 9, outputs: false) + " "),
        ("a last line of spaces after Outputs", template(tables: 9) + "  "),
    ])
    func piecesGiveTheTreeOfTheWholeFile(_ layout: String, _ text: String) throws {
        let bytes = Array(text.utf8)
        #expect(ResourceSplit.cut(bytes) != nil, "\(layout): cut")
        let pieces = ResourceSplit.parse(bytes, minimumBytes: 0)
        #expect(pieces != nil, "\(layout): parsed in pieces")
        #expect(pieces == (try Self.whole(text).get()), "\(layout)")
    }

    /// Whatever goes wrong in a piece, the whole file is parsed again and its error is the one reported.
    @Test(arguments: [
        ("a resource in the head and the middle", template(tables: 9), "  Table8:", "  Table1:"),
        ("a section in the head and the tail", template(tables: 9), "Outputs:", "Parameters:"),
        ("a syntax error in the middle", template(tables: 9), "BillingMode: PAY_PER_REQUEST", "BillingMode: [PAY"),
        ("a tab in the middle", template(tables: 9), "  Table8:\n    Type", "  Table8:\n    \tType"),
        ("an unterminated flow mapping at the cut", template(tables: 9), "Table4:", "Table4: {"),
        ("an anchor in the middle", template(tables: 9), "Table7:", "Table7: &x"),
    ])
    func givesUpWhereAPieceFailsAndReportsTheWholeFilesError(
        _ what: String, _ text: String, _ target: String, _ replacement: String
    ) throws {
        let broken = Self.replacingLast(target, with: replacement, in: text)
        #expect(broken != text, "\(what): the case changes the template")
        let bytes = Array(broken.utf8)
        #expect(ResourceSplit.cut(bytes) != nil, "\(what): cut")
        #expect(ResourceSplit.parse(bytes, minimumBytes: 0) == nil, "\(what): given up")
        #expect(YAMLParser.piecesAgreeWithWhole(bytes))
        let big = broken + String(repeating: "# padding to be cut\n", count: Parallelism.minimumBytes / 20)
        let expected = try #require(Self.whole(big).failure, "\(what): the whole file is refused")
        #expect(throws: expected, "\(what)") { try YAMLParser.parse(big) }
    }

    static func replacingLast(_ target: String, with replacement: String, in text: String) -> String {
        guard let range = text.range(of: target, options: .backwards) else { return text }
        return text.replacingCharacters(in: range, with: replacement)
    }

    @Test func aLargeTemplateIsReadInPiecesToTheSameTree() throws {
        let text = Self.template(tables: 400)
        #expect(text.utf8.count >= Parallelism.minimumBytes)
        #expect(ResourceSplit.parse(Array(text.utf8)) != nil)
        #expect(try YAMLParser.parse(text) == (try Self.whole(text).get()))
    }

    @Test func everyFixtureReadsTheSameInPieces() throws {
        var cut = 0
        for file in ThreadedParseTests.fixtures {
            let bytes = try [UInt8](Data(contentsOf: file))
            if ResourceSplit.cut(bytes) != nil { cut += 1 }
            for end in [bytes.count, bytes.count * 2 / 3, bytes.count / 2] {
                #expect(YAMLParser.piecesAgreeWithWhole(Array(bytes[..<end])), "\(file.lastPathComponent) to \(end)")
            }
        }
        #expect(cut >= 10, "fixtures that are cut: \(cut)")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
