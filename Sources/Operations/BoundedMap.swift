/// `body` over `items` with at most `concurrency` in flight; the results in the items' order. The first error
/// thrown cancels the rest. (The task group's element is a struct: Swift 6.3's optimizer has miscompiled tuple
/// elements holding a Result.)
func boundedMap<Item: Sendable, Output: Sendable>(
    _ items: [Item], concurrency: Int, _ body: @escaping @Sendable (Item) async throws -> Output
) async throws -> [Output] {
    try await withThrowingTaskGroup(of: Positioned<Output>.self) { group in
        var outputs = [Output?](repeating: nil, count: items.count)
        var pending = items.enumerated().makeIterator()
        func startNext() {
            guard let (position, item) = pending.next() else { return }
            group.addTask { Positioned(position: position, output: try await body(item)) }
        }
        for _ in 0..<max(1, concurrency) { startNext() }
        while let done = try await group.next() {
            outputs[done.position] = done.output
            startNext()
        }
        return outputs.compactMap { $0 }
    }
}

/// A result and the position of the work it came from.
private struct Positioned<Output: Sendable>: Sendable {
    var position: Int
    var output: Output
}
