/// Plain-scalar typing by the YAML 1.2 core schema (see `YAMLParser`).
enum Scalars {
    static func plainKind(_ text: String) -> Node.Kind {
        var bytes = text
        return bytes.withUTF8 { plainKind($0, text: text) }
    }

    /// The kind of the plain scalar `bytes`, read from the bytes: comparing the String with each word of the
    /// schema cost a tree of a large template several million instructions. `text` is the same scalar as a String,
    /// made by the caller only when it is needed.
    static func plainKind(_ bytes: UnsafeBufferPointer<UInt8>, text: @autoclosure () -> String) -> Node.Kind {
        // Most plain scalars are names: one look at the first byte rules out null, bool and number.
        guard let first = bytes.first else { return .null }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return isNumber(bytes: bytes) ? .number(text()) : .string(text())
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"):
            break
        default:
            return .string(text())
        }
        if bytes.count == 1, first == UInt8(ascii: "~") { return .null }
        if isWord(bytes, "null") { return .null }
        if isWord(bytes, "true") { return .bool(true) }
        if isWord(bytes, "false") { return .bool(false) }
        return .string(text())
    }

    /// Whether `bytes` is `word` written in one of the three casings the core schema accepts: all lower case
    /// (`null`), capitalised (`Null`) or all upper case (`NULL`).
    private static func isWord(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let lower = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        let upper = { (letter: UInt8) in letter & ~0x20 }  // ASCII letters only
        let restLower = zip(bytes.dropFirst(), lower.dropFirst()).allSatisfy { $0 == $1 }
        let restUpper = zip(bytes.dropFirst(), lower.dropFirst()).allSatisfy { $0 == upper($1) }
        return (bytes[0] == lower[0] && restLower) || (bytes[0] == upper(lower[0]) && (restLower || restUpper))
    }

    static func isNumber(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isNumber(bytes: $0) }
    }

    private static func isNumber(bytes utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first else { return false }
        if first == UInt8(ascii: "0"), utf8.count > 2 {
            let body = utf8.dropFirst(2)
            switch utf8[1] {
            case UInt8(ascii: "x"): return body.allSatisfy(isHexDigit)
            case UInt8(ascii: "o"): return body.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
            default: break
            }
        }
        if isDecimal(utf8[...]) { return true }
        switch String(decoding: utf8, as: UTF8.self) {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return true
        default:
            return false
        }
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    private static func isDecimal(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var rest = bytes
        if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { rest = rest.dropFirst() }
        let integer = rest.prefix(while: isDigit)
        rest = rest.dropFirst(integer.count)
        var fraction = 0
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            fraction = rest.prefix(while: isDigit).count
            rest = rest.dropFirst(fraction)
        }
        guard integer.count + fraction > 0 else { return false }
        if let e = rest.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { rest = rest.dropFirst() }
            let exponent = rest.prefix(while: isDigit).count
            guard exponent > 0 else { return false }
            rest = rest.dropFirst(exponent)
        }
        return rest.isEmpty
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
