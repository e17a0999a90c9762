@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import VaporCSQLite

/// A connection to SwiftDesk's database: SQLite (embedded default) or PostgreSQL.
///
/// SQLite runs in WAL mode with one writer connection, whose transactions are grouped
/// (`GroupCommit`: a write never waits on SQLite's busy handler inside this process), and a few
/// reader connections; statements run directly through SQLite's C API (`SQLiteHandle`), reads on
/// the database's own threads (`DatabaseThreads`).
/// PostgreSQL uses one pool of postgres-kit connections for both. On both, writes are grouped
/// into shared transactions (`GroupCommit`).
public final class Database: Sendable {
    public let kind: DatabaseKind
    public let logger: Logger
    private let pools: Pools
    private let writes: GroupCommit
    /// Where a write waits for, leads and leaves its batch (see `transaction`).
    private let writeExecutor: (any TaskExecutor)?
    /// PostgreSQL statements prepared per connection (`PreparingPostgresDatabase`).
    private let statements = PreparedStatements()
    /// The PostgreSQL writer's ticket and article ids drawn ahead.
    private let prefetched = PrefetchedIDs()

    // The pools synchronise internally (AsyncKit guards them with locks) but are not marked Sendable.
    private enum Pools: @unchecked Sendable {
        case sqlite(writer: SQLiteConnectionPool, readers: SQLiteConnectionPool, threads: DatabaseThreads)
        case postgres(
            EventLoopGroupConnectionPool<PostgresConnectionSource>, writer: EventLoopGroupConnectionPool<PostgresConnectionSource>,
            writerLoop: MultiThreadedEventLoopGroup)
    }

    /// PostgreSQL settings every connection starts with.
    ///
    /// - `jit`: just-in-time compilation pays off for long analytical queries; here it would
    ///   add 100–350 ms to a search whose plan merely *estimates* a high cost (PostgreSQL
    ///   compiles above `jit_above_cost` whatever the statement then reads).
    /// - `synchronize_seqscans`: a scan of a large table starts where the last one left off, so
    ///   the title probe's scans (`SearchProbe`) marched through `tickets`, and every few hundred
    ///   the scan ran off the end and went on at the start: its first matches lay at both ends
    ///   of the ids, looked sparse, and sent a common pattern to the full look (28 ms instead of
    ///   4 at 1 M tickets, the title shape's p99). Started at the table's first page, the probe
    ///   reads the same pages each time.
    static let postgresSettings = [("jit", "off"), ("synchronize_seqscans", "off")]

