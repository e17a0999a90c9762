import DeskCore
import Foundation
import SQLKit

/// One versioned change to the database.
struct Migration: Sendable {
    let version: Int
    let name: String
    let run: @Sendable (_ db: any SQLDatabase, _ kind: DatabaseKind, _ output: MigrationOutput) async throws -> Void

    /// A migration whose work is one function of the connection and the database kind (a
    /// schema type's `migrate`).
    static func migrating(
        version: Int, name: String, _ migrate: @escaping @Sendable (_ db: any SQLDatabase, _ kind: DatabaseKind) async throws -> Void
    ) -> Migration {
        Migration(version: version, name: name) { db, kind, _ in try await migrate(db, kind) }
    }

    /// A migration that runs `statements` as written, one after another, on both databases.
    static func statements(version: Int, name: String, _ statements: [String]) -> Migration {
        Migration(version: version, name: name) { db, _, _ in
            for statement in statements {
                try await db.raw(SQLQueryString(statement)).run()
            }
        }
    }
}

/// What migrations report back to the caller (not to a log): the generated root password.
final class MigrationOutput: @unchecked Sendable {
    // Written by at most one migration inside one transaction, read after it commits.
    var rootPassword: String?
}

/// The outcome of `Migrator.migrate()`.
public struct MigrationReport: Sendable {
    /// Names of the migrations applied by this call (empty when the database was current).
    public var applied: [String]
    /// The password generated for `root@localhost` when this call created the default data;
    /// nil otherwise. Shown once to the operator and never stored in clear text.
    public var rootPassword: String?
}

/// Applies pending migrations, each in its own transaction, recording them in `schema_migrations`.
/// Safe to run from several processes at once: SQLite serialises through its write lock,
/// PostgreSQL through an advisory lock.
public struct Migrator: Sendable {
    let database: Database
    let hasher: PasswordHasher

    public init(database: Database, hasher: PasswordHasher = PasswordHasher()) {
        self.database = database
        self.hasher = hasher
    }

