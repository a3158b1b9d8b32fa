import Glibc

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

    /// Lets the thread end on its own, without a join.
    public static func detach(_ thread: pthread_t) {
        pthread_detach(thread)
    }
}
