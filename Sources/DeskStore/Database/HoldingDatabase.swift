import NIOCore
import SQLKit
import Synchronization

/// The PostgreSQL writer connection of one batch of writes (`GroupCommit`). It holds back
/// inserts whose outcome no one waits for (rows with ids reserved beforehand, events, field
/// values, outbox rows; upserts of face ids and face attributes; a submitter's registration)
/// and sends them together, as one statement, without waiting for their answer.
///
/// Grouped writes run one after another on one connection, so on PostgreSQL the chain of a
/// write's statements bounds the rate of writes: the server works while SwiftDesk waits, then
/// SwiftDesk works while the server idles. So a batch's ticket creates wait for the server
/// only when they must: the first one takes the ticket counter (locking its row until COMMIT),
/// the next ones count on in `transactionValues` and write the counter back with their inserts;
/// ticket and article ids come from blocks taken ahead (`PrefetchedIDs`). The rows that up to
/// `mergedHolds` writes insert into a table are merged into one multi-row insert; they go out,
/// unanswered, when the next write finds that insert full (or before a statement that reads,
/// or before COMMIT), and the server inserts those tickets while SwiftDesk builds the next ones.
/// A statement that touches no table the held inserts write (`IndependentOfHeldInserts`: a
/// counter's first value, a block of ids) is sent before them.
///
/// The held inserts become data-modifying CTEs of one statement
/// (`WITH held0 AS (INSERT …), held1 AS (INSERT …) INSERT …`). They all run to completion, and
/// constraint checks and triggers fire at the end of the statement, so an article may reference
/// the ticket held with it. The order in which they run is not defined, so a table's rows are
/// held in one insert (merged, or a second one sends the first): they are numbered in the order
/// the store gave them. Each count of merged rows is a statement text of its own, prepared once
/// per connection (`PreparedStatements` keeps the 64 last used), so only writes of one shape are
/// merged (`hold(rows:into:columns:)`).
///
/// A statement sent without waiting may fail after the write that held it has returned: the
/// transaction is then aborted, and every later statement of the batch fails too. `GroupCommit`
/// therefore asks this connection (`SettlingDatabase`) before it blames a write for its error
/// and before it commits; a batch that broke this way runs each write again alone.
///
/// Used by one task at a time: the leader of a batch.
final class HoldingDatabase: SQLDatabaseWrapper, SettlingDatabase, CopyingDatabase, @unchecked Sendable {
    private let connection: PreparingPostgresDatabase
    private var held: [(slot: String, entry: Held, binds: Int)] = []

    private enum Held {
        case statement(SQLQueryString)
        /// Rows for `table`, `rows.count / holds` from each of `holds` writes.
        case rows(table: String, columns: [String], rows: [[Bindable]], holds: Int, onConflict: OnConflict?)
    }

    /// The rows of this many writes for one table are merged into one multi-row insert. Six
    /// creates in one statement saves the server five statements' start-up (executor set-up,
    /// the generated tsvector's expression, binds): creates at 1 M went from ~990 to ~1,110/s
    /// with three and ~1,280/s with six (docs/performance-log.md).
    static let mergedHolds = 6
    private var heldBinds = 0
    /// Statements sent without waiting for their answer, oldest first.
    private var unanswered: [EventLoopFuture<Void>] = []

    /// Values the store keeps for the open transaction while it holds what they imply (the last
    /// value taken from each ticket counter whose row this transaction has locked). Forgotten
    /// whenever the held statements are settled or discarded: before every COMMIT and ROLLBACK,
    /// and around each savepoint of a batch that runs its writes with savepoints.
    var transactionValues: [String: Int] = [:]
    /// The writer's ids taken ahead (outlive the batch).
    let prefetched: PrefetchedIDs

    var base: any SQLDatabase { connection }

    /// Most values bound by the held inserts together (PostgreSQL allows 65,535 per statement).
    static let maxBinds = 30_000

    init(connection: PreparingPostgresDatabase, prefetched: PrefetchedIDs) {
        self.connection = connection
        self.prefetched = prefetched
    }

    /// Holds `statement` (an insert, or an update no one reads back before the next statement;
    /// binding `binds` values) in `slot` until the next statement or `settle`. A slot holds one
    /// statement: a second one sends the first, or with `replacing` takes its place.
    func hold(_ statement: SQLQueryString, into slot: String, binds: Int, replacing: Bool = false) async throws {
        if let index = held.firstIndex(where: { $0.slot == slot }) {
            if replacing {
                heldBinds += binds - held[index].binds
                held[index] = (slot, .statement(statement), binds)
                return
            }
            try await sendHeld()
        }
        try await append(.statement(statement), into: slot, binds: binds)
    }