    /// Opens the database named by `url`: `sqlite:PATH` / a plain file path, or `postgres://…`.
    /// For SQLite the directory is created when missing.
    public init(url: String, maxConnections: Int = 8, logger: Logger = Logger(label: "swiftdesk.db")) throws {
        self.logger = logger
        let group = MultiThreadedEventLoopGroup.singleton
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            var configuration = try SQLPostgresConfiguration(url: url)
            configuration.coreConfiguration.options.additionalStartupParameters.append(contentsOf: Self.postgresSettings)
            let loops = Array(group.makeIterator()).count
            kind = .postgres
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: max(1, maxConnections / max(1, loops)),
                requestTimeout: .seconds(30), pruneInterval: .seconds(60), logger: logger, on: group)
            // Batches run one at a time (the ticket counter's row lock orders them anyway): on a
            // connection and a thread of their own, so that their round trips do not queue
            // behind the request work of the shared event loops.
            let writerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let writer = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnectionsPerEventLoop: 1,
                requestTimeout: .seconds(30), pruneInterval: .seconds(60), logger: logger, on: writerLoop)
            pools = .postgres(pool, writer: writer, writerLoop: writerLoop)
            let executor = EventLoopTaskExecutor(writerLoop.next())
            writeExecutor = executor
            let statements = self.statements
            let prefetched = self.prefetched
            writes = GroupCommit(begin: "BEGIN") { batch in
                try await withTaskExecutorPreference(executor) {
                    try await Self.lease(writer, logger: logger) {
                        await batch(
                            HoldingDatabase(
                                connection: PreparingPostgresDatabase(connection: $0, statements: statements), prefetched: prefetched))
                    }
                }
            }
        } else {
            let path = try Self.sqlitePath(from: url)
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            kind = .sqlite
            let readers = max(1, maxConnections / 2)
            let writer = SQLiteConnectionPool(path: path, size: 1, cacheMiB: 32, checkpointer: WALCheckpointer(path: path))
            let threads = DatabaseThreads(threads: readers)
            pools = .sqlite(
                writer: writer, readers: SQLiteConnectionPool(path: path, size: readers, cacheMiB: 8), threads: threads)
            writeExecutor = nil
            let fullText = FullTextQueue()
            // A batch runs its statements synchronously for milliseconds: on the database's own
            // threads, so that it never holds up an event loop (Swift concurrency runs on them).
            writes = GroupCommit(begin: "BEGIN IMMEDIATE", beforeCommit: fullText.index) { batch in
                try await withTaskExecutorPreference(threads) {
                    try await writer.withHandle { await batch(SQLiteDirectDatabase(handle: $0, logger: logger)) }
                }
            }
        }
    }

    /// The SQLite file's path; nil on PostgreSQL.
    var sqlitePath: String? {
        guard case .sqlite(let writer, _, _) = pools else { return nil }
        return writer.path
    }

    /// `sqlite:./data/x.sqlite`, `sqlite:///abs/path`, `file:…` or a bare path.
    static func sqlitePath(from url: String) throws -> String {
        var path = url
        for prefix in ["sqlite://", "sqlite:", "file://", "file:"] where path.hasPrefix(prefix) {
            path = String(path.dropFirst(prefix.count))
            break
        }
        guard !path.isEmpty, !path.contains("://") else {
            throw DatabaseError.badURL("'\(url)' is neither a postgres:// URL nor an SQLite file path")
        }
        return path
    }

    /// Runs `body` on a reader connection (statements autocommit).
    ///
    /// SQLite statements run synchronously, so a read normally runs on the database's own threads
    /// (`DatabaseThreads`). `onCallingThread` skips that hop, two thread switches that cost more
    /// than a read of a few rows by key; only such reads may ask for it (a WAL reader takes no
    /// lock that a writer holds, so it does not wait either). PostgreSQL reads are asynchronous
    /// and ignore it.
    public func read<R: Sendable>(
        onCallingThread: Bool = false, _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        switch pools {
        case .sqlite(_, let readers, let threads):
            if onCallingThread {
                return try await readers.withHandle { try await body(SQLiteDirectDatabase(handle: $0, logger: logger)) }
            }
            return try await withTaskExecutorPreference(threads) {
                try await readers.withHandle { try await body(SQLiteDirectDatabase(handle: $0, logger: logger)) }
            }
        case .postgres(let pool, _, _):
            return try await Self.lease(pool, logger: logger) {
                try await body(PreparingPostgresDatabase(connection: $0, statements: statements))
            }
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. The
    /// transaction may be shared with other writes (`GroupCommit`); `body` may run more than
    /// once and must have no effects outside the database.
    ///
    /// On PostgreSQL the whole write — joining a batch, leading it, being answered — runs on the
    /// writer connection's thread: the hand-over from one batch to the next then never waits
    /// behind request work on the shared event loops.
    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        guard let writeExecutor else { return try await writes.transaction(body) }
        return try await withTaskExecutorPreference(writeExecutor) { try await writes.transaction(body) }
    }

    /// PostgreSQL: runs `body` in a transaction of its own on a pooled connection, beside the
    /// group commit, so that several can run at once (a bulk load's batches). SQLite has one
    /// writer: there it is `transaction`.
    func separateTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        guard case .postgres(let pool, _, _) = pools else { return try await transaction(body) }
        return try await Self.lease(pool, logger: logger) { connection in
            let db = PreparingPostgresDatabase(connection: connection, statements: statements)
            try await db.raw("BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                do {
                    try await db.raw("ROLLBACK").run()
                } catch {
                    // Never hand a connection back to the pool in the middle of a transaction.
                    try? await connection.close().get()
                }
                throw error
            }
        }
    }

    /// Forgets the ids the PostgreSQL writer drew ahead (`PrefetchedIDs`), for whoever moves the
    /// ticket or article sequence back by hand (`setval`): the next create draws afresh.
    func forgetPrefetchedIDs() {
        prefetched.removeAll()
    }

    /// Runs one statement outside any transaction (administration such as `CREATE DATABASE`).
    public func execute(_ sql: String) async throws {
        try await read { try await $0.raw(SQLQueryString(sql)).run() }
    }

    /// SQLite, before a bulk load into a database it will make up most of: moves the file from
    /// the WAL to a rollback journal (`journal_mode = PERSIST`, `synchronous = FULL`) until
    /// `endBulkJournal`. In WAL mode every page is written twice, into the log at commit and into
    /// the file at the next checkpoint; with a rollback journal the new pages of a load go to the
    /// file once, and only the few existing pages a batch changes are journaled. Each batch is
    /// still atomic and durable; a crash leaves a hot journal that the next open rolls back, and
    /// every SwiftDesk connection puts the file back into WAL mode when it opens.
    ///
    /// Leaving WAL needs the file to itself: this closes this process's idle reader connections
    /// and the checkpointer's (`WALCheckpointer`), and when another connection is open (another process, or a read that opens a connection
    /// meanwhile) the file stays in (or goes back to) WAL mode and the load simply runs there.
    /// Returns whether the journal was switched; false on PostgreSQL.
    func beginBulkJournal() async throws -> Bool {
        guard case .sqlite(let writer, let readers, _) = pools else { return false }
        readers.closeIdle()
        writer.checkpointer?.closeConnection()
        return try await writer.withHandle { handle in
            do {
                guard try handle.pragma("journal_mode = PERSIST") == "persist" else { return false }
            } catch let failure as SQLiteFailure where failure.code & 0xff == SQLITE_BUSY {
                return false
            }
            _ = try handle.pragma("synchronous = FULL")
            return true
        }
    }

    /// Puts the file back into WAL mode with SwiftDesk's usual settings after `beginBulkJournal`
    /// (which also removes the journal file `PERSIST` kept). Should another connection have the
    /// file open right then, it stays as it is until the next connection opens it.
    func endBulkJournal() async throws {
        guard case .sqlite(let writer, _, _) = pools else { return }
        try await writer.withHandle { handle in
            _ = try handle.pragma("journal_mode = WAL")
            _ = try handle.pragma("synchronous = NORMAL")
        }
    }

    /// Closes every connection.
    public func shutdown() async {
        switch pools {
        case .sqlite(let writer, let readers, let threads):
            writer.close()
            readers.close()
            writer.checkpointer?.closeConnection()
            await threads.shutdown()
        case .postgres(let pool, let writer, let writerLoop):
            try? await pool.shutdownAsync()
            try? await writer.shutdownAsync()
            try? await writerLoop.shutdownGracefully()
        }
    }

    private static func lease<Source: ConnectionPoolSource, R>(
        _ pool: EventLoopGroupConnectionPool<Source>, logger: Logger, _ body: (Source.Connection) async throws -> R
    ) async throws -> R {
        let connection = try await pool.requestConnection(logger: logger).get()
        do {
            let result = try await body(connection)
            pool.releaseConnection(connection, logger: logger)
            return result
        } catch {
            pool.releaseConnection(connection, logger: logger)
            throw error
        }
    }
}

/// Errors of the database layer itself (not of the domain).
public enum DatabaseError: Error, CustomStringConvertible {
    case badURL(String)
    case unexpected(String)

    public var description: String {
        switch self {
        case .badURL(let message): message
        case .unexpected(let message): message
        }
    }
}
