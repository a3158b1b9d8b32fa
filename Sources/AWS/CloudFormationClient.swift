/// CloudFormation over the Query protocol. (This session: DescribeStacks; the change-set operations come with
/// plan and deploy.)
public struct CloudFormationClient: Sendable {
    let query: QueryProtocol

    public init(context: AWSContext) {
        query = QueryProtocol(connection: ServiceConnection(context: context, service: "cloudformation", displayName: "CloudFormation",
                                                            errorFormat: .xml, verifiesCRC32: false), version: "2010-05-15")
    }

    public struct Stack: Sendable, Equatable {
        public var name: String
        public var id: String
        public var status: String
        public var statusReason: String?
        public var parameters: [String: String]
        public var tags: [String: String]
    }

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

    static func stack(_ member: XMLElement) -> Stack {
        func pairs(_ list: String, _ key: String, _ value: String) -> [String: String] {
            Dictionary((member.child(list)?.members ?? []).compactMap { item in item.value(key).map { ($0, item.value(value) ?? "") } },
                       uniquingKeysWith: { _, last in last })
        }
        return Stack(name: member.value("StackName") ?? "", id: member.value("StackId") ?? "", status: member.value("StackStatus") ?? "",
                     statusReason: member.value("StackStatusReason").flatMap { $0.isEmpty ? nil : $0 },
                     parameters: pairs("Parameters", "ParameterKey", "ParameterValue"), tags: pairs("Tags", "Key", "Value"))
    }
}
