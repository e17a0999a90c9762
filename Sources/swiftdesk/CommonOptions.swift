import ArgumentParser
import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import Foundation
import Logging

/// Options every command shares: where the database is.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Database URL: an SQLite file path (sqlite:PATH) or postgres://user:pass@host:port/db. Default: $DATABASE_URL, else sqlite:./data/swiftdesk.sqlite."
    )
    var databaseURL: String?

    @Option(name: .long, help: "A KEY=VALUE file with settings (SWIFTDESK_HOST, SWIFTDESK_PORT, DATABASE_URL, …).")
    var config: String?

    /// The layered configuration, with this command's flags (environment names → values) first.
    func appConfiguration(flags: [String: String] = [:]) async throws -> AppConfiguration {
        var flags = flags
        if let databaseURL { flags["DATABASE_URL"] = databaseURL }
        return try await AppConfiguration.load(flags: flags, file: config)
    }
}

/// Shared plumbing for the administration commands.
enum CLI {
    static func logger(_ level: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: "swiftdesk")
        logger.logLevel = level
        return logger
    }

    /// `queues: A, B` for the queues `matches` picks (`queues: -` for none), as the list commands
    /// show which queues use a setting.
    static func queueList(_ catalog: Catalog, _ matches: (Queue) -> Bool) -> String {
        let names = catalog.queues.all.filter(matches).map(\.name)
        return "queues: " + (names.isEmpty ? "-" : names.joined(separator: ", "))
    }

    /// What a command works with: the core services, the faces (for their settings and data),
    /// and the store itself for the database tools (bulk load, reindex).
    struct Context {
        let services: DeskServices
        let store: SQLDeskStore
        let faces: [any Face]
    }

    /// Opens (and if needed creates) the database, runs `body`, closes it, and turns domain and
    /// database errors into a one-line message and a non-zero exit.
    static func withServices(_ options: DatabaseOptions, _ body: (Context) async throws -> Void) async throws {
        let configuration = try await options.appConfiguration()
        let database: Database
        do {
            database = try Database(url: configuration.databaseURL, logger: logger())
        } catch {
            throw fail("cannot open database: \(error)")
        }
        do {
            let report = try await Migrator(database: database).migrate(starting: { say("Applying migration \($0)…") })
            announce(report, databaseURL: configuration.databaseURLForDisplay)
            let store = SQLDeskStore(database: database)
            let services = DeskServices(store: store)
            let faces = buildFaces(services: services, environment: configuration.faceEnvironment)
            for face in faces { try await face.prepare() }
            try await body(Context(services: services, store: store, faces: faces))
            await database.shutdown()
        } catch {
            await database.shutdown()
            throw fail(message(for: error))
        }
    }

    static func message(for error: any Error) -> String {
        switch error {
        case let error as DeskError: error.description
        case let error as CleanExit: "\(error)"
        default: String(describing: error)
        }
    }

    /// Prints a line and flushes at once, so that a supervisor or a pipe sees it immediately.
    static func say(_ text: String) {
        print(text)
        fflush(nil)
    }

    static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode.failure
    }

    /// Prints the root password once, when this run created the default data (standard output
    /// only, never the log); on an existing database, the migrations this run applied.
    static func announce(_ report: MigrationReport, databaseURL: String) {
        guard let password = report.rootPassword else {
            if !report.applied.isEmpty { say("Applied migrations: " + report.applied.joined(separator: ", ")) }
            return
        }
        say(
            """
            SwiftDesk created a new database (\(databaseURL)).
            First admin account:  root@localhost
            Password:             \(password)
            This password is shown only now. Change it with:
              swiftdesk user password --login root@localhost --password NEW-PASSWORD
            """)
    }
}
