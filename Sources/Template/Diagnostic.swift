/// A problem found while reading a template or building the model from it.
///
/// `ruleId` is the id of the lint rule that documents and reports it (`DDB001` …), so every diagnostic
/// reaches the user as a finding with help and examples, and can be suppressed like any other.
public struct Diagnostic: Sendable, Equatable {
    public var ruleId: String
    public var message: String
    public var range: SourceRange
    public var logicalId: String?

    public init(_ ruleId: String, _ message: String, at range: SourceRange, logicalId: String? = nil) {
        self.ruleId = ruleId
        self.message = message
        self.range = range
        self.logicalId = logicalId
    }
}

/// Rule ids of the diagnostics raised below the lint layer.
public enum DiagnosticID {
    public static let unknownProperty = "DDB001"
    public static let propertyType = "DDB002"
    public static let requiredProperty = "DDB003"
    public static let intrinsicFunction = "DDB004"
    public static let unknownReference = "DDB005"
    public static let templateStructure = "DDB008"
}
