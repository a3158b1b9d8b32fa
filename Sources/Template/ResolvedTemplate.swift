/// What the resolver needs from outside the template: parameter values and the pseudo-parameters it may know.
public struct ResolveOptions: Sendable {
    public var parameters: [String: String]
    public var region: String?
    public var stackName: String?
    public var accountId: String?
    /// Parameters that have a value nobody here can know (a deployed NoEcho value, shown as `****`): they stay
    /// unresolved instead of falling back to their default.
    public var unknownParameters: Set<String>
    /// false when the caller has checked given values against several templates itself (`diff`, `lint --base`):
    /// a value this template does not declare is then ignored instead of refused.
    public var refusesUndeclared: Bool

    public init(
        parameters: [String: String] = [:], region: String? = nil, stackName: String? = nil, accountId: String? = nil,
        unknownParameters: Set<String> = [], refusesUndeclared: Bool = true
    ) {
        self.parameters = parameters
        self.region = region
        self.stackName = stackName
        self.accountId = accountId
        self.unknownParameters = unknownParameters
        self.refusesUndeclared = refusesUndeclared
    }
}

/// A template with its parameters, conditions and intrinsics resolved as far as can be known offline.
public struct ResolvedTemplate: Sendable {
    /// A resource whose condition is not false, with its properties and policies resolved.
    public struct Resource: Sendable {
        public var source: Template.Resource
        public var properties: Node?
        public var deletionPolicy: Node?
        public var updateReplacePolicy: Node?
        /// The value of the resource's condition: nil when it has none or it cannot be known offline.
        public var conditionValue: Bool?

        public var logicalId: String { source.logicalId }
        public var type: String { source.type }
    }

    public var template: Template
    /// `AWS::Region` when known: the stack's region.
    public var region: String?
    /// The effective value of each parameter that has one (given, or its default).
    public var parameterValues: [String: Node]
    /// Conditions whose value is known; a condition missing here depends on something unknown offline.
    public var conditionValues: [String: Bool]
    public var resources: [Resource]
    /// Resources whose condition is false with these values, resolved as written (conditions unknown) so lint
    /// still checks them: a production-only table must not hide its errors behind the default parameters.
    public var excludedResources: [Resource] = []
    /// The template's own diagnostics followed by those found while resolving.
    public var diagnostics: [Diagnostic]

    /// The values of NoEcho parameters (given, or defaults): what no output may show.
    public var secretValues: [String] {
        template.parameters.filter(\.noEcho).flatMap { parameter -> [String] in
            guard let value = parameterValues[parameter.name] else { return [] }
            return value.items.map { $0.compactMap(\.scalarText) } ?? value.scalarText.map { [$0] } ?? []
        }
    }

    public func resource(_ logicalId: String) -> Resource? {
        resources.first { $0.logicalId == logicalId }
    }
}

extension Node {
    /// True for an intrinsic function the resolver had to leave as it is (GetAtt, ImportValue, an unset parameter…).
    public var isUnresolved: Bool { intrinsic != nil }
}
