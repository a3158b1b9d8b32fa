import Glibc

/// Runs a program and collects its output (posix_spawn: no Foundation in the executable's start-up path).
enum Subprocess {
    struct Result {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    static func run(_ arguments: [String]) throws(CommandFailure) -> Result {
        var output: [Int32] = [0, 0]
        guard pipe(&output) == 0 else { throw failure(arguments, "cannot create a pipe") }
        var errorTemplate = Array("/tmp/ddbstack-stderr-XXXXXX".utf8CString)
        let errorFile = errorTemplate.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard errorFile >= 0 else { throw failure(arguments, "cannot create a temporary file") }
        let errorPath = String(decoding: errorTemplate.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer {
            close(errorFile)
            unlink(errorPath)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorFile, 2)
        posix_spawn_file_actions_addclose(&actions, output[0])
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        close(output[1])
        defer { close(output[0]) }
        guard spawned == 0 else { throw failure(arguments, String(cString: strerror(spawned))) }

        var stdout: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(output[0], $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            stdout += buffer[..<count]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        lseek(errorFile, 0, SEEK_SET)
        var stderr: [UInt8] = []
        while case let count = buffer.withUnsafeMutableBytes({ read(errorFile, $0.baseAddress, $0.count) }), count > 0 {
            stderr += buffer[..<count]
        }
        let exited = status & 0x7f == 0
        return Result(
            status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), stdout: stdout,
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    private static func failure(_ arguments: [String], _ reason: String) -> CommandFailure {
        CommandFailure(message: "error: cannot run '\(arguments[0])': \(reason)", exitCode: ExitStatus.usage)
    }
}

/// The base version of a template, from a file or from git.
enum BaseTemplate {
    /// The base's bytes, or nil when the template does not exist at that git revision (every table is new).
    static func read(_ base: String, template: String) throws(CommandFailure) -> [UInt8]? {
        if access(base, F_OK) == 0 { return try FileIO.read(base) }
        let slash = template.lastIndex(of: "/")
        let directory = slash.map { String(template[..<$0]) } ?? "."
        let file = slash.map { String(template[template.index(after: $0)...]) } ?? template
        let revision = try Subprocess.run([
            "git", "-C", directory, "rev-parse", "--verify", "--quiet", "\(base)^{commit}",
        ])
        guard revision.status == 0 else {
            throw CommandFailure(
                message: "error: --base '\(base)' is neither a file nor a git revision of \(directory)'s repository",
                exitCode: ExitStatus.usage)
        }
        let shown = try Subprocess.run(["git", "-C", directory, "show", "\(base):./\(file)"])
        if shown.status == 0 { return shown.stdout }
        if shown.stderr.contains("does not exist in") || shown.stderr.contains("exists on disk, but not in") {
            return nil
        }
        throw CommandFailure(
            message: "error: git show \(base):\(template) failed: \(shown.stderr.trimmingNewlines)",
            exitCode: ExitStatus.usage)
    }
}

extension String {
    var trimmingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
