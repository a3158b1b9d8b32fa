import Glibc

/// What the credential and region resolution read from the outside world: variables, files, processes.
/// Injected, so tests never depend on the machine's own configuration.
public struct AWSEnvironment: Sendable {
    public var variables: [String: String]
    public var readFile: @Sendable (String) -> [UInt8]?
    public var runProcess: @Sendable (String) -> (status: Int32, output: [UInt8])

    public init(
        variables: [String: String], readFile: @escaping @Sendable (String) -> [UInt8]? = AWSEnvironment.read,
        runProcess: @escaping @Sendable (String) -> (status: Int32, output: [UInt8]) = AWSEnvironment.shell
    ) {
        self.variables = variables
        self.readFile = readFile
        self.runProcess = runProcess
    }

    /// The process's own environment.
    public static func current() -> AWSEnvironment {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return AWSEnvironment(variables: variables)
    }

    public subscript(name: String) -> String? {
        variables[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    var home: String { self["HOME"] ?? "/root" }

    /// The shared credentials and config files.
    public var sharedConfig: SharedConfig {
        let credentialsPath = self["AWS_SHARED_CREDENTIALS_FILE"] ?? "\(home)/.aws/credentials"
        let configPath = self["AWS_CONFIG_FILE"] ?? "\(home)/.aws/config"
        return SharedConfig(
            credentials: readFile(credentialsPath).map { String(decoding: $0, as: UTF8.self) },
            config: readFile(configPath).map { String(decoding: $0, as: UTF8.self) })
    }

    /// The region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
    public func region(explicit: String?, profile: String?) -> String? {
        explicit ?? self["AWS_REGION"] ?? self["AWS_DEFAULT_REGION"]
            ?? sharedConfig.profile(profile ?? self["AWS_PROFILE"] ?? "default")?["region"]
    }

    @Sendable public static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while case let count = fread(&buffer, 1, buffer.count, file), count > 0 {
            bytes += buffer[..<count]
            if bytes.count > 1 << 20 { return nil }  // No credential or config file is this large.
        }
        return bytes
    }

    /// Runs `command` with `/bin/sh -c`, as the AWS CLI runs credential_process; returns its status and stdout.
    @Sendable public static func shell(_ command: String) -> (status: Int32, output: [UInt8]) {
        guard let pipe = popen(command, "r") else { return (127, []) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let count = fread(&buffer, 1, buffer.count, pipe), count > 0 { output += buffer[..<count] }
        let status = pclose(pipe)
        return ((status >> 8) & 0xFF, output)
    }
}
