import DeskCore
import DeskStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Everything the routes need: the store and the services built on it.
public struct AppServices: Sendable {
    public let store: SQLDeskStore
    public let tickets: TicketService<SQLDeskStore>
    public let auth: AuthService<SQLDeskStore>
    public let admin: AdminService<SQLDeskStore>
    public let sessions: SessionService<SQLDeskStore>

    public init(store: SQLDeskStore, hasher: PasswordHasher = PasswordHasher(), clock: DeskClock = .system) {
        self.store = store
        tickets = TicketService(store: store, clock: clock)
        auth = AuthService(store: store, hasher: hasher)
        admin = AdminService(store: store, hasher: hasher, clock: clock)
        sessions = SessionService(store: store, auth: auth, clock: clock)
    }
}

/// Builds the router with every route and middleware. Tests call this with their own store.
public func buildRouter(_ configuration: AppConfiguration, services: AppServices) -> Router<DeskRequestContext> {
    let router = Router(context: DeskRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: BodyLimitMiddleware(limit: configuration.maxBodySize))
    router.add(middleware: ZnunyFace(services: services))
    HealthRoutes(store: services.store).register(on: router)
    RPCFace(services: services).register(on: router)
    return router
}

/// The running server: the application plus what happened while opening the database.
public struct BuiltApplication {
    public let application: Application<RouterResponder<DeskRequestContext>>
    /// The migrations applied at start; carries the root password on a database's first start.
    public let migration: MigrationReport?
}

/// Opens the database, applies migrations (unless configured not to) and assembles the
/// application. The database closes when the application's service group shuts down.
public func buildApplication(_ configuration: AppConfiguration, logger: Logger) async throws -> BuiltApplication {
    let database = try Database(url: configuration.databaseURL, logger: logger)
    var report: MigrationReport?
    do {
        if configuration.migrate { report = try await Migrator(database: database).migrate() }
    } catch {
        await database.shutdown()
        throw error
    }
    let services = AppServices(store: SQLDeskStore(database: database))
    let application = Application(
        router: buildRouter(configuration, services: services),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: [DatabaseService(database: database)],
        logger: logger)
    return BuiltApplication(application: application, migration: report)
}

/// Keeps the database open while the server runs and closes it on shutdown.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await database.shutdown()
    }
}
