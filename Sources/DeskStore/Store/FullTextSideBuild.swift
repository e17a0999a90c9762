import Foundation
import SQLiteNIO
import Synchronization

/// SQLite, during a bulk load that set the full-text triggers aside (`DeferredIndexes`): builds
/// the full-text index on a second connection, in a scratch file beside the database, from the
/// rows as the loader generates them while the writer inserts them, and at the end copies the
/// finished index into the database's FTS5 tables in one transaction.
///
/// SQLite has one writer. Rebuilding full text after the inserts (FTS5 `rebuild`, then
/// `optimize`) kept it busy for a quarter of a load (200,000 tickets: 4.2 of 15.6 s) while the
/// second core idled; here the tokenizing runs on that core during the inserts, and the merge
/// into one segment (`optimize`) during the index builds.
///
/// Why the copy is exact: an FTS5 table keeps its index in its shadow tables (`_data`, `_idx`,
/// `_docsize`), and what they hold depends on the table's definition, which the scratch table
/// takes from the database's `sqlite_master`, on the rows indexed under their ids, and on the
/// settings in `_config` that shape the file (`pgsz`, `secure-delete`), which SwiftDesk leaves
/// at their defaults on both sides (`_config` is not copied: the database keeps its own). An
/// external-content table never reads its content table to index or merge. The rows the
/// database had before the load are indexed first, read from the database. `BulkLoadTests`
/// checks the result with FTS5's `integrity-check` against the content tables.
///
/// The copy runs on this second connection: the writer connection, which may hold the old index
/// structure in FTS5's per-connection cache, sees another connection's commit and reloads it
/// (FTS5 keeps that cache until `PRAGMA data_version` changes).
///
/// A load that dies leaves no half state: the copy commits together with its record in
/// `deferred_schema` (`installedRecord`); without that record the next start rebuilds full text
/// from the content tables as before. The next start also removes a scratch file left behind.
final class FullTextSideBuild: @unchecked Sendable {
    /// The `deferred_schema` type (and name) that says the full-text index is in place.
    static let installedRecord = "full_text"

    /// FTS5's `crisismerge` in the scratch file: the segments a level may collect before FTS5
    /// merges them anyway (16 by default). A 1 M-ticket load writes a few dozen.
    static let segmentsBeforeMerging = 1_000

    private let handle: SQLiteHandle
    private let threads: DatabaseThreads
    private let databasePath: String
    /// The indexing of the last batch handed in; each batch waits for the one before it.
    private let last = Mutex<Task<Void, any Error>?>(nil)

    private init(handle: SQLiteHandle, threads: DatabaseThreads, databasePath: String) {
        self.handle = handle
        self.threads = threads
        self.databasePath = databasePath
    }

    /// The scratch file of a load into the SQLite file at `databasePath`.
    static func scratchPath(for databasePath: String) -> String { databasePath + ".fulltext-build" }

