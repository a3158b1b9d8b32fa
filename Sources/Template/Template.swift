/// A CloudFormation template: its sections, read from a `Node` tree with intrinsics in long form.
public struct Template: Sendable {
    /// A resource as written, before any intrinsic is resolved.
    public struct Resource: Sendable {
        public var logicalId: String
        public var idRange: SourceRange
        public var type: String
        public var node: Node
        public var properties: Node?
        public var condition: String?
        public var dependsOn: [String]
        public var deletionPolicy: Node?
        public var updateReplacePolicy: Node?
        public var metadata: Node?

        public var range: SourceRange { node.range }
    }

    public static let sections: Set<String> = [
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
        "Transform", "Resources", "Outputs",
    ]
    static let resourceAttributes: Set<String> = [
        "Type", "Properties", "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Metadata",
        "CreationPolicy", "UpdatePolicy",
    ]

    public var root: Node
    public var parameters: [Parameter]
    public var conditions: [Node.Entry]
    public var mappings: Node?
    public var resources: [Resource]
    public var outputs: Node?
    /// Structural problems that do not stop the template being read.
    public var diagnostics: [Diagnostic]

    /// Reads the sections of a parsed template; only a template with no usable `Resources` is refused.
    public init(root: Node) throws(ParseError) {
        guard let top = root.entries else {
            throw ParseError("a template is a mapping of sections, found \(root.kindDescription)", at: root.range.start)
        }
        guard let resourcesEntry = top.first(where: { $0.key == "Resources" }) else {
            throw ParseError("no 'Resources' section: this is not a CloudFormation template", at: root.range.start)
        }
        guard let resourceEntries = resourcesEntry.value.entries else {
            throw ParseError(
                "'Resources' must be a mapping of logical ids to resources, found \(resourcesEntry.value.kindDescription)",
                at: resourcesEntry.value.range.start)
        }
        self.root = root
        var diagnostics: [Diagnostic] = []
        if resourceEntries.isEmpty {
            diagnostics.append(
                Diagnostic(
                    DiagnosticID.templateStructure,
                    "'Resources' is empty: CloudFormation refuses a template without resources (\"At least one Resources member must be defined\")",
                    at: resourcesEntry.value.range))
        }
        let sam = Self.transforms(root).contains(Self.samTransform)
        for entry in top where !Self.sections.contains(entry.key) && !(sam && entry.key == "Globals") {
            var message =
                entry.key == "Globals"
                ? "a 'Globals' section needs 'Transform: \(Self.samTransform)'"
                : "unknown template section '\(entry.key)'"
            if let guess = Suggestions.closest(to: entry.key, in: Self.sections) {
                message += "; did you mean '\(guess)'?"
            }
            diagnostics.append(Diagnostic(DiagnosticID.templateStructure, message, at: entry.keyRange))
        }
        parameters = Parameter.read(root["Parameters"], diagnostics: &diagnostics)
        conditions = root["Conditions"]?.entries ?? []
        mappings = root["Mappings"]
        outputs = root["Outputs"]
        let simpleTableGlobals = sam ? root["Globals"]?["SimpleTable"] : nil
        resources = resourceEntries.compactMap { entry in
            guard var resource = Self.readResource(entry, sam: sam, diagnostics: &diagnostics) else { return nil }
            if resource.type == "AWS::Serverless::SimpleTable" {
                resource.properties = Self.applyingSimpleTableGlobals(
                    resource.properties, globals: simpleTableGlobals, at: resource.idRange)
            }
            return resource
        }
        self.diagnostics = diagnostics
    }

    /// Parses template text (YAML or JSON) and reads its sections.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> Template {
        try Template(root: YAMLParser.parse(bytes))
    }

    public func resource(_ logicalId: String) -> Resource? {
        resources.first { $0.logicalId == logicalId }
    }

    private static func readResource(_ entry: Node.Entry, sam: Bool, diagnostics: inout [Diagnostic]) -> Resource? {
        let id = entry.key
        guard let fields = entry.value.entries else {
            diagnostics.append(
                Diagnostic(
                    DiagnosticID.templateStructure,
                    "resource '\(id)' must be a mapping, found \(entry.value.kindDescription)",
                    at: entry.value.range, logicalId: id))
            return nil
        }
        guard let type = entry.value["Type"]?.string else {
            diagnostics.append(
                Diagnostic(
                    DiagnosticID.templateStructure, "resource '\(id)' has no 'Type'", at: entry.keyRange, logicalId: id)
            )
            return nil
        }
        // Custom resources may carry a Version; SAM reads and removes attributes of its own.
        let custom = type == "AWS::CloudFormation::CustomResource" || type.hasPrefix("Custom::")
        for field in fields
        where !resourceAttributes.contains(field.key) && !(custom && field.key == "Version")
            && !(sam && samResourceAttributes.contains(field.key))
        {
            var message = "unknown resource attribute '\(field.key)'"
            if let guess = Suggestions.closest(to: field.key, in: resourceAttributes) {
                message += "; did you mean '\(guess)'?"
            }
            diagnostics.append(Diagnostic(DiagnosticID.templateStructure, message, at: field.keyRange, logicalId: id))
        }
        let dependsOn = entry.value["DependsOn"]
        return Resource(
            logicalId: id, idRange: entry.keyRange, type: type, node: entry.value,
            properties: entry.value["Properties"], condition: entry.value["Condition"]?.string,
            dependsOn: dependsOn?.string.map { [$0] } ?? dependsOn?.items?.compactMap(\.string) ?? [],
            deletionPolicy: entry.value["DeletionPolicy"], updateReplacePolicy: entry.value["UpdateReplacePolicy"],
            metadata: entry.value["Metadata"])
    }
}
