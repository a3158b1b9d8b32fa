import AWS
import Arguments

/// Where and as whom to reach AWS: `--region`, `--profile`, `--endpoint-url`, and the AWS CLI's variables.
struct AWSOptions {
    static let regionOption = Option<String>(
        "region", help: "The AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region).")
    static let profileOption = Option<String>(
        "profile", help: "A profile of the shared credentials and config files (else AWS_PROFILE).")
    static let endpointOption = Option<String>(
        "endpoint-url", help: "Send every request to this endpoint (a local emulator, a VPC endpoint).")
    static let options = [regionOption.spec, profileOption.spec, endpointOption.spec]

    var region: String?
    var profile: String?
    var endpointURL: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        region = try arguments.value(Self.regionOption)
        profile = try arguments.value(Self.profileOption)
        endpointURL = try arguments.value(Self.endpointOption)
    }

    struct Resolved {
        var context: AWSContext
        var chain: CredentialChain
        var regionSource: String
    }

    func resolve(verbose: Bool) throws(CommandFailure) -> Resolved {
        let environment = AWSEnvironment.current()
        guard let region = environment.region(explicit: region, profile: profile) else {
            throw CommandFailure(
                message: "error: no AWS region: use --region, AWS_REGION or a profile with a region",
                exitCode: ExitStatus.usage)
        }
        let regionSource =
            self.region != nil
            ? "--region"
            : environment["AWS_REGION"] != nil
                ? "AWS_REGION"
                : environment["AWS_DEFAULT_REGION"] != nil
                    ? "AWS_DEFAULT_REGION" : "profile '\(profile ?? environment["AWS_PROFILE"] ?? "default")'"
        var options = CurlTransport.Options()
        options.caBundle = environment["AWS_CA_BUNDLE"]
        let endpoints = Endpoints(environment: environment.variables, override: endpointURL)
        options.readProxy(
            from: environment.variables, https: endpoints.url(for: "dynamodb", region: region).hasPrefix("https:"))
        let transport = CurlTransport(options: options)
        let chain = CredentialChain(
            environment: environment, explicitProfile: profile, region: region, transport: transport)
        let credentials = RefreshingCredentialProvider { try await chain.credentials() }
        let log: (@Sendable (String) -> Void)? = verbose ? Console.logLine : nil
        let context = AWSContext(
            region: region, credentials: credentials, transport: transport,
            endpoints: endpoints, log: log)
        return Resolved(context: context, chain: chain, regionSource: regionSource)
    }
}
