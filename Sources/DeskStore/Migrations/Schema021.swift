import SQLKit

/// Dynamic field values by object: one index on (object, field, position, value) instead of
/// (object, field) and (field, object, position, value).
///
/// Every lookup of a ticket's values (a ticket's reads, a search's per-ticket test of a field,
/// the sort by a field's join, the deletes) names the object, and with the value in the index
/// each is answered from the index alone: SQLite read the values of a TicketGet from the table
/// before, and PostgreSQL probed tickets one by one with it where it had hashed a whole field
/// (open tickets of a queue sorted by a field, plain form, skewed dev database: 100–126 →
/// 70–79 ms). Lookups by field and value keep `dynamic_field_values_sort`. A ticket's values
/// are written into one index fewer, and a bulk load builds one fewer (docs/performance-log.md,
/// "Dynamic field values by object").
enum Schema021 {
    static let index = "dynamic_field_values_object_value"
    static let replaced = ["dynamic_field_values_object", "dynamic_field_values_field_object"]

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        // A bulk load that stopped half-way recorded the old indexes to build at the next start
        // (`DeferredIndexes`, which runs after the migrations): they are not wanted any more.
        if try await DeferredIndexes.hasDeferredSchema(db, kind: kind) {
            try await db.raw("DELETE FROM deferred_schema WHERE name IN (\(binds: replaced.map { $0 as Bindable }))").run()
        }
        try await db.raw(
            "CREATE INDEX IF NOT EXISTS \(ident: index) ON dynamic_field_values (object_id, field_id, position, value_text)"
        ).run()
        for name in replaced {
            try await db.raw("DROP INDEX IF EXISTS \(ident: name)").run()
        }
    }
}
