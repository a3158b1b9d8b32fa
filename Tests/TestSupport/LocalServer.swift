import Foundation

/// A helper process serving HTTP on 127.0.0.1 for a test; stopped by its PID.
public final class LocalServer: @unchecked Sendable {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/aws")

    let process = Process()
    public let port: Int

    public init(script: String, arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.fixtures.appendingPathComponent(script).path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 10 {
            line.append(first)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw ServerDidNotStart(script: script)
        }
        self.port = port
    }

    public var base: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
    }

    deinit { stop() }

    public struct ServerDidNotStart: Error {
        public var script: String
    }
}

/// The bytes of a fixture file (nil when it cannot be read), for tests that need no Foundation.
public func readFixture(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { Array($0) }
}
