import DeskCore
import DeskFaceKit
import DeskMail
import DeskStore
import DjangoHelpdesk
import Hummingbird
import Logging
import OSTicket
import OTRSRPC
import ServiceLifecycle
import WHMCS
import ZnunyGI

/// The faces this server speaks, built on the core services. Adding a face is one line here.
public func buildFaces(services: DeskServices, environment: FaceEnvironment) -> [any Face] {
    [
        ZnunyFace(services: services, environment: environment),
        RPCFace(services: services, environment: environment),
        OSTicketFace(services: services, environment: environment),
        DjangoFace(services: services, environment: environment),
        WHMCSFace(services: services, environment: environment),
    ]
}

/// Builds the router with every route and middleware. Tests call this with their own services.
public func buildRouter(_ configuration: AppConfiguration, services: DeskServices) -> Router<FaceRequestContext> {
    let router = Router(context: FaceRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: BodyLimitMiddleware(limit: configuration.maxBodySize))
    HealthRoutes(services: services).register(on: router)
    for face in buildFaces(services: services, environment: configuration.faceEnvironment) {
        face.register(on: router)
    }
    return router
}

/// The running server: the application plus what happened while opening the database.
public struct BuiltApplication {
    public let application: Application<RouterResponder<FaceRequestContext>>
    /// The migrations applied at start; carries the root password on a database's first start.
    public let migration: MigrationReport?
}

/// Opens the database, applies migrations (unless configured not to), lets every face prepare
/// its data, and assembles the application. The database closes when the application's service
/// group shuts down.
public func buildApplication(_ configuration: AppConfiguration, logger: Logger) async throws -> BuiltApplication {
    let database = try Database(url: configuration.databaseURL, logger: logger)
    var report: MigrationReport?
    let templates =
        try configuration.mailTemplates.isEmpty ? NotificationTemplates() : NotificationTemplates(directory: configuration.mailTemplates)
    let services = DeskServices(
        store: SQLDeskStore(database: database), mailRetry: MailRetryPolicy(base: configuration.mailRetrySeconds))
    do {
        if configuration.migrate {
            report = try await Migrator(database: database).migrate(starting: { logger.notice("Applying migration \($0)…") })
        }
        for face in buildFaces(services: services, environment: configuration.faceEnvironment) { try await face.prepare() }
    } catch {
        await database.shutdown()
        throw error
    }
    let application = Application(
        router: buildRouter(configuration, services: services),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: [DatabaseService(database: database, logger: logger)]
            + (configuration.mailSender
                ? [
                    MailSenderService(
                        outbox: services.outbox, composer: MailComposer(templates: templates), logger: logger,
                        connections: configuration.mailConnections)
                ] : [])
            + (configuration.pendingCheckSeconds > 0
                ? [PendingCheckLoop(check: services.pendingCheck, interval: .seconds(configuration.pendingCheckSeconds), logger: logger)]
                : []),
        logger: logger)
    return BuiltApplication(application: application, migration: report)
}

/// Keeps the database open while the server runs and closes it on shutdown. On PostgreSQL it
/// also looks every two seconds for tables that have grown fourfold since their last analysis
/// and analyses them (`GrowthAnalyzer`: a new database's plans follow its growth).
struct DatabaseService: Service {
    let database: Database
    let logger: Logger
    var analyzer = GrowthAnalyzer()
    var interval: Duration = .seconds(2)

    func run() async throws {
        if database.kind == .postgres {
            await cancelWhenGracefulShutdown {
                // Logged once per run of failures (an unreachable database fails every check).
                var failing = false
                while !Task.isCancelled {
                    do {
                        let analysed = try await analyzer.analyzeGrownTables(in: database)
                        if !analysed.isEmpty { logger.debug("analysed grown tables", metadata: ["tables": "\(analysed)"]) }
                        failing = false
                    } catch {
                        if !failing { logger.warning("analysing grown tables failed", metadata: ["error": "\(error)"]) }
                        failing = true
                    }
                    try? await Task.sleep(for: interval)
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        await database.shutdown()
    }
}
