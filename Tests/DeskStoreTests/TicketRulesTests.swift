import DeskCore
import DeskStore
import DeskTestSupport
import Testing

@Suite("Ticket history, permissions, transactions, numbers")
struct TicketRulesTests {
    @Test("create and update record events in Znuny's order, each with the ticket as it was then", arguments: TestDatabase.kinds)
    func events(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            _ = try await desk.customer("cora", customerID: "ACME")
            _ = try await desk.agent("olga", grants: ["users:rw"])
            let created = try await desk.tickets.create(Desk.simpleTicket(customer: "cora"), by: root)
            _ = try await desk.tickets.update(
                ticketID: created.ticketID,
                TicketUpdateRequest(
                    title: "Printer fixed", state: .name("open"), priority: .name("4 high"), owner: .name("olga"),
                    articles: [ArticleDraft(subject: "Note", body: "Replaced toner", timeUnit: 2)]), by: root)
            let events = try await desk.tickets.history(ticketID: created.ticketID, by: root)
            // The update's agent article is in the same second as the create (fixed clock), so
            // there is no second unlock-timer reset.
            #expect(
                events.map(\.change.kind) == [
                    "TicketCreated", "CustomerChanged", "ArticleAdded", "UnlockTimeoutReset", "TitleChanged", "StateChanged",
                    "PendingTimeSet", "PriorityChanged", "OwnerChanged", "ArticleAdded", "TimeAccounted", "AgentNotified",
                ])
            #expect(events[0].change == .created(number: created.ticketNumber))
            #expect(events[1].change == .customer(customerID: "ACME", customerUser: "cora"))
            #expect(events[2].articleID == created.articleIDs[0])
            #expect(events[4].change == .title(old: "Printer on fire", new: "Printer fixed"))
            #expect(events[5].change == .state(old: NamedID(id: 1, name: "new"), new: NamedID(id: 4, name: "open")))
            #expect(events[6].change == .pendingTime(0))
            #expect(events[7].change == .priority(old: NamedID(id: 3, name: "3 normal"), new: NamedID(id: 4, name: "4 high")))
            guard case .owner(_, let owner) = events[8].change else {
                Issue.record("no owner change")
                return
            }
            #expect(owner.name == "olga")
            #expect(events[10].change == .timeAccounted(unit: 2, total: 2))
            // Each event carries the ticket as it was right after it: the title change still
            // sees the old state, the state change and everything after it the new one.
            #expect(events[4].snapshot.stateID == 1)
            #expect(events[5].snapshot.stateID == 4)
            #expect(events[5].snapshot.priorityID == 3)
            #expect(events[7].snapshot.priorityID == 4)
            #expect(events[7].snapshot.ownerID == 1)
            #expect(events[8].snapshot.ownerID == owner.id)
            #expect(events.last?.snapshot.stateID == 4)

