import Foundation
import TestSupport
import Testing

@testable import AWS

@Suite struct SigV4Tests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// AWS's published get-vanilla vector.
    @Test func matchesThePublishedGetVanillaVector() throws {
        let signer = SigV4(service: "service", region: "us-east-1")
        let request = SigV4.Request(method: "GET", headers: [("Host", "example.amazonaws.com")], body: [])
        let headers = try signer.sign(
            request,
            credentials: Credentials(
                accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            date: AmzDate(timestamp: "20150830T123600Z"))
        #expect(
            headers.first { $0.0 == "Authorization" }?.1
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }

    @Test func formatsEpochSecondsAsAmzDates() {
        #expect(AmzDate(epochSeconds: 1_440_938_160).timestamp == "20150830T123600Z")
        #expect(AmzDate(epochSeconds: 951_782_400).timestamp == "20000229T000000Z")
        #expect(AmzDate(epochSeconds: 0).timestamp == "19700101T000000Z")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var service: String
        var target: String?
        var contentType: String
        var body: String
        var token: String?
        var query: [(String, String)] = []
        var testDescription: String { "\(service) \(target ?? "") token=\(token != nil) \(body.prefix(30))" }
    }

    static let cases: [Case] = [
        Case(
            service: "dynamodb", target: "DynamoDB_20120810.DescribeTable", contentType: "application/x-amz-json-1.0",
            body: #"{"TableName":"finance-production-users"}"#),
        Case(
            service: "dynamodb", target: "DynamoDB_20120810.DescribeTable", contentType: "application/x-amz-json-1.0",
            body: #"{"TableName":"tàble-€-名前"}"#, token: "FQoGZXIvYXdzEJr//////////wEaDOo+token/with=reserved&chars"),
        Case(
            service: "cloudformation", target: nil, contentType: "application/x-www-form-urlencoded; charset=utf-8",
            body: "Action=DescribeStacks&Version=2010-05-15&StackName=app%20prod%2Bx"),
        Case(
            service: "cloudformation", target: nil, contentType: "application/x-www-form-urlencoded; charset=utf-8",
            body: "Action=CreateChangeSet&TemplateBody=Resources%3A%0A%20%20T%3A%20%7B%7D%0A&Description=caf%C3%A9",
            token: "session-token"),
        Case(
            service: "sts", target: nil, contentType: "application/x-www-form-urlencoded; charset=utf-8",
            body: "Action=GetCallerIdentity&Version=2011-06-15", query: [("b", "2 3"), ("a", "x/y"), ("a", "~1")]),
    ]

    /// The same request signed by botocore (the reference signer installed on every machine here) and by SigV4.
    @Test(arguments: cases)
    func agreesWithBotocore(testCase: Case) throws {
        let region = "eu-west-1"
        let host = "\(testCase.service).\(region).amazonaws.com"
        let time = "20261122T101500Z"
        var headers = [("Host", host), ("Content-Type", testCase.contentType)]
        if let target = testCase.target { headers.append(("X-Amz-Target", target)) }
        let body = Array(testCase.body.utf8)
        let credentials = Credentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: testCase.token)
        let ours = try SigV4(service: testCase.service, region: region)
            .sign(
                SigV4.Request(method: "POST", path: "/", query: testCase.query, headers: headers, body: body),
                credentials: credentials, date: AmzDate(timestamp: time))
        let query = testCase.query.map {
            "\(URIEncoding.encode($0.0, slash: true))=\(URIEncoding.encode($0.1, slash: true))"
        }
        .joined(separator: "&")
        let reference = try Self.botocore([
            "service": testCase.service, "region": region, "method": "POST",
            "url": "https://\(host)/" + (query.isEmpty ? "" : "?\(query)"),
            "headers": Dictionary(headers.filter { $0.0 != "Host" }, uniquingKeysWith: { first, _ in first }),
            "body": Data(body).base64EncodedString(), "accessKey": credentials.accessKeyId,
            "secretKey": credentials.secretAccessKey,
            "token": testCase.token as Any, "time": time,
        ])
        #expect(ours.first { $0.0 == "Authorization" }?.1 == reference["Authorization"])
        #expect(ours.first { $0.0 == "X-Amz-Security-Token" }?.1 == reference["X-Amz-Security-Token"])
    }

    /// S3 PutObject as `S3Client` sends it (path-style, the payload's hash as a header), against botocore's S3 signer.
    @Test(arguments: [nil, "session-token"])
    func signsS3PutObjectAsBotocoreDoes(token: String?) throws {
        let region = "eu-west-1"
        let host = "s3.\(region).amazonaws.com"
        let time = "20261122T101500Z"
        let body = Array("Resources:\n  T: {Type: AWS::DynamoDB::Table}\n".utf8)
        let path = "/templates-bucket/ddbstack/app-prod/0a1b2c.template"
        let headers = [
            ("Host", host), ("Content-Type", "text/plain"),
            ("x-amz-content-sha256", Digest.hex(try Digest.sha256(body))),
        ]
        let credentials = Credentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: token
        )
        let ours = try SigV4(service: "s3", region: region)
            .sign(
                SigV4.Request(method: "PUT", path: path, headers: headers, body: body), credentials: credentials,
                date: AmzDate(timestamp: time))
        let reference = try Self.botocore([
            "service": "s3", "region": region, "method": "PUT", "url": "https://\(host)\(path)",
            "headers": ["Content-Type": "text/plain"], "body": Data(body).base64EncodedString(),
            "accessKey": credentials.accessKeyId,
            "secretKey": credentials.secretAccessKey, "token": token as Any, "time": time,
        ])
        #expect(ours.first { $0.0 == "Authorization" }?.1 == reference["Authorization"])
    }

    @Test func s3URLsAreVirtualHostedOnAWSAndPathStyleOnAConfiguredEndpoint() {
        func client(_ endpoints: Endpoints) -> S3Client {
            S3Client(
                context: AWSContext(
                    region: "eu-west-1",
                    credentials: StaticCredentialProvider(Credentials(accessKeyId: "a", secretAccessKey: "b")),
                    transport: CurlTransport(), endpoints: endpoints))
        }
        #expect(
            client(Endpoints()).url(bucket: "templates", key: "ddbstack/app/x.template")
                == "https://templates.s3.eu-west-1.amazonaws.com/ddbstack/app/x.template")
        #expect(
            client(Endpoints()).url(bucket: "my.templates", key: "k")
                == "https://s3.eu-west-1.amazonaws.com/my.templates/k")
        #expect(
            client(Endpoints(override: "http://127.0.0.1:4566/")).url(bucket: "templates", key: "k")
                == "http://127.0.0.1:4566/templates/k")
    }

    static func botocore(_ spec: [String: Any]) throws -> [String: String] {
        let (_, data) = try PipedProcess.run(
            "/usr/bin/env", ["python3", root.appendingPathComponent("fixtures/aws/botocore_sign.py").path],
            input: try JSONSerialization.data(withJSONObject: spec.filter { !($0.value is NSNull) }),
            environment: ProcessInfo.processInfo.environment.merging(["AWS_EC2_METADATA_DISABLED": "true"]) { $1 })
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
    }
}
