import Foundation
import TestSupport
import Testing

@testable import AWS

@Suite(.serialized) struct CurlTransportTests {
    func echo(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func sendsMethodHeadersAndBodyAndReadsTheResponse() async throws {
        let server = try LocalServer(script: "echo_server.py")
        defer { server.stop() }
        let transport = CurlTransport()
        let body = Array(#"{"TableName":"tàble"}"#.utf8)
        let response = try await transport.send(
            HTTPRequest(
                method: "POST", url: server.base + "/", headers: [("X-Amz-Target", "DynamoDB_20120810.ListTables")],
                body: body))
        #expect(response.status == 200)
        #expect(response.header("x-echo") == "yes")
        let echoed = try echo(response)
        #expect(echoed["method"] as? String == "POST")
        #expect(echoed["body"] as? String == #"{"TableName":"tàble"}"#)
        let headers = try #require(echoed["headers"] as? [String: String])
        #expect(headers["x-amz-target"] == "DynamoDB_20120810.ListTables")
        #expect(headers["user-agent"] == "ddbstack/0.1.0")
        #expect(headers["expect"] == nil)
    }

    @Test func reusesTheConnectionAcrossRequests() async throws {
        let server = try LocalServer(script: "echo_server.py")
        defer { server.stop() }
        let transport = CurlTransport()
        let first = try echo(try await transport.send(HTTPRequest(method: "GET", url: server.base + "/a")))
        let second = try echo(try await transport.send(HTTPRequest(method: "GET", url: server.base + "/b")))
        #expect(first["clientPort"] as? Int == second["clientPort"] as? Int)
    }

    @Test func reportsStatusCodesAsResponses() async throws {
        let server = try LocalServer(script: "echo_server.py")
        defer { server.stop() }
        #expect(
            try await CurlTransport().send(HTTPRequest(method: "POST", url: server.base + "/status/503")).status == 503)
    }

    @Test func failuresBecomeTransportErrorsOfTheRightKind() async throws {
        let server = try LocalServer(script: "echo_server.py")
        defer { server.stop() }
        var options = CurlTransport.Options()
        options.totalTimeoutMilliseconds = 300
        let transport = CurlTransport(options: options)
        await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: server.base + "/slow"))
        }
        do {
            _ = try await transport.send(HTTPRequest(method: "GET", url: server.base + "/slow"))
        } catch let error as TransportError {
            #expect(error.kind == .timeout)
        }
        for path in ["/drop", "/truncate"] {
            do {
                _ = try await transport.send(HTTPRequest(method: "GET", url: server.base + path))
                Issue.record("\(path) should fail")
            } catch let error as TransportError {
                #expect(error.kind == .connectionReset, "\(path): \(error)")
            }
        }
        // A port nobody listens on (the server's, after it stopped).
        server.stop()
        do {
            _ = try await transport.send(HTTPRequest(method: "GET", url: server.base + "/"))
            Issue.record("a closed port should fail")
        } catch let error as TransportError {
            #expect(error.kind == .connect)
        }
    }

    @Test func boundsConcurrencyButServesEveryCaller() async throws {
        let server = try LocalServer(script: "echo_server.py")
        defer { server.stop() }
        var options = CurlTransport.Options()
        options.concurrency = 2
        let transport = CurlTransport(options: options)
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await transport.send(HTTPRequest(method: "GET", url: server.base + "/n\(index)")).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 20))
    }

    @Test func goesThroughAProxyExceptForNoProxyHosts() async throws {
        let server = try LocalServer(script: "echo_server.py")
        defer { server.stop() }
        var options = CurlTransport.Options()
        options.readProxy(from: ["http_proxy": server.base, "NO_PROXY": "direct.test"], https: false)
        // The "proxy" is the echo server: it sees the absolute URL a proxy is sent; the target is never contacted.
        let proxied = try echo(
            try await CurlTransport(options: options).send(HTTPRequest(method: "GET", url: "http://target.test/x")))
        #expect(proxied["path"] as? String == "http://target.test/x")
        var bypass = CurlTransport.Options()
        bypass.readProxy(from: ["HTTP_PROXY": "http://127.0.0.1:1", "no_proxy": "127.0.0.1"], https: false)
        let direct = try echo(
            try await CurlTransport(options: bypass).send(HTTPRequest(method: "GET", url: server.base + "/y")))
        #expect(direct["path"] as? String == "/y")
    }

    @Test func verifiesTLSAlwaysAndHonoursACABundle() async throws {
        let directory = NSTemporaryDirectory() + "ddbstack-tls-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory + "/key.pem", "-out",
            directory + "/cert.pem",
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        let server = try LocalServer(
            script: "echo_server.py", arguments: [directory + "/cert.pem", directory + "/key.pem"])
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/secure"
        do {
            _ = try await CurlTransport().send(HTTPRequest(method: "GET", url: url))
            Issue.record("a certificate no CA vouches for must be refused")
        } catch let error as TransportError {
            #expect(error.message.contains("TLS verification failed"), "\(error)")
        }
        var options = CurlTransport.Options()
        options.caBundle = directory + "/cert.pem"
        #expect(
            try echo(try await CurlTransport(options: options).send(HTTPRequest(method: "GET", url: url)))["path"]
                as? String == "/secure")
    }
}
