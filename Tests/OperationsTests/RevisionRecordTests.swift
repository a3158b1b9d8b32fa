import Template
import Testing

@testable import Operations

/// The revision record goes into the template's own Metadata — whatever shape the template has — and comes back.
@Suite struct RevisionRecordTests {
    static let table =
        "Resources:\n  T: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}]}}\n"

    static let shapes: [(String, String)] = [
        ("no Metadata", Self.table),
        ("no final newline", String(Self.table.dropLast())),
        ("block Metadata", "Metadata:\n  Owner: team\n" + Self.table),
        ("flow Metadata", "Metadata: {Owner: team}\n" + Self.table),
        ("empty flow Metadata", "Metadata: {}\n" + Self.table),
        (
            "an earlier record",
            "Metadata:\n  ddbstack: {\"revision\": \"old\", \"templateSha256\": \"00\"}\n  Owner: team\n" + Self.table
        ),
        ("JSON", #"{"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {}}}}"#),
        (
            "JSON with Metadata",
            #"{"Metadata": {"Owner": "team"}, "Resources": {"T": {"Type": "AWS::DynamoDB::Table"}}}"#
        ),
        ("non-ASCII", "Description: \"Tables — für alle\"\nMetadata:\n  Owner: équipe\n" + Self.table),
    ]

    @Test(arguments: Self.shapes)
    func theRecordIsStampedReadBackAndStrippedToTheOriginal(_ shape: String, _ source: String) throws {
        let template = try Template.parse(Array(source.utf8))
        let record = RevisionRecord(revision: "abc \"1\"", templateSHA256: "ff00")
        let stamped = record.stamp(source, template: template)
        let parsed = try Template.parse(Array(stamped.utf8))
        #expect(RevisionRecord.read(parsed) == record, "\(shape): \(stamped)")
        let original = RevisionRecord.strip(try Template.parse(Array(source.utf8)).root)
        #expect(
            JSONWriter.compact(RevisionRecord.strip(parsed.root)) == JSONWriter.compact(original),
            "\(shape): \(stamped)")
        #expect(parsed.root["Metadata"]?["Owner"]?.scalarText == template.root["Metadata"]?["Owner"]?.scalarText)
    }

    @Test func anOlderDdbstacksTagsAreReadWhenTheTemplateHasNoRecord() throws {
        let tags = ["ddbstack:template-sha256": "aa", "ddbstack:revision": "r1"]
        #expect(RevisionRecord.read(nil, tags: tags) == RevisionRecord(revision: "r1", templateSHA256: "aa"))
        let stamped = try Template.parse(
            Array(
                RevisionRecord(revision: "r2", templateSHA256: "bb").stamp(
                    Self.table, template: try Template.parse(Array(Self.table.utf8))
                ).utf8))
        #expect(RevisionRecord.read(stamped, tags: tags)?.revision == "r2", "the template's record wins")
    }
}
