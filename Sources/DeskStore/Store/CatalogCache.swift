import DeskCore
import Foundation
import Synchronization

/// Keeps the catalog (lookup tables, queues, dynamic fields, settings) for a few seconds so the
/// hot paths resolve names without a query. Writes through this process invalidate it at once;
/// changes made by another server process become visible after at most `lifetime` seconds.
typealias CatalogCache = ShortLivedCache<Catalog>

/// One value kept for `lifetime` seconds per process.
///
/// While a write that changed the cached tables is uncommitted the cache is *suspended*: it
/// neither answers nor keeps values, so that writes sharing that transaction (group commit) read
/// the tables themselves and nothing uncommitted is kept.
final class ShortLivedCache<Value: Sendable>: Sendable {
    private let state = Mutex<(entry: (value: Value, loadedAt: Double)?, suspended: Int, generation: Int)>((nil, 0, 0))
    let lifetime: Double

    init(lifetime: Double) {
        self.lifetime = lifetime
    }

    func get() -> Value? {
        state.withLock { state in
            guard state.suspended == 0, let entry = state.entry, Date().timeIntervalSince1970 - entry.loadedAt < lifetime else {
                return nil
            }
            return entry.value
        }
    }

    /// Taken before loading a value: `put` keeps the value only if nothing was invalidated
    /// meanwhile (a load that started before a change must not be kept after it).
    var generation: Int {
        state.withLock { $0.generation }
    }

    func put(_ value: Value, loadedAt generation: Int) {
        state.withLock { state in
            if state.suspended == 0, state.generation == generation { state.entry = (value, Date().timeIntervalSince1970) }
        }
    }

    func invalidate() {
        state.withLock {
            $0.entry = nil
            $0.generation += 1
        }
    }

    /// Stops answering and keeping values until as many `resume()` calls.
    func suspend() {
        state.withLock {
            $0.suspended += 1
            $0.entry = nil
            $0.generation += 1
        }
    }

    /// Ends one `suspend()` and drops what the cache held.
    func resume() {
        state.withLock {
            $0.suspended -= 1
            $0.entry = nil
            $0.generation += 1
        }
    }
}
