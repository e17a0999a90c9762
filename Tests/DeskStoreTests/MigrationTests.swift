import DeskCore
import DeskStore
import DeskTestSupport
import Foundation
import SQLKit
import Testing

@Suite("Migrating existing databases")
struct MigrationTests {
    /// A new database of `kind` migrated up to `version`, handed to `body` with its migrator,
    /// then shut down and removed.
    static func withMigrated(
        _ kind: DatabaseKind, upTo version: Int, _ body: (Database, Migrator) async throws -> Void
    ) async throws {
        let (url, cleanup) = try await TestDatabase.create(kind)
        let database = try Database(url: url, maxConnections: 2)
        do {
            let migrator = Migrator(database: database, hasher: TestDatabase.hasher)
            _ = try await migrator.migrate(upTo: version)
            try await body(database, migrator)
            await database.shutdown()
            try await cleanup()
        } catch {
            await database.shutdown()
            try? await cleanup()
            throw error
        }
    }

    /// Migration 15 now builds `tickets_title_order` id first; a database that has migration
    /// 15's first form (trigrams first, default signatures) gets the id-first form from
    /// migration 18.
    @Test("018 rebuilds the title walk's index id first", arguments: TestDatabase.kinds.filter { $0 == .postgres })
    func titleOrderByID(kind: DatabaseKind) async throws {
        try await Self.withMigrated(kind, upTo: 17) { database, migrator in
            @Sendable func definition() async throws -> String {
                try await database.read { db in
                    try #require(
                        try await db.raw("SELECT indexdef FROM pg_indexes WHERE indexname = 'tickets_title_order'").first()?
                            .decode(column: "indexdef", as: String.self))
                }
            }
            #expect(try await definition().contains("(id + 0)), lower"), "migration 15 builds the present form")
            try await database.transaction { db in
                try await db.raw("DROP INDEX tickets_title_order").run()
                try await db.raw(
                    #"CREATE INDEX tickets_title_order ON tickets USING GIST ((LOWER(title) COLLATE "C") gist_trgm_ops, (id + 0))"#
                ).run()
            }
            #expect(try await migrator.migrate(upTo: 18).applied == ["018_title_order_by_id"])
            let rebuilt = try await definition()
            #expect(rebuilt.contains("USING gist (((id + 0)), lower") && rebuilt.contains("siglen='64'"), "\(rebuilt)")
        }
    }

    @Test(
        "020 lets autovacuum come round to tickets and articles after 2 % of their rows",
        arguments: TestDatabase.kinds.filter { $0 == .postgres })
    func ticketAutovacuum(kind: DatabaseKind) async throws {
        try await Self.withMigrated(kind, upTo: 19) { database, migrator in
            @Sendable func options() async throws -> [String: String] {
                try await database.read { db in
                    var byTable: [String: String] = [:]
                    for row in try await db.raw(
                        "SELECT relname, array_to_string(reloptions, ',') AS options FROM pg_class WHERE relname IN ('tickets', 'articles')"
                    ).all() {
                        byTable[try row.decode(column: "relname", as: String.self)] =
                            try row.decode(column: "options", as: String?.self) ?? ""
                    }
                    return byTable
                }
            }
            let before = try await options()
            #expect(before == ["tickets": "", "articles": ""])
            let applied = try await migrator.migrate(upTo: 20).applied
            #expect(applied == ["020_ticket_autovacuum"])
            let expected = "autovacuum_vacuum_scale_factor=0.02,autovacuum_vacuum_insert_scale_factor=0.02"
            let after = try await options()
            #expect(after == ["tickets": expected, "articles": expected])
        }
    }

    @Test(
        "021 replaces the (object, field) and (field, object, …) indexes of field values by one on (object, field, position, value)",
        arguments: TestDatabase.kinds)
    func fieldValuesByObject(kind: DatabaseKind) async throws {
        try await Self.withMigrated(kind, upTo: 20) { database, migrator in
            @Sendable func indexes() async throws -> Set<String> {
                try await database.read { db in
                    let statement: SQLQueryString =
                        switch kind {
                        case .sqlite:
                            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dynamic_field_values' AND sql IS NOT NULL"
                        case .postgres:
                            "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'dynamic_field_values' AND indexname <> 'dynamic_field_values_pkey'"
                        }
                    return Set(try await db.raw(statement).all().map { try $0.decode(column: "name", as: String.self) })
                }
            }
            #expect(
                try await indexes() == ["dynamic_field_values_object", "dynamic_field_values_field_object", "dynamic_field_values_sort"])
            // A bulk load that stopped half-way left the old definitions to be built at the next start.
            try await database.transaction { db in
                try await db.raw("CREATE TABLE deferred_schema (name TEXT PRIMARY KEY, type TEXT NOT NULL, sql TEXT NOT NULL)").run()
                try await db.raw(
                    """
                    INSERT INTO deferred_schema (name, type, sql) VALUES
                        ('dynamic_field_values_object', 'index', 'CREATE INDEX dynamic_field_values_object ON dynamic_field_values (object_id, field_id)'),
                        ('tickets_changed', 'index', 'CREATE INDEX tickets_changed ON tickets (changed_at)')
                    """
                ).run()
                try await db.raw("DROP INDEX tickets_changed").run()
            }
            #expect(try await migrator.migrate(upTo: 21).applied == ["021_field_values_by_object"])
            #expect(try await indexes() == ["dynamic_field_values_object_value", "dynamic_field_values_sort"])
            let columns = try await database.read { db -> String in
                switch kind {
                case .sqlite:
                    return try await db.raw("PRAGMA index_info(dynamic_field_values_object_value)").all().map {
                        try $0.decode(column: "name", as: String.self)
                    }.joined(separator: ",")
                case .postgres:
                    return try await db.raw("SELECT indexdef FROM pg_indexes WHERE indexname = 'dynamic_field_values_object_value'")
                        .first()!
                        .decode(column: "indexdef", as: String.self)
                }
            }
            #expect(
                columns.contains("object_id, field_id, \"position\", value_text") || columns == "object_id,field_id,position,value_text",
                "\(columns)")
            // The other recorded index was built by the restore after the migrations; the old one was not.
            let (records, rebuilt) = try await database.read { db in
                let records = try await db.raw("SELECT COUNT(*) AS n FROM deferred_schema").first()!.decode(column: "n", as: Int.self)
                let rebuilt: SQLQueryString =
                    switch kind {
                    case .sqlite: "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'tickets_changed'"
                    case .postgres: "SELECT COUNT(*) AS n FROM pg_indexes WHERE indexname = 'tickets_changed'"
                    }
                return (records, try await db.raw(rebuilt).first()!.decode(column: "n", as: Int.self))
            }
            #expect(records == 0 && rebuilt == 1)
        }
    }

    /// Before migration 24 any customer user could have any service (osTicket's help topics
    /// were services already); they still can, as default services.
    @Test("024 makes the services that exist default services", arguments: TestDatabase.kinds)
    func defaultServices(kind: DatabaseKind) async throws {
        try await Self.withMigrated(kind, upTo: 23) { database, migrator in
            try await database.transaction { db in
                try await db.raw("INSERT INTO services (name, valid_id) VALUES ('General Inquiry', 1), ('Feedback', 1)").run()
            }
            #expect(try await migrator.migrate(upTo: 24).applied == ["024_service_assignments_by_login"])
            // The core reads the tables as the latest schema has them.
            _ = try await migrator.migrate()
            let desk = Desk(store: SQLDeskStore(database: database))
            _ = try await desk.customer("cora", customerID: "ACME")
            var request = Desk.simpleTicket(customer: "cora")
            request.service = .name("Feedback")
            _ = try await desk.tickets.create(request, by: try await desk.root())
            let listings = try await desk.admin.serviceListings()
            #expect(listings.map(\.logins) == [[ServiceAssignment.defaultLogin], [ServiceAssignment.defaultLogin]])
        }
    }

    /// Deadlines stored before migration 25 counted calendar time and were set on create only.
    @Test("025 asks for an escalation rebuild when a queue or an SLA has minutes or a ticket a deadline", arguments: TestDatabase.kinds)
    func escalationRebuildRequest(kind: DatabaseKind) async throws {
        let setups = [
            nil, "UPDATE queues SET solution_time = 480 WHERE name = 'Misc'",
            "INSERT INTO slas (name, first_response_time, update_time, solution_time, valid_id) VALUES ('Gold', 60, 0, 0, 1)",
            "UPDATE tickets SET escalation_time = 1",
        ]
        for setup in setups {
            try await Self.withMigrated(kind, upTo: 24) { database, migrator in
                if let setup {
                    try await database.transaction { db in try await db.raw(SQLQueryString(setup)).run() }
                }
                #expect(try await migrator.migrate(upTo: 25).applied == ["025_escalation_rebuild"])
                let rebuild = DeskServices(store: SQLDeskStore(database: database), hasher: TestDatabase.hasher).escalationRebuild
                #expect(try await rebuild.isRequested() == (setup != nil), "\(setup ?? "none")")
            }
        }
    }

    @Test(
        "006 turns history rows into events, web services into Znuny documents and rpc.pl's settings into a hashed pair",
        arguments: TestDatabase.kinds)
    func toEvents(kind: DatabaseKind) async throws {
        try await Self.withMigrated(kind, upTo: 5) { database, migrator in
            // What a version-5 database held: history rows in Znuny's notation, a second web
            // service (invalid), and the rpc.pl credential in clear text among the settings.
            try await database.transaction { db in
                try await db.raw(
                    """
                    INSERT INTO ticket_history (ticket_id, article_id, history_type_id, name, queue_id, owner_id, priority_id, state_id,
                        type_id, created_at, created_by)
                    VALUES (1, NULL, 27, '%%new%%open%%', 2, 1, 3, 4, 1, 1700000000, 1),
                           (1, NULL, 20, '%%1.5%%1.5', 2, 1, 3, 4, 1, 1700000001, 1),
                           (1, 1, 15, '%%Note text', 2, 1, 3, 4, 1, 1700000002, 1)
                    """
                ).run()
                try await db.raw(
                    """
                    INSERT INTO web_services (id, name, config, valid_id, created_at, changed_at)
                    VALUES (7, 'Old', '{"aliases":["Legacy"],"namespace":"","operations":[{"methods":["GET"],"name":"TicketGet","route":"\\/T\\/:TicketID","type":"Ticket::TicketGet"}],"transport":"HTTP::REST"}', 2, 1, 1)
                    """
                ).run()
                try await db.raw(
                    "INSERT INTO settings (setting_key, setting_value) VALUES ('SOAP::User', 'rpc'), ('SOAP::Password', 'rpc-secret')"
                ).run()
            }
            let report = try await migrator.migrate(upTo: 6)
            #expect(report.applied == ["006_events_credentials_face_config"])
            #expect(
                try await migrator.migrate().applied == [
                    "007_customer_phone_message_ids", "008_face_attributes", "009_mail_outbox", "010_dynamic_field_sort",
                    "011_address_full_text", "012_full_text_at_commit", "013_creation_order",
                    "014_outbox_partial_indexes", "015_title_order", "016_text_order", "017_small_pending_lists", "018_title_order_by_id",
                    "019_pending_index", "020_ticket_autovacuum", "021_field_values_by_object", "022_customer_login_lower",
                    "023_signatures", "024_service_assignments_by_login", "025_escalation_rebuild",
                    "026_escalating_tickets", "027_background_leases", "028_escalation_notify", "029_calendar_name", "030_personal_queues",
                    "031_personal_services", "032_permissions_by_group", "033_title_statistics", "034_customer_tickets_by_time",
                    "035_tickets_by_title", "036_history_and_articles_by_time",
                    "037_service_and_sla_tickets", "038_type_and_responsible_tickets", "039_agent_lists_from_the_index",
                    "040_priority_and_lock_tickets", "041_escalation_order", "042_pending_order",
                ])
            let store = SQLDeskStore(database: database)
            let services = DeskServices(store: store, hasher: TestDatabase.hasher)
            let root = Principal.agent(try #require(try await services.auth.agentPrincipal(id: 1)))
            let events = try await services.tickets.history(ticketID: 1, by: root)
            // The demo ticket's two rows plus the three above, in order, with Znuny's type and name kept.
            #expect(events.map(\.change.kind) == ["TicketCreated", "ArticleAdded", "StateChanged", "Recorded", "ArticleAdded"])
            #expect(events.map(\.label) == ["NewTicket", "NewTicket", "StateUpdate", "TimeAccounting", "AddNote"])
            #expect(
                events.map(\.note) == [
                    "New Ticket [2021012710123456] created.", "%%", "%%new%%open%%", "%%1.5%%1.5", "%%Note text",
                ])
            #expect(events[0].change == .created(number: "2021012710123456"))
            #expect(events[2].snapshot.stateID == 4)
            #expect(events[4].articleID == 1)
            // Created/closed searches read the events.
            var query = TicketQuery()
            query.createdQueueIDs = [2]
            #expect(try await services.tickets.search(query, by: root) == [1])
            // 011 indexed the existing article's addresses.
            query = TicketQuery()
            query.articleFields = [.from: "hello@znuny.org"]
            #expect(try await services.tickets.search(query, by: root) == [1])

            let documents = try await services.faceConfig.documents(face: "znuny", kind: "webservice")
            #expect(documents.map(\.id) == [1, 2, 7])
            let old = try #require(documents.last)
            #expect(old.key == "Old")
            #expect(old.json.contains(#""validity":2"#) && old.json.contains(#""route":"/T/:TicketID""#))

            let pair = try #require(try await services.credentials.sharedPair(face: "otrs-rpc"))
            #expect(pair.identifier == "rpc" && pair.hasSecret)
            #expect(
                try await services.auth.authenticate(.secretPair(face: "otrs-rpc", identifier: "rpc", secret: "rpc-secret")).principal
                    == nil)
            guard
                case .accepted = try await services.auth.authenticate(
                    .secretPair(face: "otrs-rpc", identifier: "rpc", secret: "rpc-secret"))
            else {
                Issue.record("the migrated rpc.pl credential was refused")
                return
            }
            let settings = try await services.catalog().settings
            #expect(settings.values["SOAP::User"] == nil && settings.values["SOAP::Password"] == nil)
            // New rows get fresh ids after the copied ones (PostgreSQL's sequences were moved on).
            let id = try await services.faceConfig.put(face: "znuny", kind: "webservice", key: "New", json: "{}")
            #expect(id == 8)
        }
    }
}
