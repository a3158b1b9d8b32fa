/// Resolves parameters, pseudo-parameters, conditions and intrinsic functions.
///
/// What cannot be known offline (a resource's physical id, `Fn::GetAtt`, `Fn::ImportValue`, an SSM parameter,
/// a parameter with neither value nor default) stays in the tree as its long-form intrinsic — never guessed.
public struct Resolver {
    static let pseudoParameters: Set<String> = [
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId",
        "AWS::StackName", "AWS::URLSuffix",
    ]

    let template: Template
    let parameterValues: [String: Node]
    let pseudoValues: [String: String]
    private let resourceIds: Set<String>
    private let conditionDefinitions: [String: Node]
    var conditionCache: [String: Bool?] = [:]
    var conditionsInProgress: Set<String> = []
    var diagnostics: [Diagnostic] = []
    var currentLogicalId: String?
    /// While resolving a resource its condition leaves out: every condition is taken as unknown, so what depends on
    /// one stays unresolved instead of following the values that exclude the resource.
    var conditionsUnknown = false

    /// Resolves `template` with `options`; a given parameter value that the template refuses is an input error.
    public static func resolve(_ template: Template, options: ResolveOptions = ResolveOptions()) throws(ParseError)
        -> ResolvedTemplate
    {
        var resolver = try Resolver(template: template, options: options)
        return resolver.run()
    }

    init(template: Template, options: ResolveOptions) throws(ParseError) {
        self.template = template
        var diagnostics: [Diagnostic] = []
        parameterValues = try Self.effectiveValues(template, options: options, diagnostics: &diagnostics)
        pseudoValues = Self.pseudoValues(options)
        resourceIds = Set(template.resources.map(\.logicalId))
        conditionDefinitions = Dictionary(
            template.conditions.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        self.diagnostics = diagnostics
    }

    mutating func run() -> ResolvedTemplate {
        var resources: [ResolvedTemplate.Resource] = []
        var excluded: [ResolvedTemplate.Resource] = []
        for resource in template.resources {
            currentLogicalId = resource.logicalId
            var conditionValue: Bool?
            if let name = resource.condition {
                conditionValue = condition(name, at: resource.node["Condition"]?.range ?? resource.range)
            }
            conditionsUnknown = conditionValue == false
            let resolved = ResolvedTemplate.Resource(
                source: resource,
                properties: resource.properties.flatMap { resolve($0) },
                deletionPolicy: resource.deletionPolicy.flatMap { resolve($0) },
                updateReplacePolicy: resource.updateReplacePolicy.flatMap { resolve($0) },
                conditionValue: conditionValue)
            conditionsUnknown = false
            if conditionValue == false { excluded.append(resolved) } else { resources.append(resolved) }
        }
        currentLogicalId = nil
        for entry in template.conditions { _ = condition(entry.key, at: entry.keyRange) }
        let known = conditionCache.compactMapValues { $0 }
        return ResolvedTemplate(
            template: template, region: pseudoValues["AWS::Region"], parameterValues: parameterValues,
            conditionValues: known,
            resources: resources, excludedResources: excluded, diagnostics: template.diagnostics + diagnostics)
    }

    /// The resolved node, or nil where the value is `AWS::NoValue` (the property or item is removed).
    mutating func resolve(_ node: Node) -> Node? {
        guard node.containsIntrinsic else { return node }
        switch node.kind {
        case .mapping(let entries):
            if let (name, argument) = node.intrinsic { return resolveIntrinsic(name, argument, node) }
            let resolved = entries.compactMap { entry -> Node.Entry? in
                resolve(entry.value).map { Node.Entry(key: entry.key, keyRange: entry.keyRange, value: $0) }
            }
            return Node(.mapping(resolved), range: node.range)
        case .sequence(let items):
            return Node(.sequence(items.compactMap { resolve($0) }), range: node.range)
        default:
            return node
        }
    }

    /// Records a diagnostic against the resource being resolved.
    mutating func report(_ ruleId: String, _ message: String, at range: SourceRange) {
        diagnostics.append(Diagnostic(ruleId, message, at: range, logicalId: currentLogicalId))
    }

    /// The value of `Ref name`: a parameter, a pseudo-parameter, or nil for a resource or anything unknown.
    mutating func reference(_ name: String, at range: SourceRange) -> Node? {
        if let value = parameterValues[name] { return Node(value.kind, range: range) }
        if let value = pseudoValues[name] { return Node(.string(value), range: range) }
        if template.parameters.contains(where: { $0.name == name }) || isResource(name) { return nil }
        if Self.pseudoParameters.contains(name) { return nil }
        var message = "'Ref' to '\(name)', which is neither a parameter, a pseudo-parameter nor a resource"
        let candidates = template.parameters.map(\.name) + resourceIds + Self.pseudoParameters
        if let guess = Suggestions.closest(to: name, in: candidates) { message += "; did you mean '\(guess)'?" }
        report(DiagnosticID.unknownReference, message, at: range)
        return nil
    }

    /// A resource of the template, or one SAM may generate from it.
    func isResource(_ name: String) -> Bool { resourceIds.contains(name) || template.mayBeGeneratedBySAM(name) }

    func conditionDefinition(_ name: String) -> Node? { conditionDefinitions[name] }

    var resourceNames: Set<String> { resourceIds }
}
