/// Something that hands out credentials (and refreshes them when they are temporary).
public protocol CredentialProvider: Sendable {
    func credentials() async throws -> Credentials
}

/// Fixed credentials.
public struct StaticCredentialProvider: CredentialProvider {
    public var value: Credentials

    public init(_ value: Credentials) {
        self.value = value
    }

    public func credentials() async throws -> Credentials { value }
}

/// No credential source is configured: the error lists every source that was tried.
public struct NoCredentialsError: Error, Sendable, CustomStringConvertible {
    public var tried: [String]

    public var description: String {
        "no AWS credentials found; tried: \(tried.joined(separator: ", ")). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run where a role is available"
    }
}

/// A configured source that failed (an unreadable token file, a failing credential_process, STS refusing).
public struct CredentialSourceError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var message: String

    public var description: String { "credentials from \(source): \(message)" }
}

/// Caches temporary credentials and fetches new ones shortly before they expire, so a long deploy never
/// signs with expired keys.
public actor RefreshingCredentialProvider: CredentialProvider {
    public static let refreshMargin = 300

    private let fetch: @Sendable () async throws -> Credentials
    private let clock: @Sendable () -> Int
    private var cached: Credentials?

    public init(
        clock: @escaping @Sendable () -> Int = SystemClock.now,
        fetch: @escaping @Sendable () async throws -> Credentials
    ) {
        self.fetch = fetch
        self.clock = clock
    }

    public func credentials() async throws -> Credentials {
        if let cached, cached.expiration.map({ $0 - Self.refreshMargin > clock() }) ?? true { return cached }
        let fresh = try await fetch()
        cached = fresh
        return fresh
    }
}
