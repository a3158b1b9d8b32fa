import Schema
import Template

/// How much a finding matters; by default only errors fail a run.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case note, warning, error

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Which rule set a lint run uses; `production` adds the safeguards production tables need.
public enum Profile: String, Sendable, CaseIterable {
    case standard
    case production
}

/// A lint rule: what it checks, why, and examples that are both its documentation and its tests.
public protocol Rule: Sendable {
    var description: RuleDescription { get }
    func check(_ context: LintContext, into sink: inout FindingSink)
}

/// The stable identity and documentation of a rule.
public struct RuleDescription: Sendable {
    public var id: String
    public var name: String
    public var severity: Severity
    /// Why it matters, in one line: the `note` of every finding.
    public var summary: String
    /// What to do instead: the `help` of every finding that does not carry its own.
    public var help: String
    public var profile: Profile
    // Examples are built only when asked for (docs and tests): some are generated to hit a limit, and a lint
    // run should not pay for a megabyte of example text.
    private let makePassing: @Sendable () -> [String]
    private let makeFailing: @Sendable () -> [FailingExample]

    /// Templates that must raise nothing from this rule.
    public var passing: [String] { makePassing() }
    /// Templates with markers (`1️⃣`, `2️⃣` …) where each finding must point, and a fragment of each message.
    public var failing: [FailingExample] { makeFailing() }

    public init(
        id: String, name: String, severity: Severity, summary: String, help: String, profile: Profile = .standard,
        passing: @autoclosure @escaping @Sendable () -> [String],
        failing: @autoclosure @escaping @Sendable () -> [FailingExample]
    ) {
        self.id = id
        self.name = name
        self.severity = severity
        self.summary = summary
        self.help = help
        self.profile = profile
        self.makePassing = passing
        self.makeFailing = failing
    }
}

/// A template that must raise findings at its markers, with a fragment of each finding's message in marker order.
public struct FailingExample: Sendable {
    public var template: String
    public var messages: [String]

    public init(_ template: String, _ messages: String...) {
        self.template = template
        self.messages = messages
    }
}

/// One problem found in a template.
public struct Finding: Sendable, Equatable {
    public var ruleId: String
    public var ruleName: String
    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var logicalId: String?
    public var note: String
    public var help: String

    public init(
        ruleId: String, ruleName: String, severity: Severity, message: String, range: SourceRange, logicalId: String?,
        note: String, help: String
    ) {
        self.ruleId = ruleId
        self.ruleName = ruleName
        self.severity = severity
        self.message = message
        self.range = range
        self.logicalId = logicalId
        self.note = note
        self.help = help
    }
}

/// Collects one rule's findings, filling in what the rule's description already says.
public struct FindingSink {
    let rule: RuleDescription
    public private(set) var findings: [Finding] = []

    init(rule: RuleDescription) {
        self.rule = rule
    }

    public mutating func report(
        _ message: String, at range: SourceRange, logicalId: String?, help: String? = nil,
        severity: Severity? = nil
    ) {
        findings.append(
            Finding(
                ruleId: rule.id, ruleName: rule.name, severity: severity ?? rule.severity, message: message,
                range: range,
                logicalId: logicalId, note: rule.summary, help: help ?? rule.help))
    }

    /// A finding about `table`; at its logical id when `range` is none.
    public mutating func report(
        _ message: String, at range: SourceRange, in table: TableRef, help: String? = nil,
        severity: Severity? = nil
    ) {
        report(
            message, at: range.isNone ? table.idRange : range, logicalId: table.logicalId, help: help,
            severity: severity)
    }
}
