import CThreads
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

    /// Whether the thread is gone, or dying, within a second: the kernel lists a thread for a moment after the join
    /// that waited for it; a parked Dispatch worker stays asleep ('S') for seconds.
    static func ends(_ thread: String) -> Bool {
        for _ in 0..<200 {
            guard let stat = try? String(contentsOfFile: "/proc/\(thread)/stat", encoding: .utf8) else { return true }
            // The state follows the command name, which is in parentheses.
            if let state = stat.split(separator: ")").last?.dropFirst().first, "ZX".contains(state) { return true }
            usleep(5000)
        }
        return false
    }

    @Test func runsEveryCallOnTheCallingThreadWhenNotParallel() {
        let callers = Mutex([String]())
        POSIXThread.concurrentPerform(iterations: 16, parallel: false) { _ in
            callers.withLock { $0.append(Self.thread()) }
            usleep(1000)  // long enough that a helper thread, were one started, would get some of the calls
        }
        #expect(callers.withLock { $0 } == Array(repeating: Self.thread(), count: 16))
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
        for thread in others { #expect(Self.ends(thread), "thread \(thread) ended") }
    }

    /// A new thread starts away from its creator's CPU (which the creator goes on using; here it waits, so without
    /// the placement the thread would start right there) and then may run on any CPU the process may use.
    @Test func startsOnAnotherCPUThenMayMoveAnywhere() throws {
        var allowed = cpu_set_t()
        try #require(sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &allowed) == 0)
        guard withUnsafeBytes(of: allowed, { $0.reduce(0) { $0 + $1.nonzeroBitCount } }) > 1 else { return }
        // Ten starts from a creator that stayed on one CPU meanwhile, so that CPU is the one to avoid (left to the
        // scheduler, a thread now and then starts elsewhere anyway).
        var checked = 0
        for _ in 0..<200 where checked < 10 {
            let seen = Mutex<(cpu: Int32, affinity: [UInt8])?>(nil)
            let here = sched_getcpu()
            let thread = try #require(
                POSIXThread.start {
                    var affinity = cpu_set_t()
                    sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &affinity)
                    let cpu = sched_getcpu()
                    seen.withLock { $0 = (cpu, withUnsafeBytes(of: affinity) { Array($0) }) }
                })
            let stayed = sched_getcpu() == here
            POSIXThread.join(thread)
            guard stayed else { continue }
            let (cpu, affinity) = try #require(seen.withLock { $0 })
            #expect(cpu != here, "started on CPU \(cpu), its creator's")
            #expect(affinity == withUnsafeBytes(of: allowed) { Array($0) }, "free to run on any allowed CPU")
            checked += 1
        }
        #expect(checked == 10, "the creating thread kept moving between CPUs")
    }
}
