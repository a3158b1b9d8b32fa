import Glibc
import Template

/// Reading inputs and writing `--output`, with the errors a user can act on.
enum FileIO {
    /// Reads a file whole; refuses directories and files beyond any template's size before reading them.
    static func read(_ path: String, limit: Int = YAMLParser.maximumInputBytes) throws(CommandFailure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CommandFailure.input("cannot read: \(String(cString: strerror(errno)))", file: path)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw CommandFailure.input("cannot read: \(String(cString: strerror(errno)))", file: path)
        }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw CommandFailure.input("is a directory, not a file", file: path) }
        if Int(status.st_size) > limit {
            throw CommandFailure.input(
                "file is \(status.st_size) bytes, far beyond any template (CloudFormation's limit is 1 MB); refusing to read it",
                file: path)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw CommandFailure.input("cannot read: \(String(cString: strerror(errno)))", file: path)
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            // Special files (pipes) have no size up front.
            if bytes.count > limit {
                throw CommandFailure.input("input is over \(limit) bytes; refusing to read further", file: path)
            }
        }
        return bytes
    }

    /// Writes `text` to `path` through a temporary file and a rename, so a reader never sees half a report.
    static func write(_ text: String, to path: String) throws(CommandFailure) {
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "w") else {
            throw CommandFailure(
                file: path, message: "cannot write: \(String(cString: strerror(errno)))", exitCode: ExitStatus.usage)
        }
        let bytes = Array(text.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        let closed = fclose(file)
        guard written == bytes.count, closed == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CommandFailure(
                file: path, message: "cannot write: \(String(cString: strerror(errno)))", exitCode: ExitStatus.usage)
        }
    }
}
