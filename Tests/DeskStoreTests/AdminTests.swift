import DeskCore
import DeskStore
import DeskTestSupport
import Testing

@Suite("Administration and authentication")
struct AdminTests {
    @Test("agents and customers authenticate with their own passwords only", arguments: TestDatabase.kinds)
    func authentication(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            _ = try await desk.agent("olga", grants: ["users:rw", "stats:ro"])
            _ = try await desk.customer("cora", customerID: "ACME")
            let olga = try #require(try await desk.agentLogin("olga", "secret-password"))
            #expect(olga.has(.create, inGroup: 1))
            #expect(olga.has(.ro, inGroup: 3))
            #expect(!olga.has(.rw, inGroup: 3))
            #expect(try await desk.agentLogin("olga", "wrong-password") == nil)
            #expect(try await desk.agentLogin("nobody", "secret-password") == nil)
            #expect(try await desk.agentLogin("cora", "secret-password") == nil)
            let cora = try #require(try await desk.customerLogin("cora", "secret-password"))
            #expect(cora.customerIDs == ["ACME"])
            try await desk.admin.setAgentPassword(login: "olga", password: "another-password")
            #expect(try await desk.agentLogin("olga", "secret-password") == nil)
            #expect(try await desk.agentLogin("olga", "another-password") != nil)
        }
    }

    @Test(
        "accepted logins and sessions are remembered: forgotten at once on a change in this process, after 2 s on a change in another",
        arguments: TestDatabase.kinds)
    func rememberedLogins(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let clock = TestClock()
            let desk = Desk(db, clock: clock.clock)
            let olga = try await desk.agent("olga", grants: ["users:rw"])
            let session = try await desk.services.sessions.create(for: olga, source: "test")
            func sessionHasStats() async throws -> Bool {
                guard case .agent(let agent)? = try await desk.services.sessions.principal(sessionID: session) else { return false }
                return agent.has(.rw, inGroup: 3)
            }
            #expect(try #require(try await desk.agentLogin("olga", "secret-password")).has(.rw, inGroup: 3) == false)
            #expect(try await sessionHasStats() == false)
            try await desk.admin.grant(login: "olga", grants: [try AdminService.Grant(parsing: "stats:rw")])
            #expect(try #require(try await desk.agentLogin("olga", "secret-password")).has(.rw, inGroup: 3))
            #expect(try await sessionHasStats())

            let otherProcess = Desk(store: SQLDeskStore(database: db.database), clock: clock.clock)
            try await otherProcess.admin.setAgentPassword(login: "olga", password: "another-password")
            #expect(try await desk.agentLogin("olga", "secret-password") != nil)
            clock.advance(2)
            #expect(try await desk.agentLogin("olga", "secret-password") == nil)
            #expect(try await desk.agentLogin("olga", "another-password") != nil)
            #expect(try await otherProcess.agentLogin("olga", "secret-password") == nil)
        }
    }

    @Test(
        "a ticket's agents come from the kept agents: a change in this process shows at once, one in another after the lifetime",
        arguments: TestDatabase.kinds)
    func keptAgents(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(store: SQLDeskStore(database: db.database, catalogLifetime: 0.5))
            let root = try await desk.root()
            _ = try await desk.agent("olga", grants: ["users:rw"])
            var request = Desk.simpleTicket()
            request.owner = .name("olga")
            let ticketID = try await desk.tickets.create(request, by: root).ticketID
            func owner() async throws -> Agent? {
                let details = try await desk.tickets.get(ticketID: ticketID, by: root)
                return details.agents[details.ticket.ownerID]
            }
            #expect(try await owner()?.login == "olga")
            #expect(try await owner()?.outOfOffice == false)
            // Through this store: at once.
            try await desk.admin.setOutOfOffice([.init(login: "olga", enabled: true, start: "2026-11-20", end: "2026-11-30")], by: root)
            #expect(try await owner()?.outOfOffice == true)
            // A new agent is named at once too (the kept agents were read before it existed).
            _ = try await desk.agent("pia", grants: ["users:rw"])
            var update = TicketUpdateRequest()
            update.responsible = .name("pia")
            _ = try await desk.tickets.update(ticketID: ticketID, update, by: root)
            let details = try await desk.tickets.get(ticketID: ticketID, by: root)
            #expect(details.agents[details.ticket.responsibleID]?.login == "pia")
            // Through another process: after the lifetime at the latest.
            let otherProcess = Desk(store: SQLDeskStore(database: db.database))
            try await otherProcess.admin.setOutOfOffice([.init(login: "olga", enabled: false, start: nil, end: nil)], by: root)
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await owner()?.outOfOffice == false)
        }
    }

    @Test("duplicates, unknown groups and bad values are refused", arguments: TestDatabase.kinds)
    func badInput(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            _ = try await desk.agent("olga", grants: [])
            await #expect(throws: DeskError.conflict(.exists(.agent, key: "olga"))) {
                _ = try await desk.agent("olga", grants: [])
            }
            await #expect(throws: DeskError.notFound(.group, key: "nope")) {
                _ = try await desk.agent("nina", grants: ["nope:rw"])
            }
            #expect(throws: DeskError.self) { try AdminService.Grant(parsing: "users:write") }
            await #expect(throws: DeskError.conflict(.exists(.queue, key: "Misc"))) { try await desk.admin.addQueue(name: "Misc") }
            await #expect(throws: DeskError.notFound(.parentQueue, key: "Nope")) { try await desk.admin.addQueue(name: "Nope::Child") }
            await #expect(throws: DeskError.self) {
                try await desk.admin.addDynamicField(
                    name: "Bad Name", label: nil, type: .text, object: .ticket, possibleValues: [], possibleNone: false)
            }
            await #expect(throws: DeskError.self) {
                try await desk.admin.addDynamicField(
                    name: "Choice", label: nil, type: .dropdown, object: .ticket, possibleValues: [], possibleNone: false)
            }
            await #expect(throws: DeskError.self) { try await desk.admin.setSetting(key: "SystemID", value: "abc") }
            await #expect(throws: DeskError.self) { try await desk.admin.setSetting(key: "NoSuchKey", value: "1") }
            try await desk.admin.setSetting(key: "FQDN", value: "desk.example.com")
            try await desk.admin.setSetting(key: "FQDN", value: "help.example.com")
            let settings = try await db.store.read { try await $0.catalog().settings }
            #expect(settings["FQDN"] == "help.example.com")
        }
    }
}
