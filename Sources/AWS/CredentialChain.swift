import Template

/// The AWS CLI's credential chain: `--profile`; environment keys; web identity (CI OIDC); the shared
/// credentials and config files (static keys, `credential_process`, `role_arn` with `source_profile` or
/// `web_identity_token_file`); container credentials; the EC2 instance metadata service (IMDSv2).
public struct CredentialChain: CredentialProvider {
    public let environment: AWSEnvironment
    /// `--profile`: when given, environment keys are not consulted.
    public let explicitProfile: String?
    public let region: String
    public let transport: any HTTPTransport
    public let clock: @Sendable () -> Int

    public init(
        environment: AWSEnvironment, explicitProfile: String?, region: String, transport: any HTTPTransport,
        clock: @escaping @Sendable () -> Int = SystemClock.now
    ) {
        self.environment = environment
        self.explicitProfile = explicitProfile
        self.region = region
        self.transport = transport
        self.clock = clock
    }

    public func credentials() async throws -> Credentials {
        var tried: [String] = []
        for source in sources {
            tried.append(source.name)
            if let credentials = try await source.resolve() { return credentials }
        }
        throw NoCredentialsError(tried: tried)
    }

    struct Source {
        var name: String
        var resolve: () async throws -> Credentials?
    }

    var sources: [Source] {
        let profileName = explicitProfile ?? environment["AWS_PROFILE"] ?? "default"
        var sources: [Source] = []
        if explicitProfile == nil {
            sources.append(Source(name: "environment (AWS_ACCESS_KEY_ID)") { environmentKeys() })
            sources.append(
                Source(name: "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)") {
                    guard let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"],
                        let role = environment["AWS_ROLE_ARN"]
                    else { return nil }
                    return try await webIdentity(
                        tokenFile: tokenFile, role: role, session: environment["AWS_ROLE_SESSION_NAME"])
                })
        }
        sources.append(
            Source(name: "profile '\(profileName)' in the shared files") { try await profile(profileName, depth: 0) })
        if explicitProfile == nil {
            sources.append(Source(name: "container (AWS_CONTAINER_CREDENTIALS_*)") { try await container() })
            sources.append(Source(name: "EC2 instance metadata") { try await instanceMetadata() })
        }
        return sources
    }

