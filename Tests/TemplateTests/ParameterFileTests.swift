import Testing

@testable import Template

@Suite struct ParameterFileTests {
    @Test(arguments: [
        ("Env=prod\nCapacity=5\n", "unix"), ("Env=prod\r\nCapacity=5\r\n", "windows"),
        ("Env=prod\rCapacity=5", "old mac"),
        ("# comment\r\n\r\nEnv = prod \r\nCapacity=5", "comments and blanks"),
    ])
    func keyValueLinesSplitOnEveryLineEnding(text: String, name: String) throws {
        let values = try ParameterFile.parse(Array(text.utf8))
        #expect(values.map { "\($0.key)=\($0.value)" } == ["Env=prod", "Capacity=5"], "\(name)")
    }

    @Test func eachFormatGivesTheSameValues() throws {
        let cli = try ParameterFile.parse(
            Array(
                #"[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "Old", "UsePreviousValue": true}]"#
                    .utf8))
        let pipeline = try ParameterFile.parse(Array(#"{"Parameters": {"Env": "prod"}}"#.utf8))
        #expect(cli.map(\.value) == ["prod"])
        #expect(pipeline.map(\.value) == ["prod"])
    }
}
