import DeskCore
import DeskStore
import Foundation

/// Fresh, migrated databases for tests: a temporary SQLite file, or a new PostgreSQL database on
/// the server named by `DATABASE_URL` (scripts/test starts one). Each is dropped afterwards.
public enum TestDatabase {
    /// The databases every store test runs on. Without `DATABASE_URL` only SQLite runs, unless
    /// `SWIFTDESK_REQUIRE_POSTGRES=1` (set by scripts/test), which makes that an error instead.
    public static var kinds: [DatabaseKind] {
        let env = ProcessInfo.processInfo.environment
        if env["DATABASE_URL"]?.isEmpty == false { return [.sqlite, .postgres] }
        if env["SWIFTDESK_REQUIRE_POSTGRES"] == "1" { return [.sqlite, .postgres] }
        return [.sqlite]
    }

    /// Cheap hashing for tests; production uses `PasswordHasher.defaultIterations`.
    public static let hasher = PasswordHasher(iterations: 1_000)

    /// A migrated database plus the migration report (which carries the root password).
    public struct Handle: Sendable {
        public let database: Database
        public let store: SQLDeskStore
        public let report: MigrationReport
        public let url: String
    }

    public static func withDatabase<R: Sendable>(_ kind: DatabaseKind, _ body: (Handle) async throws -> R) async throws -> R {
        let (url, cleanup) = try await create(kind)
        let database: Database
        do {
            database = try Database(url: url, maxConnections: 4)
        } catch {
            try? await cleanup()
            throw error
        }
        do {
            let report = try await Migrator(database: database, hasher: hasher).migrate()
            let result = try await body(Handle(database: database, store: SQLDeskStore(database: database), report: report, url: url))
            await database.shutdown()
            try await cleanup()
            return result
        } catch {
            await database.shutdown()
            try? await cleanup()
            throw error
        }
    }

    /// Creates an empty database and returns its URL and a function that removes it.
    public static func create(_ kind: DatabaseKind) async throws -> (String, @Sendable () async throws -> Void) {
        let name = "sd_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("test.sqlite").path
            return (path, { try? FileManager.default.removeItem(at: directory) })
        case .postgres:
            guard let serverURL = ProcessInfo.processInfo.environment["DATABASE_URL"], !serverURL.isEmpty else {
                throw TestDatabaseError.noPostgres
            }
            await PostgresGate.shared.acquire()
            let admin: Database
            do {
                admin = try Database(url: serverURL, maxConnections: 1)
            } catch {
                await PostgresGate.shared.release()
                throw error
            }
            let drop: @Sendable () async throws -> Void = {
                defer { Task { await PostgresGate.shared.release() } }
                do {
                    try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                } catch {
                    await admin.shutdown()
                    throw error
                }
                await admin.shutdown()
            }
            do {
                try await admin.execute("CREATE DATABASE \(name)")
            } catch {
                try? await drop()
                throw error
            }
            return (replacingDatabase(in: serverURL, with: name), drop)
        }
    }

    /// `postgres://u@h:p/db?x` → `postgres://u@h:p/NAME?x`.
    static func replacingDatabase(in url: String, with name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return components.string!
    }
}

public enum TestDatabaseError: Error, CustomStringConvertible {
    case noPostgres

    public var description: String {
        "SWIFTDESK_REQUIRE_POSTGRES=1 but DATABASE_URL is not set: run the tests with ./scripts/test"
    }
}
