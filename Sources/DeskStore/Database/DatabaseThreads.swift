import NIOPosix

/// Threads of its own for SQLite work, as a Swift task executor.
///
/// Statements run synchronously on the thread that runs the transaction (`SQLiteHandle`). A
/// long search or a commit waiting for another process's lock must not hold one of the few
/// threads of Swift's cooperative pool, which serves every request; so read and write bodies
/// run with this executor as their preference, and only their hop in and out costs a thread
/// switch.
final class DatabaseThreads: TaskExecutor {
    private let pool: NIOThreadPool

    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Stops the threads once their queued work is done.
    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
