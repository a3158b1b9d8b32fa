import Foundation
import TestSupport
import Testing

/// A NoEcho parameter's value never appears in any output of any command or format, as CloudFormation shows `****`.
@Suite struct NoEchoCLITests {
    static let secret = "s3cret-Pa55"

    static let template = """
        Parameters:
          Suffix: {Type: String, NoEcho: true}
          Owner: {Type: String, NoEcho: 'true', Default: platform-team}
        Resources:
          Vault:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Sub 'vault-${Suffix}'
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
              Tags: [{Key: owner, Value: !Ref Owner}, {Key: suffix, Value: !Ref Suffix}]
        """

    @Test(arguments: [
        ["show", "TEMPLATE"], ["show", "TEMPLATE", "--format", "json"],
        ["lint", "TEMPLATE", "--format", "json", "--rules-profile", "production"],
        ["lint", "TEMPLATE", "--format", "sarif"],
        ["lint", "TEMPLATE", "--format", "github", "--rules-profile", "production"],
        ["lint", "TEMPLATE", "--format", "junit"],
        ["lint", "TEMPLATE", "--format", "markdown", "--rules-profile", "production"],
        ["diff", "BASE", "TEMPLATE"], ["diff", "BASE", "TEMPLATE", "--format", "json"],
        ["diff", "BASE", "TEMPLATE", "--format", "markdown"],
    ])
    func noEchoValuesAreMaskedEverywhere(arguments: [String]) throws {
        let path = try StackCLITests.write(Self.template)
        let base = try StackCLITests.write(
            Self.template.replacing(
                "PAY_PER_REQUEST",
                with: "PROVISIONED\n      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}"))
        let output = NSTemporaryDirectory() + "noecho-\(UInt32.random(in: 0...UInt32.max)).out"
        let resolved = arguments.map { $0 == "TEMPLATE" ? path : $0 == "BASE" ? base : $0 }
        let result = try CLITests.run(resolved + ["--parameter", "Suffix=\(Self.secret)"])
        let written = try CLITests.run(resolved + ["--parameter", "Suffix=\(Self.secret)", "--output", output])
        let file = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        for text in [result.stdout, result.stderr, written.stderr, file] {
            #expect(!text.contains(Self.secret), "\(text)")
            #expect(!text.contains("platform-team"), "a NoEcho default is masked too")
        }
        if arguments[0] == "show" { #expect(result.stdout.contains("vault-****"), "\(result.stdout)") }
        #expect(written.status == result.status)
    }

    @Test func aRefusedNoEchoValueIsNotRepeated() throws {
        let path = try StackCLITests.write(
            Self.template.replacing("NoEcho: true}", with: "NoEcho: true, MinLength: 20}"))
        let result = try CLITests.run(["show", path, "--parameter", "Suffix=\(Self.secret)"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("parameter 'Suffix': '****' is shorter than MinLength 20"), "\(result.stderr)")
    }
}
