import Dispatch
import Synchronization
import Template

/// Threads for blocking calls (`curl_easy_perform`), at most `limit` at once. A Dispatch queue would not do: on
/// Linux, libdispatch cannot see that its threads are blocked and runs no more of them than there are cores, so
/// on a two-core runner only two requests would ever be in flight, whatever the concurrency asked for. Threads
/// start on demand and end after two idle seconds.
final class BlockingWorkers: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var running = 0
        var idle = 0
    }

    private let limit: Int
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        let spawn = state.withLock { state -> Bool in
            state.jobs.append(job)
            guard state.idle == 0, state.running < limit else { return false }
            state.running += 1
            return true
        }
        available.signal()
        if spawn { Self.spawn { self.work() } }
    }

    private func work() {
        while true {
            state.withLock { $0.idle += 1 }
            let signalled = available.wait(timeout: .now() + 2) == .success
            let job = state.withLock { state -> (@Sendable () -> Void)? in
                state.idle -= 1
                if !state.jobs.isEmpty { return state.jobs.removeFirst() }
                if !signalled { state.running -= 1 }
                return nil
            }
            if let job { job() } else if !signalled { return }
        }
    }

    /// A detached thread running `body`.
    private static func spawn(_ body: @escaping @Sendable () -> Void) {
        if let thread = POSIXThread.start(body) { POSIXThread.detach(thread) }
    }
}
