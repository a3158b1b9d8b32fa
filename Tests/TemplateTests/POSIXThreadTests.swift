import Foundation
import Glibc
import Synchronization
import Testing

@testable import Template

@Suite struct POSIXThreadTests {
    @Test(arguments: [0, 1, 2, 7, 1000])
    func callsTheBodyOnceForEveryIndex(iterations: Int) {
        let calls = Mutex([Int](repeating: 0, count: iterations))
        POSIXThread.concurrentPerform(iterations: iterations) { index in calls.withLock { $0[index] += 1 } }
        #expect(calls.withLock { $0 } == [Int](repeating: 1, count: iterations))
    }

    /// The calling thread as the kernel lists it: "PID/task/TID", which /proc holds while the thread lives.
    static func thread() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
    }

    /// Dispatch's workers outlive the work; these threads must not (an exiting process waits for each thread).
    @Test func sharesTheWorkWithAnotherThreadAndLeavesNoneBehind() throws {
        guard sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 else { return }
        let callers = Mutex(Set<String>())
        POSIXThread.concurrentPerform(iterations: 64) { _ in
            callers.withLock { _ = $0.insert(Self.thread()) }
            usleep(1000)  // so a second thread gets some of the work whatever the scheduler does
        }
        let others = callers.withLock { $0 }.subtracting([Self.thread()])
        #expect(!others.isEmpty, "the work was shared")
        for thread in others {
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(thread)"), "thread \(thread) ended")
        }
    }
}
