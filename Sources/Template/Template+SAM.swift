/// What the AWS SAM transform (`Transform: AWS::Serverless-2016-10-31`) adds to a template: the `Globals` section,
/// resource attributes of its own, resources it generates from its own, and `Globals.SimpleTable`.
/// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
extension Template {
    public static let samTransform = "AWS::Serverless-2016-10-31"
    /// Resource attributes SAM reads and removes before CloudFormation sees the template.
    static let samResourceAttributes: Set<String> = ["Connectors", "IgnoreGlobals"]
    /// The logical ids SAM gives the APIs it creates implicitly for function events.
    static let implicitSAMResources = ["ServerlessRestApi", "ServerlessHttpApi"]

    /// The transforms the template names (`Transform: X` or a list).
    static func transforms(_ root: Node) -> [String] {
        guard let node = root["Transform"] else { return [] }
        return node.items?.compactMap(\.string) ?? node.string.map { [$0] } ?? []
    }

    /// Whether SAM processes this template before CloudFormation.
    public var isSAM: Bool { Self.transforms(root).contains(Self.samTransform) }

    /// Whether `name` may be a resource SAM generates from one of this template's SAM resources: a function's
    /// `<Id>Role`, `<Id>Version`, `<Id><Event>Permission`, an implicit API and its stages and deployments. Such
    /// references are not errors; what they point at is unknown offline.
    public func mayBeGeneratedBySAM(_ name: String) -> Bool {
        guard isSAM else { return false }
        if Self.implicitSAMResources.contains(where: name.hasPrefix) { return true }
        // A SimpleTable becomes one table under its own id and generates nothing else.
        return resources.contains { resource in
            resource.type.hasPrefix("AWS::Serverless::") && resource.type != "AWS::Serverless::SimpleTable"
                && name.hasPrefix(resource.logicalId) && name != resource.logicalId
        }
    }

    /// `Globals.SimpleTable` merged into a SimpleTable's properties as SAM merges it: a map the resource also
    /// sets is merged key by key (the resource's keys win), anything else the resource sets replaces the global.
    static func applyingSimpleTableGlobals(_ properties: Node?, globals: Node?, at range: SourceRange) -> Node? {
        guard let globals = globals?.entries, !globals.isEmpty else { return properties }
        var merged = properties?.entries ?? []
        for global in globals {
            if let position = merged.firstIndex(where: { $0.key == global.key }) {
                guard let own = merged[position].value.entries, let shared = global.value.entries else { continue }
                let added = shared.filter { entry in !own.contains { $0.key == entry.key } }
                merged[position].value = Node(.mapping(own + added), range: merged[position].value.range)
            } else {
                merged.append(global)
            }
        }
        return Node(.mapping(merged), range: properties?.range ?? range)
    }
}
