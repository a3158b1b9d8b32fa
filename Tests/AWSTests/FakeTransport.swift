import Synchronization

@testable import AWS

/// Records requests and replays canned responses or transport errors, in order.
final class FakeTransport: HTTPTransport {
    enum Reply: Sendable {
        case response(HTTPResponse)
        case failure(TransportError)
    }

    private let state: Mutex<(replies: [Reply], requests: [HTTPRequest])>

    init(_ replies: [Reply]) {
        state = Mutex((replies, []))
    }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let reply = state.withLock { state -> Reply in
            state.requests.append(request)
            return state.replies.isEmpty
                ? .failure(TransportError(.other, "no reply queued")) : state.replies.removeFirst()
        }
        switch reply {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }

    static func json(_ status: Int, _ body: String, crc: Bool = true) -> Reply {
        var headers = [("x-amzn-RequestId", "REQ-\(status)")]
        if crc { headers.append(("x-amz-crc32", String(CRC32.checksum(Array(body.utf8))))) }
        return .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
    }

    static func xml(_ status: Int, _ body: String) -> Reply {
        .response(HTTPResponse(status: status, headers: [], body: Array(body.utf8)))
    }
}

/// A context whose clock, sleep and randomness are fixed, and whose delays are recorded.
final class Recorder: Sendable {
    let delays = Mutex<[Double]>([])
    let lines = Mutex<[String]>([])
}

func testContext(
    _ transport: FakeTransport, recorder: Recorder = Recorder(), credentials: Credentials? = nil,
    retry: RetryPolicy = RetryPolicy()
) -> AWSContext {
    AWSContext(
        region: "eu-west-1",
        credentials: StaticCredentialProvider(
            credentials
                ?? Credentials(
                    accessKeyId: "AKIDEXAMPLE", secretAccessKey: "SECRET-NEVER-PRINTED",
                    sessionToken: "TOKEN-NEVER-PRINTED")),
        transport: transport, endpoints: Endpoints(override: "http://127.0.0.1:1"), retry: retry,
        clock: { 1_763_800_000 }, sleep: { seconds in recorder.delays.withLock { $0.append(seconds) } },
        random: { 0.5 },
        log: { line in recorder.lines.withLock { $0.append(line) } })
}
