import DeskCore
import DeskFaceKit
import DeskMail
import DeskStore
import DjangoHelpdesk
import Foundation
import Hummingbird
import Logging
import OSTicket
import OTRSCommon
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
    let database: Database

    /// Serves until SIGTERM or SIGINT (or until the server cannot listen), then closes the
    /// database once every service has stopped: the mail sender and the pending check may still
    /// be finishing a step when the server fails to bind, and must not find it closed.
    public func run() async throws {
        do {
            try await application.runService()
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }
}

/// Opens the database, applies migrations (unless configured not to), lets every face prepare
/// its data, and assembles the application. `onListening` is called with the port once the
/// server listens; the database closes when `BuiltApplication.run` ends.
public func buildApplication(
    _ configuration: AppConfiguration, logger: Logger, onListening: @escaping @Sendable (_ port: Int) -> Void = { _ in }
) async throws -> BuiltApplication {
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
    var background: [any Service] = []
    if database.kind == .postgres { background.append(GrowthAnalysisService(database: database, logger: logger)) }
    if configuration.mailSender {
        background.append(
            MailSenderService(
                outbox: services.outbox, composer: MailComposer(htmlToText: ZnunyHTMLToAscii.convert, templates: templates), logger: logger,
                connections: configuration.mailConnections))
    }
    // This process, as the holder of the leases of background work (`background_leases`).
    let process = ProcessInfo.processInfo
    let holder = "\(process.hostName.prefix(150)):\(process.processIdentifier):\(UInt32.random(in: .min ... .max))"
    func backgroundLease(_ name: String, every seconds: Int) -> BackgroundLease {
        services.lease(name, holder: holder, seconds: PeriodicTask.leaseSeconds(interval: seconds))
    }
    if configuration.pendingCheckSeconds > 0 {
        let check = services.pendingCheck
        background.append(
            PeriodicTask(
                name: "pending check", interval: .seconds(configuration.pendingCheckSeconds), logger: logger,
                lease: backgroundLease("PendingCheck", every: configuration.pendingCheckSeconds)
            ) {
                let result = try await check.run()
                return result.changed + result.reminded > 0 ? ["changed": "\(result.changed)", "reminded": "\(result.reminded)"] : nil
            })
    }
    if configuration.escalationRebuildSeconds > 0 {
        let rebuild = services.escalationRebuild
        background.append(
            PeriodicTask(
                name: "escalation rebuild", interval: .seconds(configuration.escalationRebuildSeconds), logger: logger,
                lease: backgroundLease("EscalationIndexRebuild", every: configuration.escalationRebuildSeconds)
            ) {
                try await rebuild.runIfRequested().map { outcome in
                    var fields: Logger.Metadata = ["tickets": "\(outcome.visited)", "changed": "\(outcome.changed)"]
                    if outcome.resumedAfter > 0 { fields["resumedAfter"] = "\(outcome.resumedAfter)" }
                    return fields
                }
            })
    }
    if configuration.escalationCheckSeconds > 0 {
        let check = services.escalationCheck
        background.append(
            PeriodicTask(
                name: "escalation check", interval: .seconds(configuration.escalationCheckSeconds), logger: logger,
                lease: backgroundLease("EscalationCheck", every: configuration.escalationCheckSeconds)
            ) {
                let events = try await check.run()
                return events > 0 ? ["events": "\(events)"] : nil
            })
    }
    let application = Application(
        router: buildRouter(configuration, services: services),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: background,
        onServerRunning: { onListening($0.localAddress?.port ?? configuration.port) },
        logger: logger)
    return BuiltApplication(application: application, migration: report, database: database)
}

/// On PostgreSQL, looks every two seconds for tables that have grown fourfold since their last
/// analysis and analyses them (`GrowthAnalyzer`: a new database's plans follow its growth).
struct GrowthAnalysisService: Service {
    let database: Database
    let logger: Logger
    var analyzer = GrowthAnalyzer()
    var interval: Duration = .seconds(2)

    func run() async throws {
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
    }
}
