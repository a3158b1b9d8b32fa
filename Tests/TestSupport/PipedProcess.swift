import Foundation

/// Runs a program with `input` on its standard input and returns what it wrote on standard output, with its exit
/// status: for tests that check our output with another tool (botocore's signer, a shell's completion).
public enum PipedProcess {
    public static func run(
        _ path: String, _ arguments: [String] = [], input: Data, environment: [String: String]? = nil
    ) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
