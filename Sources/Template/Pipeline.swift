import Glibc

/// Runs a producer on a thread of its own while the calling thread consumes what it produces: libyaml's scanner
/// and the building of the node tree then take one core each instead of running one after the other.
///
/// The producer hands over whole batches (its own chunks of work), is told to stop as soon as the consumer is done
/// (finished or failed), and the consumer returns only after the producer's thread has ended, so nothing outlives
/// the call. Without a thread (pthread_create failing), the producer runs to the end first and the consumer reads
/// the same batches afterwards.
enum Pipeline {
    /// `threaded` false runs the producer first, on the calling thread: what happens when no thread can be started.
    static func run<Batch: Sendable, Result, Failure: Error>(
        threaded: Bool = true,
        produce: @escaping @Sendable (Producer<Batch>) -> Void,
        consume: (inout Consumer<Batch>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let channel = Channel<Batch>()
        let work: @Sendable () -> Void = {
            produce(Producer(channel: channel))
            channel.finish()
        }
        let thread = threaded ? POSIXThread.start(work) : nil
        if thread == nil { work() }
        defer {
            channel.cancel()
            if let thread { POSIXThread.join(thread) }
        }
        var consumer = Consumer(channel: channel)
        return try consume(&consumer)
    }

    /// The producer's side.
    struct Producer<Batch: Sendable> {
        fileprivate let channel: Channel<Batch>

        /// Hands a batch over; false once the consumer no longer wants anything: the producer should stop.
        func publish(_ batch: Batch) -> Bool {
            channel.publish(batch)
        }
    }

    /// The consumer's side: `next` returns the batches in order, waiting for the producer when it is ahead of it.
    struct Consumer<Batch: Sendable> {
        fileprivate let channel: Channel<Batch>
        private var taken: [Batch] = []
        private var index = 0
        private var ended = false

        fileprivate init(channel: Channel<Batch>) {
            self.channel = channel
        }

        /// The next batch; nil when the producer has finished and everything it produced has been read.
        mutating func next() -> Batch? {
            while index == taken.count {
                guard !ended else { return nil }
                (taken, ended) = channel.takeAll()
                index = 0
            }
            defer { index += 1 }
            return taken[index]
        }
    }
}

/// The batches between the two threads, behind a pthread mutex and condition variable (the consumer sleeps while
/// it waits, rather than spinning on the core the producer needs).
private final class Channel<Batch: Sendable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let ready = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var batches: [Batch] = []
    private var finished = false
    private var cancelled = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(ready, nil)
    }

    deinit {
        pthread_cond_destroy(ready)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        ready.deallocate()
    }

    /// Hands a batch over; false if the consumer has stopped reading.
    func publish(_ batch: Batch) -> Bool {
        locked {
            batches.append(batch)
            pthread_cond_signal(ready)
            return !cancelled
        }
    }

    func finish() {
        locked {
            finished = true
            pthread_cond_signal(ready)
        }
    }

    /// Every batch published and not yet taken, waiting for one if need be, and whether the producer has finished.
    func takeAll() -> (batches: [Batch], finished: Bool) {
        locked {
            while batches.isEmpty && !finished { pthread_cond_wait(ready, mutex) }
            defer { batches = [] }
            return (batches, finished)
        }
    }

    func cancel() {
        locked { cancelled = true }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
