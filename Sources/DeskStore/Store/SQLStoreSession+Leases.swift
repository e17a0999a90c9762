import DeskCore
import SQLKit

/// Leases of background work (`background_leases`, `BackgroundLease`): one row per kind of work,
/// naming the server process that does it and until when.
extension SQLStoreSession {
    func takeLease(name: String, holder: String, until: Int64, now: Int64) async throws -> Bool {
        // One statement, so that two servers taking the same lease at once cannot both succeed:
        // the row is inserted, or updated only when free or already this holder's; a row comes
        // back only when it was.
        let taken = try await db.raw(
            """
            INSERT INTO background_leases (name, holder, expires_at) VALUES (\(bind: name), \(bind: holder), \(bind: until))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE background_leases.holder = excluded.holder OR background_leases.expires_at <= \(bind: now)
            RETURNING holder
            """
        ).first()
        return taken != nil
    }

    func releaseLease(name: String, holder: String) async throws {
        try await db.raw("UPDATE background_leases SET expires_at = 0 WHERE name = \(bind: name) AND holder = \(bind: holder)").run()
    }
}
