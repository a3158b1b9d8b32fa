import Template
import Testing

@testable import AWS

@Suite struct ClientTests {
    static let throttled = FakeTransport.json(
        400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}"#)
    static let table = FakeTransport.json(200, #"{"Table":{"TableName":"users","TableStatus":"ACTIVE"}}"#)

    @Test func signsAndAddressesDynamoDBRequests() async throws {
        let transport = FakeTransport([Self.table])
        let table = try await DynamoDBClient(context: testContext(transport)).describeTable("users")
        #expect(table["TableName"]?.stringValue == "users")
        let request = try #require(transport.requests.first)
        #expect(request.header("X-Amz-Target") == "DynamoDB_20120810.DescribeTable")
        #expect(request.header("Content-Type") == "application/x-amz-json-1.0")
        #expect(request.header("Host") == "127.0.0.1:1")
        #expect(request.header("X-Amz-Security-Token") == "TOKEN-NEVER-PRINTED")
        #expect(
            request.header("Authorization")?.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251122/eu-west-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
            ) == true)
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"TableName":"users"}"#)
    }

    @Test func retriesThrottlingAndTransientFailuresUntilSuccess() async throws {
        let transport = FakeTransport([
            Self.throttled, .failure(TransportError(.connectionReset, "reset")),
            FakeTransport.json(503, "Service Unavailable"), FakeTransport.json(200, "{}", crc: false).corrupted,
            Self.table,
        ])
        let recorder = Recorder()
        let table = try await DynamoDBClient(context: testContext(transport, recorder: recorder)).describeTable("users")
        #expect(table["TableName"]?.stringValue == "users")
        #expect(transport.requests.count == 5)
        // Full jitter with random 0.5: half of 0.1 × 2^attempt, capped at 20 s.
        #expect(recorder.delays.withLock { $0 } == [0.1, 0.2, 0.4, 0.8])
    }

    @Test func persistentFailureEndsInOneClearError() async throws {
        let transport = FakeTransport(Array(repeating: Self.throttled, count: 5))
        do {
            _ = try await DynamoDBClient(context: testContext(transport)).describeTable("users")
            Issue.record("expected an error")
        } catch let error as AWSError {
            #expect(
                error.description
                    == "DynamoDB DescribeTable: ThrottlingException: Rate exceeded (gave up after 5 attempts) (HTTP 400, request REQ-400)"
            )
        }
        #expect(transport.requests.count == 5)
    }

    @Test func neverRepeatsWhatIsNotSafeToRepeat() async throws {
        let transport = FakeTransport([.failure(TransportError(.timeout, "timed out")), Self.table])
        await #expect(throws: AWSError.self) {
            _ = try await DynamoDBClient(context: testContext(transport)).createBackup(
                table: "users", name: "before-deploy")
        }
        #expect(transport.requests.count == 1)
        // A refused connection never reached AWS: safe to try again even for CreateBackup.
        let refused = FakeTransport([
            .failure(TransportError(.connect, "refused")),
            FakeTransport.json(200, #"{"BackupDetails":{"BackupName":"b"}}"#),
        ])
        let backup = try await DynamoDBClient(context: testContext(refused)).createBackup(table: "users", name: "b")
        #expect(backup["BackupName"]?.stringValue == "b")
    }

    @Test func errorsAreTypedFromTheJSONErrorShape() async throws {
        let transport = FakeTransport([
            FakeTransport.json(
                400,
                #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","Message":"Requested resource not found: Table: ghost not found"}"#
            )
        ])
        do {
            _ = try await DynamoDBClient(context: testContext(transport)).describeTable("ghost")
        } catch let error as AWSError {
            #expect(error.code == "ResourceNotFoundException")
            #expect(error.message == "Requested resource not found: Table: ghost not found")
            #expect(error.requestId == "REQ-400")
        }
        #expect(transport.requests.count == 1)
    }

    @Test func malformedBodiesAreAClearErrorNotACrash() async throws {
        let transport = FakeTransport([FakeTransport.json(200, "<html>oops</html>")])
        do {
            _ = try await DynamoDBClient(context: testContext(transport)).describeTable("users")
            Issue.record("expected an error")
        } catch let error as AWSError {
            #expect(error.code == "MalformedResponse")
        }
    }

    @Test func paginatesListTablesAndTags() async throws {
        let transport = FakeTransport([
            FakeTransport.json(200, #"{"TableNames":["a","b"],"LastEvaluatedTableName":"b"}"#),
            FakeTransport.json(200, #"{"TableNames":["c"]}"#),
            FakeTransport.json(200, #"{"Tags":[{"Key":"team","Value":"x"}],"NextToken":"t"}"#),
            FakeTransport.json(200, #"{"Tags":[{"Key":"aws:cloudformation:stack-name","Value":"app"}]}"#),
        ])
        let client = DynamoDBClient(context: testContext(transport))
        #expect(try await client.listTables() == ["a", "b", "c"])
        #expect(
            try await client.listTags("arn:aws:dynamodb:eu-west-1:1:table/a").map(\.0) == [
                "team", "aws:cloudformation:stack-name",
            ])
        #expect(String(decoding: transport.requests[1].body, as: UTF8.self).contains(#""ExclusiveStartTableName":"b""#))
        #expect(String(decoding: transport.requests[3].body, as: UTF8.self).contains(#""NextToken":"t""#))
    }

    @Test func verboseLogsNeverCarryASecret() async throws {
        let recorder = Recorder()
        let transport = FakeTransport([Self.throttled, Self.table])
        _ = try await DynamoDBClient(context: testContext(transport, recorder: recorder)).describeTable("users")
        let lines = recorder.lines.withLock { $0 }
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("DynamoDB DescribeTable → 400 in "))
        for line in lines {
            #expect(
                !line.contains("SECRET-NEVER-PRINTED") && !line.contains("TOKEN-NEVER-PRINTED")
                    && !line.contains("Signature="))
        }
    }

    @Test func queryServicesParseXMLResultsAndErrors() async throws {
        let transport = FakeTransport([
            FakeTransport.xml(
                200,
                """
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult>
                  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
                </GetCallerIdentityResponse>
                """),
            FakeTransport.xml(
                403,
                "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not &amp; never</Message></Error><RequestId>r-2</RequestId></ErrorResponse>"
            ),
        ])
        let sts = STSClient(context: testContext(transport))
        let identity = try await sts.getCallerIdentity()
        #expect(
            identity
                == STSClient.Identity(account: "123456789012", arn: "arn:aws:iam::123456789012:user/ci", userId: "AIDA")
        )
        #expect(
            String(decoding: transport.requests[0].body, as: UTF8.self) == "Action=GetCallerIdentity&Version=2011-06-15"
        )
        do {
            _ = try await sts.getCallerIdentity()
        } catch let error as AWSError {
            #expect(error.description == "STS GetCallerIdentity: AccessDenied: not & never (HTTP 403, request r-2)")
        }
    }
}

extension FakeTransport.Reply {
    /// The same response with a CRC32 header that does not match its body.
    var corrupted: FakeTransport.Reply {
        guard case .response(var response) = self else { return self }
        response.headers.append(("x-amz-crc32", "12345"))
        return .response(response)
    }
}