            // An update that changes nothing records nothing.
            _ = try await desk.tickets.update(ticketID: created.ticketID, TicketUpdateRequest(state: .name("open")), by: root)
            #expect(try await desk.tickets.history(ticketID: created.ticketID, by: root).count == events.count)
        }
    }

    @Test("agents need group permissions; customers see only their own tickets", arguments: TestDatabase.kinds)
    func permissions(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let reader = try await desk.agent("rita", grants: ["users:ro"])
            let outsider = try await desk.agent("otto", grants: [])
            let cora = try await desk.customer("cora", customerID: "ACME")
            let other = try await desk.customer("bob", customerID: "OTHER")
            await #expect(throws: DeskError.accessDenied(.createTicket(queue: "Misc"))) {
                try await desk.tickets.create(Desk.simpleTicket(), by: reader)
            }
            let created = try await desk.tickets.create(Desk.simpleTicket(customer: "cora"), by: root)
            _ = try await desk.tickets.get(ticketID: created.ticketID, by: reader)
            await #expect(throws: DeskError.notFound(.ticket, key: String(created.ticketID))) {
                try await desk.tickets.get(ticketID: created.ticketID, by: outsider)
            }
            await #expect(throws: DeskError.accessDenied(.changePriority)) {
                try await desk.tickets.update(ticketID: created.ticketID, TicketUpdateRequest(priority: .name("5 very high")), by: reader)
            }
            await #expect(throws: DeskError.accessDenied(.addArticle)) {
                try await desk.tickets.addArticle(ticketID: created.ticketID, ArticleDraft(subject: "x", body: "y"), by: reader)
            }
            _ = try await desk.tickets.get(ticketID: created.ticketID, by: cora)
            await #expect(throws: DeskError.notFound(.ticket, key: String(created.ticketID))) {
                try await desk.tickets.get(ticketID: created.ticketID, by: other)
            }
            await #expect(throws: DeskError.accessDenied(.moveTicket)) {
                try await desk.tickets.update(ticketID: created.ticketID, TicketUpdateRequest(queue: .name("Junk")), by: cora)
            }
            await #expect(throws: DeskError.accessDenied(.readHistory)) {
                try await desk.tickets.history(ticketID: created.ticketID, by: cora)
            }
            // Internal notes stay hidden from the customer.
            _ = try await desk.tickets.addArticle(
                ticketID: created.ticketID, ArticleDraft(subject: "internal", body: "secret", isVisibleForCustomer: false), by: root)
            let seenByCustomer = try await desk.tickets.get(ticketID: created.ticketID, by: cora)
            #expect(seenByCustomer.articles.map(\.subject) == ["Help"])
            #expect(try await desk.tickets.get(ticketID: created.ticketID, by: root).articles.count == 2)
            // A customer's reply is recorded as the customer panel user with sender type customer.
            let replyID = try await desk.tickets.addArticle(
                ticketID: created.ticketID, ArticleDraft(subject: "Re", body: "thanks"), by: cora)
            let reply = try #require(try await desk.tickets.get(ticketID: created.ticketID, by: root).articles.first { $0.id == replyID })
            #expect(reply.senderTypeID == 3)
            #expect(reply.createdBy == 1)
            #expect(reply.from == "\"Cora Customer\" <cora@example.org>")
        }
    }

    @Test("a statement failing in the middle of a create leaves nothing behind", arguments: TestDatabase.kinds)
    func rollback(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            _ = try await desk.tickets.create(Desk.simpleTicket(), by: root)
            func counts() async throws -> [Int] {
                try await db.store.read { reader in
                    var result: [Int] = []
                    for id in 1...5 { result.append(try await reader.ticket(id: id) == nil ? 0 : 1) }
                    return result
                }
            }
            let before = try await counts()
            // Make the attachment insert, which runs after the ticket, article and counter, fail.
            switch kind {
            case .sqlite:
                try await db.database.execute(
                    """
                    CREATE TRIGGER fail_attachments BEFORE INSERT ON attachments
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
            case .postgres:
                try await db.database.execute(
                    """
                    CREATE FUNCTION fail_attachments() RETURNS trigger AS $$
                    BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql
                    """)
                try await db.database.execute(
                    """
                    CREATE TRIGGER fail_attachments BEFORE INSERT ON attachments FOR EACH ROW EXECUTE FUNCTION fail_attachments()
                    """)
            }
            var request = Desk.simpleTicket()
            request.articles[0].attachments = [AttachmentDraft(filename: "a.txt", contentType: "text/plain", content: Array("x".utf8))]
            await #expect(throws: (any Error).self) { try await desk.tickets.create(request, by: root) }
            #expect(try await counts() == before)
            try await db.database.execute("DROP TRIGGER fail_attachments\(kind == .postgres ? " ON attachments" : "")")
            let next = try await desk.tickets.create(Desk.simpleTicket(), by: root)
            // The failed create's ticket number was rolled back with it: numbers stay gap-free.
            // (Row ids may skip on PostgreSQL, whose sequences are not transactional.)
            #expect(next.ticketNumber.dropLast().hasSuffix("00002"))
        }
    }

    @Test("a merge target is never merged: a target update into a merged state is refused and nothing moves", arguments: TestDatabase.kinds)
    func mergeTargetStaysUnmerged(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let source = try await desk.tickets.create(Desk.simpleTicket(), by: root)
            let target = try await desk.tickets.create(Desk.simpleTicket(), by: root)
            await #expect(throws: DeskError.invalid(.state, .notPossible("merged"))) {
                try await desk.tickets.merge(
                    [source.ticketID], into: target.ticketID, targetUpdate: TicketUpdateRequest(state: .name("merged")), by: root)
            }
            #expect(try await desk.tickets.get(ticketID: source.ticketID, by: root).articles.count == 1)
            #expect(try await desk.tickets.get(ticketID: target.ticketID, by: root).articles.count == 1)
            try await desk.tickets.merge(
                [source.ticketID], into: target.ticketID, targetUpdate: TicketUpdateRequest(state: .name("open")), by: root)
            let merged = try await desk.tickets.get(ticketID: target.ticketID, by: root)
            #expect(merged.articles.count == 2 && merged.ticket.stateID == 4)
        }
    }

    @Test("DateChecksum numbers count per day and carry a check digit; AutoIncrement is selectable", arguments: TestDatabase.kinds)
    func ticketNumbers(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let first = try await desk.tickets.create(Desk.simpleTicket(), by: root).ticketNumber
            let second = try await desk.tickets.create(Desk.simpleTicket(), by: root).ticketNumber
            #expect(first.hasPrefix("20261125" + "10" + "00001"))
            #expect(second.hasPrefix("20261125" + "10" + "00002"))
            #expect(first.count == 16)
            #expect(String(TicketNumberGenerator.checkDigit(of: String(first.dropLast()))) == String(first.last!))
            let nextDay = TicketService(store: db.store, clock: .fixed(Desk.now + 86_400))
            #expect(try await nextDay.create(Desk.simpleTicket(), by: root).ticketNumber.hasPrefix("20261126" + "10" + "00001"))

            try await desk.admin.setSetting(key: "Ticket::NumberGenerator", value: "AutoIncrement")
            try await desk.admin.setSetting(key: "SystemID", value: "42")
            #expect(try await desk.tickets.create(Desk.simpleTicket(), by: root).ticketNumber == "4200001")
            #expect(try await desk.tickets.create(Desk.simpleTicket(), by: root).ticketNumber == "4200002")
        }
    }

    @Test("concurrent creates get distinct ticket numbers", arguments: TestDatabase.kinds)
    func concurrentCreates(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<24 {
                    group.addTask { try await desk.tickets.create(Desk.simpleTicket(title: "t\(index)"), by: root).ticketNumber }
                }
                var all: [String] = []
                for try await number in group { all.append(number) }
                return all
            }
            #expect(Set(numbers).count == 24)
        }
    }

    @Test("pending states need a time; closing unlocks and stops escalation", arguments: TestDatabase.kinds)
    func stateRules(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, solutionMinutes: 480)
            try await desk.admin.addQueue(name: "Support::Level 2")
            _ = try await desk.agent("olga", grants: ["users:rw"])
            var request = Desk.simpleTicket(queue: "Support")
            request.owner = .name("olga")
            // A customer's message: an agent's visible article would count as the first response.
            request.articles[0].senderType = .name("customer")
            let created = try await desk.tickets.create(request, by: root)
            var ticket = try await desk.tickets.get(ticketID: created.ticketID, by: root).ticket
            #expect(ticket.escalationResponseTime == Desk.now + 3600)
            #expect(ticket.escalationSolutionTime == Desk.now + 480 * 60)
            #expect(ticket.escalationTime == Desk.now + 3600)
            await #expect(throws: DeskError.invalid(.pendingTime, .needsPendingTime)) {
                try await desk.tickets.update(ticketID: created.ticketID, TicketUpdateRequest(state: .name("pending reminder")), by: root)
            }
            _ = try await desk.tickets.update(
                ticketID: created.ticketID,
                TicketUpdateRequest(
                    state: .name("pending reminder"), pendingUntil: Desk.now + 7200), by: root)
            ticket = try await desk.tickets.get(ticketID: created.ticketID, by: root).ticket
            #expect(ticket.pendingUntil == Desk.now + 7200)
            _ = try await desk.tickets.update(
                ticketID: created.ticketID,
                TicketUpdateRequest(
                    queue: .name("Support::Level 2"), state: .name("closed successful")), by: root)
            ticket = try await desk.tickets.get(ticketID: created.ticketID, by: root).ticket
            #expect(ticket.lockID == LockID.unlock)
            #expect(ticket.escalationTime == 0)
            let catalog = try await db.store.read { try await $0.catalog() }
            #expect(catalog.queues["Support::Level 2"]?.parentID == catalog.queues["Support"]?.id)
            #expect(ticket.queueID == catalog.queues["Support::Level 2"]?.id)
        }
    }
}
