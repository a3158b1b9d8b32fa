import CThreads
import Glibc
import Synchronization

/// A POSIX thread running a Swift closure: for work that must not wait for a place in Dispatch's pool, which on
/// Linux runs no more threads than there are cores and cannot see that one is blocked (the YAML pipeline's
/// producer, whose callers may themselves be Dispatch workers; the AWS layer's blocking libcurl calls).
public enum POSIXThread {
    private final class Work {
        let placement: Placement?
        let body: @Sendable () -> Void
        init(_ placement: Placement?, _ body: @escaping @Sendable () -> Void) {
            self.placement = placement
            self.body = body
        }
    }

    /// `body` started on a new thread, on another CPU than the caller's when the process may use one; nil when no
    /// thread can be created.
    ///
    /// Linux queues a new thread on its creator's CPU, and a creator that goes on computing (as every caller here
    /// does) keeps it waiting there until the load balancer moves it to an idle CPU: on a two-CPU virtual machine
    /// 0.4 ms at the median and 4 ms (a scheduler tick) at the 90th percentile, half the time a piece of a large
    /// template takes to parse. So the thread starts with its affinity set to the other CPUs, and gives that up
    /// (back to every CPU the process may use) as its first act, free to move again if its CPU gets busy.
    /// https://man7.org/linux/man-pages/man3/pthread_attr_setaffinity_np.3.html
    public static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let placement = Placement.current()
        let context = Unmanaged.passRetained(Work(placement, body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if var elsewhere = placement?.elsewhere {
            pthread_attr_setaffinity_np(&attributes, MemoryLayout<cpu_set_t>.size, &elsewhere)
        }
        var thread = pthread_t()
        let status = pthread_create(
            &thread, &attributes,
            { context in
                let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
                if var allowed = work.placement?.allowed {
                    sched_setaffinity(0, MemoryLayout<cpu_set_t>.size, &allowed)
                }
                work.body()
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    /// The CPUs the process may use, and those of them other than the calling thread's.
    private struct Placement: Sendable {
        var allowed: cpu_set_t
        var elsewhere: cpu_set_t

        /// nil when the calling thread's CPU is unknown or the only one allowed.
        static func current() -> Placement? {
            var allowed = cpu_set_t()
            let cpu = Int(sched_getcpu())
            guard cpu >= 0, sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &allowed) == 0 else { return nil }
            var elsewhere = allowed
            let bitsPerWord = UInt.bitWidth
            let anyLeft = withUnsafeMutableBytes(of: &elsewhere) { bytes in
                let words = bytes.bindMemory(to: UInt.self)
                guard cpu / bitsPerWord < words.count else { return false }
                words[cpu / bitsPerWord] &= ~(1 << UInt(cpu % bitsPerWord))
                return words.contains { $0 != 0 }
            }
            return anyLeft ? Placement(allowed: allowed, elsewhere: elsewhere) : nil
        }
    }

    /// Waits for the thread to end.
    public static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }

    /// Calls `body` with every index of `0..<iterations`, on this thread and on one more per further core, handing
    /// the indices out one at a time; returns when every call has returned and the extra threads have ended.
    /// With `parallel` false (work too small to pay for a thread) every call is made on this thread.
    ///
    /// Not Dispatch's `concurrentPerform`: its worker threads stay parked when the work is done, and the kernel's
    /// ending of a process waits on every thread it still has, which cost each lint run about a millisecond more.
    public static func concurrentPerform(iterations: Int, parallel: Bool = true, _ body: @Sendable (Int) -> Void) {
        let helpers = parallel ? min(iterations, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) - 1 : 0
        guard helpers > 0 else {
            for index in 0..<iterations { body(index) }
            return
        }
        let next = Counter()
        withoutActuallyEscaping(body) { body in
            let work: @Sendable () -> Void = {
                while case let index = next.take(), index < iterations { body(index) }
            }
            let threads = (0..<helpers).compactMap { _ in start(work) }
            work()
            threads.forEach(join)
        }
    }

    /// The next index to hand out, shared by the threads of one `concurrentPerform`.
    private final class Counter: Sendable {
        private let value = Atomic<Int>(0)

        func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
    }

    /// Lets the thread end on its own, without a join.
    public static func detach(_ thread: pthread_t) {
        pthread_detach(thread)
    }
}
