import ArgumentParser
import DeskServer
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server (creates and migrates the database on first start).")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on (default 127.0.0.1, or $SWIFTDESK_HOST).")
    var host: String?

    @Option(help: "Port to listen on (default 8080, or $SWIFTDESK_PORT).")
    var port: Int?

    @Option(help: "Largest accepted request body in bytes (default 33554432, or $SWIFTDESK_MAX_BODY_SIZE).")
    var maxBodySize: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (default info, or $SWIFTDESK_LOG_LEVEL).")
    var logLevel: String?

    @Flag(help: "Do not apply database migrations at start.")
    var noMigrate = false

    @Option(
        help:
            "Comma-separated proxy addresses or CIDR blocks whose X-Forwarded-For is believed (default none, or $SWIFTDESK_TRUSTED_PROXIES)."
    )
    var trustedProxies: String?

    @Option(
        help: "Path before osTicket's /api (e.g. /support serves /support/api/tickets.json; default none, or $SWIFTDESK_OSTICKET_ROOT).")
    var osticketRoot: String?

    @Option(help: "Path before django-helpdesk's /api (e.g. /helpdesk; default none, or $SWIFTDESK_DJHD_PREFIX).")
    var djhdPrefix: String?

    @Option(help: "Path before WHMCS's /includes/api.php (e.g. /billing; default none, or $SWIFTDESK_WHMCS_ROOT).")
    var whmcsRoot: String?

    func run() async throws {
        var flags: [String: String] = [:]
        if let host { flags["SWIFTDESK_HOST"] = host }
        if let port { flags["SWIFTDESK_PORT"] = String(port) }
        if let maxBodySize {
            guard maxBodySize > 0 else { throw ValidationError("--max-body-size must be positive") }
            flags["SWIFTDESK_MAX_BODY_SIZE"] = String(maxBodySize)
        }
        if let logLevel {
            guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level '\(logLevel)'") }
            flags["SWIFTDESK_LOG_LEVEL"] = logLevel
        }
        if noMigrate { flags["SWIFTDESK_MIGRATE"] = "0" }
        if let trustedProxies { flags["SWIFTDESK_TRUSTED_PROXIES"] = trustedProxies }
        if let osticketRoot { flags["SWIFTDESK_OSTICKET_ROOT"] = osticketRoot }
        if let djhdPrefix { flags["SWIFTDESK_DJHD_PREFIX"] = djhdPrefix }
        if let whmcsRoot { flags["SWIFTDESK_WHMCS_ROOT"] = whmcsRoot }
        let configuration: AppConfiguration
        do {
            configuration = try await database.appConfiguration(flags: flags)
        } catch let error as ConfigurationError {
            throw CLI.fail("\(error)")
        }

        let logger = CLI.logger(configuration.logLevel)
        let built: BuiltApplication
        do {
            built = try await buildApplication(configuration, logger: logger) { port in
                CLI.say("SwiftDesk listening on http://\(configuration.host):\(port) (database: \(configuration.databaseURLForDisplay))")
            }
        } catch {
            throw CLI.fail("cannot start: \(error)")
        }
        if let report = built.migration { CLI.announce(report, databaseURL: configuration.databaseURLForDisplay) }
        do {
            try await built.run()
        } catch {
            throw CLI.fail("cannot serve on \(configuration.host):\(configuration.port): \(error)")
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the database or bring its schema up to date.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await CLI.withServices(database) { _ in }
        print("Database is up to date.")
    }
}
