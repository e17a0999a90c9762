import DeskCore
import DeskStore
import DeskTestSupport
import Testing

@Suite("Default data and migrations")
struct DefaultDataTests {
    @Test("fresh database holds Znuny's default ids", arguments: TestDatabase.kinds)
    func defaultIDs(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let catalog = try await db.store.read { try await $0.catalog() }
            let states = catalog.states.all.map { "\($0.id):\($0.name):\($0.typeID)" }
            #expect(
                states == [
                    "1:new:1", "2:closed successful:3", "3:closed unsuccessful:3", "4:open:2", "5:removed:6",
                    "6:pending reminder:4", "7:pending auto close+:5", "8:pending auto close-:5", "9:merged:7",
                ])
            #expect(
                catalog.stateTypes.all.map(\.name) == ["new", "open", "closed", "pending reminder", "pending auto", "removed", "merged"])
            #expect(
                catalog.priorities.all.map { "\($0.id):\($0.name)" } == [
                    "1:1 very low", "2:2 low", "3:3 normal", "4:4 high", "5:5 very high",
                ])
            #expect(catalog.ticketTypes.all.map { "\($0.id):\($0.name)" } == ["1:Unclassified"])
            #expect(catalog.locks.all.map(\.name) == ["unlock", "lock", "tmp_lock"])
            #expect(
                catalog.queues.all.map { "\($0.id):\($0.name):\($0.groupID)" } == ["1:Postmaster:1", "2:Raw:1", "3:Junk:1", "4:Misc:1"])
            #expect(catalog.groups.all.map { "\($0.id):\($0.name)" } == ["1:users", "2:admin", "3:stats", "4:timeaccounting_webservice"])
            #expect(catalog.senderTypes.all.map(\.name) == ["agent", "system", "customer"])
            #expect(catalog.channels.all.map(\.name) == ["Email", "Phone", "Internal", "Chat"])
            #expect(
                catalog.dynamicFields.all.map { "\($0.id):\($0.name)" } == [
                    "1:ProcessManagementProcessID", "2:ProcessManagementActivityID", "3:ProcessManagementAttachment",
                    "4:TicketCalendarStartTime", "5:TicketCalendarEndTime",
                ])
            #expect(catalog.systemAddresses[1]?.address == "znuny@localhost")
            let root = try await db.store.read { try await $0.agent(id: 1) }
            #expect(root?.login == "root@localhost")
            let permissions = try await db.store.read { try await $0.permissions(agentID: 1) }
            #expect(permissions == Set([1, 2, 3].map { GroupPermission(groupID: $0, permission: .rw) }))
            let demo = try await db.store.read { try await $0.ticket(id: 1) }
            #expect(demo?.number == "2021012710123456")
            #expect(demo?.title == "Znuny says hi!")
        }
    }

    @Test("the generated root password works once printed, and only its hash is stored", arguments: TestDatabase.kinds)
    func rootPassword(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let password = try #require(db.report.rootPassword)
            #expect(password.count >= 16)
            let desk = Desk(db)
            let principal = try await desk.agentLogin("root@localhost", password)
            #expect(principal?.id == 1)
            #expect(try await desk.agentLogin("root@localhost", "root") == nil)
            let stored = try await db.store.read { try await $0.agentPasswordHash(login: "root@localhost") }
            #expect(stored?.hash.contains(password) == false)
            #expect(stored?.hash.hasPrefix("pbkdf2-sha256$") == true)
        }
    }

    @Test("running migrations again changes nothing", arguments: TestDatabase.kinds)
    func migrationsTwice(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            #expect(
                db.report.applied == [
                    "001_schema", "002_default_data", "003_sessions_web_services", "004_search", "005_soap_connector",
                    "006_events_credentials_face_config", "007_customer_phone_message_ids", "008_face_attributes",
                    "009_mail_outbox", "010_dynamic_field_sort", "011_address_full_text", "012_full_text_at_commit",
                    "013_creation_order", "014_outbox_partial_indexes", "015_title_order", "016_text_order", "017_small_pending_lists",
                    "018_title_order_by_id", "019_pending_index", "020_ticket_autovacuum", "021_field_values_by_object",
                    "022_customer_login_lower", "023_signatures", "024_service_assignments_by_login", "025_escalation_rebuild",
                    "026_escalating_tickets", "027_background_leases", "028_escalation_notify", "029_calendar_name", "030_personal_queues",
                    "031_personal_services", "032_permissions_by_group", "033_title_statistics", "034_customer_tickets_by_time",
                    "035_tickets_by_title", "036_history_and_articles_by_time",
                    "037_service_and_sla_tickets", "038_type_and_responsible_tickets", "039_agent_lists_from_the_index",
                    "040_priority_and_lock_tickets", "041_escalation_order", "042_pending_order",
                ])
            let again = try await Migrator(database: db.database, hasher: TestDatabase.hasher).migrate()
            #expect(again.applied.isEmpty)
            #expect(again.rootPassword == nil)
            #expect(
                try await Migrator(database: db.database).appliedVersions() == [
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
                    33, 34, 35, 36, 37, 38, 39, 40, 41, 42,
                ])
            let agents = try await db.store.read { try await $0.agents(ids: [1, 2]) }
            #expect(agents.count == 1)
        }
    }
}
