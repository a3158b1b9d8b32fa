import AWS
import Glibc

// Benchmark driver (scripts/bench-aws.sh): N DescribeTable calls at concurrency C against an endpoint, as one
// whole process, to compare with the same calls made by boto3.
// Usage: ddbstack-bench ENDPOINT TABLE [CALLS] [CONCURRENCY]
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: ddbstack-bench ENDPOINT TABLE [CALLS] [CONCURRENCY]")
    exit(2)
}
let calls = arguments.count > 3 ? Int(arguments[3]) ?? 1000 : 1000
let concurrency = arguments.count > 4 ? Int(arguments[4]) ?? 8 : 8
var options = CurlTransport.Options()
options.concurrency = concurrency
let context = AWSContext(
    region: "us-east-1",
    credentials: StaticCredentialProvider(Credentials(accessKeyId: "testing", secretAccessKey: "testing")),
    transport: CurlTransport(options: options), endpoints: Endpoints(override: arguments[1]))
let client = DynamoDBClient(context: context)
let table = arguments[2]
let failures = await withTaskGroup(of: Int.self) { group in
    var next = 0
    var failures = 0
    func add() {
        guard next < calls else { return }
        next += 1
        group.addTask { (try? await client.describeTable(table)) == nil ? 1 : 0 }
    }
    for _ in 0..<concurrency { add() }
    for await failed in group {
        failures += failed
        add()
    }
    return failures
}
print("\(calls) DescribeTable calls, concurrency \(concurrency), \(failures) failed")
exit(failures == 0 ? 0 : 1)
