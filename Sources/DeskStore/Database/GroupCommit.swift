import Logging
import SQLKit
import Synchronization

/// Group commit: write transactions that arrive while the writer is busy are run together in
/// the next transaction and committed at once, on one connection (SQLite's one writer; on
/// PostgreSQL a pooled connection per batch, so creates no longer queue one by one for the row
/// lock of the ticket counter, and a batch pays one commit).
///
/// The first caller to find the writer idle becomes the *leader*: it takes every waiting write
/// (up to `maxBatch`), runs the bodies one after another in one transaction (`begin`),
/// commits, and only then answers every caller of the batch. Before leaving it hands the lead to
/// the oldest write still waiting, so no caller runs batches for long.
///
/// What a caller sees is what a transaction of its own would give:
/// - its answer comes after the COMMIT that holds its writes (acknowledged means durable);
/// - a body that throws fails alone with its own error: the batch is rolled back and its other
///   writes run again, each in a savepoint of one transaction; its neighbours commit;
/// - if the batch itself breaks (a savepoint or the COMMIT fails, e.g. a full disk), everything
///   is rolled back and every write that had not failed on its own runs again alone, in a
///   transaction of its own; a body may therefore run twice, and must have no effect outside
///   the database (the store's bodies only read and write through the transaction);
/// - bodies run in arrival order, so counters (ticket numbers) stay gap-free and ordered.
///
/// A connection may send statements without waiting for their answer (`SettlingDatabase`, the
/// PostgreSQL writer): a write's last inserts may then fail while a later write runs, which then
/// fails only because the transaction is aborted. So when a body throws, the statements sent
/// before it are waited for first: if one of them failed, the batch broke (as above); and the
/// batch waits for all of them before its COMMIT.
final class GroupCommit: Sendable {
    /// Lends a connection to one batch.
    typealias Lease = @Sendable (_ batch: @Sendable (any SQLDatabase) async -> Void) async throws -> Void

    private let lease: Lease
    private let steps: Steps
    private let state = Mutex(State())

    /// How a batch's transaction opens, and what runs in it just before COMMIT.
    struct Steps: Sendable {
        /// The statement that opens a transaction (`BEGIN IMMEDIATE` on SQLite).
        let begin: String
        /// Work the transaction does last, after every write of the batch (SQLite indexes the
        /// rows queued for full text, `FullTextQueue`). If it fails, so does the COMMIT.
        let beforeCommit: (@Sendable (any SQLDatabase) async throws -> Void)?
    }

    /// Most writes committed together.
    static let maxBatch = 64

    private struct State: ~Copyable {
        var waiting: [any QueuedWrite] = []
        var leading = false
    }

