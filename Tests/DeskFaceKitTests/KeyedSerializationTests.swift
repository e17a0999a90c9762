import DeskFaceKit
import Synchronization
import Testing

@Suite("Work serialized per key")
struct KeyedSerializationTests {
    /// Counts how many runs of one key are inside their work at once, and the most ever seen.
    final class Overlap: Sendable {
        private let state = Mutex<(inside: [String: Int], most: [String: Int])>(([:], [:]))
        func enter(_ key: String) {
            state.withLock { state in
                state.inside[key, default: 0] += 1
                state.most[key] = max(state.most[key, default: 0], state.inside[key]!)
            }
        }
        func leave(_ key: String) { state.withLock { $0.inside[key]! -= 1 } }
        func most(_ key: String) -> Int { state.withLock { $0.most[key, default: 0] } }
    }

    @Test("runs of one key never overlap; a run that throws frees its key")
    func serialized() async throws {
        let serialization = KeyedSerialization()
        let overlap = Overlap()
        struct Failure: Error {}
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                let key = index % 2 == 0 ? "a" : "b-\(index)"
                group.addTask {
                    _ = try? await serialization.run(key) {
                        overlap.enter(key)
                        try await Task.sleep(for: .milliseconds(2))
                        overlap.leave(key)
                        if index % 5 == 0 { throw Failure() }
                    }
                }
            }
        }
        #expect(overlap.most("a") == 1)
        // Nothing is left waiting: the key is free again.
        let value = try await serialization.run("a") { 7 }
        #expect(value == 7)
    }
}
