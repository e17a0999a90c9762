import SQLKit
import Synchronization

/// Whether the database orders text bytewise (`SQLDatabase.ordersTextBytewise`), read on first
/// use and kept for the store's life: a database's collation is fixed when it is created. (On
/// PostgreSQL each search with a prefix pattern asked `pg_database`, ~0.1 ms, before.)
final class TextOrder: Sendable {
    private let known = Mutex<Bool?>(nil)

    func isBytewise(_ db: any SQLDatabase, kind: DatabaseKind) async throws -> Bool {
        if let known = known.withLock({ $0 }) { return known }
        let bytewise = try await db.ordersTextBytewise(kind)
        known.withLock { $0 = bytewise }
        return bytewise
    }
}
