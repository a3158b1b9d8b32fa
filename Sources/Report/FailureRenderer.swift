import Lint
import Template

/// A command that could not do its job — unreadable or malformed input, a bad parameter, a missing stack, an AWS
/// error, a refusal — with where it happened when a file is to blame.
public struct CommandError: Sendable, Equatable {
    public var command: String
    public var message: String
    public var file: String?
    public var location: SourceLocation?
    public var exitCode: Int32

    public init(command: String, message: String, file: String? = nil, location: SourceLocation? = nil, exitCode: Int32)
    {
        self.command = command
        self.message = message
        self.file = file
        self.location = location
        self.exitCode = exitCode
    }

    /// `file:line:column: error: message`, or `error: message`.
    public var text: String {
        guard let file else {
            return message.hasPrefix("error") || message.hasPrefix("refused") ? message : "error: \(message)"
        }
        let position = location.map { ":\($0.line):\($0.column)" } ?? ""
        return "\(file)\(position): error: \(message)"
    }
}

/// A failure in the format the command was asked for, so a pipeline that reads SARIF, annotations, JSON, JUnit or
/// Markdown sees it where it looks — not an empty file next to a line on standard error.
public enum FailureRenderer {
    /// nil for text: the failure goes to standard error only.
    public static func render(_ error: CommandError, format: OutputFormat) -> String? {
        switch format {
        case .text: return nil
        case .json: return json(error)
        case .sarif: return SARIFRenderer.render(report(error), rules: [])
        case .github:
            guard error.file != nil else {
                return "::error title=ddbstack \(error.command)::\(GitHubRenderer.data(error.message))\n"
            }
            return GitHubRenderer.render(report(error))
        case .junit: return JUnitRenderer.render(report(error), suite: "ddbstack \(error.command)")
        case .markdown:
            let place =
                error.file.map {
                    "`\(MarkdownRenderer.cell($0))\(error.location.map { ":\($0.line):\($0.column)" } ?? "")`: "
                } ?? ""
            return
                "### ❌ ddbstack \(error.command) failed (exit \(error.exitCode))\n\n\(place)\(MarkdownRenderer.cell(error.message))\n"
        }
    }

    /// `{"formatVersion":1,"command","error":{"message","file","line","column"},"exitCode"}`.
    static func json(_ error: CommandError) -> String {
        JSONWriter.write(
            .object([
                .init("formatVersion", .int(1)), .init("command", .string(error.command)),
                .init(
                    "error",
                    .object([
                        .init("message", .string(error.message)), .init("file", .optional(error.file)),
                        .init("line", error.location.map { .int($0.line) } ?? .null),
                        .init("column", error.location.map { .int($0.column) } ?? .null),
                    ])),
                .init("exitCode", .int(Int(error.exitCode))),
            ])) + "\n"
    }

    /// The failure as one error finding at its location (the file's start when it has none).
    static func report(_ error: CommandError) -> LintReport {
        let finding = Finding(
            ruleId: "ddbstack/\(error.exitCode == 2 ? "input-error" : "failure")",
            ruleName: "ddbstack \(error.command) failed",
            severity: .error, message: error.message,
            range: SourceRange(at: error.location ?? SourceLocation(line: 1, column: 1)),
            logicalId: nil, note: "exit \(error.exitCode)", help: "fix the input named here and run it again")
        return LintReport(file: error.file ?? "", findings: [finding], source: "")
    }
}
