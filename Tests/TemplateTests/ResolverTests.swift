import Testing

@testable import Template

@Suite struct ResolverTests {
    static let template = """
        Parameters:
          Environment: {Type: String, Default: staging, AllowedValues: [staging, production]}
          Prefix: {Type: String, AllowedPattern: '[a-z]+', MinLength: 2}
          Capacity: {Type: Number, Default: 5, MinValue: 1, MaxValue: 40}
          Names: {Type: CommaDelimitedList, Default: 'a, b'}
          FromSSM: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /app/name}
        Mappings:
          Sizes: {production: {Read: 50}, staging: {Read: 5}}
        Conditions:
          IsProd: !Equals [!Ref Environment, production]
          NotProd: !Not [!Condition IsProd]
          Both: !And [!Condition IsProd, !Equals [!Ref Prefix, x]]
          Either: !Or [!Condition IsProd, !Equals [!Ref Prefix, x]]
        Resources:
          Queue: {Type: AWS::SQS::Queue}
          Prod:
            Type: AWS::DynamoDB::Table
            Condition: IsProd
            Properties: {TableName: prod}
          T:
            Type: AWS::DynamoDB::Table
            DeletionPolicy: !If [IsProd, Retain, Delete]
            Properties:
              Name: !Sub '${Prefix}-${Environment}-${AWS::Region}'
              Literal: !Sub 'x-${!Literal}'
              SubMap: !Sub ['${A}-${B}', {A: !Ref Capacity, B: tail}]
              Region: !Ref AWS::Region
              Stack: !Ref AWS::StackName
              Partition: !Ref AWS::Partition
              Read: !FindInMap [Sizes, !Ref Environment, Read]
              Cap: !Ref Capacity
              Joined: !Join ['-', [x, !Ref Environment]]
              Second: !Select [1, !Ref Names]
              Split: !Split [',', 'p,q']
              Removed: !If [IsProd, 1, !Ref AWS::NoValue]
              List: [1, !Ref AWS::NoValue, 2]
              Arn: !GetAtt Queue.Arn
              Import: !ImportValue Shared
              SSM: !Ref FromSSM
              Unknown: !If [Either, a, b]
              Encoded: !Base64 hi
              Count: !Length [1, 2, 3]
              Json: !ToJsonString {k: [1, 'v']}
              Queue: !Ref Queue
        """

    func resolve(_ parameters: [String: String] = [:], region: String? = "eu-west-1") throws -> ResolvedTemplate {
        try Resolver.resolve(
            try Template.parse(Array(Self.template.utf8)),
            options: ResolveOptions(parameters: parameters, region: region, stackName: "app"))
    }

    @Test func resolvesWhatIsKnowableOfflineAndKeepsTheRestAsIntrinsics() throws {
        let resolved = try resolve(["Prefix": "ab"])
        let properties = try #require(resolved.resource("T")?.properties)
        let expected: [(String, String)] = [
            ("Name", "string ab-staging-eu-west-1"), ("Literal", "string x-${Literal}"), ("SubMap", "string 5-tail"),
            ("Region", "string eu-west-1"), ("Stack", "string app"), ("Partition", "string aws"), ("Read", "number 5"),
            ("Cap", "number 5"), ("Joined", "string x-staging"), ("Second", "string b"),
            ("Split", "[string p, string q]"),
            ("List", "[number 1, number 2]"), ("Arn", "{Fn::GetAtt: [string Queue, string Arn]}"),
            ("Import", "{Fn::ImportValue: string Shared}"), ("SSM", "{Ref: string FromSSM}"),
            ("Unknown", "string b"), ("Encoded", "string aGk="), ("Count", "number 3"),
            ("Json", "string {\"k\":[1,\"v\"]}"), ("Queue", "{Ref: string Queue}"),
        ]
        for (key, value) in expected {
            #expect(properties[key].map(describe) == value, "\(key)")
        }
        #expect(properties["Removed"] == nil)
        #expect(resolved.resource("T")?.deletionPolicy?.string == "Delete")
        #expect(resolved.diagnostics.isEmpty)
    }

    @Test func excludesResourcesWhoseConditionIsFalse() throws {
        #expect(try resolve().resource("Prod") == nil)
        let production = try resolve(["Environment": "production"])
        #expect(production.resource("Prod")?.conditionValue == true)
        #expect(production.resource("T")?.deletionPolicy?.string == "Retain")
        #expect(production.resource("T")?.properties?["Removed"].map(describe) == "number 1")
    }

    @Test func evaluatesConditionsInThreeValuedLogic() throws {
        let unknownPrefix = try resolve()
        #expect(unknownPrefix.conditionValues["IsProd"] == false)
        #expect(unknownPrefix.conditionValues["NotProd"] == true)
        #expect(unknownPrefix.conditionValues["Both"] == false)
        #expect(unknownPrefix.conditionValues["Either"] == nil)
        let production = try resolve(["Environment": "production"])
        #expect(production.conditionValues["Either"] == true)
    }

    @Test func leavesPseudoParametersUnknownWithoutARegion() throws {
        let properties = try #require(try resolve(region: nil).resource("T")?.properties)
        #expect(properties["Region"].map(describe) == "{Ref: string AWS::Region}")
        #expect(properties["Unknown"].map(describe) == "{Fn::If: [string Either, string a, string b]}")
        #expect(properties["Name"].map(describe) == "{Fn::Sub: string ${Prefix}-${Environment}-${AWS::Region}}")
    }

