import Synchronization

/// A fixed number of `SQLiteHandle`s on one file, opened on first use and leased to one task at
/// a time; tasks that find every handle busy wait in arrival order.
final class SQLiteConnectionPool: Sendable {
    let path: String
    let size: Int
    /// Page cache per connection (see `SQLiteHandle.init`).
    let cacheMiB: Int
    /// Takes the checkpoints of the pool's connections off their commits (the writer's pool).
    let checkpointer: WALCheckpointer?
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var idle: [SQLiteHandle] = []
        var opened = 0
        var waiters: [CheckedContinuation<SQLiteHandle?, Never>] = []
        var closed = false
    }

    init(path: String, size: Int, cacheMiB: Int, checkpointer: WALCheckpointer? = nil) {
        self.path = path
        self.size = max(1, size)
        self.cacheMiB = cacheMiB
        self.checkpointer = checkpointer
    }

    /// Runs `body` with a leased handle and returns it to the pool afterwards.
    func withHandle<R>(_ body: (SQLiteHandle) async throws -> R) async throws -> R {
        let handle = try await lease()
        defer { giveBack(handle) }
        return try await body(handle)
    }

    /// Closes idle handles now and leased ones when they come back; later leases fail.
    func close() {
        let idle = state.withLock { state -> [SQLiteHandle] in
            state.closed = true
            let waiters = state.waiters
            state.waiters = []
            for waiter in waiters { waiter.resume(returning: nil) }
            defer { state.idle = [] }
            return state.idle
        }
        for handle in idle { handle.close() }
    }

    /// Closes the handles no task holds; the pool opens new ones when it needs them again.
    func closeIdle() {
        let idle = state.withLock { state -> [SQLiteHandle] in
            defer {
                state.opened -= state.idle.count
                state.idle = []
            }
            return state.idle
        }
        for handle in idle { handle.close() }
    }

    private enum Lease {
        case handle(SQLiteHandle)
        case open
        case wait
        case closed
    }

    private func lease() async throws -> SQLiteHandle {
        let next = state.withLock { state -> Lease in
            if state.closed { return .closed }
            if let handle = state.idle.popLast() { return .handle(handle) }
            if state.opened < size {
                state.opened += 1
                return .open
            }
            return .wait
        }
        switch next {
        case .handle(let handle): return handle
        case .closed: throw SQLiteFailure(code: 21, message: "the database is closed", sql: nil)
        case .open:
            do {
                return try SQLiteHandle(path: path, cacheMiB: cacheMiB, checkpointer: checkpointer)
            } catch {
                state.withLock { $0.opened -= 1 }
                throw error
            }
        case .wait:
            let handle = await withCheckedContinuation { continuation in
                let handOver = state.withLock { state -> SQLiteHandle?? in
                    if state.closed { return .some(nil) }
                    if let handle = state.idle.popLast() { return .some(handle) }
                    state.waiters.append(continuation)
                    return .none
                }
                if case .some(let handle) = handOver { continuation.resume(returning: handle) }
            }
            guard let handle else { throw SQLiteFailure(code: 21, message: "the database is closed", sql: nil) }
            return handle
        }
    }

    private func giveBack(_ handle: SQLiteHandle) {
        let waiter = state.withLock { state -> CheckedContinuation<SQLiteHandle?, Never>? in
            if state.closed { return nil }
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(handle)
            return nil
        }
        if let waiter {
            waiter.resume(returning: handle)
        } else if state.withLock({ $0.closed }) {
            handle.close()
        }
    }
}
