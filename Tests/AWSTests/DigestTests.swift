import Testing

@testable import AWS

/// libcrypto is loaded on the first digest (the CCrypto shim): the published vectors check the functions it binds.
@Suite struct DigestTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ])
    func sha256MatchesFIPSVectors(message: String, digest: String) throws {
        #expect(Digest.hex(try Digest.sha256(Array(message.utf8))) == digest)
    }

    /// RFC 4231, test case 2.
    @Test func hmacSHA256MatchesRFC4231() throws {
        let mac = try Digest.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
        #expect(Digest.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
