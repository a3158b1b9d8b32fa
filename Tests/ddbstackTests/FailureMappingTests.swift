import AWS
import Testing

@testable import ddbstack

/// What the AWS layer throws becomes a failure of the operation (exit 3) with its own words, not a usage error.
@Suite struct FailureMappingTests {
    @Test func aMissingLibcryptoFailsTheOperation() throws {
        let failure = try #require(DDBStack.failure(DigestUnavailable() as any Error))
        #expect(failure.exitCode == ExitStatus.failed)
        #expect(failure.message.contains("libcrypto could not be loaded"))
    }
}
