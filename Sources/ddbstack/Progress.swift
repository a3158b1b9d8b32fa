import Operations
import Outcomes
import Report
import Synchronization

/// Deploy progress as it happens. In a log (CI, a pipe, `--format json`): one time-stamped line per event, so
/// the job shows what it is doing. On a terminal: the same lines for what is not about one table, and under them
/// a compact block, one line per table, redrawn in place.
final class Progress: Sendable {
    private struct State {
        var rows: [(key: String, text: String)] = []
        var drawn = 0
        /// Physical table name → logical id, learned from the stack's events.
        var logicalIds: [String: String] = [:]
        /// What was last said about each table: a table ready the first time it is read, or said again in the
        /// same state by the next step's wait, is not worth a line.
        var lastSaid: [String: String] = [:]
    }

    private let state = Mutex(State())
    private let live: Bool
    private let descriptor: Int32
    private let stack: String
    private let started: Double

    /// Text goes to standard output; JSON keeps standard output for the summary, so progress goes to standard error.
    init(format: OutputFormat, stack: String, started: Double) {
        descriptor = format == .text ? 1 : 2
        live = format == .text && Console.isTerminal(1) && Console.environment("TERM") != "dumb"
        self.stack = stack
        self.started = started
    }

    func show(_ event: DeployEvent) {
        let seconds = WaitCommand.monotonic() - started
        state.withLock { state in
            if case .stackEvent(let stackEvent) = event, let physical = stackEvent.physicalId {
                state.logicalIds[physical] = stackEvent.logicalId
            }
            if live, let (key, text) = row(event, state: state) {
                if let index = state.rows.firstIndex(where: { $0.key == key }) {
                    state.rows[index].text = text
                } else {
                    state.rows.append((key, text))
                }
                if !Self.failed(event) {
                    redraw(&state, printing: nil)
                    return
                }
            }
            if case .waiting(.table(let table)) = event {
                let said = WaitText.describe(table)
                defer { state.lastSaid[table.name] = said }
                if state.lastSaid[table.name] == said || (state.lastSaid[table.name] == nil && table.isReady) { return }
            }
            guard let line = DeployText.line(event, stack: stack) else { return }
            let stamped = WaitText.stamp(seconds) + " " + line
            if live { redraw(&state, printing: stamped) } else { Console.write(stamped + "\n", to: descriptor) }
        }
    }

    /// Leaves the block as it was last drawn, and the cursor under it.
    func finish() {
        state.withLock { $0.drawn = 0 }
    }

    /// A table's row in the live block.
    private func row(_ event: DeployEvent, state: State) -> (String, String)? {
        switch event {
        case .stackEvent(let stackEvent) where stackEvent.resourceType.hasPrefix("AWS::DynamoDB::"):
            return (
                stackEvent.logicalId,
                "\(stackEvent.logicalId)  \(stackEvent.status)" + (stackEvent.physicalId.map { "  \($0)" } ?? "")
            )
        case .waiting(.table(let table)):
            let key = state.logicalIds[table.name] ?? table.name
            return (key, "\(key)  \(WaitText.describe(table))  \(table.name)")
        default:
            return nil
        }
    }

    private static func failed(_ event: DeployEvent) -> Bool {
        if case .stackEvent(let stackEvent) = event { return stackEvent.status.hasSuffix("_FAILED") }
        return false
    }

    /// Erases the block, prints `line` above it, draws the block again.
    private func redraw(_ state: inout State, printing line: String?) {
        var text = state.drawn > 0 ? "\u{1B}[\(state.drawn)F\u{1B}[J" : ""
        if let line { text += line + "\n" }
        let width = state.rows.map(\.key.count).max() ?? 0
        for row in state.rows {
            let rest = row.text.dropFirst(row.key.count)
            text += "  " + row.key + String(repeating: " ", count: width - row.key.count) + rest + "\n"
        }
        state.drawn = state.rows.count
        Console.write(text, to: descriptor)
    }
}
