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
                    let result = try await check.run()
                    if result.changed + result.reminded > 0 {
                        logger.info("pending check", metadata: ["changed": "\(result.changed)", "reminded": "\(result.reminded)"])
                    }
                } catch {
                    logger.error("pending check failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
