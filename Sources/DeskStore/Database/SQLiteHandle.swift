import Foundation
import NIOCore
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// One SQLite connection used directly through the C API, statement by statement, on the
/// calling thread.
///
/// sqlite-nio hands every statement to a thread pool and back through an event loop; for the
/// short statements of a ticket create or a TicketGet those hand-offs cost more than SQLite's own
/// work (docs/performance.md). A handle runs statements where it is called and keeps them
/// compiled (`cache`), so a transaction costs no thread switch at all. SwiftDesk links one SQLite
/// library, the one sqlite-nio builds (`VaporCSQLite`); opening the same file through two copies
/// of SQLite in one process would break SQLite's file locks.
///
/// Not thread-safe: a handle belongs to one task at a time (`SQLiteConnectionPool` leases it).
final class SQLiteHandle: @unchecked Sendable {
    private var raw: OpaquePointer?
    /// What the log hook needs; kept alive by the handle (the hook gets an unretained pointer).
    private let walHook: WALHook
    private var cache: [String: OpaquePointer] = [:]
    /// The result columns of cached statements, read once (by a statement's first row).
    private var cachedColumns: [OpaquePointer: SQLiteColumns] = [:]
    private let busy = Atomic<Bool>(false)
    let path: String

    /// Statements kept compiled per connection; beyond this the cache starts over.
    static let cacheLimit = 128
    /// Longer SQL (batch INSERTs, long IN lists) is compiled for one use.
    static let cacheableLength = 4_096

