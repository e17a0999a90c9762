import DeskCore
import Logging
import ServiceLifecycle

/// Runs `work` every `interval` while the server runs (the pending check, requested escalation
/// rebuilds, the escalation check); stops on graceful shutdown. `work` returns what to log: at
/// info level when it did something, nil when there was nothing to do (logged at debug level).
/// A step a shutdown cancels ends the task without an error.
///
/// With a `lease`, a step runs only while this process holds it (taken or renewed before each
/// step, released on graceful shutdown): of several servers on one database one does the work.
struct PeriodicTask: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    var lease: BackgroundLease? = nil
    let work: @Sendable () async throws -> Logger.Metadata?

    /// How long a lease of a task that runs every `interval` lasts without a renewal: three
    /// intervals, at least ten minutes (a long step renews only at the next one).
    static func leaseSeconds(interval: Int) -> Int64 {
        max(3 * Int64(interval), 600)
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if let lease, try await !lease.take() {
                        logger.debug("\(name) left to another server", metadata: ["lease": "\(lease.name)"])
                    } else {
                        let started = ContinuousClock.now
                        let done = try await work()
                        var metadata = done ?? [:]
                        metadata["ms"] = "\((ContinuousClock.now - started) / .milliseconds(1))"
                        logger.log(level: done == nil ? .debug : .info, "\(name)", metadata: metadata)
                    }
                } catch {
                    // A shutdown cut the step short: nothing failed.
                    if Task.isCancelled { break }
                    logger.error("\(name) failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        // Cancelled rather than shut down, the database may be gone: the lease then ends on its own.
        guard let lease, !Task.isCancelled else { return }
        do {
            try await lease.release()
        } catch {
            logger.warning("\(name): its lease was not given up and ends on its own", metadata: ["error": "\(error)"])
        }
    }
}
