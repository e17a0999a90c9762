import DeskCore
import Foundation
import Synchronization

/// Keeps the catalog (lookup tables, queues, dynamic fields, settings) for a few seconds so the
/// hot paths resolve names without a query. Writes through this process invalidate it at once;
/// changes made by another server process become visible after at most `lifetime` seconds.
final class CatalogCache: Sendable {
    private let state = Mutex<(catalog: Catalog, loadedAt: Double)?>(nil)
    let lifetime: Double

    init(lifetime: Double) {
        self.lifetime = lifetime
    }

    func get() -> Catalog? {
        state.withLock { entry in
            guard let entry, Date().timeIntervalSince1970 - entry.loadedAt < lifetime else { return nil }
            return entry.catalog
        }
    }

    func put(_ catalog: Catalog) {
        state.withLock { $0 = (catalog, Date().timeIntervalSince1970) }
    }

    func invalidate() {
        state.withLock { $0 = nil }
    }
}
