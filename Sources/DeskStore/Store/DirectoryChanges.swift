import Synchronization

/// Counts committed changes to who may log in and what they may do (agents, existing customer
/// users, permissions, and the catalog's groups), so that the core can keep resolved principals
/// and know at once when one may be stale (`DeskStore.directoryGeneration`); the store's
/// `AgentCache` goes by it too, so every write to `agents` is such a change. A new customer user
/// is no such change: no principal kept before it names it.
///
/// A write that changes these tables *begins* a change when it first touches them and *ends* it
/// when its transaction has ended (committed or not). While any change is in flight there is no
/// generation to cache against; every begin and end moves the generation on.
final class DirectoryChanges: Sendable {
    private let state = Mutex<(inFlight: Int, generation: Int)>((0, 0))

    /// The current generation, or nil while a change is uncommitted.
    var generation: Int? {
        state.withLock { $0.inFlight == 0 ? $0.generation : nil }
    }

    func begin() {
        state.withLock {
            $0.inFlight += 1
            $0.generation += 1
        }
    }

    func end() {
        state.withLock {
            $0.inFlight -= 1
            $0.generation += 1
        }
    }
}
