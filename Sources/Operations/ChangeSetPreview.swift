import Template
import Schema
import Changes
import AWS

/// What `plan --change-set` asks of CloudFormation.
public protocol ChangeSetAPI: Sendable {
    func createChangeSet(_ input: CloudFormationClient.ChangeSetInput) async throws -> (id: String, stackId: String)
    func describeChangeSet(_ name: String, stack: String?, includePropertyValues: Bool) async throws -> CloudFormationClient.ChangeSet
    func deleteChangeSet(_ name: String, stack: String?) async throws
    func deleteStack(_ stack: String) async throws
}

extension CloudFormationClient: ChangeSetAPI {}

/// Creates a change set only to read CloudFormation's own verdict — per resource, whether it replaces — and
/// removes it again (and the REVIEW_IN_PROGRESS stack a CREATE change set leaves behind).
public struct ChangeSetPreview: Sendable {
    /// FACTS.md §1: larger templates need TemplateURL (an S3 upload).
    public static let inlineLimit = 51_200

    public var client: any ChangeSetAPI
    public var sleep: @Sendable (Double) async -> Void
    /// Seconds to wait for CREATE_COMPLETE.
    public var timeout: Double

    public init(client: any ChangeSetAPI, sleep: @escaping @Sendable (Double) async -> Void, timeout: Double = 300) {
        self.client = client
        self.sleep = sleep
        self.timeout = timeout
    }

    public struct Outcome: Sendable {
        public var changeSet: CloudFormationClient.ChangeSet
        /// Still there (`--keep-change-set`).
        public var kept: Bool
    }

    /// Creates the change set, waits for it, reads it whole, and deletes it unless `keep`.
    public func preview(_ input: CloudFormationClient.ChangeSetInput, keep: Bool) async throws -> Outcome {
        _ = try await client.createChangeSet(input)
        let changeSet: CloudFormationClient.ChangeSet
        do {
            changeSet = try await settled(input.changeSetName, stack: input.stackName)
        } catch {
            if !keep { await cleanUp(input) }
            throw error
        }
        if !keep { await cleanUp(input) }
        return Outcome(changeSet: changeSet, kept: keep)
    }

    /// Polls quickly at first, then every 5 s, until the change set leaves CREATE_PENDING / CREATE_IN_PROGRESS.
    func settled(_ name: String, stack: String) async throws -> CloudFormationClient.ChangeSet {
        var waited = 0.0, delay = 0.25
        while true {
            let changeSet = try await client.describeChangeSet(name, stack: stack, includePropertyValues: false)
            if !["CREATE_PENDING", "CREATE_IN_PROGRESS"].contains(changeSet.status) { return changeSet }
            guard waited < timeout else {
                throw AWSError(service: "CloudFormation", operation: "DescribeChangeSet", code: "Timeout",
                               message: "change set '\(name)' was still \(changeSet.status) after \(Int(timeout)) s")
            }
            await sleep(delay)
            waited += delay
            delay = min(delay * 2, 5)
        }
    }

    /// Best effort: a change set left behind is named in the output, never a reason to fail the plan.
    private func cleanUp(_ input: CloudFormationClient.ChangeSetInput) async {
        try? await client.deleteChangeSet(input.changeSetName, stack: input.stackName)
        if input.type == .create { try? await client.deleteStack(input.stackName) }
    }

    /// Merges CloudFormation's per-resource verdict into the plan; its word on replacement wins where it gives
    /// one (True or False), and a change it sees that the plan does not is added.
    public static func merge(_ changeSet: CloudFormationClient.ChangeSet, into changes: [Change], head: [Table]) -> [Change] {
        var result = changes
        if changeSet.status == "FAILED", !changeSet.isEmpty {
            result.insert(Change(logicalId: changeSet.name, tableName: nil, path: "ChangeSet", action: .modify, impact: .rejected,
                                 message: "CloudFormation refused the change set: \(changeSet.statusReason ?? "no reason given")",
                                 caution: "fix the template or the parameters CloudFormation names", range: .none), at: 0)
            return result
        }
        let tables = Dictionary(head.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        for resource in changeSet.changes where Table.Kind(rawValue: resource.resourceType) != nil {
            let mine = result.indices.filter { result[$0].logicalId == resource.logicalId }
            switch (resource.action, resource.replacement) {
            case ("Modify", "True"?) where !mine.contains(where: { result[$0].action == .replace }):
                let table = tables[resource.logicalId]
                let retained = table?.updateReplacePolicy?.value == "Retain"
                let causes = resource.details.filter { $0.requiresRecreation == "Always" }.map(\.attribute)
                    + resource.details.filter { $0.requiresRecreation == "Always" }.compactMap(\.name)
                result.append(Change(logicalId: resource.logicalId, tableName: table?.tableName?.value, path: "", action: .replace,
                                     impact: retained ? .replacement : .dataLoss,
                                     message: "CloudFormation's change set replaces the table" + (causes.isEmpty ? "" : " (\(Set(causes).sorted().joined(separator: ", ")))")
                                        + (retained ? "; UpdateReplacePolicy Retain keeps the old one" : "; the old table and its data are deleted"),
                                     range: table?.idRange ?? .none))
            case ("Modify", "False"?):
                for index in mine where result[index].action == .replace && result[index].impact != .rejected {
                    result[index].impact = .inPlace
                    result[index].message += "; CloudFormation's change set updates it in place"
                }
            case ("Modify", "Conditional"?):
                for index in mine where result[index].action == .replace {
                    result[index].message += " (CloudFormation: replacement is conditional)"
                }
            default:
                break
            }
            if mine.isEmpty, resource.action == "Modify", resource.replacement != "True" {
                let scope = (resource.details.compactMap(\.name) + resource.scope).joined(separator: ", ")
                result.append(Change(logicalId: resource.logicalId, tableName: tables[resource.logicalId]?.tableName?.value, path: "",
                                     action: .modify, impact: .inPlace,
                                     message: "CloudFormation's change set modifies the table\(scope.isEmpty ? "" : " (\(scope))"), which the offline comparison did not see (a value known only at deploy time)",
                                     range: tables[resource.logicalId]?.idRange ?? .none))
            }
        }
        return result
    }
}