    /// Holds `rows` for `table`: added to the rows held for it when fewer than `mergedHolds`
    /// writes gave those, each as many rows with the same columns and conflict clause, else as
    /// `hold` does. Rows merged only from writes of one shape keep the statement texts few (each
    /// is prepared): up to `mergedHolds` for each shape of a single write. An upsert is not
    /// merged with held rows of the same key: PostgreSQL refuses to update one row twice in one
    /// statement; the held rows are sent first, so the later row wins, as it would alone.
    func hold(rows: [[Bindable]], into table: String, columns: [String], onConflict: OnConflict? = nil) async throws {
        let binds = rows.count * columns.count
        if let index = held.firstIndex(where: { $0.slot == table }) {
            if case .rows(_, let heldColumns, let heldRows, let holds, let heldConflict) = held[index].entry, heldColumns == columns,
                heldConflict == onConflict, holds < Self.mergedHolds, heldRows.count == holds * rows.count,
                heldBinds + binds <= Self.maxBinds,
                onConflict.map({ !$0.updatesTwice(heldRows + rows, columns: columns) }) ?? true
            {
                let merged = Held.rows(table: table, columns: columns, rows: heldRows + rows, holds: holds + 1, onConflict: onConflict)
                held[index] = (table, merged, held[index].binds + binds)
                heldBinds += binds
                return
            }
            try await sendHeld()
        }
        try await append(
            .rows(table: table, columns: columns, rows: rows, holds: 1, onConflict: onConflict), into: table, binds: binds)
    }

    /// Holds `entry` in a slot of its own, after sending what is held if it would not fit.
    private func append(_ entry: Held, into slot: String, binds: Int) async throws {
        if heldBinds + binds > Self.maxBinds { try await sendHeld() }
        held.append((slot, entry, binds))
        heldBinds += binds
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        guard query is IndependentOfHeldInserts else {
            try await sendHeld()
            return try await connection.execute(sql: query, onRow)
        }
        let answer = try await connection.send(sql: query, onRow)
        do {
            try await sendHeld()
        } catch {
            _ = try? await answer.get()
            throw error
        }
        try await answer.get()
    }

    /// Sends the held inserts first: the rows copied may reference them.
    func copy(into table: String, columns: [String], rows: ByteBuffer) async throws {
        try await sendHeld()
        try await connection.copy(into: table, columns: columns, rows: rows)
    }

    func settle() async throws {
        transactionValues = [:]
        try await sendHeld()
        if let failure = await unansweredFailure() { throw failure }
    }

    func unansweredFailure() async -> (any Error)? {
        let running = unanswered
        unanswered = []
        var first: (any Error)?
        for answer in running {
            do { try await answer.get() } catch { first = first ?? error }
        }
        return first
    }

    /// Also drops the ids taken ahead: a batch may break because a sequence was moved back by
    /// hand after they were taken (duplicate keys); its writes run again alone with fresh ones.
    func discard() async {
        held = []
        heldBinds = 0
        transactionValues = [:]
        prefetched.removeAll()
        _ = await unansweredFailure()
    }

    private static func sql(_ entry: Held) -> SQLQueryString {
        switch entry {
        case .statement(let statement): statement
        case .rows(let table, let columns, let rows, _, let onConflict): "\(InsertRows(table, columns, rows, onConflict: onConflict))"
        }
    }

    /// Sends the held inserts, as one statement, without waiting for the answer.
    private func sendHeld() async throws {
        guard let last = held.last else { return }
        var statement = SQLQueryString("")
        if held.count > 1 {
            statement = "WITH "
            for (index, entry) in held.dropLast().enumerated() {
                statement += (index == 0 ? "" : ", ") + "held\(unsafeRaw: String(index)) AS (" + Self.sql(entry.entry) + ")"
            }
            statement += " "
        }
        statement += Self.sql(last.entry)
        held = []
        heldBinds = 0
        unanswered.append(try await connection.send(sql: statement) { _ in })
    }
}

/// Ids drawn from sequences ahead of need, by sequence, in ascending order: the writer's ticket
/// and article ids, a block at a time, so that a create needs no round trip for them. Ids left
/// unused when the process stops are never used (a gap, as a rollback leaves).
final class PrefetchedIDs: Sendable {
    /// Ids drawn at a time.
    static let block = 32

    private let ids = Mutex<[String: ArraySlice<Int>]>([:])

    /// The next `count` ids of `sequence`; nil if fewer are at hand.
    func take(_ sequence: String, count: Int) -> [Int]? {
        ids.withLock { ids in
            guard let available = ids[sequence], available.count >= count else { return nil }
            ids[sequence] = available.dropFirst(count)
            return Array(available.prefix(count))
        }
    }

    /// Adds ids drawn from `sequence` (higher than those at hand).
    func add(_ sequence: String, _ drawn: [Int]) {
        ids.withLock { $0[sequence, default: []].append(contentsOf: drawn.sorted()) }
    }

    func removeAll() {
        ids.withLock { $0 = [:] }
    }
}

/// A statement that neither reads nor writes a table that held statements write (a counter's
/// first value in a transaction, a block of ids): `HoldingDatabase` sends it before them.
struct IndependentOfHeldInserts: SQLExpression {
    let statement: SQLQueryString

    func serialize(to serializer: inout SQLSerializer) {
        statement.serialize(to: &serializer)
    }
}

extension SQLDatabase {
    /// `raw(statement)` for a statement that may run before the held inserts
    /// (`IndependentOfHeldInserts`).
    func independentOfHeldInserts(_ statement: SQLQueryString) -> MarkedStatementBuilder {
        MarkedStatementBuilder(IndependentOfHeldInserts(statement: statement), on: self)
    }
}
