// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ddbstack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ddbstack", targets: ["ddbstack"])
    ],
    targets: [
        .systemLibrary(name: "CYAML", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),
        // glibc's thread placement calls, which its Swift module leaves out (see POSIXThread.start).
        .systemLibrary(name: "CThreads"),
        .target(name: "Template", dependencies: ["CYAML", "CThreads"]),
        .target(name: "Schema", dependencies: ["Template"]),
        // The command line: options declared once for the parser, the help and the completion scripts.
        .target(name: "Arguments", dependencies: ["Template"]),
        .target(name: "Lint", dependencies: ["Schema"]),
        .target(name: "Changes", dependencies: ["Schema"]),
        // CloudFormation's stacks, events and change sets as plain values; no I/O.
        .target(name: "StackModel"),
        .target(name: "AWS", dependencies: ["Schema", "StackModel", "CCurl", "CCrypto"]),
        // What the engines report (deploy, wait and drift outcomes and events), so Report renders them without the AWS layer.
        .target(name: "Outcomes", dependencies: ["Changes", "StackModel"]),
        .target(name: "Operations", dependencies: ["Schema", "Changes", "AWS", "Outcomes"]),
        .target(name: "Report", dependencies: ["Lint", "Changes", "Outcomes"]),
        .executableTarget(
            name: "ddbstack",
            dependencies: [
                "Arguments", "Template", "Schema", "Lint", "Changes", "Report", "AWS", "Operations", "StackModel",
                "Outcomes",
            ]
        ),
        // Every network-free stage behind one function of bytes: the libFuzzer target's body and its regression tests.
        .target(name: "Fuzzing", dependencies: ["Template", "Schema", "Lint", "Changes", "Report"]),
        // scripts/fuzz.sh builds it with libFuzzer; a plain build replays saved inputs.
        .target(name: "CFuzzer"),
        .executableTarget(name: "ddbstack-fuzz", dependencies: ["Fuzzing", "CFuzzer"]),
        .target(name: "TestSupport", dependencies: ["AWS"], path: "Tests/TestSupport"),
        // The client side of scripts/bench-aws.sh.
        .executableTarget(name: "ddbstack-bench", dependencies: ["AWS"]),
        .testTarget(name: "TemplateTests", dependencies: ["Template"]),
        .testTarget(name: "ArgumentsTests", dependencies: ["Arguments", "TestSupport"]),
        .testTarget(name: "SchemaTests", dependencies: ["Schema"]),
        .testTarget(name: "LintTests", dependencies: ["Lint", "TestSupport"]),
        .testTarget(name: "ChangesTests", dependencies: ["Changes", "Lint", "TestSupport"]),
        .testTarget(name: "AWSTests", dependencies: ["AWS", "TestSupport"]),
        .testTarget(name: "OperationsTests", dependencies: ["Operations", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Operations", "TestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing"]),
        .testTarget(name: "ddbstackTests", dependencies: ["ddbstack", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
