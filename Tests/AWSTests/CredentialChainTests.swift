import Synchronization
import Template
import Testing

@testable import AWS

@Suite struct CredentialChainTests {
    static let credentialsFile = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [ci]
        aws_access_key_id=AKIDCI
        aws_secret_access_key=ci-secret
        aws_session_token=ci-token
        """
    static let configFile = """
        [default]
        region = eu-central-1

        [profile deployer]
        role_arn = arn:aws:iam::123456789012:role/deployer
        source_profile = ci
        region = us-west-2

        [profile process]
        credential_process = /opt/bin/creds --json

        [profile oidc]
        role_arn = arn:aws:iam::123456789012:role/oidc
        web_identity_token_file = /var/run/token
        """

    static let assumed = FakeTransport.xml(
        200,
        """
        <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey>
        <SessionToken>role-token</SessionToken><Expiration>2026-11-22T11:15:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>
        """)

    func chain(
        _ variables: [String: String], profile: String? = nil, transport: FakeTransport = FakeTransport([]),
        process: @escaping @Sendable (String) -> (status: Int32, output: [UInt8]) = { _ in (1, []) }
    ) -> CredentialChain {
        let files: [String: String] = [
            "/home/u/.aws/credentials": Self.credentialsFile, "/home/u/.aws/config": Self.configFile,
            "/var/run/token": "eyJ.token.sig\n",
        ]
        let environment = AWSEnvironment(
            variables: ["HOME": "/home/u"].merging(variables) { $1 },
            readFile: { files[$0].map { Array($0.utf8) } }, runProcess: process)
        return CredentialChain(
            environment: environment, explicitProfile: profile, region: "eu-west-1", transport: transport,
            clock: { 1_763_800_000 })
    }

    @Test func environmentKeysComeFirst() async throws {
        let credentials = try await chain([
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t",
            "AWS_PROFILE": "ci",
        ]).credentials()
        #expect(
            credentials
                == Credentials(accessKeyId: "AKIDENV", secretAccessKey: "s", sessionToken: "t", source: "environment"))
    }

    @Test func anExplicitProfileWinsOverTheEnvironment() async throws {
        let credentials = try await chain(
            ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"], profile: "ci"
        ).credentials()
        #expect(credentials.accessKeyId == "AKIDCI")
        #expect(credentials.sessionToken == "ci-token")
        #expect(credentials.source == "profile 'ci'")
    }

    @Test func theDefaultProfileAndAWS_PROFILE() async throws {
        #expect(try await chain([:]).credentials().accessKeyId == "AKIDDEFAULT")
        #expect(try await chain(["AWS_PROFILE": "ci"]).credentials().accessKeyId == "AKIDCI")
    }

    @Test func assumesARoleFromASourceProfile() async throws {
        let transport = FakeTransport([Self.assumed])
        let credentials = try await chain([:], profile: "deployer", transport: transport).credentials()
        #expect(credentials.accessKeyId == "ASIAROLE")
        #expect(credentials.expiration == 1_795_346_100)
        let request = try #require(transport.requests.first)
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(
            body.hasPrefix(
                "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdeployer"))
        #expect(request.header("Authorization")?.contains("Credential=AKIDCI/") == true)
        #expect(request.url == "https://sts.eu-west-1.amazonaws.com")
    }

    @Test func runsTheCredentialProcess() async throws {
        let json =
            #"{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "p", "SessionToken": "pt", "Expiration": "2026-11-22T11:00:00+00:00"}"#
        let credentials = try await chain(
            [:], profile: "process",
            process: { command in
                command == "/opt/bin/creds --json" ? (0, Array(json.utf8)) : (1, [])
            }
        ).credentials()
        #expect(credentials.accessKeyId == "AKIDPROC")
        #expect(credentials.expiration == 1_795_345_200)
        await #expect(throws: CredentialSourceError.self) { try await chain([:], profile: "process").credentials() }
    }

    @Test func exchangesAWebIdentityTokenUnsigned() async throws {
        let reply = FakeTransport.xml(
            200,
            "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAOIDC</AccessKeyId><SecretAccessKey>o</SecretAccessKey><SessionToken>ot</SessionToken></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"
        )
        let transport = FakeTransport([reply])
        let credentials = try await chain(
            [
                "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/ci",
                "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9",
            ], transport: transport
        ).credentials()
        #expect(credentials.accessKeyId == "ASIAOIDC")
        let request = try #require(transport.requests.first)
        #expect(request.header("Authorization") == nil)
        #expect(request.url == "http://127.0.0.1:9")
        #expect(String(decoding: request.body, as: UTF8.self).contains("WebIdentityToken=eyJ.token.sig&") == false)
        #expect(String(decoding: request.body, as: UTF8.self).hasSuffix("WebIdentityToken=eyJ.token.sig"))
    }

    @Test func readsContainerCredentialsWithTheirToken() async throws {
        let body = #"{"AccessKeyId":"ASIACONT","SecretAccessKey":"c","Token":"ct","Expiration":"2026-11-22T12:00:00Z"}"#
        let transport = FakeTransport([.response(HTTPResponse(status: 200, body: Array(body.utf8)))])
        let credentials = try await chain(
            [
                "HOME": "/nowhere", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:8/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "secret-token",
            ], transport: transport
        ).credentials()
        #expect(credentials.accessKeyId == "ASIACONT")
        #expect(transport.requests.first?.header("Authorization") == "secret-token")
    }

    @Test func usesIMDSv2WithASessionToken() async throws {
        let body =
            #"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"i","Token":"it","Expiration":"2026-11-22T12:00:00Z"}"#
        let transport = FakeTransport([
            .response(HTTPResponse(status: 200, body: Array("imds-token".utf8))),
            .response(HTTPResponse(status: 200, body: Array("ec2-role\n".utf8))),
            .response(HTTPResponse(status: 200, body: Array(body.utf8))),
        ])
        let credentials = try await chain(
            ["HOME": "/nowhere", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:7/"], transport: transport
        ).credentials()
        #expect(credentials.accessKeyId == "ASIAIMDS")
        #expect(credentials.source == "EC2 instance metadata (role ec2-role)")
        #expect(
            transport.requests.map { "\($0.method) \($0.url)" } == [
                "PUT http://127.0.0.1:7/latest/api/token",
                "GET http://127.0.0.1:7/latest/meta-data/iam/security-credentials/",
                "GET http://127.0.0.1:7/latest/meta-data/iam/security-credentials/ec2-role",
            ])
        #expect(transport.requests[1].header("X-aws-ec2-metadata-token") == "imds-token")
    }

    @Test func theErrorListsEverySourceTried() async throws {
        let transport = FakeTransport([])
        do {
            _ = try await chain(["HOME": "/nowhere", "AWS_EC2_METADATA_DISABLED": "true"], transport: transport)
                .credentials()
            Issue.record("expected no credentials")
        } catch let error as NoCredentialsError {
            #expect(
                error.tried == [
                    "environment (AWS_ACCESS_KEY_ID)", "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)",
                    "profile 'default' in the shared files", "container (AWS_CONTAINER_CREDENTIALS_*)",
                    "EC2 instance metadata",
                ])
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func resolvesTheRegionAsTheCLIDoes() {
        let environment = chain([:]).environment
        #expect(environment.region(explicit: nil, profile: nil) == "eu-central-1")
        #expect(environment.region(explicit: nil, profile: "deployer") == "us-west-2")
        var withVariable = environment
        withVariable.variables["AWS_DEFAULT_REGION"] = "ap-south-1"
        #expect(withVariable.region(explicit: nil, profile: nil) == "ap-south-1")
        #expect(withVariable.region(explicit: "sa-east-1", profile: nil) == "sa-east-1")
    }

    @Test func refreshesTemporaryCredentialsBeforeTheyExpire() async throws {
        let now = Mutex(1_000)
        let fetches = Mutex(0)
        let fetch: @Sendable () async throws -> Credentials = {
            let count = fetches.withLock { value -> Int in
                value += 1
                return value
            }
            return Credentials(accessKeyId: "K\(count)", secretAccessKey: "s", expiration: 2_000)
        }
        let provider = RefreshingCredentialProvider(clock: { now.withLock { $0 } }, fetch: fetch)
        #expect(try await provider.credentials().accessKeyId == "K1")
        now.withLock { $0 = 1_600 }
        #expect(try await provider.credentials().accessKeyId == "K1")
        now.withLock { $0 = 1_701 }  // within five minutes of expiry
        #expect(try await provider.credentials().accessKeyId == "K2")
    }
}
