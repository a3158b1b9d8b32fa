import Glibc
import Synchronization

/// A POSIX thread running a Swift closure: for work that must not wait for a place in Dispatch's pool, which on
/// Linux runs no more threads than there are cores and cannot see that one is blocked (the YAML pipeline's
/// producer, whose callers may themselves be Dispatch workers; the AWS layer's blocking libcurl calls).
public enum POSIXThread {
    private final class Work {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// `body` started on a new thread; nil when no thread can be created.
    public static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let context = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            }, context)
        guard status == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    /// Waits for the thread to end.
    public static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }

    /// Calls `body` with every index of `0..<iterations`, on this thread and on one more per further core, handing
    /// the indices out one at a time; returns when every call has returned and the extra threads have ended.
    ///
    /// Not Dispatch's `concurrentPerform`: its worker threads stay parked when the work is done, and the kernel's
    /// ending of a process waits on every thread it still has, which cost each lint run about a millisecond more.
    public static func concurrentPerform(iterations: Int, _ body: @Sendable (Int) -> Void) {
        let helpers = min(iterations, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) - 1
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
