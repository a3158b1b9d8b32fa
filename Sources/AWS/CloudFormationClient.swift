import StackModel

/// CloudFormation over the Query protocol: stacks, change sets, events, resources, templates.
public struct CloudFormationClient: Sendable {
    let query: QueryProtocol

    public init(context: AWSContext) {
        query = QueryProtocol(
            connection: ServiceConnection(
                context: context, service: "cloudformation", displayName: "CloudFormation",
                errorFormat: .xml, verifiesCRC32: false), version: "2010-05-15")
    }

    public typealias Stack = StackModel.Stack

    /// One stack, or every stack (following `NextToken`) when `name` is nil.
    public func describeStacks(_ name: String? = nil) async throws -> [Stack] {
        var stacks: [Stack] = []
        var token: String?
        repeat {
            var parameters: [(String, String)] = []
            if let name { parameters.append(("StackName", name)) }
            if let token { parameters.append(("NextToken", token)) }
            let result = try await query.call("DescribeStacks", parameters)
            stacks += (result.child("Stacks")?.members ?? []).map(Self.stack)
            token = result.value("NextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return stacks
    }

    /// `<member><KEY>k</KEY><VALUE>v</VALUE></member>` items as a dictionary.
    static func pairs(_ list: XMLElement?, _ key: String, _ value: String) -> [String: String] {
        Dictionary(
            (list?.members ?? []).compactMap { item in item.value(key).map { ($0, item.value(value) ?? "") } },
            uniquingKeysWith: { _, last in last })
    }

    /// Parameter values; an SSM parameter type reports the value it resolved to in ResolvedValue, ParameterValue
    /// being the SSM name.
    static func parameters(_ list: XMLElement?) -> [String: String] {
        pairs(list, "ParameterKey", "ParameterValue")
            .merging(pairs(list, "ParameterKey", "ResolvedValue").filter { !$0.value.isEmpty }) { _, resolved in
                resolved
            }
    }

    static func stack(_ member: XMLElement) -> Stack {
        let parameters = Self.parameters(member.child("Parameters"))
        return Stack(
            name: member.value("StackName") ?? "", id: member.value("StackId") ?? "",
            status: member.value("StackStatus") ?? "",
            statusReason: member.value("StackStatusReason").flatMap { $0.isEmpty ? nil : $0 },
            parameters: parameters, tags: pairs(member.child("Tags"), "Key", "Value"))
    }

    /// What a change set is made from. `type` is always sent (FACTS.md §3: a missing ChangeSetType means UPDATE).
    public struct ChangeSetInput: Sendable {
        public enum Kind: String, Sendable {
            case create = "CREATE"
            case update = "UPDATE"
        }

        public struct Parameter: Sendable {
            public var key: String
            /// nil with `usePreviousValue`.
            public var value: String?
            public var usePreviousValue: Bool

            public init(key: String, value: String?, usePreviousValue: Bool = false) {
                self.key = key
                self.value = value
                self.usePreviousValue = usePreviousValue
            }
        }

        public var stackName: String
        public var changeSetName: String
        public var type: Kind
        public var templateBody: String?
        public var templateURL: String?
        public var parameters: [Parameter] = []
        public var capabilities: [String] = []
        public var tags: [(String, String)] = []
        public var roleARN: String?
        public var clientToken: String?
        public var description: String?

        public init(
            stackName: String, changeSetName: String, type: Kind, templateBody: String? = nil,
            templateURL: String? = nil
        ) {
            self.stackName = stackName
            self.changeSetName = changeSetName
            self.type = type
            self.templateBody = templateBody
            self.templateURL = templateURL
        }
    }

    /// Creates a change set; repeated after a dropped connection only when a ClientToken makes that safe.
    public func createChangeSet(_ input: ChangeSetInput) async throws -> (id: String, stackId: String) {
        var parameters: [(String, String)] = [
            ("StackName", input.stackName), ("ChangeSetName", input.changeSetName),
            ("ChangeSetType", input.type.rawValue),
        ]
        if let body = input.templateBody { parameters.append(("TemplateBody", body)) }
        if let url = input.templateURL { parameters.append(("TemplateURL", url)) }
        for (index, parameter) in input.parameters.enumerated() {
            let prefix = "Parameters.member.\(index + 1)."
            parameters.append((prefix + "ParameterKey", parameter.key))
            if parameter.usePreviousValue {
                parameters.append((prefix + "UsePreviousValue", "true"))
            } else {
                parameters.append((prefix + "ParameterValue", parameter.value ?? ""))
            }
        }
        parameters += QueryProtocol.list("Capabilities", input.capabilities)
        for (index, tag) in input.tags.enumerated() {
            parameters += [("Tags.member.\(index + 1).Key", tag.0), ("Tags.member.\(index + 1).Value", tag.1)]
        }
        if let role = input.roleARN { parameters.append(("RoleARN", role)) }
        if let token = input.clientToken { parameters.append(("ClientToken", token)) }
        if let description = input.description { parameters.append(("Description", description)) }
        let result = try await query.call("CreateChangeSet", parameters, idempotent: input.clientToken != nil)
        return (result.value("Id") ?? "", result.value("StackId") ?? "")
    }

    public typealias ResourceChange = StackModel.ResourceChange

    public typealias ChangeSet = StackModel.ChangeSet

    /// A change set with all its changes (following `NextToken`).
    public func describeChangeSet(_ name: String, stack: String? = nil, includePropertyValues: Bool = false)
        async throws -> ChangeSet
    {
        var changeSet: ChangeSet?
        var token: String?
        repeat {
            var parameters = [("ChangeSetName", name)]
            if let stack { parameters.append(("StackName", stack)) }
            if includePropertyValues { parameters.append(("IncludePropertyValues", "true")) }
            if let token { parameters.append(("NextToken", token)) }
            let result = try await query.call("DescribeChangeSet", parameters)
            let changes = (result.child("Changes")?.members ?? []).compactMap { $0.child("ResourceChange") }.map(
                Self.resourceChange)
            if changeSet == nil {
                changeSet = ChangeSet(
                    id: result.value("ChangeSetId") ?? "", name: result.value("ChangeSetName") ?? name,
                    stackId: result.value("StackId") ?? "", status: result.value("Status") ?? "",
                    statusReason: result.value("StatusReason").flatMap { $0.isEmpty ? nil : $0 },
                    executionStatus: result.value("ExecutionStatus") ?? "", changes: changes,
                    description: result.value("Description").flatMap { $0.isEmpty ? nil : $0 },
                    parameters: Self.parameters(result.child("Parameters")))
            } else {
                changeSet?.changes += changes
            }
            token = result.value("NextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return changeSet!
    }

    public func executeChangeSet(_ name: String, stack: String? = nil, clientRequestToken: String? = nil) async throws {
        var parameters = [("ChangeSetName", name)]
        if let stack { parameters.append(("StackName", stack)) }
        if let clientRequestToken { parameters.append(("ClientRequestToken", clientRequestToken)) }
        _ = try await query.call("ExecuteChangeSet", parameters, idempotent: clientRequestToken != nil)
    }

    public func deleteChangeSet(_ name: String, stack: String? = nil) async throws {
        var parameters = [("ChangeSetName", name)]
        if let stack { parameters.append(("StackName", stack)) }
        _ = try await query.call("DeleteChangeSet", parameters)
    }

    public typealias StackEvent = StackModel.StackEvent

    /// Events newest first, every page.
    public func describeStackEvents(_ stack: String) async throws -> [StackEvent] {
        try await stackEvents(stack) { _ in true }
    }

    /// The events of the operation started with `token` (ExecuteChangeSet's ClientRequestToken), newest first:
    /// pages are read only until an event of an earlier operation, whatever the length of the stack's history.
    public func stackEvents(_ stack: String, token: String) async throws -> [StackEvent] {
        try await stackEvents(stack) { $0.clientRequestToken == token }
    }

    private func stackEvents(_ stack: String, while belongs: (StackEvent) -> Bool) async throws -> [StackEvent] {
        var events: [StackEvent] = []
        var token: String?
        repeat {
            let result = try await query.call(
                "DescribeStackEvents", [("StackName", stack)] + (token.map { [("NextToken", $0)] } ?? []))
            for member in result.child("StackEvents")?.members ?? [] {
                let event = Self.event(member)
                guard belongs(event) else { return events }
                events.append(event)
            }
            token = result.value("NextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return events
    }

    static func event(_ member: XMLElement) -> StackEvent {
        func optional(_ name: String) -> String? { member.value(name).flatMap { $0.isEmpty ? nil : $0 } }
        return StackEvent(
            id: member.value("EventId") ?? "", logicalId: member.value("LogicalResourceId") ?? "",
            physicalId: optional("PhysicalResourceId"), resourceType: member.value("ResourceType") ?? "",
            status: member.value("ResourceStatus") ?? "", reason: optional("ResourceStatusReason"),
            timestamp: member.value("Timestamp").flatMap(Timestamp.parse),
            clientRequestToken: optional("ClientRequestToken"))
    }

    public typealias StackResource = StackModel.StackResource

    public func listStackResources(_ stack: String) async throws -> [StackResource] {
        try await paged("ListStackResources", [("StackName", stack)], list: "StackResourceSummaries") { member in
            StackResource(
                logicalId: member.value("LogicalResourceId") ?? "",
                physicalId: member.value("PhysicalResourceId").flatMap { $0.isEmpty ? nil : $0 },
                resourceType: member.value("ResourceType") ?? "", status: member.value("ResourceStatus") ?? "",
                lastUpdated: member.value("LastUpdatedTimestamp").flatMap(Timestamp.parse))
        }
    }

    /// The deployed template's text (`Original`, as submitted).
    /// The stack's template, or with `changeSet` the template that change set would deploy.
    public func getTemplate(_ stack: String, stage: String = "Original", changeSet: String? = nil) async throws
        -> String
    {
        var parameters = [("StackName", stack), ("TemplateStage", stage)]
        if let changeSet { parameters.append(("ChangeSetName", changeSet)) }
        return try await query.call("GetTemplate", parameters).value("TemplateBody") ?? ""
    }

    /// Used to remove the REVIEW_IN_PROGRESS stack a CREATE change set leaves when it is only inspected.
    public func deleteStack(_ stack: String) async throws {
        _ = try await query.call("DeleteStack", [("StackName", stack)])
    }

    public func cancelUpdateStack(_ stack: String) async throws {
        _ = try await query.call("CancelUpdateStack", [("StackName", stack)])
    }

    public func continueUpdateRollback(_ stack: String, skipping resources: [String] = []) async throws {
        _ = try await query.call(
            "ContinueUpdateRollback", [("StackName", stack)] + QueryProtocol.list("ResourcesToSkip", resources))
    }

    private func paged<T>(_ action: String, _ parameters: [(String, String)], list: String, _ item: (XMLElement) -> T)
        async throws -> [T]
    {
        var items: [T] = []
        var token: String?
        repeat {
            let result = try await query.call(action, parameters + (token.map { [("NextToken", $0)] } ?? []))
            items += (result.child(list)?.members ?? []).map(item)
            token = result.value("NextToken").flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return items
    }

    static func resourceChange(_ element: XMLElement) -> ResourceChange {
        ResourceChange(
            action: element.value("Action") ?? "", logicalId: element.value("LogicalResourceId") ?? "",
            physicalId: element.value("PhysicalResourceId").flatMap { $0.isEmpty ? nil : $0 },
            resourceType: element.value("ResourceType") ?? "",
            replacement: element.value("Replacement").flatMap { $0.isEmpty ? nil : $0 },
            scope: (element.child("Scope")?.members ?? []).map(\.text),
            details: (element.child("Details")?.members ?? []).map { detail in
                ResourceChange.Detail(
                    attribute: detail.value("Target", "Attribute") ?? "", name: detail.value("Target", "Name"),
                    requiresRecreation: detail.value("Target", "RequiresRecreation"),
                    changeSource: detail.value("ChangeSource"), evaluation: detail.value("Evaluation"),
                    beforeValue: detail.value("Target", "BeforeValue"), afterValue: detail.value("Target", "AfterValue")
                )
            })
    }
}
