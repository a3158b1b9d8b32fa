import Schema
import Template

/// Reports the diagnostics the parser, resolver and model builder raised under this rule's id.
struct DiagnosticRule: Rule {
    let description: RuleDescription

    func check(_ context: LintContext, into sink: inout FindingSink) {
        for diagnostic in context.model.diagnostics where diagnostic.ruleId == description.id {
            sink.report(diagnostic.message, at: diagnostic.range, logicalId: diagnostic.logicalId)
        }
    }

    static let unknownProperty = DiagnosticRule(
        description: RuleDescription(
            id: DiagnosticID.unknownProperty, name: "unknown-property", severity: .error,
            summary: "CloudFormation rejects a property the resource type does not define",
            help: "check the spelling against the resource's documented properties",
            passing: [
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """
            ],
            failing: [
                FailingExample(
                    """
                    Resources:
                      T:
                        Type: AWS::DynamoDB::Table
                        Properties:
                          KeySchema: [{AttributeName: id, KeyType: HASH}]
                          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                          1️⃣BilingMode: PAY_PER_REQUEST
                          ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1, 2️⃣Burst: 5}
                    """, "unknown property 'BilingMode' in AWS::DynamoDB::Table; did you mean 'BillingMode'?",
                    "unknown property 'Burst' in 'ProvisionedThroughput'")
            ]))

    static let propertyType = DiagnosticRule(
        description: RuleDescription(
            id: DiagnosticID.propertyType, name: "property-type", severity: .error,
            summary: "CloudFormation rejects a property value of the wrong type",
            help: "write the value in the documented type (lists as YAML lists, flags as true or false)",
            passing: [
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      ProvisionedThroughput: {ReadCapacityUnits: '5', WriteCapacityUnits: 5}
                      DeletionProtectionEnabled: 'true'
                """
            ],
            failing: [
                FailingExample(
                    """
                    Resources:
                      T:
                        Type: AWS::DynamoDB::Table
                        Properties:
                          KeySchema: 1️⃣{AttributeName: id, KeyType: HASH}
                          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                          ProvisionedThroughput: {ReadCapacityUnits: 2️⃣five, WriteCapacityUnits: 1}
                          DeletionProtectionEnabled: 3️⃣maybe
                    """, "'KeySchema' must be a list, found a mapping",
                    "'ProvisionedThroughput.ReadCapacityUnits' must be an integer",
                    "'DeletionProtectionEnabled' must be a boolean")
            ]))

    static let requiredProperty = DiagnosticRule(
        description: RuleDescription(
            id: DiagnosticID.requiredProperty, name: "required-property", severity: .error,
            summary: "CloudFormation rejects a resource or property group without its required members",
            help: "add the missing property",
            passing: [
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                      StreamSpecification: {StreamViewType: NEW_IMAGE}
                """
            ],
            failing: [
                FailingExample(
                    """
                    Resources:
                      T:
                        Type: AWS::DynamoDB::Table
                        Properties:
                          1️⃣AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                          BillingMode: PAY_PER_REQUEST
                          StreamSpecification: 2️⃣{}
                    """, "AWS::DynamoDB::Table requires 'KeySchema'", "'StreamSpecification' requires 'StreamViewType'")
            ]))

    static let intrinsicFunction = DiagnosticRule(
        description: RuleDescription(
            id: DiagnosticID.intrinsicFunction, name: "intrinsic-function", severity: .error,
            summary: "CloudFormation rejects an unknown or malformed intrinsic function",
            help: "use one of the documented intrinsic functions with its documented arguments",
            passing: [
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: !Join ['-', [app, users]]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """
            ],
            failing: [
                FailingExample(
                    """
                    Resources:
                      T:
                        Type: AWS::DynamoDB::Table
                        Properties:
                          TableName: 1️⃣{'Fn::Joim': ['-', [app, users]]}
                          KeySchema: [{AttributeName: id, KeyType: HASH}]
                          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                          BillingMode: 2️⃣!If [OnlyCondition]
                    """, "unknown intrinsic function 'Fn::Joim'; did you mean 'Fn::Join'?",
                    "'Fn::If' takes [ConditionName, ValueIfTrue, ValueIfFalse]")
            ]))

    static let unknownReference = DiagnosticRule(
        description: RuleDescription(
            id: DiagnosticID.unknownReference, name: "unknown-reference", severity: .error,
            summary:
                "CloudFormation rejects a reference to a parameter, resource, condition or mapping that does not exist",
            help: "declare what is referenced, or fix the name",
            passing: [
                """
                Parameters:
                  Env: {Type: String, Default: dev}
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: !Sub '${Env}-users'
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """
            ],
            failing: [
                FailingExample(
                    """
                    Parameters: {Env: {Type: String, Default: dev}}
                    Resources:
                      T:
                        Type: AWS::DynamoDB::Table
                        Condition: 1️⃣IsProd
                        Properties:
                          TableName: 2️⃣!Ref Evn
                          KeySchema: [{AttributeName: id, KeyType: HASH}]
                          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                          BillingMode: PAY_PER_REQUEST
                    """, "condition 'IsProd' is not defined in 'Conditions'",
                    "'Ref' to 'Evn', which is neither a parameter, a pseudo-parameter nor a resource; did you mean 'Env'?"
                )
            ]))

    static let templateStructure = DiagnosticRule(
        description: RuleDescription(
            id: DiagnosticID.templateStructure, name: "template-structure", severity: .error,
            summary:
                "CloudFormation rejects unknown template sections and resource attributes, an empty Resources section, and parameter defaults it would not accept as values",
            help: "use the documented section and attribute names; make every default satisfy its own constraints",
            passing: [
                """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    DeletionPolicy: Retain
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """
            ],
            failing: [
                FailingExample(
                    """
                    Parameters:
                      Env: {Type: String, AllowedValues: [staging, production], Default: 1️⃣prod}
                    2️⃣Output: {}
                    Resources:
                      T:
                        Type: AWS::DynamoDB::Table
                        3️⃣DeletionPolcy: Retain
                        Properties:
                          KeySchema: [{AttributeName: id, KeyType: HASH}]
                          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                          BillingMode: PAY_PER_REQUEST
                    """, "default of parameter 'Env': 'prod' is not one of the allowed values",
                    "unknown template section 'Output'; did you mean 'Outputs'?",
                    "unknown resource attribute 'DeletionPolcy'; did you mean 'DeletionPolicy'?"),
                FailingExample(
                    "Resources: 1️⃣{}\n", "'Resources' is empty: CloudFormation refuses a template without resources"),
            ]))
}