    /// - Parameters:
    ///   - begin: the statement that opens a transaction (`BEGIN IMMEDIATE` on SQLite).
    ///   - beforeCommit: what every transaction does last (see `Steps`).
    ///   - lease: runs a batch on a connection.
    init(begin: String, beforeCommit: (@Sendable (any SQLDatabase) async throws -> Void)? = nil, lease: @escaping Lease) {
        steps = Steps(begin: begin, beforeCommit: beforeCommit)
        self.lease = lease
    }

    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withoutActuallyEscaping(body) { body in
            // The body stays in use only until this call returns: the write is answered after
            // its batch has run it.
            let write = Write(body: body)
            let lead = state.withLock { state -> Bool in
                state.waiting.append(write)
                if state.leading { return false }
                state.leading = true
                return true
            }
            let leads = lead ? true : await write.waitForTurn()
            if leads { await leadBatch() }
            return try await write.outcome()
        }
    }

    /// Runs one batch of waiting writes, answers them, and passes the lead on.
    private func leadBatch() async {
        let batch = state.withLock { state -> [any QueuedWrite] in
            let count = min(Self.maxBatch, state.waiting.count)
            defer { state.waiting.removeFirst(count) }
            return Array(state.waiting.prefix(count))
        }
        do {
            let steps = self.steps
            try await lease { db in
                if batch.count == 1 {
                    await Self.runAlone(batch[0], on: db, steps: steps)
                } else {
                    await Self.run(batch, on: db, steps: steps)
                }
            }
        } catch {
            for write in batch where !write.isFinished { write.fail(error) }
        }
        let next = state.withLock { state -> (any QueuedWrite)? in
            guard let first = state.waiting.first else {
                state.leading = false
                return nil
            }
            return first
        }
        for write in batch { write.answer() }
        next?.takeTurn()
    }

    /// One transaction for the whole batch. The writes first run plainly, one after another:
    /// savepoints cost a journal of every page a write touches and make the full-text index
    /// flush at each one, and writes rarely fail. If one throws, the transaction is rolled back,
    /// that write keeps its error, and the others run again with a savepoint each.
    private static func run(_ batch: [any QueuedWrite], on db: any SQLDatabase, steps: Steps) async {
        guard await open(batch, on: db, steps: steps) else { return }
        var failed: (any QueuedWrite)?
        for write in batch where !(await write.run(on: db)) {
            failed = write
            break
        }
        guard let failed else {
            await commit(batch, on: db, steps: steps)
            return
        }
        if await (db as? any SettlingDatabase)?.unansweredFailure() != nil {
            // An earlier write's statement failed: this write's error may only be its echo.
            for write in batch { write.reset() }
            await runEachAlone(batch, on: db, steps: steps)
            return
        }
        await rollBack(db)
        let rest = batch.filter { $0 !== failed }
        for write in rest { write.reset() }
        await runWithSavepoints(rest, on: db, steps: steps)
    }

    /// One transaction, a savepoint per write: a write that throws is rolled back to its
    /// savepoint and fails alone.
    private static func runWithSavepoints(_ batch: [any QueuedWrite], on db: any SQLDatabase, steps: Steps) async {
        guard await open(batch, on: db, steps: steps) else { return }
        for write in batch {
            do {
                try await db.raw("SAVEPOINT batch_write").run()
                var succeeded = await write.run(on: db)
                if let settling = db as? any SettlingDatabase {
                    // The writes before this one have settled: what fails now is this write's.
                    do {
                        if succeeded { try await settling.settle() }
                    } catch {
                        write.failOnItsOwn(error)
                        succeeded = false
                    }
                    if !succeeded {
                        if let failure = await settling.unansweredFailure() { write.failOnItsOwn(failure) }
                        await settling.discard()
                    }
                }
                if !succeeded { try await db.raw("ROLLBACK TO batch_write").run() }
                try await db.raw("RELEASE batch_write").run()
            } catch {
                await runEachAlone(batch, on: db, steps: steps)
                return
            }
        }
        await commit(batch, on: db, steps: steps)
    }

    /// Commits the open transaction; if that fails, each write runs again alone.
    private static func commit(_ batch: [any QueuedWrite], on db: any SQLDatabase, steps: Steps) async {
        do {
            try await (db as? any SettlingDatabase)?.settle()
            try await steps.beforeCommit?(db)
            try await db.raw("COMMIT").run()
        } catch {
            await runEachAlone(batch, on: db, steps: steps)
        }
    }

    /// After a batch broke: rolls back, then runs every write that had not failed on its own
    /// in a transaction of its own.
    private static func runEachAlone(_ batch: [any QueuedWrite], on db: any SQLDatabase, steps: Steps) async {
        await rollBack(db)
        for write in batch where !write.failedOnItsOwn {
            write.reset()
            await runAlone(write, on: db, steps: steps)
        }
    }

    /// Opens the transaction; if that fails, every write of the batch fails with the error.
    private static func open(_ batch: [any QueuedWrite], on db: any SQLDatabase, steps: Steps) async -> Bool {
        do {
            try await db.raw(SQLQueryString(steps.begin)).run()
            return true
        } catch {
            for write in batch { write.fail(error) }
            return false
        }
    }

    /// One transaction for one write.
    private static func runAlone(_ write: any QueuedWrite, on db: any SQLDatabase, steps: Steps) async {
        guard await open([write], on: db, steps: steps) else { return }
        if await write.run(on: db) {
            do {
                try await (db as? any SettlingDatabase)?.settle()
                try await steps.beforeCommit?(db)
                try await db.raw("COMMIT").run()
                return
            } catch {
                write.fail(error)
            }
        } else if let failure = await (db as? any SettlingDatabase)?.unansweredFailure() {
            // The write's own statement sent earlier failed; its later error only echoes that.
            write.fail(failure)
        }
        await rollBack(db)
    }

    /// Rolls the open transaction back, after forgetting what the connection still holds.
    private static func rollBack(_ db: any SQLDatabase) async {
        await (db as? any SettlingDatabase)?.discard()
        try? await db.raw("ROLLBACK").run()
    }
}

