import Changes
import StackModel

/// What a deploy reports as it goes.
public enum DeployEvent: Sendable {
    case backup(DeployOutcome.Backup)
    case uploaded(step: Int, url: String)
    case changeSet(step: Int, of: Int, ChangeSet)
    case executing(step: Int, of: Int, changeSet: String)
    case stackEvent(StackEvent)
    case stackStatus(String, reason: String?)
    case waiting(WaitEvent)
    case cancelling(String)
}

/// The end of a deploy.
public struct DeployOutcome: Sendable {
    public enum Result: Sendable, Equatable {
        /// Every table ACTIVE, every GSI built.
        case ready
        /// Every change set was empty.
        case noChanges
        /// The guard stopped the deploy before anything was touched (a rejected or unacknowledged change).
        case guardRefused
        /// CloudFormation's change set replaces or removes a table beyond what the guard accepted; it was not executed.
        case unaccepted(changeSet: String, changes: [Change])
        /// `--execute`: the change set is not one ddbstack made from this template and these values.
        case unverified(changeSet: String, reason: String)
        /// `--no-execute`: the change set waits for review.
        case prepared(changeSet: String)
        /// CloudFormation refused the change set.
        case refused(String)
        /// The stack failed or rolled back.
        case rolledBack
        case timedOut
        case interrupted
        /// A call failed (after the client's retries).
        case failed(String)
    }

    public struct Step: Sendable {
        public var number: Int
        public var changeSet: String
        public var operations: [String]
        /// executed, noChanges, prepared, refused, unaccepted, failed, interrupted, notStarted
        public var status: String
        public var resourceChanges: Int
        public var seconds: Double

        public init(
            number: Int, changeSet: String, operations: [String], status: String, resourceChanges: Int, seconds: Double
        ) {
            self.number = number
            self.changeSet = changeSet
            self.operations = operations
            self.status = status
            self.resourceChanges = resourceChanges
            self.seconds = seconds
        }
    }

    public struct Backup: Sendable, Equatable {
        public var logicalId: String
        public var tableName: String
        public var name: String
        public var arn: String
        public var status: String

        public init(logicalId: String, tableName: String, name: String, arn: String, status: String) {
            self.logicalId = logicalId
            self.tableName = tableName
            self.name = name
            self.arn = arn
            self.status = status
        }
    }

    /// Why a stack failed, and what to do about it.
    public struct Failure: Sendable {
        /// The first failed event of the operation: the cause, not the generic messages that follow it.
        public var rootCause: StackEvent?
        public var advice: [String]
        /// (table, GSI) left on a table by a rolled-back update.
        public var leftoverIndexes: [(String, String)]

        public init(rootCause: StackEvent?, advice: [String], leftoverIndexes: [(String, String)]) {
            self.rootCause = rootCause
            self.advice = advice
            self.leftoverIndexes = leftoverIndexes
        }
    }

    public var result: Result
    public var steps: [Step] = []
    public var backups: [Backup] = []
    public var stackStatus: String?
    public var stackReason: String?
    public var tables: [TableState] = []
    public var failure: Failure?
    /// The change set kept for review, or left by an interrupted or failed step.
    public var pendingChangeSet: String?
    public var cancelRequested = false
    /// What a failed clean-up left behind, each with the command that removes it.
    public var leftovers: [String] = []
    public var elapsed: Double = 0

    public init(result: Result) {
        self.result = result
    }
}
