import Foundation
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

/// Reading on a second thread changes nothing: every template in the repository, whole and cut short at a few
/// places (errors in every batch position), gives the same tree or the same error either way.
@Suite struct ThreadedParseTests {
    static let fixtures: [URL] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../fixtures")
        let files = FileManager.default.enumerator(at: root.standardizedFileURL, includingPropertiesForKeys: nil)
        return (files?.compactMap { $0 as? URL } ?? [])
            .filter { ["yaml", "yml", "json"].contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
    }()

    static func outcome(_ bytes: [UInt8], threaded: Bool) -> String {
        do {
            return render(try TreeBuilder.build(bytes, threaded: threaded))
        } catch {
            return "error \(error)"
        }
    }

    static func render(_ node: Node) -> String {
        let kind: String
        switch node.kind {
        case .mapping(let entries):
            kind = "{" + entries.map { "\($0.key)@\($0.keyRange): \(render($0.value))" }.joined(separator: ", ") + "}"
        case .sequence(let items): kind = "[" + items.map(render).joined(separator: ", ") + "]"
        default: kind = describe(node)
        }
        return "\(kind)@\(node.range)"
    }

    @Test func everyFixtureParsesTheSameOnOneThreadAndOnTwo() throws {
        #expect(Self.fixtures.count > 50, "the fixtures are found")
        for file in Self.fixtures {
            let bytes = try [UInt8](Data(contentsOf: file))
            for cut in [bytes.count, bytes.count * 2 / 3, bytes.count / 3, 7] where cut <= bytes.count {
                let input = Array(bytes[..<cut])
                #expect(
                    Self.outcome(input, threaded: true) == Self.outcome(input, threaded: false),
                    "\(file.lastPathComponent) cut at \(cut)")
            }
        }
    }
}
