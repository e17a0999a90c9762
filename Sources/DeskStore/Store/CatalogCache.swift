import DeskCore
import Foundation
import Synchronization

/// Keeps the catalog (lookup tables, queues, dynamic fields, settings) for a few seconds so the
/// hot paths resolve names without a query. Writes through this process invalidate it at once;
/// changes made by another server process become visible after at most `lifetime` seconds.
typealias CatalogCache = ShortLivedCache<Catalog>

/// One value kept for `lifetime` seconds per process.
final class ShortLivedCache<Value: Sendable>: Sendable {
    private let state = Mutex<(value: Value, loadedAt: Double)?>(nil)
    let lifetime: Double

    init(lifetime: Double) {
        self.lifetime = lifetime
    }

    func get() -> Value? {
        state.withLock { entry in
            guard let entry, Date().timeIntervalSince1970 - entry.loadedAt < lifetime else { return nil }
            return entry.value
        }
    }

    func put(_ value: Value) {
        state.withLock { $0 = (value, Date().timeIntervalSince1970) }
    }

    func invalidate() {
        state.withLock { $0 = nil }
    }
}
