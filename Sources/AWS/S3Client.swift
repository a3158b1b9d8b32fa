/// S3, for the one thing ddbstack needs it for: uploading a template over CloudFormation's inline limit so the
/// change set can name it by TemplateURL. Path-style against a configured endpoint (an emulator, a VPC endpoint),
/// virtual-hosted against AWS.
public struct S3Client: Sendable {
    let connection: ServiceConnection
    let endpoints: Endpoints
    let region: String

    public init(context: AWSContext) {
        connection = ServiceConnection(
            context: context, service: "s3", displayName: "S3", errorFormat: .xml, verifiesCRC32: false)
        endpoints = context.endpoints
        region = context.region
    }

    /// Where an object lives, as CloudFormation's TemplateURL wants it.
    public func url(bucket: String, key: String) -> String {
        let path = "/" + URIEncoding.encode(key, slash: false)
        if endpoints.isDefault(for: "s3"), Self.virtualHostable(bucket) {
            return "https://\(bucket).s3.\(region).\(Endpoints.suffix(region: region))\(path)"
        }
        return connection.endpoint.trimmingSuffix("/") + "/\(bucket)\(path)"
    }

    /// PutObject, signed with the payload's SHA-256 (S3 requires `x-amz-content-sha256`); the object's URL.
    /// Retried after a dropped connection: writing the same bytes to the same key twice is harmless.
    @discardableResult
    public func putObject(bucket: String, key: String, body: [UInt8], contentType: String = "application/octet-stream")
        async throws -> String
    {
        let url = url(bucket: bucket, key: key)
        var connection = connection
        if endpoints.isDefault(for: "s3"), Self.virtualHostable(bucket) {
            var context = connection.context
            context.endpoints = Endpoints(
                override: "https://\(bucket).s3.\(region).\(Endpoints.suffix(region: region))")
            connection = ServiceConnection(
                context: context, service: "s3", displayName: "S3", errorFormat: .xml, verifiesCRC32: false)
        }
        let path = String(url.dropFirst(connection.endpoint.trimmingSuffix("/").count))
        _ = try await connection.send(
            operation: "PutObject", method: "PUT", path: path,
            headers: [("Content-Type", contentType), ("x-amz-content-sha256", Digest.hex(try Digest.sha256(body)))],
            body: body, idempotent: true)
        return url
    }

    /// DNS-compatible names without dots can be addressed as `bucket.s3.region.amazonaws.com` over TLS.
    static func virtualHostable(_ bucket: String) -> Bool {
        (3...63).contains(bucket.count) && !bucket.contains(".")
            && bucket.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-")
            }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
