import DeskStore
import DeskTestSupport
import Foundation
import SQLKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `swiftdesk bench load` killed with SIGKILL half-way: whole batches stay, nothing half-written,
/// and the next start completes what the load had set aside (on SQLite also its rollback journal).
@Suite("A bulk load killed half-way")
struct BulkLoadKillTests {
    static let batch = 500

    @Test("keeps whole batches and the next start builds what it set aside", arguments: TestDatabase.kinds)
    func killedLoad(kind: DatabaseKind) async throws {
        let (url, cleanup) = try await TestDatabase.create(kind)
        defer { Task { try? await cleanup() } }
        let cli = CLITests()
        #expect(try cli.run(["migrate"], databaseURL: url).status == 0)
        let before = try await Self.counts(url)

        let load = Process()
        load.executableURL = CLITests.binary
        load.arguments = ["bench", "load", "--tickets", "200000", "--batch", String(Self.batch), "--database-url", url]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        load.environment = environment
        let progress = Pipe()
        load.standardError = progress
        load.standardOutput = FileHandle.nullDevice
        try load.run()
        // The progress bar counts committed tickets; kill once two batches are in.
        var seen = ""
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, load.isRunning, Self.loaded(in: seen) < 2 * Self.batch {
            seen += String(decoding: progress.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(load.isRunning, "the load ended before it could be killed: \(seen.suffix(300))")
        // SQLite: the full-text index was being built beside the writer, in a scratch file.
        let scratch = url + ".fulltext-build"
        if kind == .sqlite { #expect(FileManager.default.fileExists(atPath: scratch)) }
        kill(load.processIdentifier, SIGKILL)
        load.waitUntilExit()
        #expect(load.terminationReason == .uncaughtSignal)

        let restart = try cli.run(["migrate"], databaseURL: url)
        #expect(restart.status == 0, "\(restart.error)")
        let after = try await Self.counts(url)
        let added = after.tickets - before.tickets
        #expect(added >= 2 * Self.batch && added % Self.batch == 0, "added \(added) tickets")
        // A run of batches from the start: on PostgreSQL two batches are written at once, but a
        // batch commits only after the one before it.
        #expect(after.maxTicketID - before.maxTicketID == added, "ids up to \(after.maxTicketID) for \(added) tickets")
        #expect(after.orphanArticles == 0 && after.deferred == 0)
        if kind == .sqlite {
            #expect(after.sqlite == ["ok", "wal", "full text ok"])
            #expect(!FileManager.default.fileExists(atPath: url + "-journal"))
            #expect(!FileManager.default.fileExists(atPath: scratch))
        }
    }

    /// The largest `done` of the progress lines `tickets [...] done/total` in `text`.
    static func loaded(in text: String) -> Int {
        text.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).compactMap { line -> Int? in
            guard let slash = line.firstIndex(of: "/"), let space = line[..<slash].lastIndex(of: " ") else { return nil }
            return Int(line[line.index(after: space)..<slash])
        }.max() ?? 0
    }

    struct Counts {
        var tickets = 0
        var orphanArticles = 0
        var deferred = 0
        var maxTicketID = 0
        /// SQLite: `integrity_check`, the journal mode and the full-text check.
        var sqlite: [String] = []
    }

    static func counts(_ url: String) async throws -> Counts {
        let database = try Database(url: url, maxConnections: 2)
        var counts = try await database.read { db in
            var counts = Counts()
            counts.tickets = try await db.raw("SELECT COUNT(*) AS n FROM tickets").first()!.decode(column: "n", as: Int.self)
            counts.maxTicketID = try await db.raw("SELECT COALESCE(MAX(id), 0) AS n FROM tickets").first()!.decode(
                column: "n", as: Int.self)
            counts.orphanArticles = try await db.raw(
                "SELECT COUNT(*) AS n FROM articles a WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = a.ticket_id)"
            ).first()!.decode(column: "n", as: Int.self)
            // What a load set aside and no start has built yet (no table: nothing ever was).
            counts.deferred =
                (try? await db.raw("SELECT COUNT(*) AS n FROM deferred_schema").first()?.decode(column: "n", as: Int.self)) ?? 0
            if database.kind == .sqlite {
                let integrity = try await db.raw("PRAGMA integrity_check").first()!.decode(column: "integrity_check", as: String.self)
                let mode = try await db.raw("PRAGMA journal_mode").first()!.decode(column: "journal_mode", as: String.self)
                counts.sqlite = [integrity, mode]
            }
            return counts
        }
        if database.kind == .sqlite {
            // The full-text tables index exactly the rows the start kept (rank 1: against the
            // content tables); an inconsistent index fails the statement.
            try await database.transaction { db in
                for table in ["article_fts", "ticket_title_fts"] {
                    try await db.raw("INSERT INTO \(ident: table) (\(ident: table), rank) VALUES ('integrity-check', 1)").run()
                }
            }
            counts.sqlite.append("full text ok")
        }
        await database.shutdown()
        return counts
    }
}
