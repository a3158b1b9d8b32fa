/// Service endpoints, as the AWS CLI resolves them: `--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE>`,
/// `AWS_ENDPOINT_URL`, else the partition's default for the region.
public struct Endpoints: Sendable {
    public var override: String?
    public var perService: [String: String]
    public var global: String?

    public init(override: String? = nil, perService: [String: String] = [:], global: String? = nil) {
        self.override = override
        self.perService = perService
        self.global = global
    }

    /// Reads `AWS_ENDPOINT_URL_DYNAMODB`, `_CLOUDFORMATION`, `_STS`, `_S3` and `AWS_ENDPOINT_URL`.
    public init(environment: [String: String], override: String?) {
        var perService: [String: String] = [:]
        for service in ["dynamodb", "cloudformation", "sts", "s3"] {
            if let value = environment["AWS_ENDPOINT_URL_\(service.uppercased())"], !value.isEmpty {
                perService[service] = value
            }
        }
        self.init(
            override: override, perService: perService,
            global: environment["AWS_ENDPOINT_URL"].flatMap { $0.isEmpty ? nil : $0 })
    }

    public func url(for service: String, region: String) -> String {
        if let override { return override }
        if let url = perService[service] ?? global { return url }
        return "https://\(service).\(region).\(Self.suffix(region: region))"
    }

    /// Whether the URL is a default AWS endpoint rather than one someone configured.
    public func isDefault(for service: String) -> Bool {
        override == nil && perService[service] == nil && global == nil
    }

    static func suffix(region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }
}
