/// Finds the first byte that is not UTF-8, so the error can name its line and column.
enum UTF8Check {
    static func validate(_ bytes: [UInt8]) throws(ParseError) {
        // UTF8Span validates in place: no copy of the template just to learn it is text.
        let offset: Int
        do {
            _ = try UTF8Span(validating: bytes.span)
            return
        } catch {
            offset = error.byteOffsets.lowerBound
        }
        throw ParseError(
            "invalid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true))): a template must be UTF-8 text",
            at: location(of: offset, in: bytes))
    }

    /// Line and column (in Unicode scalars) of a byte offset in a prefix known to be valid.
    static func location(of offset: Int, in bytes: [UInt8]) -> SourceLocation {
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return SourceLocation(line: line, column: column)
    }
}