    /// Removes the scratch file of a load into `databasePath`, if one was left behind.
    static func removeScratch(for databasePath: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: scratchPath(for: databasePath) + suffix)
        }
    }

    /// Opens a new scratch file for a load into `database` (SQLite; nil on PostgreSQL), creates
    /// the full-text tables there as the database defines them, and indexes the rows the
    /// database has now. Call it before the load opens its write transactions.
    static func start(for database: Database) async throws -> FullTextSideBuild? {
        guard let databasePath = database.sqlitePath else { return nil }
        removeScratch(for: databasePath)
        let threads = DatabaseThreads(threads: 1)
        do {
            let handle = try await withTaskExecutorPreference(threads) {
                try SQLiteHandle(path: scratchPath(for: databasePath), cacheMiB: 8)
            }
            let build = FullTextSideBuild(handle: handle, threads: threads, databasePath: databasePath)
            do {
                try await build.run { try build.prepare($0) }
            } catch {
                await build.close()
                throw error
            }
            return build
        } catch {
            await threads.shutdown()
            removeScratch(for: databasePath)
            throw error
        }
    }

    /// Creates the tables, indexes the existing rows and opens the transaction that collects the
    /// load's rows. FTS5 collects terms in memory and writes them out as a new segment when they
    /// exceed `hashsize`, at COMMIT, at every statement savepoint, and when a rowid is not above
    /// the last one; in one transaction, fed in id order, row by row (`add`), only the first
    /// applies.
    private func prepare(_ handle: SQLiteHandle) throws {
        // A scratch file: nothing in it needs to survive a crash.
        _ = try handle.pragma("journal_mode = OFF")
        _ = try handle.pragma("synchronous = OFF")
        try handle.execute("ATTACH DATABASE ? AS source", binds: [.text(databasePath)]) { _ in }
        for table in FullTextTable.all {
            var definition: String?
            try handle.execute(
                "SELECT sql FROM source.sqlite_master WHERE type = 'table' AND name = ?", binds: [.text(table.name)]
            ) { definition = $0.value("sql")?.string }
            guard let definition else { throw DatabaseError.unexpected("the full-text table \(table.name) is missing") }
            try handle.execute(definition, binds: []) { _ in }
            try handle.execute(
                "INSERT INTO \(table.name) (\(table.name), rank) VALUES ('hashsize', \(DeferredIndexes.rebuildHashSize))", binds: []
            ) { _ in }
            // No merging while the rows arrive: `finish` merges every segment once, in one pass,
            // while the writer builds its indexes (1 M tickets: 61.9 → 52.9 s a load), and then
            // settles the merged index on its level (`FullTextStructure`). Settling matters here:
            // with every segment on level 0, `optimize` alone left the index on level 1, where the
            // server's first writes reached it at once and FTS5 rewrote all of it inside one
            // create's transaction (1 M tickets: no create committed for 11 s).
            for (setting, value) in [("automerge", 0), ("crisismerge", Self.segmentsBeforeMerging)] {
                try handle.execute("INSERT INTO \(table.name) (\(table.name), rank) VALUES ('\(setting)', \(value))", binds: []) { _ in }
            }
            try handle.execute(
                "\(table.insertHead) SELECT \(table.contentColumns()) FROM source.\(table.content) ORDER BY id", binds: []
            ) { _ in }
        }
        try handle.execute("DETACH DATABASE source", binds: []) { _ in }
        try handle.execute("BEGIN", binds: []) { _ in }
    }

    /// Starts indexing the rows of `batch` once the batches before it are indexed, and returns
    /// the task doing it.
    func add(_ batch: GeneratedBatch) -> Task<Void, any Error> {
        last.withLock { last in
            let previous = last
            let task = Task(executorPreference: threads) { [handle] in
                try await previous?.value
                for table in FullTextTable.all {
                    guard let values = batch.rows(of: table.content)?.sqliteValues(of: ["id"] + table.columns) else {
                        throw DatabaseError.unexpected("a bulk batch without the columns of \(table.name)")
                    }
                    // One row per statement: a multi-row INSERT into a virtual table runs in a
                    // statement savepoint, and FTS5 writes a segment at each one (a segment per
                    // 100 rows made the build three times slower with its merges).
                    try handle.insert(into: table.name, columns: ["rowid"] + table.columns, values: values, rowsPerStatement: 1)
                }
            }
            last = task
            return task
        }
    }

    /// Waits for the batches handed in, commits them, merges each index into one segment and
    /// settles that segment on the level FTS5's own merges would have given it
    /// (`FullTextStructure`).
    func finish() async throws {
        try await last.withLock { $0 }?.value
        try await run { handle in
            try handle.execute("COMMIT", binds: []) { _ in }
            for table in FullTextTable.all {
                try handle.execute("INSERT INTO \(table.name) (\(table.name)) VALUES ('optimize')", binds: []) { _ in }
                // Nothing writes to these tables here afterwards, so their connection's cached
                // copy of the old record is never written back.
                try FullTextStructure.settle(table, in: handle)
            }
        }
    }

    /// Replaces the database's full-text index with the one built here, and records that it is
    /// in place, in one transaction. The load's writer must be idle.
    func install() async throws {
        try await run { [databasePath] handle in
            try handle.execute("ATTACH DATABASE ? AS target", binds: [.text(databasePath)]) { _ in }
            defer { try? handle.execute("DETACH DATABASE target", binds: []) { _ in } }
            try handle.execute("BEGIN IMMEDIATE", binds: []) { _ in }
            do {
                for table in FullTextTable.all {
                    for shadow in table.shadowTables {
                        try handle.execute("DELETE FROM target.\(shadow)", binds: []) { _ in }
                        try handle.execute("INSERT INTO target.\(shadow) SELECT * FROM main.\(shadow)", binds: []) { _ in }
                    }
                }
                try handle.execute(
                    "INSERT INTO target.deferred_schema (name, type, sql) VALUES (?, ?, '')",
                    binds: [.text(Self.installedRecord), .text(Self.installedRecord)]
                ) { _ in }
                try handle.execute("COMMIT", binds: []) { _ in }
            } catch {
                try? handle.execute("ROLLBACK", binds: []) { _ in }
                throw error
            }
        }
    }

    /// Waits for any batch still being indexed, closes the connection and removes the scratch
    /// file. Call it once, whether the load succeeded or not.
    func close() async {
        _ = try? await last.withLock { $0 }?.value
        try? await run { $0.close() }
        await threads.shutdown()
        Self.removeScratch(for: databasePath)
    }

    /// Runs `body` with the connection on this build's own thread.
    private func run<R: Sendable>(_ body: @Sendable @escaping (SQLiteHandle) throws -> R) async throws -> R {
        try await withTaskExecutorPreference(threads) { [handle] in try body(handle) }
    }
}
