import Dispatch
import Glibc

/// Standard output and error, and whether they are terminals. Only the executable prints.
enum Console {
    static func out(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
    }

    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(Secrets.mask(text).utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return  // A closed pipe (`| head`): nothing more can be said.
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// One `--verbose` line on standard error.
    @Sendable static func logLine(_ line: String) {
        error("ddbstack: " + line)
    }

    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Ctrl-C or SIGTERM cancels `task` — the wait, never what it watches — which then reports where things stand.
    static func cancel<Success, Failure>(_ task: Task<Success, Failure>, on numbers: [Int32])
        -> [any DispatchSourceSignal]
    {
        numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
    }
}
