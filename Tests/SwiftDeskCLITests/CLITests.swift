import DeskStore
import DeskTestSupport
import Foundation
import Testing

/// Runs the built `swiftdesk` binary as an operator would.
@Suite("swiftdesk command line")
struct CLITests {
    struct Run {
        let status: Int32
        let output: String
        let error: String
    }

    /// The `swiftdesk` executable next to the test bundle (SwiftPM builds it for this target).
    static var binary: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("swiftdesk")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/swiftdesk")
    }

    func run(_ arguments: [String], databaseURL: String) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + ["--database-url", databaseURL]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
            error: String(decoding: error, as: UTF8.self))
    }

    @Test("external ids and face settings from the command line")
    func externalIDsAndFaceSettings() async throws {
        let (url, cleanup) = try await TestDatabase.create(.sqlite)
        defer { Task { try? await cleanup() } }
        let set = try run(
            ["external-id", "set", "--face", "osticket", "--kind", "topic", "--external", "1", "--core", "4"], databaseURL: url)
        #expect(set.status == 0, "\(set.error)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString).csv")
        try "face,kind,external id,core id\nwhmcs,department,1,4\nwhmcs,department,2,3\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try run(["external-id", "import", file.path], databaseURL: url).output.contains("Imported 2 mappings."))
        let all = try run(["external-id", "list"], databaseURL: url).output
        #expect(all.contains("osticket  topic  1  →  4") && all.contains("whmcs  department  2  →  3"))
        #expect(!(try run(["external-id", "list", "--face", "whmcs"], databaseURL: url).output.contains("osticket")))
        let missing = try run(["external-id", "remove", "--face", "whmcs", "--kind", "department", "--external", "9"], databaseURL: url)
        #expect(missing.status != 0 && missing.error.contains("external id 'whmcs/department/9' not found"))
        // A file saved on Windows: CR LF line ends.
        try "face,kind,external id,core id\r\nwhmcs,department,5,6\r\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try run(["external-id", "import", file.path], databaseURL: url).output.contains("Imported 1 mappings."))
        #expect(try run(["external-id", "list", "--face", "whmcs"], databaseURL: url).output.contains("whmcs  department  5  →  6"))
        try "whmcs,department\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(
            try run(["external-id", "import", file.path], databaseURL: url).error.contains(
                ":1: expected face,kind,external id,SwiftDesk id"))

        // rpc.pl's credential is a face setting: the password is never shown.
        #expect(try run(["config", "set", "SOAP::User", "rpc"], databaseURL: url).status == 0)
        let password = try run(["config", "set", "SOAP::Password", "rpc-secret"], databaseURL: url)
        #expect(password.output == "SOAP::Password = (set, hidden)\n")
        let list = try run(["config", "list"], databaseURL: url).output
        #expect(list.contains("SOAP::User = rpc ") && list.contains("SOAP::Password = (set, hidden)") && !list.contains("rpc-secret"))
        // Calendars 1-9 left as the defaults are named in one line; a changed one is listed.
        #expect(list.contains("# calendars 1, 2, 3, 4, 5, 6, 7, 8, 9 are as the defaults") && !list.contains("::Calendar1 ="))
        #expect(try run(["config", "set", "TimeZone::Calendar2", "Europe/Berlin"], databaseURL: url).status == 0)
        let changed = try run(["config", "list"], databaseURL: url).output
        #expect(changed.contains("TimeZone::Calendar2 = Europe/Berlin") && changed.contains("TimeWorkingHours::Calendar2 = Mon=8-20"))
        #expect(changed.contains("# calendars 1, 3, 4, 5, 6, 7, 8, 9 are as the defaults"))
        #expect(try run(["config", "list", "--all"], databaseURL: url).output.contains("TimeZone::Calendar9 = "))
    }

    @Test("admin commands work and explain bad input", arguments: TestDatabase.kinds)
    func adminCommands(kind: DatabaseKind) async throws {
        let (url, cleanup) = try await TestDatabase.create(kind)
        defer { Task { try? await cleanup() } }

        let first = try run(["migrate"], databaseURL: url)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("root@localhost"))
        #expect(first.output.contains("Password:"))
        let second = try run(["migrate"], databaseURL: url)
        #expect(second.status == 0)
        #expect(!second.output.contains("Password:"))
        #expect(!second.output.contains("Applied migrations"))

        let add = try run(
            [
                "user", "add", "--login", "olga", "--password", "secret-password", "--first", "Olga", "--last", "Agent",
                "--email", "olga@example.com", "--group", "users:rw", "--group", "stats:ro",
            ], databaseURL: url)
        #expect(add.status == 0, "\(add.error)")
        #expect(add.output.contains("Added agent olga"))
        let duplicate = try run(
            [
                "user", "add", "--login", "olga", "--password", "secret-password", "--first", "O", "--last", "A",
                "--email", "o@example.com",
            ], databaseURL: url)
        #expect(duplicate.status != 0)
        #expect(duplicate.error.contains("an agent with login 'olga' exists"))
        let badGroup = try run(
            [
                "user", "add", "--login", "nina", "--password", "secret-password", "--first", "N", "--last", "A",
                "--email", "n@example.com", "--group", "wizards:rw",
            ], databaseURL: url)
        #expect(badGroup.status != 0)
        #expect(badGroup.error.contains("group 'wizards' not found"))
        #expect(try run(["user", "password", "--login", "olga", "--password", "another-password"], databaseURL: url).status == 0)
        #expect(try run(["user", "password", "--login", "ghost", "--password", "another-password"], databaseURL: url).status != 0)

        let customer = try run(
            [
                "customer", "add", "--login", "cora", "--password", "secret-password", "--customer-id", "ACME",
                "--first", "Cora", "--last", "Customer", "--email", "cora@example.org",
            ], databaseURL: url)
        #expect(customer.status == 0, "\(customer.error)")
        #expect(try run(["queue", "add", "--name", "Hardware"], databaseURL: url).status == 0)
        #expect(try run(["queue", "add", "--name", "Hardware::Level 2"], databaseURL: url).status == 0)
        let badQueue = try run(["queue", "add", "--name", "Elsewhere", "--group", "nope"], databaseURL: url)
        #expect(badQueue.status != 0)
        #expect(badQueue.error.contains("group 'nope' not found"))
        let field = try run(
            [
                "dynamic-field", "add", "--name", "Severity", "--type", "Dropdown", "--object", "Ticket",
                "--values", "low=Low,high=High",
            ], databaseURL: url)
        #expect(field.status == 0, "\(field.error)")
        let badType = try run(["dynamic-field", "add", "--name", "X", "--type", "Blob", "--object", "Ticket"], databaseURL: url)
        #expect(badType.status != 0)
        #expect(badType.error.contains("unknown type 'Blob'"))
        #expect(try run(["config", "set", "SystemID", "42"], databaseURL: url).status == 0)
        let badSetting = try run(["config", "set", "SystemID", "4242"], databaseURL: url)
        #expect(badSetting.status != 0)
        #expect(badSetting.error.contains("SystemID"))
        let list = try run(["config", "list"], databaseURL: url)
        #expect(list.output.contains("SystemID = 42"))
        let myQueues = try run(["user", "queues", "--login", "olga", "--queue", "Hardware", "--queue", "Raw"], databaseURL: url)
        #expect(myQueues.output.contains("My Queues of olga: Hardware, Raw."), "\(myQueues.error)")
        let missing = try run(["user", "queues", "--login", "root@localhost", "--queue", "Nowhere"], databaseURL: url)
        #expect(missing.status != 0 && missing.error.contains("queue 'Nowhere' not found"))
        #expect(try run(["queue", "add", "--name", "Board", "--group", "admin"], databaseURL: url).status == 0)
        let unreadable = try run(["user", "queues", "--login", "olga", "--queue", "Board"], databaseURL: url)
        #expect(unreadable.status != 0 && unreadable.error.contains("ro or rw in group admin"), "\(unreadable.error)")
        let users = try run(["user", "list"], databaseURL: url)
        #expect(users.output.contains("1  root@localhost  Admin OTRS <root@localhost>  valid  users:rw admin:rw stats:rw\n"))
        #expect(users.output.contains("olga  Olga Agent <olga@example.com>  valid  users:rw stats:ro  my queues: Hardware, Raw"))
        let queues = try run(["queue", "list"], databaseURL: url)
        #expect(queues.output.contains("Hardware::Level 2  group users"))

        for command in [
            ["service", "add", "--name", "Email"], ["service", "add", "--name", "Email::Outage"], ["service", "add", "--name", "Phone"],
            ["service", "assign", "--name", "Email", "--customer", "cora"], ["service", "assign", "--name", "Phone", "--default"],
            ["sla", "add", "--name", "Gold", "--service", "Email", "--first-response", "60", "--solution", "480"],
            ["service", "set", "--name", "Phone", "--invalid"],
        ] {
            let result = try run(command, databaseURL: url)
            #expect(result.status == 0, "\(command): \(result.error)")
        }
        let orphan = try run(["service", "add", "--name", "Fax::Outage"], databaseURL: url)
        #expect(orphan.error.contains("parent service 'Fax' not found"))
        let nobody = try run(["service", "assign", "--name", "Email", "--customer", "nobody"], databaseURL: url)
        #expect(nobody.error.contains("customer user 'nobody' not found"))
        let both = try run(["service", "assign", "--name", "Email", "--customer", "cora", "--default"], databaseURL: url)
        #expect(both.status != 0 && both.error.contains("Give --customer or --default."))
        let services = try run(["service", "list"], databaseURL: url)
        #expect(services.output.contains("Email  valid  assigned to: cora\n"), "\(services.output)")
        #expect(services.output.contains("Email::Outage  valid  assigned to: nobody\n"))
        #expect(services.output.contains("Phone  invalid  assigned to: (default)\n"))
        let slas = try run(["sla", "list"], databaseURL: url)
        #expect(
            slas.output.contains(
                "Gold  first response 60 min, update 0 min, solution 480 min, notify 0/0/0 %, default calendar  services: Email  valid"),
            "\(slas.output)")
        let slaSet = try run(
            ["sla", "set", "--name", "Gold", "--service", "Phone", "--update", "30", "--solution-notify", "90", "--calendar", "2"],
            databaseURL: url)
        #expect(slaSet.status == 0, "\(slaSet.error)")
        #expect(
            try run(["sla", "list"], databaseURL: url).output.contains(
                "update 30 min, solution 480 min, notify 0/0/90 %, calendar 2  services: Phone"))

        let minutes = try run(
            ["queue", "set", "--name", "Hardware", "--first-response-minutes", "45", "--first-response-notify", "80"], databaseURL: url)
        #expect(
            minutes.status == 0 && minutes.output.contains("Queue Hardware's escalation minutes, percentages or calendar changed."),
            "\(minutes.error)")
        #expect(
            try run(["queue", "list"], databaseURL: url).output.contains(
                "Hardware  group users  first response 45 min, update 0 min, solution 0 min, notify 80/0/0 %, default calendar"))
        let calendar = try run(["queue", "set", "--name", "Hardware", "--calendar", "10"], databaseURL: url)
        #expect(calendar.status != 0 && calendar.error.contains("a calendar from 1 to 9"), "\(calendar.error)")
        let hours = try run(["config", "set", "TimeWorkingHours::Calendar2", "Mon=9-16;Sat=25"], databaseURL: url)
        #expect(hours.status != 0 && hours.error.contains("Mon=8-20;Tue=8-12,14-17"), "\(hours.error)")
        let percent = try run(["queue", "set", "--name", "Hardware", "--update-notify", "120"], databaseURL: url)
        #expect(percent.status != 0 && percent.error.contains("0 to 100 (per cent)"), "\(percent.error)")
        let negative = try run(["queue", "set", "--name", "Hardware", "--solution-minutes=-1"], databaseURL: url)
        #expect(negative.status != 0 && negative.error.contains("0 to 2147483647"), "\(negative.error)")
        let priority = try run(["priority", "add", "--name", "6 critical"], databaseURL: url)
        #expect(priority.status == 0 && priority.output.contains("Added priority 6 critical (id 6)."), "\(priority.error)")
        let samePriority = try run(["priority", "add", "--name", "6 critical"], databaseURL: url)
        #expect(samePriority.status != 0 && samePriority.error.contains("a priority named '6 critical' exists"), "\(samePriority.error)")
        #expect(try run(["priority", "list"], databaseURL: url).output.contains("5  5 very high  valid\n6  6 critical  valid\n"))
        let type = try run(["ticket-type", "add", "--name", "Incident"], databaseURL: url)
        #expect(type.status == 0 && type.output.contains("Added ticket type Incident (id 2)."), "\(type.error)")
        #expect(try run(["ticket-type", "set", "--name", "Incident", "--invalid"], databaseURL: url).status == 0)
        #expect(try run(["ticket-type", "list"], databaseURL: url).output.contains("2  Incident  invalid\n"))
        let state = try run(["state", "add", "--name", "parked", "--type", "pending later"], databaseURL: url)
        #expect(state.status != 0 && state.error.contains("pending later"), "\(state.error)")
        #expect(try run(["state", "add", "--name", "parked", "--type", "pending reminder"], databaseURL: url).status == 0)
        #expect(try run(["state", "list"], databaseURL: url).output.contains("  parked  pending reminder  valid\n"))

        let check = try run(["ticket", "escalation-check"], databaseURL: url)
        #expect(check.status == 0 && check.output.contains("Escalation check: 0 events written."), "\(check.output)")
        let rebuild = try run(["ticket", "escalation-rebuild"], databaseURL: url)
        #expect(
            rebuild.status == 0 && rebuild.output.contains("Escalation deadlines rebuilt: 1 tickets read, 0 changed"), "\(rebuild.output)")
    }

    @Test("migrating an existing database names the migrations it applied", arguments: TestDatabase.kinds)
    func upgrade(kind: DatabaseKind) async throws {
        let (url, cleanup) = try await TestDatabase.create(kind)
        defer { Task { try? await cleanup() } }
        let database = try Database(url: url, maxConnections: 2)
        _ = try await Migrator(database: database, hasher: TestDatabase.hasher).migrate(upTo: 10)
        await database.shutdown()

        let upgrade = try run(["migrate"], databaseURL: url)
        #expect(upgrade.status == 0, "\(upgrade.error)")
        let names = [
            "011_address_full_text", "012_full_text_at_commit", "013_creation_order", "014_outbox_partial_indexes",
            "015_title_order", "016_text_order", "017_small_pending_lists", "018_title_order_by_id", "019_pending_index",
            "020_ticket_autovacuum", "021_field_values_by_object", "022_customer_login_lower", "023_signatures",
            "024_service_assignments_by_login", "025_escalation_rebuild", "026_escalating_tickets",
            "027_background_leases", "028_escalation_notify", "029_calendar_name", "030_personal_queues", "031_personal_services",
            "032_permissions_by_group", "033_title_statistics", "034_customer_tickets_by_time", "035_tickets_by_title",
            "036_history_and_articles_by_time", "037_service_and_sla_tickets", "038_type_and_responsible_tickets",
            "039_agent_lists_from_the_index",
            "040_priority_and_lock_tickets",
            "041_escalation_order",
            "042_pending_order",
        ]
        let applying = names.map { "Applying migration \($0)…\n" }.joined()
        #expect(upgrade.output.contains(applying + "Applied migrations: " + names.joined(separator: ", ")))
        #expect(!upgrade.output.contains("Password:"))
    }

    @Test("a bad database URL and --help")
    func misc() throws {
        let bad = try run(["migrate"], databaseURL: "mysql://nope")
        #expect(bad.status != 0)
        #expect(bad.error.contains("error:"))
        let help = try run(["--help"], databaseURL: "x")
        for command in ["serve", "migrate", "user", "customer", "queue", "service", "sla", "ticket", "dynamic-field", "config"] {
            #expect(help.output.contains(command))
        }
    }
}

