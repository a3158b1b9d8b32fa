import Template

/// What every client shares: region, credentials, transport, retry policy, and the injected clock.
public struct AWSContext: Sendable {
    public var region: String
    public var credentials: any CredentialProvider
    public var transport: any HTTPTransport
    public var retry: RetryPolicy
    public var endpoints: Endpoints
    /// Seconds since 1970, for signing.
    public var clock: @Sendable () -> Int
    public var sleep: @Sendable (Double) async -> Void
    public var random: @Sendable () -> Double
    /// `--verbose`: one line per request, never a header or a body (so never a secret).
    public var log: (@Sendable (String) -> Void)?
    public let calls = CallCounter()

    public init(
        region: String, credentials: any CredentialProvider, transport: any HTTPTransport, endpoints: Endpoints,
        retry: RetryPolicy = RetryPolicy(), clock: @escaping @Sendable () -> Int = SystemClock.now,
        sleep: @escaping @Sendable (Double) async -> Void = SystemClock.sleep,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        log: (@Sendable (String) -> Void)? = nil
    ) {
        self.region = region
        self.credentials = credentials
        self.transport = transport
        self.endpoints = endpoints
        self.retry = retry
        self.clock = clock
        self.sleep = sleep
        self.random = random
        self.log = log
    }

    /// The same credentials, transport and policies for another region (its endpoints follow the region unless
    /// they are overridden), counting calls with this context.
    public func region(_ region: String) -> AWSContext {
        var context = self
        context.region = region
        return context
    }
}

/// One service endpoint: builds, signs and sends requests, retries what is safe to retry, and turns failures
/// into `AWSError`s.
struct ServiceConnection: Sendable {
    /// How a service encodes its errors.
    enum ErrorFormat: Sendable {
        case json, xml
    }

    let context: AWSContext
    /// The signing name (`dynamodb`, `cloudformation`, `sts`).
    let service: String
    /// The name users know (`DynamoDB`).
    let displayName: String
    let errorFormat: ErrorFormat
    /// DynamoDB sends `x-amz-crc32`; a mismatch is a corrupted response.
    let verifiesCRC32: Bool

    var endpoint: String { context.endpoints.url(for: service, region: context.region) }

    /// `path` is appended to the endpoint (S3's `/bucket/key`); the other services post to the endpoint itself.
    func send(
        operation: String, method: String = "POST", path: String = "", headers: [(String, String)], body: [UInt8],
        idempotent: Bool,
        signed: Bool = true
    ) async throws -> HTTPResponse {
        let url = endpoint.hasSuffix("/") && path.hasPrefix("/") ? endpoint + path.dropFirst() : endpoint + path
        let host = URLParts(url).authority
        var attempt = 0
        while true {
            attempt += 1
            var request = HTTPRequest(method: method, url: url, headers: [("Host", host)] + headers, body: body)
            if signed {
                let credentials = try await context.credentials.credentials()
                request.headers += try SigV4(service: service, region: context.region)
                    .sign(
                        SigV4.Request(method: method, path: URLParts(url).path, headers: request.headers, body: body),
                        credentials: credentials, date: AmzDate(epochSeconds: context.clock()))
            }
            let started = SystemClock.milliseconds()
            context.calls.record(displayName, operation)
            let outcome: RetryPolicy.Outcome
            do {
                let response = try await context.transport.send(request)
                log(operation, "\(response.status)", started, attempt)
                if (200..<300).contains(response.status) {
                    guard verifiesCRC32, let expected = response.header("x-amz-crc32").flatMap({ UInt32($0) }),
                        expected != CRC32.checksum(response.body)
                    else { return response }
                    outcome = .checksumMismatch
                } else {
                    outcome = .service(parseError(response, operation: operation))
                }
            } catch let error as TransportError {
                log(operation, error.kind.rawValue, started, attempt)
                outcome = .transport(error)
            }
            guard attempt < context.retry.maximumAttempts,
                context.retry.shouldRetry(outcome, service: service, idempotent: idempotent)
            else {
                throw finalError(outcome, operation: operation, attempts: attempt)
            }
            await context.sleep(context.retry.delay(afterAttempt: attempt, random: context.random()))
        }
    }

    private func log(_ operation: String, _ result: String, _ started: Int, _ attempt: Int) {
        context.log?(
            "\(displayName) \(operation) → \(result) in \(SystemClock.milliseconds() - started) ms (attempt \(attempt))"
        )
    }

    private func finalError(_ outcome: RetryPolicy.Outcome, operation: String, attempts: Int) -> AWSError {
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        switch outcome {
        case .service(var error):
            if attempts > 1 { error.message += " (gave up\(tries))" }
            return error
        case .transport(let error):
            return AWSError(
                service: displayName, operation: operation, code: "RequestFailed",
                message: "\(error.message)\(tries) (\(endpoint))")
        case .checksumMismatch:
            return AWSError(
                service: displayName, operation: operation, code: "ChecksumMismatch",
                message: "the response's x-amz-crc32 does not match its body\(tries)")
        }
    }

    /// DynamoDB: `{"__type":"…#Code","message":"…"}`; Query services: `<ErrorResponse><Error><Code>…`.
    func parseError(_ response: HTTPResponse, operation: String) -> AWSError {
        let requestId = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")
        switch errorFormat {
        case .json:
            if let json = try? JSONParser.parse(response.body), let type = json["__type"]?.stringValue {
                let code = type.split(separator: "#").last.map(String.init) ?? type
                let message = json["message"]?.stringValue ?? json["Message"]?.stringValue ?? ""
                return AWSError(
                    service: displayName, operation: operation, code: code, message: message, requestId: requestId,
                    status: response.status)
            }
        case .xml:
            // Query services wrap the error in <ErrorResponse>; S3 answers with <Error> itself.
            if let xml = try? XMLElement.parse(response.body),
                let error = xml.name == "Error" ? xml : xml.child("Error"),
                let code = error.value("Code")
            {
                return AWSError(
                    service: displayName, operation: operation, code: code, message: error.value("Message") ?? "",
                    requestId: xml.value("RequestId") ?? requestId, status: response.status)
            }
        }
        let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
        return AWSError(
            service: displayName, operation: operation, code: "HTTP\(response.status)",
            message: snippet.isEmpty ? "empty response" : "unexpected response: \(snippet)", requestId: requestId,
            status: response.status)
    }
}

/// The pieces of an endpoint URL the signer needs.
struct URLParts {
    var authority: String
    var path: String

    init(_ url: String) {
        let afterScheme = url.firstRange(of: "://").map { url[$0.upperBound...] } ?? url[...]
        let slash = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        authority = String(afterScheme[..<slash])
        let path = String(afterScheme[slash...])
        self.path = path.isEmpty ? "/" : path
    }
}