/// A connection that sends some statements without waiting for their answer
/// (`HoldingDatabase`).
protocol SettlingDatabase: SQLDatabase {
    /// Sends what it still holds and waits for every statement sent; throws the first failure.
    func settle() async throws
    /// Waits for the statements sent so far; returns the first failure.
    func unansweredFailure() async -> (any Error)?
    /// Drops what it holds and waits for the statements sent, ignoring failures (before a
    /// rollback).
    func discard() async
}

/// A write waiting in, or running as part of, a batch.
private protocol QueuedWrite: AnyObject, Sendable {
    /// Runs the body; false when it threw (its error is kept).
    func run(on db: any SQLDatabase) async -> Bool
    /// Records a failure that is not the body's own.
    func fail(_ error: any Error)
    /// Records a failure of the write's own statements, found after its body returned.
    func failOnItsOwn(_ error: any Error)
    /// Forgets an outcome that its batch's rollback undid.
    func reset()
    var isFinished: Bool { get }
    var failedOnItsOwn: Bool { get }
    /// Resumes the caller with its outcome.
    func answer()
    /// Resumes the caller to lead the next batch.
    func takeTurn()
}

/// One caller's write: its body, its outcome and the continuation it waits on.
private final class Write<R: Sendable>: QueuedWrite, @unchecked Sendable {
    // `body`, `result` and `ownFailure` are touched only by the leader running the batch, and
    // read by the caller after `answer()`; the mutex orders the hand-over.
    private var body: (@Sendable (any SQLDatabase) async throws -> R)?
    private var result: Result<R, any Error>?
    private var ownFailure = false
    private let waiter = Mutex(Waiter.idle)

    private enum Waiter {
        case idle
        case waiting(CheckedContinuation<Bool, Never>)
        case lead
        case answered
    }

    init(body: @escaping @Sendable (any SQLDatabase) async throws -> R) {
        self.body = body
    }

    func run(on db: any SQLDatabase) async -> Bool {
        guard let body else { return false }
        do {
            result = .success(try await body(db))
            return true
        } catch {
            result = .failure(error)
            ownFailure = true
            return false
        }
    }

    func fail(_ error: any Error) {
        result = .failure(error)
    }

    func failOnItsOwn(_ error: any Error) {
        result = .failure(error)
        ownFailure = true
    }

    func reset() {
        result = nil
        ownFailure = false
    }

    var isFinished: Bool { result != nil }
    var failedOnItsOwn: Bool { ownFailure }

    /// Suspends until the write is answered (false) or asked to lead a batch (true).
    func waitForTurn() async -> Bool {
        await withCheckedContinuation { continuation in
            let now = waiter.withLock { waiter -> Bool? in
                switch waiter {
                case .idle:
                    waiter = .waiting(continuation)
                    return nil
                case .lead:
                    waiter = .idle
                    return true
                case .answered, .waiting: return false
                }
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    func answer() {
        // The caller's body must not outlive its call (`withoutActuallyEscaping`).
        body = nil
        resume(lead: false)
    }

    func takeTurn() {
        resume(lead: true)
    }

    private func resume(lead: Bool) {
        let continuation = waiter.withLock { waiter -> CheckedContinuation<Bool, Never>? in
            if case .waiting(let continuation) = waiter {
                waiter = lead ? .idle : .answered
                return continuation
            }
            waiter = lead ? .lead : .answered
            return nil
        }
        continuation?.resume(returning: lead)
    }

    /// The outcome, once answered.
    func outcome() async throws -> R {
        guard let result else { throw SQLiteFailure(code: 1, message: "a batched write ended without an outcome", sql: nil) }
        return try result.get()
    }
}
