import DeskStore
import DeskTestSupport
import SQLKit
import Testing

/// PostgreSQL keeps a statement's plan until its tables' statistics change; a young table gets
/// new ones each time it has grown fourfold (`GrowthAnalyzer`), not only when autovacuum comes
/// round.
@Suite("Statistics of growing tables")
struct GrowthAnalyzerTests {
    @Test(
        "a table is analysed when it has grown fourfold since its last analysis, and left alone until it has again",
        arguments: TestDatabase.kinds)
    func analysesTablesThatDoubled(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { handle in
            let database = handle.database
            let analyzer = GrowthAnalyzer(minimumPages: 4)
            // Whatever the migration's default data grew is analysed first.
            _ = try await analyzer.analyzeGrownTables(in: database)
            #expect(try await analyzer.analyzeGrownTables(in: database) == [])
            // Autovacuum stays off the probe: an analysis of its own between the steps (it once
            // came at 150 rows) would move the baseline this test counts from.
            try await database.execute(
                "CREATE TABLE growth_probe (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)"
                    + (kind == .postgres ? " WITH (autovacuum_enabled = false)" : ""))
            let payload = String(repeating: "x", count: 500)
            var next = 1
            func insert(_ count: Int) async throws {
                let ids = next..<(next + count)
                try await database.transaction { db in
                    for id in ids {
                        try await db.raw("INSERT INTO growth_probe (id, payload) VALUES (\(bind: id), \(bind: payload))").run()
                    }
                }
                next += count
            }
            let expected = kind == .postgres ? ["growth_probe"] : []
            // 100 rows of 500 bytes: about 7 pages, never analysed.
            try await insert(100)
            #expect(try await analyzer.analyzeGrownTables(in: database) == expected)
            #expect(try await analyzer.analyzeGrownTables(in: database) == [])
            // Half as many again: not yet four times the pages of the last analysis; then more.
            try await insert(50)
            #expect(try await analyzer.analyzeGrownTables(in: database) == [])
            try await insert(300)
            #expect(try await analyzer.analyzeGrownTables(in: database) == expected)
            if kind == .postgres {
                let rows = try await database.read { db in
                    try await db.raw("SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'growth_probe'").first()?
                        .decode(column: "n", as: Int.self)
                }
                #expect(rows == 450)
            }
        }
    }
}
