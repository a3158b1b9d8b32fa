/// AWS Signature Version 4, as a pure value: the clock is a parameter, each step a function.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
public struct SigV4: Sendable {
    public var service: String
    public var region: String

    public init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    /// A request to sign: method, path, query (already split), headers and body.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: [(String, String)]
        public var headers: [(String, String)]
        public var body: [UInt8]

        public init(
            method: String, path: String = "/", query: [(String, String)] = [], headers: [(String, String)],
            body: [UInt8]
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }
    }

    /// The headers to add: `X-Amz-Date`, `X-Amz-Security-Token` with session credentials, and `Authorization`.
    /// Every header of the request is signed (the caller leaves out what must not be, such as User-Agent).
    public func sign(_ request: Request, credentials: Credentials, date: AmzDate) throws(DigestUnavailable)
        -> [(String, String)]
    {
        var added = [("X-Amz-Date", date.timestamp)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        var signing = request
        signing.headers += added
        let (canonical, signedHeaders) = try canonicalRequest(signing)
        let scope = "\(date.day)/\(region)/\(service)/aws4_request"
        let toSign = try stringToSign(canonical, date: date, scope: scope)
        let key = try signingKey(secret: credentials.secretAccessKey, day: date.day)
        let signature = Digest.hex(try Digest.hmacSHA256(key: key, Array(toSign.utf8)))
        added.append(
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
            ))
        return added
    }

    /// Task 1: the canonical request, and the signed-header list.
    func canonicalRequest(_ request: Request) throws(DigestUnavailable) -> (String, String) {
        var headers: [String: [String]] = [:]
        for (name, value) in request.headers {
            headers[name.lowercased(), default: []].append(Self.trimmed(value))
        }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let encoded: [(String, String)] = request.query.map { pair in
            (URIEncoding.encode(pair.0, slash: true), URIEncoding.encode(pair.1, slash: true))
        }
        let sorted = encoded.sorted { left, right in left.0 == right.0 ? left.1 < right.1 : left.0 < right.0 }
        let query = sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let path = URIEncoding.encode(request.path, slash: false)
        let canonical = [
            request.method, path, query, canonicalHeaders, signedHeaders, Digest.hex(try Digest.sha256(request.body)),
        ]
        .joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    /// Task 2: the string to sign.
    func stringToSign(_ canonicalRequest: String, date: AmzDate, scope: String) throws(DigestUnavailable) -> String {
        "AWS4-HMAC-SHA256\n\(date.timestamp)\n\(scope)\n\(Digest.hex(try Digest.sha256(Array(canonicalRequest.utf8))))"
    }

    /// Task 3: the signing key, derived from the secret by date, region and service.
    func signingKey(secret: String, day: String) throws(DigestUnavailable) -> [UInt8] {
        var key = try Digest.hmacSHA256(key: Array("AWS4\(secret)".utf8), Array(day.utf8))
        for part in [region, service, "aws4_request"] { key = try Digest.hmacSHA256(key: key, Array(part.utf8)) }
        return key
    }

    /// Header values: leading and trailing spaces removed, inner runs of spaces folded to one.
    static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}

/// A signing time: `20150830T123600Z` and its day `20150830`.
public struct AmzDate: Sendable, Equatable {
    public var timestamp: String
    public var day: String { String(timestamp.prefix(8)) }

    public init(timestamp: String) {
        self.timestamp = timestamp
    }

    /// From seconds since 1970 (UTC).
    public init(epochSeconds: Int) {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let seconds = epochSeconds - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        timestamp =
            "\(year)\(two(month))\(two(day))T\(two(seconds / 3600))\(two(seconds % 3600 / 60))\(two(seconds % 60))Z"
    }

    /// Howard Hinnant's days-from-civil inverse.
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// RFC 3986 percent-encoding as SigV4 requires: unreserved characters stay, everything else is `%XX`.
enum URIEncoding {
    static func encode(_ text: String, slash: Bool) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where !slash:
                output += "/"
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                output += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
            }
        }
        return output
    }
}
