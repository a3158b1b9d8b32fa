import AWS
import Changes
import Schema
import Template

/// What `plan --change-set` asks of CloudFormation.
public protocol ChangeSetAPI: Sendable {
    func createChangeSet(_ input: CloudFormationClient.ChangeSetInput) async throws -> (id: String, stackId: String)
    func describeChangeSet(_ name: String, stack: String?, includePropertyValues: Bool) async throws
        -> CloudFormationClient.ChangeSet
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
        /// What a failed clean-up left behind, each with the command that removes it.
        public var leftovers: [String] = []

        /// For the plan's notes: kept (and how to execute it), deleted, or what is left.
        public func note(stack: String) -> String {
            if kept {
                return
                    "change set '\(changeSet.name)' kept (\(changeSet.status)): aws cloudformation execute-change-set --stack-name \(stack) --change-set-name \(changeSet.name)"
            }
            let read =
                "CloudFormation change set '\(changeSet.name)' (\(changeSet.status), \(changeSet.changes.count) resource changes) merged"
            return leftovers.isEmpty
                ? read + " and deleted"
                : read + "; its clean-up failed, left behind: " + leftovers.joined(separator: "; ")
        }
    }

    /// Creates the change set, waits for it, reads it whole, and deletes it unless `keep`.
    public func preview(_ input: CloudFormationClient.ChangeSetInput, keep: Bool) async throws -> Outcome {
        _ = try await client.createChangeSet(input)
        let changeSet: CloudFormationClient.ChangeSet
        do {
            changeSet = try await settled(input.changeSetName, stack: input.stackName)
        } catch {
            if !keep {
                _ = await Self.discard(
                    input.changeSetName, stack: input.stackName, creating: input.type == .create, client: client)
            }
            throw error
        }
        guard !keep else { return Outcome(changeSet: changeSet, kept: true) }
        let leftovers = await Self.discard(
            input.changeSetName, stack: input.stackName, creating: input.type == .create, client: client)
        return Outcome(changeSet: changeSet, kept: false, leftovers: leftovers)
    }

    /// Polls quickly at first, then every 5 s, until the change set leaves CREATE_PENDING / CREATE_IN_PROGRESS.
    func settled(_ name: String, stack: String) async throws -> CloudFormationClient.ChangeSet {
        var waited = 0.0
        var delay = 0.25
        while true {
            let changeSet = try await client.describeChangeSet(name, stack: stack, includePropertyValues: false)
            if !["CREATE_PENDING", "CREATE_IN_PROGRESS"].contains(changeSet.status) { return changeSet }
            guard waited < timeout else {
                throw AWSError(
                    service: "CloudFormation", operation: "DescribeChangeSet", code: "Timeout",
                    message: "change set '\(name)' was still \(changeSet.status) after \(Int(timeout)) s")
            }
            await sleep(delay)
            waited += delay
            delay = min(delay * 2, 5)
        }
    }

    /// Deletes a change set that will not be executed, and the REVIEW_IN_PROGRESS stack a CREATE one leaves.
    /// What could not be deleted comes back as the command that deletes it, with the error.
    public static func discard(_ name: String, stack: String, creating: Bool, client: any ChangeSetAPI) async
        -> [String]
    {
        var leftovers: [String] = []
        do {
            try await client.deleteChangeSet(name, stack: stack)
        } catch {
            leftovers.append(
                "change set '\(name)' (\(error)): aws cloudformation delete-change-set --stack-name \(stack) --change-set-name \(name)"
            )
        }
        guard creating else { return leftovers }
        do {
            try await client.deleteStack(stack)
        } catch {
            leftovers.append(
                "stack '\(stack)' in REVIEW_IN_PROGRESS (\(error)): aws cloudformation delete-stack --stack-name \(stack)"
            )
        }
        return leftovers
    }

    /// CloudFormation's verdict on the table resources of `changeSet`.
    public static func verdict(_ changeSet: CloudFormationClient.ChangeSet) -> ChangeSetVerdict {
        let refused = changeSet.status == "FAILED" && !changeSet.isEmpty
        let resources = changeSet.changes.filter { Table.Kind(rawValue: $0.resourceType) != nil }.compactMap {
            change -> ChangeSetVerdict.Resource? in
            guard let action = ChangeSetVerdict.Resource.Action(rawValue: change.action) else { return nil }
            let recreated = change.details.filter {
                $0.requiresRecreation == "Always" || $0.requiresRecreation == "Conditionally"
            }
            return ChangeSetVerdict.Resource(
                logicalId: change.logicalId, action: action,
                replacement: change.replacement.flatMap(ChangeSetVerdict.Resource.Replacement.init(rawValue:)),
                causes: recreated.map { $0.name ?? $0.attribute }, scope: change.scope)
        }
        return ChangeSetVerdict(
            name: changeSet.name, refusal: refused ? changeSet.statusReason ?? "no reason given" : nil,
            resources: resources)
    }
}
