import CCurl
import Dispatch
import Synchronization

/// HTTP over libcurl: the system's CA store (or `AWS_CA_BUNDLE`), TLS verification always on, keep-alive
/// through a pool of reused handles, connect and total timeouts, `HTTPS_PROXY`/`NO_PROXY` as libcurl reads
/// them, and at most `concurrency` requests in flight — callers that fan out wait for a slot.
public final class CurlTransport: HTTPTransport {
    public struct Options: Sendable {
        public var connectTimeoutMilliseconds = 5_000
        public var totalTimeoutMilliseconds = 30_000
        public var concurrency = 8
        public var userAgent = "ddbstack/0.1.0"
        public var caBundle: String?
        /// `HTTPS_PROXY`/`HTTP_PROXY` as the AWS CLI reads them; nil leaves libcurl to its own environment lookup.
        public var proxy: String?
        /// `NO_PROXY`: hosts reached directly.
        public var noProxy: String?

        public init() {}

        /// The proxy settings of an environment, as the AWS CLI reads them (either case).
        public mutating func readProxy(from environment: [String: String], https: Bool) {
            func value(_ name: String) -> String? {
                (environment[name] ?? environment[name.lowercased()]).flatMap { $0.isEmpty ? nil : $0 }
            }
            proxy = https ? value("HTTPS_PROXY") : value("HTTP_PROXY")
            noProxy = value("NO_PROXY")
        }
    }

    /// libcurl, loaded on first use (see the CCurl shim): an offline command never loads it.
    private static let initialized: Bool = ddb_curl_load() != 0

    private let options: Options
    private let pool = Mutex<[Handle]>([])
    /// One thread per slot: at most `concurrency` requests in flight, the rest wait their turn.
    private let workers: BlockingWorkers

    public init(options: Options = Options()) {
        self.options = options
        workers = BlockingWorkers(limit: options.concurrency)
        _ = Self.initialized
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            workers.submit { continuation.resume(with: Result { try self.perform(request) }) }
        }
    }

    private func perform(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let handle = pool.withLock { $0.popLast() } ?? Handle()
        guard Self.initialized else {
            throw TransportError(.other, "libcurl could not be loaded (is libcurl4 installed?)")
        }
        guard let curl = handle.curl else { throw TransportError(.other, "libcurl could not create a handle") }
        let exchange = Exchange(body: request.body)
        defer {
            exchange.release()
            pool.withLock { $0.append(handle) }
        }
        ddb_curl_easy_reset(curl)  // keeps the connection cache, drops the previous request's options
        configure(curl, request, exchange)
        let code = ddb_curl_easy_perform(curl)
        guard code == CURLE_OK else { throw Self.error(code, exchange.errorBuffer) }
        var status = 0
        _ = ddb_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: exchange.responseHeaders, body: exchange.responseBody)
    }

    private func configure(_ curl: UnsafeMutableRawPointer, _ request: HTTPRequest, _ exchange: Exchange) {
        _ = ddb_curl_setopt_string(curl, CURLOPT_URL, request.url)
        _ = ddb_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        _ = ddb_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, 1)
        _ = ddb_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, 2)
        if let bundle = options.caBundle { _ = ddb_curl_setopt_string(curl, CURLOPT_CAINFO, bundle) }
        if let proxy = options.proxy { _ = ddb_curl_setopt_string(curl, CURLOPT_PROXY, proxy) }
        if let noProxy = options.noProxy { _ = ddb_curl_setopt_string(curl, CURLOPT_NOPROXY, noProxy) }
        _ = ddb_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeoutMilliseconds)
        _ = ddb_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, options.totalTimeoutMilliseconds)
        _ = ddb_curl_setopt_string(curl, CURLOPT_USERAGENT, options.userAgent)
        _ = ddb_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, request.method)
        if request.method == "POST" || !request.body.isEmpty {
            _ = ddb_curl_setopt_long(curl, CURLOPT_POST, 1)
            _ = ddb_curl_setopt_pointer(curl, CURLOPT_POSTFIELDS, exchange.bodyPointer)
            _ = ddb_curl_setopt_long(curl, CURLOPT_POSTFIELDSIZE, request.body.count)
        } else if request.method == "HEAD" {
            _ = ddb_curl_setopt_long(curl, CURLOPT_NOBODY, 1)
        }
        // No `Expect: 100-continue` round trip for large bodies.
        let lines: [String] = request.headers.map { "\($0.0): \($0.1)" } + ["Expect:"]
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = ddb_curl_slist_append(list, line) }
        exchange.headerList = list
        _ = ddb_curl_setopt_pointer(curl, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(exchange.headerList))
        _ = ddb_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, exchange.errorBuffer)
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        _ = ddb_curl_setopt_callback(curl, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            exchange.responseBody.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        _ = ddb_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, context)
        _ = ddb_curl_setopt_callback(curl, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            exchange.headerLine(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        _ = ddb_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, context)
    }

    private static func error(_ code: CURLcode, _ buffer: UnsafeMutablePointer<CChar>) -> TransportError {
        let detail = buffer[0] != 0 ? String(cString: buffer) : String(cString: ddb_curl_easy_strerror(code))
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return TransportError(.timeout, "timed out: \(detail)")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CONNECT_ERROR:
            return TransportError(.other, "TLS verification failed: \(detail)")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return TransportError(.connect, "cannot connect: \(detail)")
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return TransportError(.connectionReset, "connection dropped: \(detail)")
        default: return TransportError(.other, detail)
        }
    }

    /// A reusable easy handle; libcurl keeps its connection open between requests.
    private final class Handle: @unchecked Sendable {
        let curl: UnsafeMutableRawPointer? = ddb_curl_easy_init()
        deinit { curl.map(ddb_curl_easy_cleanup) }
    }

    /// The buffers of one request, reached from libcurl's callbacks (used by one thread at a time).
    private final class Exchange: @unchecked Sendable {
        let bodyPointer: UnsafeMutableRawPointer
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        var responseBody: [UInt8] = []
        var responseHeaders: [(String, String)] = []

        init(body: [UInt8]) {
            bodyPointer = UnsafeMutableRawPointer.allocate(byteCount: max(1, body.count), alignment: 1)
            body.withUnsafeBytes {
                bodyPointer.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(bodyPointer), byteCount: body.count)
            }
            errorBuffer[0] = 0
        }

        func headerLine(_ bytes: UnsafeRawBufferPointer) {
            let line = String(decoding: bytes, as: UTF8.self)
            if line.hasPrefix("HTTP/") { responseHeaders.removeAll() }  // A new response (after a redirect or 100).
            guard let colon = line.firstIndex(of: ":") else { return }
            let value = String(line[line.index(after: colon)...]).trimmedWhitespace
            responseHeaders.append((String(line[..<colon]), value))
        }

        func release() {
            ddb_curl_slist_free_all(headerList)
            bodyPointer.deallocate()
            errorBuffer.deallocate()
        }
    }
}