    /// Opens `path` with SwiftDesk's settings: WAL journal, synchronous=NORMAL (a committed
    /// transaction survives a crash of the process; an OS crash may lose the last ones, never the
    /// file), foreign keys on, a busy timeout so that other processes sharing the file (the CLI)
    /// wait instead of failing, a page cache of `cacheMiB` (SQLite's default of 2 MiB makes
    /// large databases re-read index pages and spill write transactions early), and statement
    /// and savepoint journals in memory instead of temporary files.
    /// A connection that writes hands its checkpoints to `checkpointer` (see `WALCheckpointer`);
    /// without one, its commits checkpoint in place as SQLite's own would.
    /// `walRestartPages` is for tests; see `checkpoint`.
    init(
        path: String, cacheMiB: Int, checkpointer: WALCheckpointer? = nil, walRestartPages: Int32 = SQLiteHandle.walRestartPages
    ) throws {
        self.path = path
        walHook = WALHook(restartAt: walRestartPages, checkpointer: checkpointer)
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(status)"
            sqlite_nio_sqlite3_close(handle)
            throw SQLiteFailure(code: status, message: "cannot open SQLite database at \(path): \(message)", sql: nil)
        }
        raw = handle
        sqlite_nio_sqlite3_extended_result_codes(handle, 1)
        for pragma in [
            "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = \(Self.busyTimeoutMilliseconds)",
            "PRAGMA cache_size = -\(max(1, cacheMiB) * 1024)", "PRAGMA temp_store = MEMORY",
            "PRAGMA journal_size_limit = \(Int(walRestartPages) * 4096)",
        ] {
            try execute(pragma, binds: []) { _ in }
        }
        sqlite_nio_sqlite3_wal_hook(
            handle,
            { hook, db, name, pages in
                SQLiteHandle.checkpoint(db, name, pages: pages, hook: Unmanaged<WALHook>.fromOpaque(hook!).takeUnretainedValue())
            },
            Unmanaged.passUnretained(walHook).toOpaque())
    }

    /// The settings of a connection's log hook.
    final class WALHook: Sendable {
        let restartAt: Int32
        let checkpointer: WALCheckpointer?

        init(restartAt: Int32, checkpointer: WALCheckpointer?) {
            self.restartAt = restartAt
            self.checkpointer = checkpointer
        }
    }

    /// WAL pages after which a commit checkpoints the log into the database (SQLite's default).
    static let walCheckpointPages: Int32 = 1_000
    /// WAL pages after which a commit also waits for the log's readers, so that the log restarts.
    static let walRestartPages: Int32 = 16_384
    /// How long such a commit waits for them at most.
    static let restartWaitMilliseconds: Int32 = 50
    /// How long a statement waits for another process's lock (`PRAGMA busy_timeout`).
    static let busyTimeoutMilliseconds: Int32 = 10_000

    /// Replaces SQLite's automatic checkpoint (a PASSIVE one from 1,000 WAL pages on). Under a
    /// steady stream of reads a PASSIVE checkpoint copies the log into the database but always
    /// finds some read still using the log, so the log is never reset and grows without bound
    /// (666 MB after two minutes of `Benchmarks/run.sh --soak`). From `walRestartPages` on, the
    /// checkpoint is a RESTART: it waits (at most `restartWaitMilliseconds`) for the reads that
    /// began before it to finish — reads take milliseconds — so that the next commit starts the
    /// log from the beginning, and `journal_size_limit` trims the file back. Runs in the
    /// committing connection, after its commit; a checkpoint that gives up leaves the log as it
    /// was (the next commit tries again). The PASSIVE checkpoints below that run on the
    /// connection's `WALCheckpointer` when it has one.
    private static func checkpoint(_ db: OpaquePointer?, _ name: UnsafePointer<CChar>?, pages: Int32, hook: WALHook) -> Int32 {
        let restartAt = hook.restartAt
        guard pages >= restartAt else {
            if let checkpointer = hook.checkpointer {
                checkpointer.committed(logPages: pages)
            } else if pages >= walCheckpointPages {
                _ = sqlite_nio_sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            return SQLITE_OK
        }
        // A checkpoint beside the writer would make this one fail at once.
        hook.checkpointer?.waitUntilIdle()
        // Waiting is bounded: reads end within milliseconds, but now and then one keeps the log
        // for seconds; then this commit gives up and a later one tries again.
        sqlite_nio_sqlite3_busy_timeout(db, restartWaitMilliseconds)
        _ = sqlite_nio_sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, nil, nil)
        sqlite_nio_sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        return SQLITE_OK
    }

    /// Runs a PASSIVE checkpoint of this connection's file (`WALCheckpointer`); the log's
    /// length in pages, or nil when it failed or the file is not in WAL mode.
    func checkpointPassive() -> Int32? {
        var logPages: Int32 = 0
        var copied: Int32 = 0
        guard sqlite_nio_sqlite3_wal_checkpoint_v2(raw, nil, SQLITE_CHECKPOINT_PASSIVE, &logPages, &copied) == SQLITE_OK, logPages >= 0
        else { return nil }
        return logPages
    }

    deinit {
        close()
    }

    /// Finalises every kept statement and closes the connection.
    func close() {
        for statement in cache.values { sqlite_nio_sqlite3_finalize(statement) }
        cache.removeAll()
        cachedColumns.removeAll()
        if let raw { sqlite_nio_sqlite3_close_v2(raw) }
        raw = nil
    }

    /// Runs `PRAGMA <setting>` and returns the first column of its first row as text, if any
    /// (e.g. the journal mode a `journal_mode = …` ended up in).
    func pragma(_ setting: String) throws -> String? {
        var answer: String?
        try execute("PRAGMA \(setting)", binds: []) { row in
            if answer == nil { answer = row.values.first?.string }
        }
        return answer
    }

    /// Runs the first statement of `sql` with `binds`, calling `onRow` for each result row.
    func execute(_ sql: String, binds: [SQLiteData], onRow: (SQLiteResultRow) throws -> Void) throws {
        guard let raw else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed", sql: sql) }
        precondition(
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged,
            "an SQLite connection was used by two tasks at once")
        defer { busy.store(false, ordering: .releasing) }
        let cacheable = sql.utf8.count <= Self.cacheableLength
        let statement = try cacheable ? cachedStatement(sql) : prepare(sql, persistent: false)
        defer {
            if cacheable {
                // Bindings stay: the next use binds every parameter anew, and clearing them would
                // make SQLite recompile statements whose plan looked at a bound 0 or 1 (ids like
                // root's 1) each time that value is bound again.
                sqlite_nio_sqlite3_reset(statement)
            } else {
                sqlite_nio_sqlite3_finalize(statement)
            }
        }
        try bind(binds, to: statement, sql: sql)
        var columns: SQLiteColumns?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw failure(status, sql: sql, raw: raw) }
            let names = columns ?? (cacheable ? self.columns(of: statement) : SQLiteColumns(statement: statement))
            columns = names
            try onRow(SQLiteResultRow(columns: names, values: (0..<Int32(names.names.count)).map { value(statement, $0) }))
        }
    }

    /// Inserts rows into `table` (a bulk load), `values` holding one value per column, row after
    /// row: multi-row INSERT statements of up to `rowsPerStatement` rows, compiled once for the
    /// call and run again for each group of rows (a last, smaller group gets its own). One
    /// statement per row would cost SQLite a statement start and end each — for a table with
    /// `AUTOINCREMENT`, a write of `sqlite_sequence` each — and new SQL text per group would
    /// cost compiling it. `table` and `columns` are the store's own names, not input.
    /// A failing group stops the call; the groups before it stay inserted, so run it inside a
    /// transaction.
    func insert(into table: String, columns: [String], values: [SQLiteData], rowsPerStatement: Int = 100) throws {
        guard let raw else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed", sql: nil) }
        precondition(
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged,
            "an SQLite connection was used by two tasks at once")
        defer { busy.store(false, ordering: .releasing) }
        let width = max(1, columns.count)
        precondition(values.count % width == 0, "bulk values are not whole rows")
        let rows = values.count / width
        let group = max(1, min(rowsPerStatement, Self.maxBindsPerStatement / width))
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        var start = 0
        while start < rows {
            let size = min(group, rows - start)
            let sql = head + Array(repeating: row, count: size).joined(separator: ", ")
            let statement = try prepare(sql, persistent: true)
            defer { sqlite_nio_sqlite3_finalize(statement) }
            while rows - start >= size {
                try bind(values[(start * width)..<((start + size) * width)], to: statement, sql: head)
                let status = sqlite_nio_sqlite3_step(statement)
                guard status == SQLITE_DONE else { throw failure(status, sql: head, raw: raw) }
                sqlite_nio_sqlite3_reset(statement)
                start += size
            }
        }
    }

    /// Most values one bulk INSERT binds (SQLite allows 32,766).
    static let maxBindsPerStatement = 30_000

    // MARK: Statements

    private func cachedStatement(_ sql: String) throws -> OpaquePointer {
        if let statement = cache[sql] { return statement }
        if cache.count >= Self.cacheLimit {
            for statement in cache.values { sqlite_nio_sqlite3_finalize(statement) }
            cache.removeAll(keepingCapacity: true)
            cachedColumns.removeAll(keepingCapacity: true)
        }
        let statement = try prepare(sql, persistent: true)
        cache[sql] = statement
        return statement
    }

    /// A cached statement's result columns; read again if SQLite recompiled the statement
    /// with another number of columns (a `*` after a schema change).
    private func columns(of statement: OpaquePointer) -> SQLiteColumns {
        if let known = cachedColumns[statement], known.names.count == Int(sqlite_nio_sqlite3_column_count(statement)) {
            return known
        }
        let columns = SQLiteColumns(statement: statement)
        cachedColumns[statement] = columns
        return columns
    }

    private func prepare(_ sql: String, persistent: Bool) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let status = sqlite_nio_sqlite3_prepare_v3(raw, sql, -1, flags, &statement, nil)
        guard status == SQLITE_OK else { throw failure(status, sql: sql, raw: raw) }
        guard let statement else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "empty statement", sql: sql) }
        return statement
    }

    private func bind(_ binds: some Sequence<SQLiteData>, to statement: OpaquePointer, sql: String) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .integer(let number): status = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
            case .float(let number): status = sqlite_nio_sqlite3_bind_double(statement, index, number)
            case .text(var text):
                // `withUTF8` lends the bytes in place, a short (inline) string's from the stack;
                // passing the String as a C string would copy every short one to the heap.
                status = text.withUTF8 { bytes in
                    let start = UnsafeRawPointer(bytes.baseAddress ?? Self.emptyText.utf8Start).assumingMemoryBound(to: CChar.self)
                    return sqlite_nio_sqlite3_bind_text64(statement, index, start, UInt64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
                }
            case .blob(let buffer):
                status = buffer.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(
                        statement, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64($0.count), Self.transient)
                }
            case .null: status = sqlite_nio_sqlite3_bind_null(statement, index)
            }
            guard status == SQLITE_OK else { throw failure(status, sql: sql, raw: raw) }
        }
    }

    private func value(_ statement: OpaquePointer, _ column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private func failure(_ status: Int32, sql: String, raw: OpaquePointer?) -> SQLiteFailure {
        let message = raw.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(status)"
        return SQLiteFailure(code: status, message: message, sql: sql)
    }

    /// SQLite copies bound text and blobs (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    /// A non-null pointer for an empty text (SQLite binds a null pointer as NULL).
    private static let emptyText: StaticString = ""
}

