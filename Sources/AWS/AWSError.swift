/// One error from AWS, or from getting to it, as users see it: a single readable line. Exit code 3.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    public var service: String
    public var operation: String
    public var code: String
    public var message: String
    public var requestId: String?
    public var status: Int?

    public init(
        service: String, operation: String, code: String, message: String, requestId: String? = nil, status: Int? = nil
    ) {
        self.service = service
        self.operation = operation
        self.code = code
        self.message = message
        self.requestId = requestId
        self.status = status
    }

    /// "DynamoDB DescribeTable: ResourceNotFoundException: Requested resource not found (HTTP 400, request ABC)"
    public var description: String {
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let requestId, !requestId.isEmpty { details.append("request \(requestId)") }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        return "\(service) \(operation): \(code): \(message)\(suffix)"
    }
}
