import SQLKit

/// PostgreSQL: autovacuum comes round to `tickets` and `articles` after 2 % of their rows
/// changed (or, for inserts, arrived) instead of the server's default 20 %.
///
/// No ticket update is a HOT update (`changed_at` is indexed), so each one leaves a dead row
/// and a new entry in every index of `tickets`, and clears its page's all-visible bit, which
/// index-only scans and counts then pay for with a heap visit. At 1 M tickets the default
/// waits for some 200,000 such rows. In the PostgreSQL soak (`Benchmarks/run.sh --soak
/// --postgres`, ~150 updates a second) `tickets` was vacuumed every four minutes instead of
/// once in ten; with the title probe's fix of the same day, ticket updates, the title probe
/// and the dynamic-field walk ended that run a little faster (0.59 / 2.9 / 8.9 ms against 0.68
/// / 5.4 / 10.3 ms) and the database a little smaller; within the machine's noise, but the
/// usual advice for large tables that change all the time, and cheap (docs/performance-log.md,
/// "The title probe's far-off ids").
enum Schema020 {
    static let tables = ["tickets", "articles"]
    static let scaleFactor = "0.02"

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        guard kind == .postgres else { return }
        for table in tables {
            try await db.raw(
                """
                ALTER TABLE \(ident: table) SET (autovacuum_vacuum_scale_factor = \(unsafeRaw: scaleFactor), \
                autovacuum_vacuum_insert_scale_factor = \(unsafeRaw: scaleFactor))
                """
            ).run()
        }
    }
}