/// The column names of one statement's result, shared by its rows.
final class SQLiteColumns: Sendable {
    let names: [String]
    let index: [String: Int]
    /// No name appears twice (a position found by name is then the only one with it).
    let namesAreUnique: Bool

    init(statement: OpaquePointer) {
        let count = Int(sqlite_nio_sqlite3_column_count(statement))
        var names: [String] = []
        names.reserveCapacity(count)
        var index: [String: Int] = [:]
        for column in 0..<count {
            let name = sqlite_nio_sqlite3_column_name(statement, Int32(column)).map { String(cString: $0) } ?? ""
            names.append(name)
            if index[name] == nil { index[name] = column }
        }
        self.names = names
        self.index = index
        namesAreUnique = index.count == names.count
    }
}

/// One result row, its values copied out of SQLite.
struct SQLiteResultRow: Sendable {
    let columns: SQLiteColumns
    let values: [SQLiteData]

    func value(_ column: String) -> SQLiteData? {
        columns.index[column].map { values[$0] }
    }

    /// The value of `column`, trying the position `next` first: readers that take the columns in
    /// the order the statement lists them find each one without hashing its name. `next` moves
    /// past the column found. A name listed twice is found by `index` (its first place), as
    /// `value(_:)` finds it.
    func value(_ column: String, next: inout Int) -> SQLiteData? {
        let position: Int
        if columns.namesAreUnique, next < values.count, columns.names[next] == column {
            position = next
        } else if let found = columns.index[column] {
            position = found
        } else {
            return nil
        }
        next = position + 1
        return values[position]
    }
}

/// An SQLite error with its (extended) result code and the statement that raised it.
struct SQLiteFailure: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    let sql: String?

    var description: String {
        "SQLite error \(code): \(message)" + (sql.map { " (in \($0.prefix(200)))" } ?? "")
    }
}
