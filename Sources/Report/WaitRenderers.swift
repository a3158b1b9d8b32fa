import Outcomes
import StackModel
import Template

/// `ddbstack wait` for people and for pipelines.
public enum WaitText {
    /// "[  3.2s] orders: ACTIVE; GSI 'byEmail' CREATING, backfilling"
    public static func line(_ event: WaitEvent, at seconds: Double) -> String {
        let stamp = self.stamp(seconds)
        switch event {
        case .stack(let name, let status, let reason):
            return "\(stamp) stack \(name): \(status)" + (reason.map { " (\($0))" } ?? "")
        case .table(let state):
            return "\(stamp) \(state.name): \(describe(state))"
        case .throttled(let interval):
            return "\(stamp) throttled by DynamoDB: polling every \(String(format: interval)) s"
        case .unreachable(let interval, let error):
            return "\(stamp) DynamoDB did not answer (\(error)): trying again in \(String(format: interval)) s"
        }
    }

    /// "[12.3s]": seconds since the command started, the prefix of every progress line.
    public static func stamp(_ seconds: Double) -> String { "[" + String(format: seconds) + "s]" }

    public static func describe(_ state: TableState) -> String {
        guard let status = state.status else { return "not visible yet" }
        if state.isReady { return "ready" }
        let indexes = state.building.map { "GSI '\($0.name)' \($0.status)\($0.backfilling ? ", backfilling" : "")" }
        let replicas = state.buildingReplicas.map { replica in
            "replica in \(replica.region) \(replica.status)"
                + replica.building.map { ", GSI '\($0.name)' \($0.status)\($0.backfilling ? ", backfilling" : "")" }
                .joined()
        }
        return ([status] + indexes + replicas).joined(separator: "; ")
    }

    public static func summary(_ outcome: WaitOutcome, stack: String?, calls: Int) -> String {
        let elapsed = String(format: outcome.elapsed)
        let follow =
            stack.map { "ddbstack wait --stack \($0)" } ?? "ddbstack wait "
            + outcome.tables.map { "--table \($0.name)" }.joined(separator: " ")
        let pending = outcome.tables.filter { !$0.isReady }.map {
            "\($0.name): \(describe($0)) for \(String(format: outcome.elapsed - $0.since)) s"
        }
        switch outcome.result {
        case .ready:
            return
                "ready: \(outcome.tables.count) table\(outcome.tables.count == 1 ? "" : "s") ACTIVE with every GSI built, after \(elapsed) s (\(calls) API calls)"
        case .timedOut:
            return "error: timed out after \(elapsed) s; still building: \(pending.joined(separator: "; "))"
        case .interrupted:
            return
                "interrupted after \(elapsed) s; nothing was changed. Still building: \(pending.isEmpty ? "(unknown)" : pending.joined(separator: "; ")). Follow it with: \(follow)"
        case .stackFailed(let status, let reason):
            let advice = Stack.advice(status: status, stack: stack ?? "STACK").map { "\nnext: \($0)" } ?? ""
            return "error: stack ended \(status)" + (reason.map { ": \($0)" } ?? "") + advice
        case .missing(let name):
            return "error: table '\(name)' does not exist"
        case .failed(let message):
            return "error: \(message)"
        }
    }

    public static func json(_ outcome: WaitOutcome, stack: String?, calls: Int) -> String {
        let result: String
        switch outcome.result {
        case .ready: result = "ready"
        case .timedOut: result = "timedOut"
        case .interrupted: result = "interrupted"
        case .stackFailed: result = "stackFailed"
        case .missing: result = "missing"
        case .failed: result = "failed"
        }
        let tables = outcome.tables.map { state -> JSONValue in
            .object([
                .init("tableName", .string(state.name)), .init("status", .optional(state.status)),
                .init("ready", .bool(state.isReady)),
                .init(
                    "buildingIndexes",
                    .array(
                        state.building.map { index in
                            .object([
                                .init("indexName", .string(index.name)), .init("status", .string(index.status)),
                                .init("backfilling", .bool(index.backfilling)),
                            ])
                        })),
                .init(
                    "buildingReplicas",
                    .array(
                        state.buildingReplicas.map { replica in
                            .object([
                                .init("region", .string(replica.region)), .init("status", .string(replica.status)),
                                .init(
                                    "buildingIndexes",
                                    .array(
                                        replica.building.map { index in
                                            .object([
                                                .init("indexName", .string(index.name)),
                                                .init("status", .string(index.status)),
                                                .init("backfilling", .bool(index.backfilling)),
                                            ])
                                        })),
                            ])
                        })),
            ])
        }
        return JSONWriter.write(
            .object([
                .init("formatVersion", .int(1)), .init("stack", .optional(stack)), .init("result", .string(result)),
                .init("seconds", .number(String(format: outcome.elapsed))), .init("polls", .int(outcome.polls)),
                .init("apiCalls", .int(calls)),
                .init("tables", .array(tables)), .init("text", .string(summary(outcome, stack: stack, calls: calls))),
            ])) + "\n"
    }
}

extension String {
    /// One decimal: "3.2".
    init(format seconds: Double) {
        let tenths = Int((seconds * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
