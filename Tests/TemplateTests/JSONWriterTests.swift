import Testing

@testable import Template

/// Strings written as JSON: what must be escaped is, everything else is kept byte for byte — including a combining
/// mark right after an escaped character — and the parser reads back exactly the text written.
struct JSONWriterTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("say \"hi\"", #""say \"hi\"""#),
        ("a\\b", #""a\\b""#),
        ("line\nbreak\ttab\r", #""line\nbreak\ttab\r""#),
        ("\u{01}\u{1f}\u{08}\u{0C}", #""\u0001\u001f\b\f""#),
        ("\"\u{301}", "\"\\\"\u{301}\""),
        ("\n\u{301}x", "\"\\n\u{301}x\""),
        ("é ü 🙂 中文", "\"é ü 🙂 中文\""),
        ("", #""""#),
    ])
    func writesEscapesAndKeepsEverythingElse(text: String, json: String) throws {
        let written = JSONWriter.write(.string(text), pretty: false)
        #expect(Array(written.utf8) == Array(json.utf8))
        #expect(try JSONParser.parse(Array(written.utf8)) == .string(text))
    }
}
