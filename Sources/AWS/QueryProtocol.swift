/// The Query protocol of CloudFormation and STS: form-encoded parameters in, XML out (FACTS.md §3).
struct QueryProtocol: Sendable {
    let connection: ServiceConnection
    let version: String

    /// Sends `Action` with `parameters` (lists already flattened to `Name.member.N`); returns the `…Result` element.
    func call(_ action: String, _ parameters: [(String, String)] = [], idempotent: Bool = true, signed: Bool = true)
        async throws -> XMLElement
    {
        let body = Self.encode([("Action", action), ("Version", version)] + parameters)
        let response = try await connection.send(
            operation: action, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(body.utf8), idempotent: idempotent, signed: signed)
        do {
            let root = try XMLElement.parse(response.body)
            return root.child("\(action)Result") ?? XMLElement(name: "\(action)Result", children: [], text: "")
        } catch {
            throw AWSError(
                service: connection.displayName, operation: action, code: "MalformedResponse",
                message:
                    "the response is not the XML expected: \(String(decoding: response.body.prefix(120), as: UTF8.self))",
                requestId: response.header("x-amzn-RequestId"), status: response.status)
        }
    }

    static func encode(_ parameters: [(String, String)]) -> String {
        parameters.map { "\(URIEncoding.encode($0.0, slash: true))=\(URIEncoding.encode($0.1, slash: true))" }.joined(
            separator: "&")
    }

    /// `Name.member.1=…` for a list.
    static func list(_ name: String, _ values: [String]) -> [(String, String)] {
        values.enumerated().map { ("\(name).member.\($0.offset + 1)", $0.element) }
    }
}

/// STS: who am I, and temporary credentials for a role.
public struct STSClient: Sendable {
    let query: QueryProtocol

    public init(context: AWSContext) {
        query = QueryProtocol(
            connection: ServiceConnection(
                context: context, service: "sts", displayName: "STS", errorFormat: .xml,
                verifiesCRC32: false), version: "2011-06-15")
    }

    public struct Identity: Sendable, Equatable {
        public var account: String
        public var arn: String
        public var userId: String
    }

    public func getCallerIdentity() async throws -> Identity {
        let result = try await query.call("GetCallerIdentity")
        return Identity(
            account: result.value("Account") ?? "", arn: result.value("Arn") ?? "", userId: result.value("UserId") ?? ""
        )
    }

    public func assumeRole(_ role: String, sessionName: String, externalId: String? = nil) async throws -> Credentials {
        var parameters = [("RoleArn", role), ("RoleSessionName", sessionName)]
        if let externalId { parameters.append(("ExternalId", externalId)) }
        return try credentials(try await query.call("AssumeRole", parameters), source: "assumed role \(role)")
    }

    /// Unsigned: the web identity token is the proof.
    public func assumeRoleWithWebIdentity(_ role: String, token: String, sessionName: String) async throws
        -> Credentials
    {
        let result = try await query.call(
            "AssumeRoleWithWebIdentity",
            [("RoleArn", role), ("RoleSessionName", sessionName), ("WebIdentityToken", token)], signed: false)
        return try credentials(result, source: "web identity role \(role)")
    }

    private func credentials(_ result: XMLElement, source: String) throws -> Credentials {
        guard let key = result.value("Credentials", "AccessKeyId"),
            let secret = result.value("Credentials", "SecretAccessKey")
        else {
            throw AWSError(
                service: "STS", operation: "AssumeRole", code: "MalformedResponse",
                message: "no Credentials in the response")
        }
        return Credentials(
            accessKeyId: key, secretAccessKey: secret, sessionToken: result.value("Credentials", "SessionToken"),
            expiration: result.value("Credentials", "Expiration").flatMap(Timestamp.parse), source: source)
    }
}
