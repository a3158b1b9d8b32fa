import CCrypto

/// libcrypto could not be loaded or failed: nothing can be hashed or signed. An AWS-side failure (exit 3), like a
/// missing libcurl.
public struct DigestUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public init() {}

    public var description: String { "libcrypto could not be loaded (is libssl3 installed?): nothing can be signed" }
}

/// SHA-256 and HMAC-SHA256 from the system's libcrypto (loaded on first use, see the CCrypto shim), and lower-case
/// hex.
public enum Digest {
    public static func sha256(_ bytes: [UInt8]) throws(DigestUnavailable) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        let done = bytes.withUnsafeBytes { input in ddb_sha256(input.baseAddress, input.count, &output) }
        guard done == 1 else { throw DigestUnavailable() }
        return output
    }

    public static func hmacSHA256(key: [UInt8], _ message: [UInt8]) throws(DigestUnavailable) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        let done = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                ddb_hmac_sha256(
                    keyBytes.baseAddress, Int32(keyBytes.count),
                    messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count, &output)
            }
        }
        guard done == 1 else { throw DigestUnavailable() }
        return output
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output = [UInt8]()
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