    static func migrations(hasher: PasswordHasher) -> [Migration] {
        [
            Migration(version: 1, name: "001_schema") { db, kind, _ in
                for statement in Schema001.statements {
                    try await db.raw(SQLQueryString(kind.ddl(statement))).run()
                }
            },
            Migration(version: 2, name: "002_default_data") { db, kind, output in
                output.rootPassword = try await DefaultData.seed(db, kind: kind, hasher: hasher)
            },
            Migration(version: 3, name: "003_sessions_web_services") { db, kind, _ in
                for statement in Schema003.statements {
                    try await db.raw(SQLQueryString(kind.ddl(statement))).run()
                }
                try await Schema003.seed(db, kind: kind)
            },
            Migration(version: 4, name: "004_search") { db, kind, _ in
                for statement in Schema004.statements(kind) {
                    try await db.raw(SQLQueryString(kind.ddl(statement))).run()
                }
                if kind == .postgres { try await Schema004.createTrigramIndexes(db) }
            },
            Migration(version: 5, name: "005_soap_connector") { db, kind, _ in
                try await Schema005.seed(db, kind: kind)
            },
            Migration(version: 6, name: "006_events_credentials_face_config") { db, kind, _ in
                try await Schema006.migrate(db, kind: kind, hasher: hasher)
            },
            Migration(version: 7, name: "007_customer_phone_message_ids") { db, kind, _ in
                for statement in Schema007.statements {
                    try await db.raw(SQLQueryString(kind.ddl(statement))).run()
                }
            },
            Migration(version: 8, name: "008_face_attributes") { db, kind, _ in
                for statement in Schema008.statements {
                    try await db.raw(SQLQueryString(kind.ddl(statement))).run()
                }
            },
            Migration(version: 9, name: "009_mail_outbox") { db, kind, _ in
                for statement in Schema009.statements {
                    try await db.raw(SQLQueryString(kind.ddl(statement))).run()
                }
            },
            Migration(version: 10, name: "010_dynamic_field_sort") { db, kind, _ in
                // Indexes a bulk load set aside come back first, so the old one is not rebuilt later.
                if kind == .sqlite { try await DeferredIndexes.restore(db, kind: kind) }
                for statement in Schema010.statements {
                    try await db.raw(SQLQueryString(kind.ddl(statement))).run()
                }
            },
            Migration(version: 11, name: "011_address_full_text") { db, kind, _ in
                if kind == .sqlite { try await DeferredIndexes.restore(db, kind: kind) }
                for statement in Schema011.statements(kind) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
            },
            Migration(version: 12, name: "012_full_text_at_commit") { db, kind, _ in
                if kind == .sqlite { try await DeferredIndexes.restore(db, kind: kind) }
                for statement in Schema012.statements(kind) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
            },
            Migration(version: 13, name: "013_creation_order") { db, kind, _ in
                for statement in Schema013.statements(kind) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await CreationOrder.recompute(from: 0, in: db)
            },
            .statements(version: 14, name: "014_outbox_partial_indexes", Schema014.statements),
            .migrating(version: 15, name: "015_title_order", Schema015.migrate),
            .migrating(version: 16, name: "016_text_order", Schema016.migrate),
            .migrating(version: 17, name: "017_small_pending_lists", Schema017.migrate),
            .migrating(version: 18, name: "018_title_order_by_id", Schema018.migrate),
            .statements(version: 19, name: "019_pending_index", Schema019.statements),
            .migrating(version: 20, name: "020_ticket_autovacuum", Schema020.migrate),
            .migrating(version: 21, name: "021_field_values_by_object", Schema021.migrate),
            .statements(version: 22, name: "022_customer_login_lower", Schema022.statements),
            .migrating(version: 23, name: "023_signatures", Schema023.migrate),
            .statements(version: 24, name: "024_service_assignments_by_login", Schema024.statements),
            .statements(version: 25, name: "025_escalation_rebuild", Schema025.statements),
            .statements(version: 26, name: "026_escalating_tickets", Schema026.statements),
            .statements(version: 27, name: "027_background_leases", Schema027.statements),
            .statements(version: 28, name: "028_escalation_notify", Schema028.statements),
            .statements(version: 29, name: "029_calendar_name", Schema029.statements),
            .statements(version: 30, name: "030_personal_queues", Schema030.statements),
            .statements(version: 31, name: "031_personal_services", Schema031.statements),
            .statements(version: 32, name: "032_permissions_by_group", Schema032.statements),
            .migrating(version: 33, name: "033_title_statistics", Schema033.migrate),
            .migrating(version: 34, name: "034_customer_tickets_by_time", Schema034.migrate),
            .migrating(version: 35, name: "035_tickets_by_title", Schema035.migrate),
            .statements(version: 36, name: "036_history_and_articles_by_time", Schema036.statements),
            .statements(version: 37, name: "037_service_and_sla_tickets", Schema037.statements),
            .statements(version: 38, name: "038_type_and_responsible_tickets", Schema038.statements),
            .migrating(version: 39, name: "039_agent_lists_from_the_index", Schema039.migrate),
            .migrating(version: 40, name: "040_priority_and_lock_tickets", Schema040.migrate),
            .migrating(version: 41, name: "041_escalation_order", Schema041.migrate),
            .migrating(version: 42, name: "042_pending_order", Schema042.migrate),
        ]
    }

    @discardableResult
    /// Applies every pending migration, or those up to version `upTo` (tests migrate old
    /// schemas step by step). On a database that had migrations already, `starting` is told
    /// each migration's name before it runs (some take minutes on a large database); a new
    /// database is built silently.
    public func migrate(upTo: Int? = nil, starting: (@Sendable (String) -> Void)? = nil) async throws -> MigrationReport {
        let kind = database.kind
        try await database.transaction { db in
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
        }
        let existing = !(try await appliedVersions().isEmpty)
        var report = MigrationReport(applied: [], rootPassword: nil)
        for migration in Self.migrations(hasher: hasher) where migration.version <= upTo ?? Int.max {
            let output = MigrationOutput()
            let applied = try await database.transaction { db -> Bool in
                if kind == .postgres {
                    try await db.raw("SELECT pg_advisory_xact_lock(\(literal: 5_400_001))").run()
                }
                let done = try await db.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first()
                guard done == nil else { return false }
                if existing { starting?(migration.name) }
                try await migration.run(db, kind, output)
                try await db.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Int64(Date().timeIntervalSince1970)))
                    """
                ).run()
                return true
            }
            if applied {
                report.applied.append(migration.name)
                if let password = output.rootPassword { report.rootPassword = password }
            }
        }
        // A bulk load that died half-way left its indexes set aside: build them now.
        try await DeferredIndexes.restore(in: database)
        return report
    }

    /// Versions recorded as applied.
    public func appliedVersions() async throws -> [Int] {
        try await database.read { db in
            try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all().map {
                try $0.decode(column: "version", as: Int.self)
            }
        }
    }
}
