import DeskCore
import DeskStore
import DeskTestSupport
import Testing

/// Znuny's `TicketEscalationIndexBuild`, run after the changes it listens to: which articles
/// answer the first response, where the update deadline starts, what pending and closing do.
@Suite("Escalation deadlines")
struct EscalationTests {
    /// The ticket's four deadlines relative to `Desk.now` (0 stays 0).
    private static func deadlines(_ desk: Desk, _ id: Int) async throws -> [Int64] {
        let ticket = try #require(try await desk.store.read { try await $0.ticket(id: id) })
        return [ticket.escalationTime, ticket.escalationResponseTime, ticket.escalationUpdateTime, ticket.escalationSolutionTime]
            .map { $0 == 0 ? 0 : $0 - Desk.now }
    }

    /// Updates ticket `id` as root, `seconds` after `Desk.now`.
    private static func update(_ db: TestDatabase.Handle, _ id: Int, at seconds: Int64, _ request: TicketUpdateRequest) async throws {
        let later = Desk(db, clock: .fixed(Desk.now + seconds))
        _ = try await later.tickets.update(ticketID: id, request, by: try await later.root())
    }

    private static func article(_ sender: String, visible: Bool = true) -> ArticleDraft {
        ArticleDraft(subject: "Re", body: "Text", senderType: .name(sender), isVisibleForCustomer: visible)
    }

    @Test(
        "an agent's visible answer is the first response; the update deadline runs from the last customer contact",
        arguments: TestDatabase.kinds)
    func lifecycle(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, updateMinutes: 120, solutionMinutes: 480)
            var request = Desk.simpleTicket(queue: "Support")
            request.articles[0].senderType = .name("customer")
            let id = try await desk.tickets.create(request, by: try await desk.root()).ticketID
            // escalation, first response, update, solution
            #expect(try await Self.deadlines(desk, id) == [3_600, 3_600, 7_200, 28_800])

            try await Self.update(db, id, at: 600, TicketUpdateRequest(articles: [Self.article("agent")]))
            #expect(try await Self.deadlines(desk, id) == [7_800, 0, 7_800, 28_800])

            // Two follow-ups in a row: the deadline starts at the older one.
            try await Self.update(db, id, at: 1_200, TicketUpdateRequest(articles: [Self.article("customer")]))
            try await Self.update(db, id, at: 1_800, TicketUpdateRequest(articles: [Self.article("customer")]))
            #expect(try await Self.deadlines(desk, id) == [8_400, 0, 8_400, 28_800])

            // An internal note and a system article are no contact.
            try await Self.update(db, id, at: 2_400, TicketUpdateRequest(articles: [Self.article("agent", visible: false)]))
            try await Self.update(db, id, at: 2_500, TicketUpdateRequest(articles: [Self.article("system")]))
            #expect(try await Self.deadlines(desk, id) == [8_400, 0, 8_400, 28_800])

            // Pending: no update deadline.
            try await Self.update(
                db, id, at: 3_000, TicketUpdateRequest(state: .name("pending reminder"), pendingUntil: Desk.now + 86_400))
            #expect(try await Self.deadlines(desk, id) == [28_800, 0, 0, 28_800])

            // Closed: none; reopened: the solution stays done, the update deadline comes back.
            try await Self.update(db, id, at: 3_600, TicketUpdateRequest(state: .name("closed successful")))
            #expect(try await Self.deadlines(desk, id) == [0, 0, 0, 0])
            try await Self.update(db, id, at: 4_200, TicketUpdateRequest(state: .name("open")))
            #expect(try await Self.deadlines(desk, id) == [8_400, 0, 8_400, 0])
        }
    }

    @Test("deadlines count working time: Monday to Friday, 08:00 to 21:00 UTC", arguments: TestDatabase.kinds)
    func workingTime(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            func at(_ text: String) throws -> Int64 { try #require(CivilDate(timestamp: text)?.unixSeconds) }
            let desk = Desk(db, clock: .fixed(try at("2026-11-27 20:30:00")))  // a Friday
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, updateMinutes: 120, solutionMinutes: 480)
            var request = Desk.simpleTicket(queue: "Support")
            request.articles[0].senderType = .name("customer")
            let id = try await desk.tickets.create(request, by: try await desk.root()).ticketID
            let ticket = try #require(try await desk.store.read { try await $0.ticket(id: id) })
            #expect(ticket.escalationResponseTime == (try at("2026-11-30 08:30:00")))
            #expect(ticket.escalationUpdateTime == (try at("2026-11-30 09:30:00")))
            #expect(ticket.escalationSolutionTime == (try at("2026-11-30 15:30:00")))
            #expect(ticket.escalationTime == ticket.escalationResponseTime)
        }
    }

    @Test("a move into a queue with escalation times sets them from the ticket's creation", arguments: TestDatabase.kinds)
    func move(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, solutionMinutes: 480)
            var request = Desk.simpleTicket(queue: "Misc")
            request.articles[0].senderType = .name("customer")
            let id = try await desk.tickets.create(request, by: try await desk.root()).ticketID
            #expect(try await Self.deadlines(desk, id) == [0, 0, 0, 0])
            try await Self.update(db, id, at: 900, TicketUpdateRequest(queue: .name("Support")))
            #expect(try await Self.deadlines(desk, id) == [3_600, 3_600, 0, 28_800])
            // The agent's answer on create counts too: no first response deadline at all.
            let answered = try await desk.tickets.create(Desk.simpleTicket(queue: "Support"), by: try await desk.root()).ticketID
            #expect(try await Self.deadlines(desk, answered) == [28_800, 0, 0, 28_800])
            try await Self.update(db, id, at: 1_000, TicketUpdateRequest(queue: .name("Misc")))
            #expect(try await Self.deadlines(desk, id) == [0, 0, 0, 0])
        }
    }
}
