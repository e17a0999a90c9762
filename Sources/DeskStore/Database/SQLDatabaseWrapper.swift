import Logging
import NIOCore
import SQLKit

/// An `SQLDatabase` that runs statements its own way on top of another one and takes
/// everything else from it (`HoldingDatabase`, `PreparingPostgresDatabase`). Conformers write
/// the async `execute`; the future-based one and sessions come from here.
protocol SQLDatabaseWrapper: SQLDatabase {
    var base: any SQLDatabase { get }
}

extension SQLDatabaseWrapper {
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}