    func environmentKeys() -> Credentials? {
        guard let key = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
            return nil
        }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"],
            source: "environment")
    }

    func profile(_ name: String, depth: Int) async throws -> Credentials? {
        guard let settings = environment.sharedConfig.profile(name) else {
            if explicitProfile == name {
                throw CredentialSourceError(source: "profile '\(name)'", message: "no such profile in the shared files")
            }
            return nil
        }
        let source = "profile '\(name)'"
        if let role = settings["role_arn"] {
            guard depth < 5 else {
                throw CredentialSourceError(source: source, message: "source_profile chain is too long (a loop?)")
            }
            if let tokenFile = settings["web_identity_token_file"] {
                return try await webIdentity(tokenFile: tokenFile, role: role, session: settings["role_session_name"])
            }
            guard let sourceName = settings["source_profile"] else {
                throw CredentialSourceError(
                    source: source, message: "role_arn needs source_profile or web_identity_token_file")
            }
            let base =
                sourceName == name
                ? staticKeys(settings, source: source) : try await profile(sourceName, depth: depth + 1)
            guard let base else {
                throw CredentialSourceError(
                    source: source, message: "source_profile '\(sourceName)' has no credentials")
            }
            return try await sts(base).assumeRole(
                role, sessionName: settings["role_session_name"] ?? "ddbstack-\(clock())",
                externalId: settings["external_id"])
        }
        if let command = settings["credential_process"] { return try credentialProcess(command, source: source) }
        return staticKeys(settings, source: source)
    }

    func staticKeys(_ settings: [String: String], source: String) -> Credentials? {
        guard let key = settings["aws_access_key_id"], let secret = settings["aws_secret_access_key"] else {
            return nil
        }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: settings["aws_session_token"], source: source)
    }

    /// `credential_process`: JSON `{"Version":1,"AccessKeyId",…,"Expiration"}` on stdout.
    func credentialProcess(_ command: String, source: String) throws -> Credentials {
        let (status, output) = environment.runProcess(command)
        guard status == 0 else {
            throw CredentialSourceError(source: source, message: "credential_process exited with status \(status)")
        }
        guard let json = try? JSONParser.parse(output), let key = json["AccessKeyId"]?.stringValue,
            let secret = json["SecretAccessKey"]?.stringValue
        else {
            throw CredentialSourceError(
                source: source,
                message: "credential_process did not print {\"Version\": 1, \"AccessKeyId\": …, \"SecretAccessKey\": …}"
            )
        }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: json["SessionToken"]?.stringValue,
            expiration: json["Expiration"]?.stringValue.flatMap(Timestamp.parse),
            source: "\(source) (credential_process)")
    }

    func webIdentity(tokenFile: String, role: String, session: String?) async throws -> Credentials {
        guard let token = environment.readFile(tokenFile) else {
            throw CredentialSourceError(source: "web identity", message: "cannot read the token file \(tokenFile)")
        }
        let text = String(decoding: token, as: UTF8.self).trimmedWhitespace
        return try await sts(nil).assumeRoleWithWebIdentity(
            role, token: text, sessionName: session ?? "ddbstack-\(clock())")
    }

    /// ECS/EKS container credentials: `169.254.170.2` + the relative URI, or the full URI, with its token.
    func container() async throws -> Credentials? {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            url = "http://169.254.170.2\(relative)"
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] {
            url = full
        } else {
            return nil
        }
        var headers: [(String, String)] = []
        if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
            headers.append(("Authorization", token))
        } else if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"],
            let token = environment.readFile(file)
        {
            headers.append(("Authorization", String(decoding: token, as: UTF8.self).trimmedWhitespace))
        }
        let response = try await transport.send(HTTPRequest(method: "GET", url: url, headers: headers))
        return try Self.temporaryCredentials(response, source: "container")
    }

    /// IMDSv2: a session token (PUT), the role name, then its credentials.
    func instanceMetadata() async throws -> Credentials? {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        let base =
            environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            ?? "http://169.254.169.254"
        let tokenResponse: HTTPResponse
        do {
            tokenResponse = try await transport.send(
                HTTPRequest(
                    method: "PUT", url: "\(base)/latest/api/token",
                    headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")]))
        } catch is TransportError {
            return nil  // Not on EC2.
        }
        guard tokenResponse.status == 200 else { return nil }
        let token = [("X-aws-ec2-metadata-token", String(decoding: tokenResponse.body, as: UTF8.self))]
        let path = "\(base)/latest/meta-data/iam/security-credentials/"
        let roles = try await transport.send(HTTPRequest(method: "GET", url: path, headers: token))
        guard roles.status == 200, let role = String(decoding: roles.body, as: UTF8.self).split(separator: "\n").first
        else { return nil }
        let response = try await transport.send(HTTPRequest(method: "GET", url: path + role, headers: token))
        return try Self.temporaryCredentials(response, source: "EC2 instance metadata (role \(role))")
    }

    static func temporaryCredentials(_ response: HTTPResponse, source: String) throws -> Credentials {
        guard response.status == 200, let json = try? JSONParser.parse(response.body),
            let key = json["AccessKeyId"]?.stringValue,
            let secret = json["SecretAccessKey"]?.stringValue
        else {
            throw CredentialSourceError(
                source: source, message: "HTTP \(response.status), no credentials in the response")
        }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue,
            expiration: json["Expiration"]?.stringValue.flatMap(Timestamp.parse), source: source)
    }

    func sts(_ credentials: Credentials?) -> STSClient {
        let environmentEndpoints = Endpoints(environment: environment.variables, override: nil)
        return STSClient(
            context: AWSContext(
                region: region,
                credentials: StaticCredentialProvider(
                    credentials ?? Credentials(accessKeyId: "", secretAccessKey: "")), transport: transport,
                endpoints: environmentEndpoints, clock: clock))
    }
}
