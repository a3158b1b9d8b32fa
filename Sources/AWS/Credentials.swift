/// An access key, its secret, and a session token for temporary credentials.
public struct Credentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Seconds since 1970 when temporary credentials expire.
    public var expiration: Int?
    /// Where they came from, for `doctor` and error messages (never the secret).
    public var source: String

    public init(
        accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Int? = nil,
        source: String = "given"
    ) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }
}
