import DeskStore
import DeskTestSupport
import Foundation
import SQLKit
import Testing

/// The PostgreSQL writer prepares the statements it runs again and again; on both databases a
/// write must store exactly what it bound, whatever the column type and wherever a NULL is.
@Suite("Prepared write statements")
struct PreparedStatementTests {
    @Test(
        "values reach smallint, bigint, text and bytea columns; NULLs in any place; '$1' in a literal stays text",
        arguments: TestDatabase.kinds)
    func valuesRoundTrip(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { handle in
            let database = handle.database
            try await database.execute(
                "CREATE TABLE prepared_probe (id BIGINT PRIMARY KEY, small SMALLINT, label TEXT, note TEXT NOT NULL, content BYTEA)")
            let rows: [(Int, Int?, String?, Data?)] = [
                (1, 7, "seven", Data([1, 2])), (2, nil, "none", nil), (3, 9, nil, Data([0])), (4, nil, nil, nil),
                (5, 12, "twelve", Data([255])),
            ]
            for (id, small, label, content) in rows {
                try await database.transaction { db in
                    try await db.raw(
                        """
                        INSERT INTO prepared_probe (id, small, label, note, content)
                        VALUES (\(bind: id), \(bind: small), \(bind: label), 'costs $1, not $2', \(bind: content))
                        """
                    ).run()
                }
            }
            // The same statement again, now known to the writer: an UPDATE that binds a NULL.
            for id in [2, 3] {
                try await database.transaction { db in
                    try await db.raw(
                        "UPDATE prepared_probe SET small = \(bind: id * 100), label = \(bind: nil as String?) WHERE id = \(bind: id)"
                    ).run()
                }
            }
            let stored = try await database.read { db in
                try await db.raw("SELECT id, small, label, note, content FROM prepared_probe ORDER BY id").all().map { row in
                    (
                        try row.decode(column: "id", as: Int.self), try row.decode(column: "small", as: Int?.self),
                        try row.decode(column: "label", as: String?.self), try row.decode(column: "note", as: String.self),
                        try row.decode(column: "content", as: Data?.self)
                    )
                }
            }
            #expect(stored.map(\.0) == [1, 2, 3, 4, 5])
            #expect(stored.map(\.1) == [7, 200, 300, nil, 12])
            #expect(stored.map(\.2) == ["seven", nil, nil, nil, "twelve"])
            #expect(stored.allSatisfy { $0.3 == "costs $1, not $2" })
            #expect(stored.map(\.4) == [Data([1, 2]), nil, Data([0]), nil, Data([255])])
            // Rows read inside a write come from prepared statements too (the second run by name).
            for _ in 1...2 {
                let row = try await database.transaction { db in
                    try await db.raw("SELECT small, label, content, id * 2 AS twice FROM prepared_probe WHERE id = \(bind: 1)").first()
                }
                #expect(try row?.decode(column: "small", as: Int.self) == 7)
                #expect(try row?.decode(column: "label", as: String?.self) == "seven")
                #expect(try row?.decode(column: "content", as: Data.self) == Data([1, 2]))
                #expect(try row?.decode(column: "twice", as: Int64.self) == 2)
            }
            if kind == .postgres {
                let prepared = try await database.transaction { db in
                    try await db.raw(
                        """
                        SELECT count(*) AS n FROM pg_prepared_statements
                        WHERE statement LIKE '%prepared_probe%' AND statement NOT LIKE '%pg_prepared_statements%'
                        """
                    ).first()?.decode(column: "n", as: Int.self) ?? 0
                }
                // One INSERT per pattern of NULLs (four), one UPDATE, one SELECT.
                #expect(prepared == 6)
            }
        }
    }

    @Test(
        "a statement whose result a schema change altered fails once, then runs again (PostgreSQL); SQLite recompiles",
        arguments: TestDatabase.kinds)
    func schemaChange(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { handle in
            let database = handle.database
            try await database.execute("CREATE TABLE prepared_shape (id BIGINT PRIMARY KEY)")
            try await database.execute("INSERT INTO prepared_shape (id) VALUES (1)")
            let columns = { @Sendable () async throws -> [String] in
                try await database.transaction { db in
                    try await db.raw("SELECT * FROM prepared_shape WHERE id = \(bind: 1)").first()?.allColumns ?? []
                }
            }
            #expect(try await columns() == ["id"])
            #expect(try await columns() == ["id"])
            try await database.execute("ALTER TABLE prepared_shape ADD COLUMN label TEXT")
            if kind == .postgres {
                await #expect(throws: (any Error).self) { try await columns() }
            }
            #expect(try await columns() == ["id", "label"])
        }
    }
}
