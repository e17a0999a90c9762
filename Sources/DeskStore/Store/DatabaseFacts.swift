import Foundation
import SQLKit
import Synchronization

/// Facts about the database that searches consult and that change rarely or never, read on
/// first use instead of once per search (on PostgreSQL each was a catalog query, ~0.1 ms):
/// - how it orders text (`SQLDatabase.ordersTextBytewise`), fixed when the database is created;
/// - whether an index exists (`SQLDatabase.hasIndex`: those built on PostgreSQL extensions,
///   which an installation may lack), kept for `lifetime` seconds, as a bulk load sets indexes
///   aside for a while. A stale answer costs speed, never a wrong result: the searches that ask
///   only choose between plans.
final class DatabaseFacts: Sendable {
    private let bytewise = Mutex<Bool?>(nil)
    private let indexes = Mutex<[String: (present: Bool, readAt: Double)]>([:])
    let lifetime: Double

    init(lifetime: Double = 5) {
        self.lifetime = lifetime
    }

    func ordersTextBytewise(_ db: any SQLDatabase, kind: DatabaseKind) async throws -> Bool {
        if let known = bytewise.withLock({ $0 }) { return known }
        let answer = try await db.ordersTextBytewise(kind)
        bytewise.withLock { $0 = answer }
        return answer
    }

    func hasIndex(_ name: String, in db: any SQLDatabase) async throws -> Bool {
        let now = Date().timeIntervalSince1970
        if let known = indexes.withLock({ $0[name] }), now - known.readAt < lifetime { return known.present }
        let present = try await db.hasIndex(name)
        indexes.withLock { $0[name] = (present, now) }
        return present
    }

    /// Forgets which indexes exist (`SQLDeskStore.invalidateCatalog`).
    func forgetIndexes() {
        indexes.withLock { $0 = [:] }
    }
}
