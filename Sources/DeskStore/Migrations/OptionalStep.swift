import Logging
import SQLKit

/// PostgreSQL: a migration step that needs something an installation may lack (an extension
/// from the contrib package). It runs under a savepoint; when it fails, the migration goes on
/// without it and logs `warning` with the error, saying what is slower without it.
enum OptionalStep {
    static func run(
        _ db: any SQLDatabase, savepoint: String, warning: Logger.Message, _ body: () async throws -> Void
    ) async throws {
        try await db.raw("SAVEPOINT \(unsafeRaw: savepoint)").run()
        do {
            try await body()
            try await db.raw("RELEASE SAVEPOINT \(unsafeRaw: savepoint)").run()
        } catch {
            try await db.raw("ROLLBACK TO SAVEPOINT \(unsafeRaw: savepoint)").run()
            db.logger.warning(warning, metadata: ["error": "\(error)"])
        }
    }
}