@Suite("swiftdesk webservice")
struct WebServiceCLITests {
    static let export = """
        ---
        Description: Ticket connector for our CRM
        FrameworkVersion: 7.0.19
        Provider:
          Operation:
            SessionCreate:
              Description: Creates a session
              MappingInbound: {}
              MappingOutbound: {}
              Type: Session::SessionCreate
            TicketSearch:
              Description: Search
              Type: Ticket::TicketSearch
            LinkAdd:
              Description: Not a core operation
              Type: Link::LinkAdd
          Transport:
            Config:
              KeepAlive: ''
              MaxLength: '100000000'
              RouteOperationMapping:
                SessionCreate:
                  RequestMethod:
                  - POST
                  Route: /Session
                TicketSearch:
                  RequestMethod:
                  - POST
                  Route: /Search
                LinkAdd:
                  RequestMethod:
                  - POST
                  Route: /LinkAdd
            Type: HTTP::REST
        RemoteSystem: ''
        """

    @Test("import reports unsupported operations, then imports with --skip-unsupported; routes can be added")
    func importAndRoute() async throws {
        let (url, cleanup) = try await TestDatabase.create(.sqlite)
        defer { Task { try? await cleanup() } }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crm-\(UUID().uuidString).yml")
        try Self.export.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let cli = CLITests()

        let refused = try cli.run(["webservice", "import", file.path, "--name", "CRM"], databaseURL: url)
        #expect(refused.status != 0)
        #expect(refused.error.contains("LinkAdd (Link::LinkAdd)"))
        let imported = try cli.run(["webservice", "import", file.path, "--name", "CRM", "--skip-unsupported"], databaseURL: url)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.output.contains("2 operations"))

        let route = try cli.run(
            [
                "webservice", "route", "add", "--webservice", "GenericTicketConnectorREST", "--method", "POST",
                "--route", "/search", "--operation", "TicketSearch",
            ], databaseURL: url)
        #expect(route.status == 0, "\(route.error)")
        let badRoute = try cli.run(
            [
                "webservice", "route", "add", "--webservice", "Nope", "--method", "POST",
                "--route", "/x", "--operation", "TicketSearch",
            ], databaseURL: url)
        #expect(badRoute.status != 0)
        #expect(badRoute.error.contains("web service 'Nope' not found"))
        let list = try cli.run(["webservice", "list"], databaseURL: url)
        #expect(list.output.contains("CRM  HTTP::REST"))
        #expect(list.output.contains("POST /Search  TicketSearch → Ticket::TicketSearch"))
        #expect(list.output.contains("POST /search  TicketSearch2 → Ticket::TicketSearch"))
    }
}
