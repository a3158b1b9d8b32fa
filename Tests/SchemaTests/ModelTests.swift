import Template
import Testing

@testable import Schema

@Suite struct ModelTests {
    func model(_ source: String, parameters: [String: String] = [:]) throws -> Model {
        Model(
            try Resolver.resolve(
                try Template.parse(Array(source.utf8)), options: ResolveOptions(parameters: parameters)))
    }

    @Test(
        arguments: [
            ("HASH", KeyElement.KeyType.hash), ("RANGE", .range), ("hash", nil), ("HASHX", nil), ("RANG", nil),
            ("", nil),
        ] as [(String, KeyElement.KeyType?)])
    func readsKeyTypesExactly(text: String, expected: KeyElement.KeyType?) {
        #expect(KeyElement.KeyType(rawValue: text) == expected)
    }

    @Test func readsEveryTablePropertyIntoTheTypedModel() throws {
        let table = try #require(
            try model(
                """
                Resources:
                  Users:
                    Type: AWS::DynamoDB::Table
                    DeletionPolicy: Retain
                    Metadata: {ddbstack: {ignore: [DDB911], reason: reviewed}}
                    Properties:
                      TableName: users
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: email, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      GlobalSecondaryIndexes:
                        - IndexName: byEmail
                          KeySchema: [{AttributeName: email, KeyType: HASH}]
                          Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [name]}
                      StreamSpecification: {StreamViewType: NEW_IMAGE}
                      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: 'true'}
                      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: '7'}
                      SSESpecification: {SSEEnabled: true, SSEType: KMS}
                      TableClass: STANDARD
                      DeletionProtectionEnabled: true
                      Tags: [{Key: team, Value: core}]
                """
            ).tables.first)
        #expect(table.tableName?.value == "users")
        #expect(table.billingMode == .payPerRequest)
        #expect(table.keySchema.attributeNames == ["id"])
        #expect(table.isKeyAttribute("id") && table.isKeyAttribute("email") && !table.isKeyAttribute("name"))
        #expect(table.globalSecondaryIndexes.first?.projection?.nonKeyAttributes.map(\.value) == ["name"])
        #expect(table.stream?.viewType?.value == "NEW_IMAGE")
        #expect(table.timeToLive?.enabled?.value == true)
        #expect(table.pointInTimeRecovery?.recoveryPeriodInDays?.value == 7)
        #expect(table.encryption?.type?.value == "KMS")
        #expect(table.deletionProtection?.value == true)
        #expect(table.tags.map(\.key.value) == ["team"])
        #expect(table.deletionPolicy?.value == "Retain")
        #expect(table.metadata.ignoredRules.map(\.value) == ["DDB911"])
        #expect(table.metadata.reason == "reviewed")
        #expect(table.billingModeText?.range.start == SourceLocation(line: 8, column: 20))
    }

    @Test func reportsMalformedPropertiesAndStillModelsTheRest() throws {
        let result = try model(
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  BilingMode: PAY_PER_REQUEST
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: {AttributeName: id}
                  ProvisionedThroughput: {ReadCapacityUnits: five, WriteCapacityUnits: 1}
                  StreamSpecification: {}
                  DeletionProtectionEnabled: maybe
            """)
        let messages = result.diagnostics.map { "\($0.ruleId) \($0.range.start) \($0.message)" }
        #expect(
            messages == [
                "DDB001 5:7 unknown property 'BilingMode' in AWS::DynamoDB::Table; did you mean 'BillingMode'?",
                "DDB002 7:29 'AttributeDefinitions' must be a list, found a mapping",
                "DDB002 8:50 'ProvisionedThroughput.ReadCapacityUnits' must be an integer, found a string",
                "DDB003 9:28 'StreamSpecification' requires 'StreamViewType'",
                "DDB002 10:34 'DeletionProtectionEnabled' must be a boolean, found a string",
            ])
        #expect(result.tables.first?.keySchema.attributeNames == ["id"])
    }

    @Test func namesTheWholePathToAMalformedValueInsideLists() throws {
        let result = try model(
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  GlobalSecondaryIndexes:
                    - IndexName: a
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      Projection: {ProjectionType: ALL}
                    - IndexName: b
                      KeySchema: [{AttributeName: id, KeyTyp: HASH}]
                      Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [x, [y]]}
            """)
        let messages = result.diagnostics.map { "\($0.ruleId) \($0.range.start) \($0.message)" }
        #expect(
            messages == [
                "DDB001 11:43 unknown property 'KeyTyp' in 'GlobalSecondaryIndexes[1].KeySchema[0]'; did you mean 'KeyType'?",
                "DDB003 11:23 'GlobalSecondaryIndexes[1].KeySchema[0]' requires 'KeyType'",
                "DDB002 12:71 'GlobalSecondaryIndexes[1].Projection.NonKeyAttributes[1]' must be a string, found a list",
            ])
    }

    @Test func checksBothBranchesOfAnUnknownCondition() throws {
        let result = try model(
            """
            Parameters: {Env: {Type: String}}
            Conditions: {Prod: !Equals [!Ref Env, production]}
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  DeletionProtectionEnabled: !If [Prod, true, sometimes]
            """)
        #expect(result.diagnostics.map(\.message) == ["'DeletionProtectionEnabled' must be a boolean, found a string"])
        #expect(result.tables.first?.deletionProtection?.isUnknown == true)
        #expect(result.tables.first?.partlyUnknown == ["DeletionProtectionEnabled"])
    }

    @Test func modelsSAMSimpleTablesAsOnDemandWithAHashKey() throws {
        let tables = try model(
            """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Plain: {Type: AWS::Serverless::SimpleTable}
              Sized:
                Type: AWS::Serverless::SimpleTable
                Properties:
                  PrimaryKey: {Name: pk, Type: Number}
                  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
                  Tags: {team: core}
            """
        ).tables
        #expect(tables.map(\.billingMode) == [.payPerRequest, .provisioned])
        #expect(tables[0].keySchema.attributeNames == ["id"])
        #expect(tables[0].attributeDefinitions.first?.type.value == "S")
        #expect(tables[1].attributeDefinitions.first?.type.value == "N")
        #expect(tables[1].tags.map(\.key.value) == ["team"])
    }

    @Test func modelsGlobalTableReplicas() throws {
        let table = try #require(
            try model(
                """
                Resources:
                  G:
                    Type: AWS::DynamoDB::GlobalTable
                    Properties:
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      BillingMode: PAY_PER_REQUEST
                      Replicas:
                        - Region: eu-west-1
                          PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
                          DeletionProtectionEnabled: true
                """
            ).tables.first)
        #expect(table.kind == .globalTable)
        #expect(table.replicas.first?.region.value == "eu-west-1")
        #expect(table.replicas.first?.pointInTimeRecovery?.enabled?.value == true)
    }
}
