/// Finds the first byte that is not UTF-8, so the error can name its line and column.
enum UTF8Check {
    static func validate(_ bytes: [UInt8]) throws(ParseError) {
        if String(validating: bytes, as: UTF8.self) != nil { return }
        let offset = firstInvalidOffset(bytes)
        throw ParseError(
            "invalid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true))): a template must be UTF-8 text",
            at: location(of: offset, in: bytes))
    }

    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            if String(validating: bytes[index..<index + length], as: UTF8.self) == nil { return index }
            index += length
        }
        return bytes.count - 1
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
