import DeskCore
import Logging
import ServiceLifecycle

/// Runs the pending check (`PendingCheckService`: automatic state changes and pending
/// reminders) every `interval` while the server runs; stops on graceful shutdown.
struct PendingCheckLoop: Service {
    let check: PendingCheckService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let started = ContinuousClock.now
                    let result = try await check.run()
                    let metadata: Logger.Metadata = [
                        "changed": "\(result.changed)", "reminded": "\(result.reminded)",
                        "ms": "\((ContinuousClock.now - started) / .milliseconds(1))",
                    ]
                    logger.log(level: result.changed + result.reminded > 0 ? .info : .debug, "pending check", metadata: metadata)
                } catch {
                    logger.error("pending check failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