    @Test(arguments: [
        (
            ["Environment": "prod"],
            "parameter 'Environment': 'prod' is not one of the allowed values 'staging', 'production'"
        ),
        (["Prefix": "AB"], "parameter 'Prefix': 'AB' does not match AllowedPattern '[a-z]+'"),
        (["Prefix": "a"], "parameter 'Prefix': 'a' is shorter than MinLength 2"),
        (["Capacity": "41"], "parameter 'Capacity': 41 is above MaxValue 40"),
        (["Capacity": "x"], "parameter 'Capacity': 'x' is not a number"),
        (
            ["Enviroment": "staging"],
            "parameter 'Enviroment' is given a value but the template does not declare it; did you mean 'Environment'?"
        ),
    ])
    func refusesParameterValuesTheTemplateDoesNotAllow(parameters: [String: String], message: String) {
        #expect {
            try resolve(parameters)
        } throws: { ($0 as? ParseError)?.message == message }
    }

    @Test func aValueNeitherVersionDeclaresIsRefusedAndOneEitherDeclaresIsNot() throws {
        let base = try Template.parse(Array("Parameters: {Env: {Type: String}}\nResources: {}".utf8))
        let head = try Template.parse(
            Array("Parameters: {Env: {Type: String}, Added: {Type: String}}\nResources: {}".utf8))
        try Resolver.refuseUndeclared(["Env", "Added"], in: [head, base])
        #expect { try Resolver.refuseUndeclared(["Adder"], in: [head, base]) } throws: {
            ($0 as? ParseError)?.message
                == "parameter 'Adder' is given a value but neither template declares it; did you mean 'Added'?"
        }
        // The base, resolved without refusing, ignores the value only the head declares.
        let options = ResolveOptions(parameters: ["Added": "x"], refusesUndeclared: false)
        #expect(try Resolver.resolve(base, options: options).parameterValues["Added"] == nil)
    }

    @Test func aParameterWhoseValueIsUnknownNeverFallsBackToItsDefault() throws {
        let options = ResolveOptions(unknownParameters: ["Environment"])
        let resolved = try Resolver.resolve(try Template.parse(Array(Self.template.utf8)), options: options)
        #expect(resolved.parameterValues["Environment"] == nil)
        #expect(resolved.resource("T")?.properties?["Name"].map(describe)?.contains("Fn::Sub") == true)
    }

    @Test func aNoEchoValueIsNeverRepeatedNotEvenWhenRefused() throws {
        let template = try Template.parse(
            Array("Parameters: {Key: {Type: String, NoEcho: 'true', MinLength: 12}}\nResources: {}".utf8))
        #expect { try Resolver.resolve(template, options: ResolveOptions(parameters: ["Key": "hunter2"])) } throws: {
            ($0 as? ParseError)?.message == "parameter 'Key': '****' is shorter than MinLength 12"
        }
        let resolved = try Resolver.resolve(
            template, options: ResolveOptions(parameters: ["Key": "correct-horse-battery"]))
        #expect(resolved.secretValues == ["correct-horse-battery"])
    }

    @Test func reportsReferencesToUndefinedNames() throws {
        let source = """
            Conditions:
              Loop: !Condition Loop
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Condition: Missing
                Properties:
                  A: !Ref Nothing
                  B: !GetAtt Ghost.Arn
                  C: !FindInMap [NoMap, a, b]
                  D: !If [Loop, 1, 2]
                  E: {'Fn::Frobnicate': 1}
                  F: !Sub '${Ghost.Arn}'
            """
        let resolved = try Resolver.resolve(try Template.parse(Array(source.utf8)))
        let messages = resolved.diagnostics.map { "\($0.ruleId) \($0.range.start.line) \($0.message)" }
        #expect(
            messages == [
                "DDB005 6 condition 'Missing' is not defined in 'Conditions'",
                "DDB005 8 'Ref' to 'Nothing', which is neither a parameter, a pseudo-parameter nor a resource",
                "DDB005 9 'Fn::GetAtt' of 'Ghost', which is not a resource of this template",
                "DDB005 10 mapping 'NoMap' is not defined in 'Mappings'",
                "DDB005 2 condition 'Loop' depends on itself",
                "DDB004 12 unknown intrinsic function 'Fn::Frobnicate'",
                "DDB005 13 'Fn::Sub' variable '${Ghost.Arn}' names 'Ghost', which is not a resource of this template",
            ])
    }
}

@Suite struct SubTemplateTests {
    @Test(arguments: [
        ("plain", [SubTemplate.Piece.literal("plain")]),
        ("${A}", [.variable("A")]),
        ("$x-${A}-$", [.literal("$x-"), .variable("A"), .literal("-$")]),
        ("$${A}", [.literal("$"), .variable("A")]),
        ("${ A }b", [.variable("A"), .literal("b")]),
        ("x-${!Literal}-${B}", [.literal("x-${Literal}-"), .variable("B")]),
        ("é${Name}ü", [.literal("é"), .variable("Name"), .literal("ü")]),
        ("${AWS::Region}${T.Arn}", [.variable("AWS::Region"), .variable("T.Arn")]),
        ("", []),
    ])
    func splitsLiteralsAndVariables(text: String, pieces: [SubTemplate.Piece]) {
        #expect(SubTemplate.parse(text) == pieces)
    }

    @Test(arguments: ["${A", "a-${", "${A}-${B"])
    func refusesAnUnterminatedVariable(text: String) {
        #expect(SubTemplate.parse(text) == nil)
    }
}