/// CloudFormation's size limits for a template body.
struct TemplateSizeRule: Rule {
    static let inlineLimit = 51_200
    static let urlLimit = 1_000_000

    let description = RuleDescription(
        id: "DDB006", name: "template-size", severity: .error,
        summary: "CloudFormation takes at most 51,200 bytes inline and 1 MB from S3 (TemplateURL)",
        help: "split the tables across stacks (nested stacks or one stack per domain)",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
            """
        ],
        failing: [
            FailingExample(
                "1️⃣Description: '\(String(repeating: "x", count: 1_000_001))'\nResources: {T: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}], BillingMode: PAY_PER_REQUEST}}}",
                "is over CloudFormation's 1 MB limit")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        let start = SourceRange(at: SourceLocation(line: 1, column: 1))
        if context.sourceSize > Self.urlLimit {
            sink.report(
                "template is \(context.sourceSize) bytes, which is over CloudFormation's 1 MB limit", at: start,
                logicalId: nil)
        } else if context.sourceSize > Self.inlineLimit {
            // Only a note: such a template deploys through S3 (TemplateURL).
            sink.report(
                "template is \(context.sourceSize) bytes, over the 51,200-byte inline limit: deploys must upload it to S3",
                at: start, logicalId: nil, help: "deploy with an S3 bucket for the template (TemplateURL)",
                severity: .note)
        }
    }
}

/// At most 500 resources per stack.
struct ResourceCountRule: Rule {
    static let limit = 500

    let description = RuleDescription(
        id: "DDB007", name: "resource-count", severity: .error,
        summary: "a CloudFormation stack holds at most 500 resources",
        help: "split the resources across stacks",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
            """
        ],
        failing: [
            FailingExample(
                "1️⃣Resources:\n" + (1...501).map { "  Q\($0): {Type: AWS::SQS::Queue}" }.joined(separator: "\n"),
                "501 resources, over CloudFormation's limit of 500")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        let count = context.template.resources.count
        guard count > Self.limit, let entry = context.template.root.entry("Resources") else { return }
        sink.report(
            "\(count) resources, over CloudFormation's limit of \(Self.limit) per stack", at: entry.keyRange,
            logicalId: nil)
    }
}

/// `Metadata: ddbstack: ignore:` needs a reason and must name real rules.
struct SuppressionRule: Rule {
    let description = RuleDescription(
        id: "DDB010", name: "suppression", severity: .warning,
        summary: "a suppression without a reason, or of a rule that does not exist, hides why the finding was accepted",
        help: "add 'reason: \"…\"' next to 'ignore', and name rules by their ids (see 'ddbstack rules')",
        passing: [
            """
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                Metadata:
                  ddbstack: {ignore: [DDB912], reason: 'scratch table'}
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
            """
        ],
        failing: [
            FailingExample(
                """
                Resources:
                  T:
                    Type: AWS::DynamoDB::Table
                    Metadata:
                      ddbstack: 1️⃣{ignore: [DDB912, 2️⃣DDB999]}
                    Properties:
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      BillingMode: PAY_PER_REQUEST
                """, "suppression in 'T' has no reason", "'DDB999' is not a rule")
        ])

    func check(_ context: LintContext, into sink: inout FindingSink) {
        let known = Set(RuleRegistry.all.map(\.description.id))
        context.forEachTable { table in
            let metadata = table.metadata
            guard let range = metadata.range, !metadata.ignoredRules.isEmpty else { return }
            if metadata.reason?.isEmpty ?? true {
                sink.report("suppression in '\(table.logicalId)' has no reason", at: range, in: table)
            }
            for id in metadata.ignoredRules where !(id.value.map(known.contains) ?? true) {
                sink.report("'\(id.value!)' is not a rule, so ignoring it has no effect", at: id.range, in: table)
            }
        }
    }
}
