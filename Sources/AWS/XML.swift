/// A minimal XML reader for AWS Query responses: elements, text and the five entities plus character
/// references. No DTDs, no namespaces beyond ignoring prefixes; attributes are skipped.
public struct XMLElement: Sendable, Equatable {
    public var name: String
    public var children: [XMLElement]
    public var text: String

    /// The first child named `name`.
    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// The text of the element at a path of child names.
    public func value(_ path: String...) -> String? {
        var element: XMLElement? = self
        for name in path { element = element?.child(name) }
        return element?.text
    }

    /// `<member>` items of a list element.
    public var members: [XMLElement] { children.filter { $0.name == "member" } }

    public struct ParseError: Error, Sendable, Equatable {
        public var message: String
    }

    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> XMLElement {
        var reader = Reader(bytes: bytes)
        reader.skipProlog()
        guard let root = try reader.element(depth: 0) else { throw ParseError(message: "no XML element") }
        return root
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipProlog() {
            while true {
                while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                guard index + 1 < bytes.count,
                    bytes[index + 1] == UInt8(ascii: "?") || bytes[index + 1] == UInt8(ascii: "!")
                else { return }
                while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                index += 1
            }
        }

        mutating func element(depth: Int) throws(ParseError) -> XMLElement? {
            guard depth < 100 else { throw ParseError(message: "XML nested too deeply") }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { return nil }
            index += 1
            let nameStart = index
            while index < bytes.count, !" \t\r\n/>".utf8.contains(bytes[index]) { index += 1 }
            let qualified = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            let name = qualified.split(separator: ":").last.map(String.init) ?? qualified
            while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
            guard index < bytes.count else { throw ParseError(message: "unterminated tag '\(name)'") }
            if bytes[index - 1] == UInt8(ascii: "/") {
                index += 1
                return XMLElement(name: name, children: [], text: "")
            }
            index += 1
            var children: [XMLElement] = []
            var text: [UInt8] = []
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "<") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                        while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                        index += 1
                        return XMLElement(name: name, children: children, text: try decode(text))
                    }
                    if index + 3 < bytes.count, bytes[index + 1] == UInt8(ascii: "!") {
                        skipComment()
                        continue
                    }
                    if let child = try element(depth: depth + 1) { children.append(child) }
                } else {
                    text.append(bytes[index])
                    index += 1
                }
            }
            throw ParseError(message: "unterminated element '\(name)'")
        }

        mutating func skipComment() {
            while index + 2 < bytes.count,
                !(bytes[index] == UInt8(ascii: "-") && bytes[index + 1] == UInt8(ascii: "-")
                    && bytes[index + 2] == UInt8(ascii: ">"))
            {
                index += 1
            }
            index += 3
        }

        func decode(_ raw: [UInt8]) throws(ParseError) -> String {
            let text = String(decoding: raw, as: UTF8.self)
            guard text.contains("&") else { return text.trimmedWhitespace }
            var output = ""
            var rest = text[...]
            while let amp = rest.firstIndex(of: "&") {
                output += rest[..<amp]
                guard let semicolon = rest[amp...].firstIndex(of: ";") else {
                    throw ParseError(message: "unterminated entity")
                }
                let entity = rest[rest.index(after: amp)..<semicolon]
                switch entity {
                case "amp": output += "&"
                case "lt": output += "<"
                case "gt": output += ">"
                case "quot": output += "\""
                case "apos": output += "'"
                default:
                    let number =
                        entity.hasPrefix("#x")
                        ? UInt32(entity.dropFirst(2), radix: 16)
                        : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                    guard let number, let scalar = Unicode.Scalar(number) else {
                        throw ParseError(message: "unknown entity '&\(entity);'")
                    }
                    output.unicodeScalars.append(scalar)
                }
                rest = rest[rest.index(after: semicolon)...]
            }
            return (output + rest).trimmedWhitespace
        }
    }
}

extension String {
    var trimmedWhitespace: String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
