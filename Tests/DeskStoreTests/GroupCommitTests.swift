import DeskStore
import DeskTestSupport
import SQLKit
import Testing

/// Writes that run at the same time share transactions on SQLite (group commit); on both
/// databases each caller must see exactly what a transaction of its own would give.
@Suite("Concurrent write transactions")
struct GroupCommitTests {
    struct Refused: Error, Equatable {
        let write: Int
    }

    static let writes = 160

    @Test("a write that throws fails alone, with its own error; its neighbours commit", arguments: TestDatabase.kinds)
    func failingWriteFailsAlone(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { handle in
            let database = handle.database
            try await database.execute("CREATE TABLE gc_probe (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE)")
            try await database.execute("INSERT INTO gc_probe (id, label) VALUES (0, 'taken')")
            let outcomes = await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
                for write in 1...Self.writes {
                    group.addTask {
                        do {
                            let value = try await database.transaction { db -> Int in
                                try await db.raw("INSERT INTO gc_probe (id, label) VALUES (\(bind: write), \(bind: "row \(write)"))").run()
                                if write % 5 == 0 { throw Refused(write: write) }
                                if write % 7 == 0 {
                                    // A statement error after a successful insert: a duplicate label.
                                    try await db.raw("INSERT INTO gc_probe (id, label) VALUES (\(bind: 1000 + write), 'taken')").run()
                                }
                                return write * 10
                            }
                            return (write, .success(value))
                        } catch let refused as Refused {
                            return (write, .failure(refused))
                        } catch {
                            return (write, .failure(Refused(write: -write)))
                        }
                    }
                }
                return await group.reduce(into: [Int: Result<Int, Refused>]()) { $0[$1.0] = $1.1 }
            }
            for write in 1...Self.writes {
                switch write {
                case _ where write % 5 == 0: #expect(outcomes[write] == .failure(Refused(write: write)))
                case _ where write % 7 == 0: #expect(outcomes[write] == .failure(Refused(write: -write)))
                default: #expect(outcomes[write] == .success(write * 10))
                }
            }
            let stored = try await database.read { db in
                try await db.raw("SELECT id FROM gc_probe ORDER BY id").all().map { try $0.decode(column: "id", as: Int.self) }
            }
            #expect(stored == [0] + (1...Self.writes).filter { $0 % 5 != 0 && $0 % 7 != 0 })
        }
    }

    @Test("when a shared COMMIT fails, every write is retried alone and only the bad one fails", arguments: TestDatabase.kinds)
    func failedCommitIsRetriedWriteByWrite(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { handle in
            let database = handle.database
            try await database.execute("CREATE TABLE gc_parent (id INTEGER PRIMARY KEY)")
            // Checked at COMMIT, not at the statement: the failure surfaces when the batch commits.
            try await database.execute(
                "CREATE TABLE gc_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES gc_parent (id) DEFERRABLE INITIALLY DEFERRED)")
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for write in 1...Self.writes {
                    group.addTask {
                        let parent: Int? = write == 7 ? 999 : nil
                        let committed =
                            (try? await database.transaction { db in
                                try await db.raw("INSERT INTO gc_child (id, parent_id) VALUES (\(bind: write), \(bind: parent))").run()
                            }) != nil
                        return (write, committed)
                    }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(outcomes.filter { !$0.value }.map(\.key) == [7])
            let stored = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM gc_child").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stored == Self.writes - 1)
        }
    }

    @Test("a long multi-row insert in a write returns its rows (PostgreSQL sends it unnamed)", arguments: TestDatabase.kinds)
    func longInsertReturnsRows(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { handle in
            let database = handle.database
            try await database.execute("CREATE TABLE gc_long (id INTEGER PRIMARY KEY, label TEXT NOT NULL, score INTEGER)")
            let rows = (1...800).map { ($0, "row \($0)", $0 % 3 == 0 ? nil : $0 * 2) }
            let returned = try await database.transaction { db in
                var statement = SQLQueryString("INSERT INTO gc_long (id, label, score) VALUES ")
                for (index, row) in rows.enumerated() {
                    statement += (index == 0 ? "" : ", ") + "(\(bind: row.0), \(bind: row.1), \(bind: row.2))"
                }
                statement += " RETURNING id, label, score"
                return try await db.raw(statement).all().map {
                    (
                        try $0.decode(column: "id", as: Int.self), try $0.decode(column: "label", as: String.self),
                        try $0.decode(column: "score", as: Int?.self)
                    )
                }
            }
            #expect(returned.count == rows.count)
            for (got, sent) in zip(returned.sorted { $0.0 < $1.0 }, rows) {
                #expect(got.0 == sent.0 && got.1 == sent.1 && got.2 == sent.2)
            }
        }
    }
}
