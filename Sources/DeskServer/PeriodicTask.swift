import Logging
import ServiceLifecycle

/// Runs `work` every `interval` while the server runs (the pending check, requested escalation
/// rebuilds); stops on graceful shutdown. `work` returns what to log: at info level when it did
/// something, nil when there was nothing to do (logged at debug level). A step a shutdown cancels
/// ends the task without an error.
struct PeriodicTask: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let work: @Sendable () async throws -> Logger.Metadata?

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let started = ContinuousClock.now
                    let done = try await work()
                    var metadata = done ?? [:]
                    metadata["ms"] = "\((ContinuousClock.now - started) / .milliseconds(1))"
                    logger.log(level: done == nil ? .debug : .info, "\(name)", metadata: metadata)
                } catch {
                    // A shutdown cut the step short: nothing failed.
                    if Task.isCancelled { break }
                    logger.error("\(name) failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
