import Synchronization
import Testing

@testable import Template

@Suite struct PipelineTests {
    struct Stop: Error {}

    @Test(arguments: [true, false])
    func consumerReadsEveryBatchInOrder(threaded: Bool) {
        let read = Pipeline.run(threaded: threaded) { (producer: Pipeline.Producer<[Int]>) in
            for start in stride(from: 0, to: 100_000, by: 100) {
                guard producer.publish(Array(start..<start + 100)) else { return }
            }
        } consume: { (batches: inout Pipeline.Consumer<[Int]>) -> [Int] in
            var all: [Int] = []
            while let batch = batches.next() { all += batch }
            return all
        }
        #expect(read == Array(0..<100_000))
    }

    @Test func aConsumerThatStopsStopsTheProducerBeforeReturning() {
        let sawStop = Atomic(false)
        let finished = Atomic(false)
        #expect(throws: Stop.self) {
            try Pipeline.run { (producer: Pipeline.Producer<Int>) in
                // Without the stop signal this would run ten million times after the consumer has gone.
                for value in 0..<10_000_000 where !producer.publish(value) {
                    sawStop.store(true, ordering: .relaxed)
                    break
                }
                finished.store(true, ordering: .relaxed)
            } consume: { (batches: inout Pipeline.Consumer<Int>) throws(Stop) -> Int in
                _ = batches.next()
                throw Stop()
            }
        }
        let stopped = sawStop.load(ordering: .relaxed)
        let ended = finished.load(ordering: .relaxed)
        #expect(stopped)
        #expect(ended, "run returned while the producer was still running")
    }

    @Test func aProducerThatPublishesNothingEndsTheConsumer() {
        let count = Pipeline.run { (_: Pipeline.Producer<Int>) in
        } consume: { (batches: inout Pipeline.Consumer<Int>) -> Int in
            var count = 0
            while batches.next() != nil { count += 1 }
            return count
        }
        #expect(count == 0)
    }
}
