import Testing

@testable import Template

@Suite struct MoveStackTests {
    /// Counts its instances, so a test sees every element released exactly once.
    final class Tracked {
        nonisolated(unsafe) static var alive = 0
        let value: Int
        init(_ value: Int) {
            self.value = value
            Self.alive += 1
        }
        deinit { Self.alive -= 1 }
    }

    @Test func popsTheTopInOrderAcrossGrowthAndReleasesWhatIsLeft() {
        let before = Tracked.alive
        do {
            var stack = MoveStack<Tracked>()
            for value in 0..<200 { stack.push(Tracked(value)) }  // past the first capacity, twice
            #expect(stack.count == 200)
            #expect(stack.withElements(from: 198) { $0.map(\.value) } == [198, 199])
            let top = stack.popArray(from: 150)
            #expect(top.map(\.value) == Array(150..<200))
            #expect(stack.count == 150)
            #expect(stack.popArray(from: 150).isEmpty)
            stack.push(Tracked(-1))
            #expect(stack.popArray(from: 149).map(\.value) == [149, -1])
            #expect(Tracked.alive == before + 149 + top.count, "the stack holds 149, the first array 50")
        }
        // The stack's deinit released the 149 left in it; the popped arrays released theirs.
        #expect(Tracked.alive == before)
    }
}
