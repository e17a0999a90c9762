import NIOCore

/// An event loop as a Swift task executor: a task that prefers it runs its jobs on that loop's
/// thread, so when its awaits are answered by channels of the same loop it resumes without a
/// thread switch.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
