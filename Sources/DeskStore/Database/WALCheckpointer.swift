import Dispatch
import Synchronization

/// Copies the write-ahead log into the database file on a connection and thread of its own, so
/// that a commit never waits for a checkpoint's writes and `fsync`s.
///
/// SQLite checkpoints in the committing connection: every 1,000 log pages one commit also copies
/// those pages into the file and syncs the log and the file. In a large database those pages lie
/// all over the file, and the writer — which every write waits for — spent that time in the
/// kernel. A PASSIVE checkpoint on another connection runs beside the writer's commits (it
/// copies what no read still needs, as the writer's own would; neither waits for the other).
/// The RESTART that resets a long log stays with the writer (`SQLiteHandle.checkpoint`), since
/// it must hold writes back while it waits for the reads; the writer first waits for a
/// checkpoint of this one under way (two cannot run at once), which by then has copied most of
/// the log.
///
/// Durability does not change: a commit is in the log when it returns, checkpointed or not.
final class WALCheckpointer: @unchecked Sendable {
    let path: String
    /// The log grows by this many pages between two checkpoints (SQLite's own default).
    let pages: Int32
    private let queue = DispatchQueue(label: "swiftdesk.sqlite.checkpoint")
    private let state = Mutex(State())
    /// Used on `queue` only.
    private var handle: SQLiteHandle?

    private struct State: ~Copyable {
        /// A checkpoint is queued or running.
        var scheduled = false
        /// The log's length in pages when the last checkpoint ran.
        var checkpointedAt: Int32 = 0
    }

    init(path: String, pages: Int32 = SQLiteHandle.walCheckpointPages) {
        self.path = path
        self.pages = pages
    }

    /// Called after a commit with the log's length in pages: starts a checkpoint when the log
    /// has grown by `pages` since the last one and none is under way.
    func committed(logPages: Int32) {
        let start = state.withLock { state -> Bool in
            // A shorter log than at the last checkpoint has been restarted.
            if logPages < state.checkpointedAt { state.checkpointedAt = 0 }
            guard !state.scheduled, logPages - state.checkpointedAt >= pages else { return false }
            state.scheduled = true
            return true
        }
        if start { queue.async { self.checkpoint() } }
    }

    /// Returns once no checkpoint of this checkpointer is queued or running. Only one
    /// checkpoint runs on a file at a time: another connection's fails at once while one of
    /// these runs (SQLite does not wait for that lock).
    func waitUntilIdle() {
        queue.sync {}
    }

    /// Waits for a checkpoint under way and closes the connection (the next one opens it again).
    func closeConnection() {
        queue.sync {
            handle?.close()
            handle = nil
        }
    }

    private func checkpoint() {
        if handle == nil { handle = try? SQLiteHandle(path: path, cacheMiB: 1) }
        let logPages = handle?.checkpointPassive() ?? 0
        state.withLock {
            $0.scheduled = false
            $0.checkpointedAt = logPages
        }
    }
}
