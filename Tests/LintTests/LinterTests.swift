import Template
import TestSupport
import Testing

@testable import Lint

@Suite struct LinterTests {
    static let root = String(#filePath.split(separator: "/Tests/")[0])

    func lint(_ source: String, profile: Profile = .standard, ignored: Set<String> = []) throws -> [Finding] {
        Linter(profile: profile, ignored: ignored).lint(try LintContext(source: Array(source.utf8)))
    }

    /// Every case FACTS.md §2 lists as missed by cfn-lint is found, at its line.
    @Test func catchesEveryCaseCfnLintMisses() throws {
        let source = String(
            decoding: try #require(readFixture("\(Self.root)/fixtures/lint/facts-section-2.yaml")), as: UTF8.self)
        let found = try lint(source).map { "\($0.ruleId)@\($0.range.start.line)" }
        #expect(
            found == [
                "DDB301@9", "DDB702@10", "DDB102@12", "DDB401@13", "DDB211@15", "DDB901@22", "DDB201@27", "DDB202@29",
                "DDB212@40", "DDB212@41", "DDB204@52", "DDB501@61", "DDB402@64",
            ])
    }

    @Test func metadataSuppressesOnlyTheNamedRulesOfThatResource() throws {
        let source = """
            Resources:
              Quiet:
                Type: AWS::DynamoDB::Table
                Metadata: {ddbstack: {ignore: [DDB912, DDB301], reason: scratch table for load tests}}
                Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}], BillingMode: ON_DEMAND}
              Loud:
                Type: AWS::DynamoDB::Table
                Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}], BillingMode: ON_DEMAND}
            """
        let findings = try lint(source).map { "\($0.ruleId) \($0.logicalId ?? "")" }
        #expect(findings == ["DDB912 Loud", "DDB301 Loud"])
        #expect(try lint(source, ignored: ["DDB301"]).map(\.ruleId) == ["DDB912"])
    }

    /// A valid SAM application raises no error: Globals, Connectors, references to what SAM generates, a custom
    /// resource's Version; Globals.SimpleTable reaches the table.
    @Test func aValidSAMTemplateHasNoErrors() throws {
        let source = String(decoding: try #require(readFixture("fixtures/sam/app.yaml")), as: UTF8.self)
        let context = try LintContext(source: Array(source.utf8))
        let errors = Linter().lint(context).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.message))")
        #expect(
            context.tables.first?.encryption?.enabled?.value == true, "Globals.SimpleTable's SSESpecification applies")
        let typo = try lint(source.replacing("!GetAtt FnRole.Arn", with: "!GetAtt ItemsTable.Arn"))
        #expect(
            typo.contains { $0.ruleId == "DDB005" },
            "a SimpleTable generates nothing: a reference to 'ItemsTable' is an error")
        let withoutTransform = try lint(source.replacing("Transform: AWS::Serverless-2016-10-31\n", with: ""))
        #expect(
            withoutTransform.contains {
                $0.message == "a 'Globals' section needs 'Transform: AWS::Serverless-2016-10-31'"
            })
    }

    @Test func aGlobalTableWithoutTheStacksRegionIsAnErrorWhenTheRegionIsKnown() throws {
        let source = String(decoding: try #require(readFixture("fixtures/global/home-removed.yaml")), as: UTF8.self)
        let known = Linter().lint(
            try LintContext(source: Array(source.utf8), options: ResolveOptions(region: "us-east-1")))
        #expect(
            known.contains {
                $0.ruleId == "DDB451" && $0.message.contains("leave out us-east-1, the stack's own region")
            })
        #expect(!Linter().lint(try LintContext(source: Array(source.utf8))).contains { $0.ruleId == "DDB451" })
    }

    /// A production-only table is checked with the default (non-production) values too, as written; a twin that
    /// replaces it under the opposite condition may share its name.
    @Test func aTableLeftOutByItsConditionIsStillChecked() throws {
        let source = """
            Parameters:
              Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
            Conditions:
              IsProd: !Equals [!Ref Env, prod]
              IsDev: !Not [!Condition IsProd]
            Resources:
              Prod:
                Type: AWS::DynamoDB::Table
                Condition: IsProd
                Properties:
                  TableName: orders
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: ON_DEMAND
                  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: !If [IsProd, true, false]}
              Dev:
                Type: AWS::DynamoDB::Table
                Condition: IsDev
                Properties:
                  TableName: orders
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                  BillingMode: PAY_PER_REQUEST
            """
        let findings = try lint(source).filter { $0.severity == .error }
        #expect(findings.map { "\($0.ruleId) \($0.logicalId ?? "")" } == ["DDB301 Prod"], "\(findings.map(\.message))")
        #expect(
            findings.first?.note.contains("left out by condition 'IsProd' with these values, and checked as written")
                == true)
        let context = try LintContext(source: Array(source.utf8))
        #expect(context.tables.map(\.logicalId) == ["Dev"], "comparisons and deploys see only the tables deployed")
        #expect(
            context.model.excludedTables.first?.pointInTimeRecovery?.enabled?.isUnknown == true,
            "what depends on a condition stays unknown")
    }

    @Test func aSuppressionWithoutAReasonIsNotHonoured() throws {
        let source = """
            Resources:
              Quiet:
                Type: AWS::DynamoDB::Table
                Metadata: {ddbstack: {ignore: [DDB301]}}
                Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}], BillingMode: ON_DEMAND}
            """
        let findings = try lint(source)
        let kept = try #require(findings.first { $0.ruleId == "DDB301" })
        #expect(kept.note.contains("the Metadata 'ignore' of DDB301 is not honoured: it has no 'reason'"))
        #expect(findings.contains { $0.message == "suppression in 'Quiet' has no reason" })
    }

    @Test func productionRulesRunOnlyInTheProductionProfile() throws {
        let source =
            "Resources: {T: {Type: AWS::DynamoDB::Table, DeletionPolicy: Retain, UpdateReplacePolicy: Retain, Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}], BillingMode: PAY_PER_REQUEST}}}"
        #expect(try lint(source).isEmpty)
        #expect(try lint(source, profile: .production).map(\.ruleId) == ["DDB951", "DDB952", "DDB954"])
    }

    @Test func valuesUnknownOfflineRaiseNoFalseAlarms() throws {
        let source = """
            Parameters: {Mode: {Type: String}, Keys: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /x}}
            Resources:
              T:
                Type: AWS::DynamoDB::Table
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
                Properties:
                  BillingMode: !Ref Mode
                  TableName: !Ref Keys
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: e, AttributeType: S}]
                  GlobalSecondaryIndexes: !If [Never, [], !Ref AWS::NoValue]
            Conditions: {Never: !Equals [!Ref Mode, never]}
            """
        #expect(try lint(source).map(\.message) == [])
    }

    @Test func aTemplateOverTheLimitsIsStillLinted() throws {
        let resources = (1...501).map { "  Q\($0): {Type: AWS::SQS::Queue}" }.joined(separator: "\n")
        let padding = "Description: '" + String(repeating: "x", count: 52_000) + "'\n"
        let findings = try lint(padding + "Resources:\n" + resources)
        #expect(findings.map { "\($0.ruleId) \($0.severity)" } == ["DDB006 note", "DDB007 error"])
    }
}

/// DynamoDB's table and index names: 3 to 255 of `[a-zA-Z0-9_.-]`.
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
@Suite struct NameRulesTests {
    @Test(arguments: ["abc", "Orders_2024.v-1", "ABC", "a.b", String(repeating: "x", count: 255)])
    func acceptsASCIILettersDigitsAndThreeMarks(name: String) {
        #expect(NameRules.problem(with: name) == nil)
    }

    @Test(arguments: ["ordersé", "a b c", "a,b", "naïve", "ＡＢＣ", "tab\tle", "ab", String(repeating: "x", count: 256)])
    func refusesEverythingElse(name: String) {
        #expect(NameRules.problem(with: name) != nil)
    }
}
