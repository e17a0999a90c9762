import DeskCore
import DeskStore
import DeskTestSupport
import Testing

@Suite("Agent notifications")
struct AgentNotificationTests {
    static func note(_ notifications: ArticleNotifications = ArticleNotifications()) -> ArticleDraft {
        ArticleDraft(subject: "Checked", body: "The toner is empty.", notifications: notifications, label: "AddNote")
    }

    /// The `agentNotified` events of the ticket, as (notification, login).
    static func notified(_ desk: Desk, _ ticketID: Int, by root: Principal) async throws -> [(String, String)] {
        try await desk.tickets.history(ticketID: ticketID, by: root).compactMap { event in
            guard case .agentNotified(let notification, let login, let transport) = event.change else { return nil }
            #expect(transport == "Email")
            return (notification, login)
        }
    }

    @Test("owner and responsible changes and notes notify as Znuny does, and are queued as mail", arguments: TestDatabase.kinds)
    func znunyDefaults(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let olga = try await desk.agent("olga", grants: ["users:rw"])
            _ = try await desk.agent("rita", grants: ["users:ro"])
            var request = Desk.simpleTicket()
            request.owner = .name("olga")
            let created = try await desk.tickets.create(request, by: root)
            var pairs = try await Self.notified(desk, created.ticketID, by: root).map { "\($0.0)|\($0.1)" }
            #expect(pairs == ["Ticket owner update notification|olga"])
            // The notification row comes after the request's own rows.
            let history = try await desk.tickets.history(ticketID: created.ticketID, by: root)
            if case .agentNotified = history.last?.change {} else { Issue.record("not last: \(history.map(\.change.kind))") }

            var update = TicketUpdateRequest()
            update.responsible = .name("rita")
            update.articles = [Self.note()]
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            pairs = try await Self.notified(desk, created.ticketID, by: root).map { "\($0.0)|\($0.1)" }
            // Znuny's default: `Ticket::Responsible` off, so the responsible agent hears nothing.
            #expect(pairs == ["Ticket owner update notification|olga", "Ticket new note notification|olga"])

            // Not the acting agent; not when NoAgentNotify; not those excluded; not when switched off.
            update = TicketUpdateRequest()
            update.articles = [Self.note()]
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: olga)
            update.articles = [Self.note(ArticleNotifications(none: true))]
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            update.articles = [Self.note(ArticleNotifications(exclude: [try await desk.agentID("olga")]))]
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            try await desk.admin.setSetting(key: "Notification::NewNote", value: "0")
            update.articles = [Self.note()]
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            #expect(try await Self.notified(desk, created.ticketID, by: root).count == 2)
            try await desk.admin.setSetting(key: "Notification::NewNote", value: "1")
            update.articles = [ArticleDraft(subject: "Plain", body: "a reply", label: "SendAnswer")]
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            #expect(try await Self.notified(desk, created.ticketID, by: root).count == 2)

            let queued = try await desk.services.outbox.list()
            #expect(queued.compactMap(\.notification) == [.newNote, .ownerUpdate])
            // One ticket's messages are claimed one at a time, in the order they were queued.
            var mails: [OutgoingMail] = []
            for _ in 0..<2 {
                let claimed = try await desk.services.outbox.claim(limit: 10, leaseSeconds: 60)
                #expect(claimed.count == 1)
                mails += claimed
                for mail in claimed { try await desk.services.outbox.finish(mail, .sent(answer: "250 ok")) }
            }
            #expect(mails.compactMap(\.entry.notification) == [.ownerUpdate, .newNote])
            let owner = try #require(mails.first { $0.entry.notification == .ownerUpdate })
            #expect(owner.recipients == ["olga@example.com"])
            #expect(owner.headerFrom == "\"Znuny Notifications\" <otrs@localhost>")
            #expect(owner.envelopeFrom == "otrs@localhost")
            guard case .notification(let about) = owner.content else {
                Issue.record("not a notification")
                return
            }
            #expect(about.recipient.login == "olga")
            #expect(about.actor?.login == "root@localhost")
            #expect(about.owner?.login == "olga")
            let noteMail = try #require(mails.first { $0.entry.notification == .newNote })
            guard case .notification(let noteAbout) = noteMail.content else {
                Issue.record("not a notification")
                return
            }
            #expect(noteAbout.article?.body == "The toner is empty.")

            // With `Ticket::Responsible` on, the responsible agent is told and may read the ticket
            // (Znuny's ResponsibleCheck) even with `ro` only.
            try await desk.admin.setSetting(key: "Ticket::Responsible", value: "1")
            _ = try await desk.agent("ruth", grants: ["users:ro"])
            update = TicketUpdateRequest()
            update.responsible = .name("ruth")
            update.articles = [Self.note()]
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            pairs = try await Self.notified(desk, created.ticketID, by: root).map { "\($0.0)|\($0.1)" }
            #expect(
                Array(pairs.dropFirst(2)) == [
                    "Ticket responsible update notification|ruth", "Ticket new note notification|olga", "Ticket new note notification|ruth",
                ])

            // Another agent's unlock tells the owner (Znuny's lock timeout notification); the
            // owner's own unlock and a move's forced unlock do not.
            update = TicketUpdateRequest()
            update.lock = .name("lock")
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            update.lock = .name("unlock")
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            update.lock = .name("lock")
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            update.lock = .name("unlock")
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: olga)
            update = TicketUpdateRequest()
            update.lock = .name("lock")
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            update = TicketUpdateRequest()
            update.queue = .name("Raw")
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            pairs = try await Self.notified(desk, created.ticketID, by: root).map { "\($0.0)|\($0.1)" }
            #expect(pairs.filter { $0.hasPrefix("Ticket lock timeout") } == ["Ticket lock timeout notification|olga"])
        }
    }

    @Test("follow-ups notify the owner, and on locked tickets the responsible too", arguments: TestDatabase.kinds)
    func followUps(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            _ = try await desk.agent("olga", grants: ["users:rw"])
            _ = try await desk.agent("rita", grants: ["users:rw"])
            var request = Desk.simpleTicket()
            request.owner = .name("olga")
            request.responsible = .name("rita")
            request.lock = .name("unlock")
            try await desk.admin.setSetting(key: "Ticket::Responsible", value: "1")
            let created = try await desk.tickets.create(request, by: root)
            var update = TicketUpdateRequest()
            update.articles = [ArticleDraft(subject: "More", body: "It happened again.", senderType: .name("customer"), label: "FollowUp")]
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            update.lock = .name("lock")
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            let pairs = try await Self.notified(desk, created.ticketID, by: root).map { "\($0.0)|\($0.1)" }
            #expect(
                pairs == [
                    "Ticket owner update notification|olga", "Ticket responsible update notification|rita",
                    "Ticket follow-up notification (unlocked)|olga", "Ticket follow-up notification (locked)|olga",
                    "Ticket follow-up notification (locked)|rita",
                ])
        }
    }
}

extension AgentNotificationTests {
    @Test(
        "My Queues subscribers hear of new tickets, moves and follow-ups on unlocked tickets in their queues",
        arguments: TestDatabase.kinds)
    func personalQueues(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            _ = try await desk.agent("olga", grants: ["users:rw"])
            _ = try await desk.agent("sam", grants: ["users:ro"])
            let nina = try await desk.agent("nina", grants: ["users:rw"])
            _ = try await desk.agent("dora", grants: ["stats:rw"])
            try await desk.admin.setPersonalQueues(login: "olga", queues: ["Misc", "Raw"])
            try await desk.admin.setPersonalQueues(login: "sam", queues: ["Raw"])
            // Only queues the agent may read; only queues that exist.
            await #expect(throws: DeskError.invalid(.other("queue Misc"), .outOfRange("a queue dora may read (ro or rw in group users)"))) {
                try await desk.admin.setPersonalQueues(login: "dora", queues: ["Misc"])
            }
            await #expect(throws: DeskError.notFound(.queue, key: "Nope")) {
                try await desk.admin.setPersonalQueues(login: "nina", queues: ["Nope"])
            }
            let listed = try await desk.admin.agentListings().map { "\($0.agent.login): \($0.personalQueues.joined(separator: ","))" }
            #expect(listed.contains("olga: Misc,Raw") && listed.contains("sam: Raw") && listed.contains("dora: "))

            // A first article recorded as a customer's mail or web request announces the ticket;
            // the GenericInterface's default `NewTicket` (and no history type) does not.
            func create(label: String?, queue: String = "Misc") async throws -> Int {
                var request = Desk.simpleTicket(queue: queue)
                request.articles[0].label = label
                return try await desk.tickets.create(request, by: root).ticketID
            }
            func pairs(_ id: Int) async throws -> [String] { try await Self.notified(desk, id, by: root).map { "\($0.0)|\($0.1)" } }
            let mailed = try await create(label: "EmailCustomer")
            #expect(try await pairs(mailed) == ["Ticket create notification|olga"])
            #expect(try await pairs(try await create(label: "NewTicket")) == [])
            #expect(try await pairs(try await create(label: nil, queue: "Raw")) == [])
            #expect(
                try await pairs(try await create(label: "WebRequestCustomer", queue: "Raw")) == [
                    "Ticket create notification|olga", "Ticket create notification|sam",
                ])

            // A move tells the new queue's subscribers, also when the same request closes the
            // ticket (Znuny moves first); a closed ticket's move tells nobody.
            var update = TicketUpdateRequest()
            update.queue = .name("Raw")
            update.state = .name("closed successful")
            _ = try await desk.tickets.update(ticketID: mailed, update, by: root)
            update = TicketUpdateRequest()
            update.queue = .name("Misc")
            _ = try await desk.tickets.update(ticketID: mailed, update, by: root)
            #expect(
                try await pairs(mailed) == [
                    "Ticket create notification|olga", "Ticket queue update notification|olga", "Ticket queue update notification|sam",
                ])

            // A follow-up on an unlocked ticket: owner, watchers and subscribers (not the actor).
            let raw = try await create(label: nil, queue: "Raw")
            update = TicketUpdateRequest()
            update.articles = [ArticleDraft(subject: "More", body: "Again.", senderType: .name("customer"), label: "FollowUp")]
            _ = try await desk.tickets.update(ticketID: raw, update, by: nina)
            #expect(
                try await pairs(raw) == ["Ticket follow-up notification (unlocked)|olga", "Ticket follow-up notification (unlocked)|sam"])

            // A ticket made without articles gets its announcement with its first article (rpc.pl's
            // TicketCreate, then ArticleCreate), not with a later one.
            var bare = Desk.simpleTicket()
            bare.articles = []
            let late = try await desk.tickets.create(bare, by: root).ticketID
            update = TicketUpdateRequest()
            update.articles = [
                ArticleDraft(subject: "Web", body: "Please help.", senderType: .name("customer"), label: "WebRequestCustomer")
            ]
            _ = try await desk.tickets.update(ticketID: late, update, by: root)
            _ = try await desk.tickets.update(ticketID: late, update, by: root)
            #expect(try await pairs(late) == ["Ticket create notification|olga"])

            // Switched off; and a cleared list.
            try await desk.admin.setSetting(key: "Notification::TicketCreate", value: "0")
            #expect(try await pairs(try await create(label: "EmailCustomer")) == [])
            try await desk.admin.setSetting(key: "Notification::TicketCreate", value: "1")
            try await desk.admin.setPersonalQueues(login: "olga", queues: [])
            #expect(try await pairs(try await create(label: "EmailCustomer")) == [])

            let mail = try #require(try await desk.services.outbox.list().first { $0.notification == .ticketCreate })
            #expect(mail.articleID > 0)
        }
    }

    @Test("My Services subscribers hear of new tickets with their services and of tickets given one", arguments: TestDatabase.kinds)
    func personalServices(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            _ = try await desk.agent("vera", grants: ["users:ro"])
            _ = try await desk.agent("dora", grants: ["stats:rw"])
            try await desk.admin.addService(name: "Email")
            try await desk.admin.addService(name: "Phone")
            try await desk.admin.assignService(name: "Email", customer: nil)
            try await desk.admin.assignService(name: "Phone", customer: nil)
            try await desk.admin.setPersonalServices(login: "vera", services: ["Email"])
            // Any service may be chosen; the notification still needs a ticket the agent may read.
            try await desk.admin.setPersonalServices(login: "dora", services: ["Email"])
            await #expect(throws: DeskError.notFound(.service, key: "Nope")) {
                try await desk.admin.setPersonalServices(login: "vera", services: ["Nope"])
            }
            let listed = try await desk.admin.agentListings().first { $0.agent.login == "vera" }
            #expect(listed?.personalServices == ["Email"])
            func pairs(_ id: Int) async throws -> [String] { try await Self.notified(desk, id, by: root).map { "\($0.0)|\($0.1)" } }

            // With the service feature on, a create records its first service but sends no service update.
            try await desk.admin.setSetting(key: "Ticket::Service", value: "1")
            _ = try await desk.customer("cora", customerID: "ACME")
            var request = Desk.simpleTicket(customer: "cora")
            request.articles[0].label = "EmailCustomer"
            request.service = .name("Email")
            let mailed = try await desk.tickets.create(request, by: root).ticketID
            #expect(try await pairs(mailed) == ["Ticket create notification|vera"])
            request.service = .name("Phone")
            let phoned = try await desk.tickets.create(request, by: root).ticketID
            #expect(try await pairs(phoned) == [])

            var update = TicketUpdateRequest()
            update.service = .name("Email")
            _ = try await desk.tickets.update(ticketID: phoned, update, by: root)
            #expect(try await pairs(phoned) == ["Ticket service update notification|vera"])
            let mail = try #require(try await desk.services.outbox.list().first { $0.notification == .serviceUpdate })
            #expect(mail.recipientID == (try await desk.agentID("vera")))
        }
    }
}

@Suite("The pending check")
struct PendingCheckTests {
    /// Services on a clock the test moves, agent 1, and agents with these logins.
    static func desk(
        _ db: TestDatabase.Handle, agents: [String]
    ) async throws -> (time: MailOutboxTests.TestClock, services: DeskServices, root: Principal) {
        let time = MailOutboxTests.TestClock()
        let services = DeskServices(store: db.store, hasher: TestDatabase.hasher, clock: time.clock)
        let root = Principal.agent(try await services.auth.agentPrincipal(id: 1)!)
        for login in agents {
            try await services.admin.addAgent(
                login: login, password: "secret-password", firstName: "Test", lastName: login, email: "\(login)@example.com",
                grants: [try AdminService.Grant(parsing: "users:rw")])
        }
        return (time, services, root)
    }

    @Test("pending reminders once a day to owner and responsible; pending-auto states move on", arguments: TestDatabase.kinds)
    func pending(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let (time, services, root) = try await Self.desk(db, agents: ["olga", "rita"])
            try await services.admin.setSetting(key: "Ticket::Responsible", value: "1")
            var reminder = Desk.simpleTicket(title: "Call back")
            reminder.state = .name("pending reminder")
            reminder.pendingUntil = Desk.now + 3600
            reminder.owner = .name("olga")
            reminder.responsible = .name("rita")
            let waiting = try await services.tickets.create(reminder, by: root)
            var auto = Desk.simpleTicket(title: "Close me")
            auto.state = .name("pending auto close+")
            auto.pendingUntil = Desk.now + 60
            let closing = try await services.tickets.create(auto, by: root)

            #expect(try await services.pendingCheck.run() == (0, 0))
            time.advance(3600)
            #expect(try await services.pendingCheck.run() == (1, 2))
            #expect(try await services.pendingCheck.run() == (0, 0))
            let closed = try await services.tickets.get(ticketID: closing.ticketID, by: root).ticket
            let catalog = try await services.catalog()
            #expect(catalog.states[closed.stateID]?.name == "closed successful")
            let history = try await services.tickets.history(ticketID: waiting.ticketID, by: root)
            let reminders = history.compactMap { event -> String? in
                guard case .agentNotified(let name, let login, _) = event.change, name.contains("reminder") else { return nil }
                return "\(name)|\(login)|\(event.actorID)"
            }
            #expect(
                reminders == [
                    "Ticket pending reminder notification (locked)|olga|1", "Ticket pending reminder notification (locked)|rita|1",
                ])
            time.advance(86_400)
            #expect(try await services.pendingCheck.run() == (0, 2))
            let queued = try await services.outbox.list().compactMap(\.notification)
            #expect(queued.filter { $0 == .pendingReminderLocked }.count == 4)
        }
    }

    @Test("more due tickets than a run reads: the next runs go on after the ones kept", arguments: TestDatabase.kinds)
    func batches(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let (time, services, root) = try await Self.desk(db, agents: ["olga"])
            var reminded: [Int] = []
            for title in ["First", "Second", "Third"] {
                var ticket = Desk.simpleTicket(title: title)
                ticket.state = .name("pending reminder")
                ticket.pendingUntil = Desk.now + 60
                ticket.owner = .name("olga")
                reminded.append(try await services.tickets.create(ticket, by: root).ticketID)
            }
            var auto = Desk.simpleTicket(title: "Close me")
            auto.state = .name("pending auto close+")
            auto.pendingUntil = Desk.now + 60
            let closing = try await services.tickets.create(auto, by: root).ticketID
            time.advance(120)
            var check = services.pendingCheck
            check.batch = 2
            check.budget = .zero
            // One batch a run: First and Second; then Third and the auto ticket, which leaves;
            // then a new pass.
            #expect(try await check.run() == (0, 2))
            #expect(try await check.run() == (1, 1))
            #expect(try await check.run() == (0, 0))
            func reminders(_ id: Int) async throws -> Int {
                try await services.tickets.history(ticketID: id, by: root).filter {
                    if case .agentNotified(let name, "olga", _) = $0.change { return name.contains("reminder") }
                    return false
                }.count
            }
            for id in reminded { #expect(try await reminders(id) == 1, "ticket \(id)") }
            // A day later, with time to spare, one run reads batch after batch to the end.
            time.advance(86_400)
            check.budget = .seconds(60)
            #expect(try await check.run() == (0, 3))
            #expect(try await check.run() == (0, 0))
            for id in reminded { #expect(try await reminders(id) == 2, "ticket \(id)") }
            let closed = try await services.tickets.get(ticketID: closing, by: root).ticket
            #expect(try await services.catalog().states[closed.stateID]?.name == "closed successful")
        }
    }

    @Test(
        "escalation warnings and escalations notify the queue's rw agents and subscribers, out of office too, once a day each",
        arguments: TestDatabase.kinds)
    func escalations(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let (time, services, root) = try await Self.desk(db, agents: ["olga"])
            // Rita may only read the queue's tickets, and has it in her My Queues; Olga is out of
            // office today (Znuny's escalation notifications are sent on out-of-office days).
            try await services.admin.addAgent(
                login: "rita", password: "secret-password", firstName: "Test", lastName: "rita", email: "rita@example.com",
                grants: [try AdminService.Grant(parsing: "users:ro")])
            let today = String(CivilDate(unixSeconds: Desk.now).timestampString.prefix(10))
            try await services.admin.setOutOfOffice([.init(login: "olga", enabled: true, start: today, end: today)], by: root)
            try await services.admin.addQueue(name: "Support", firstResponseMinutes: 60, notify: EscalationNotify(firstResponse: 80))
            try await services.admin.setPersonalQueues(login: "rita", queues: ["Support"])
            try await services.admin.setSetting(key: "OTRSEscalationEvents::DecayTime", value: "0")
            var request = Desk.simpleTicket(queue: "Support")
            request.articles[0].senderType = .name("customer")
            let id = try await services.tickets.create(request, by: root).ticketID
            func notified() async throws -> [String] {
                try await AgentNotificationTests.notified(Desk(db), id, by: root).map { "\($0.0)|\($0.1)" }
            }

            time.advance(2_880)
            #expect(try await services.escalationCheck.run() == 1)
            #expect(try await notified() == ["Ticket escalation warning notification|rita", "Ticket escalation warning notification|olga"])
            // Reached: the escalation notification; again five minutes later, an event but no mail.
            time.advance(720)
            #expect(try await services.escalationCheck.run() == 1)
            time.advance(300)
            #expect(try await services.escalationCheck.run() == 1)
            #expect(
                try await notified() == [
                    "Ticket escalation warning notification|rita", "Ticket escalation warning notification|olga",
                    "Ticket escalation notification|rita", "Ticket escalation notification|olga",
                ])
            // The notifications follow the events they come from.
            let kinds = try await services.tickets.history(ticketID: id, by: root).suffix(4).map(\.change.kind)
            #expect(kinds == ["EscalationStarted", "AgentNotified", "AgentNotified", "EscalationStarted"])
            // The next day, again; switched off, not.
            time.advance(86_400)
            #expect(try await services.escalationCheck.run() == 1)
            try await services.admin.setSetting(key: "Notification::Escalation", value: "0")
            time.advance(86_400)
            #expect(try await services.escalationCheck.run() == 1)
            #expect(try await notified().count == 6)
            let queued = try await services.outbox.list().compactMap(\.notification)
            #expect(queued.filter { $0 == .escalation }.count == 4 && queued.filter { $0 == .escalationWarning }.count == 2)
        }
    }

    @Test(
        "a ticket whose reached deadline is within the decay time and whose other deadline comes near gets the warning",
        arguments: TestDatabase.kinds)
    func escalationWarningAfterStart(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let (time, services, root) = try await Self.desk(db, agents: ["olga"])
            try await services.admin.addQueue(
                name: "Support", firstResponseMinutes: 60, solutionMinutes: 240, notify: EscalationNotify(solution: 50))
            var request = Desk.simpleTicket(queue: "Support")
            request.articles[0].senderType = .name("customer")
            let id = try await services.tickets.create(request, by: root).ticketID
            time.advance(3_600)
            #expect(try await services.escalationCheck.run() == 1)
            time.advance(3_600)
            #expect(try await services.escalationCheck.run() == 1)
            let pairs = try await AgentNotificationTests.notified(Desk(db), id, by: root).map { "\($0.0)|\($0.1)" }
            #expect(pairs == ["Ticket escalation notification|olga", "Ticket escalation warning notification|olga"])
        }
    }

    @Test("an agent out of office is told of an owner change, as Znuny's defaults (SendOnOutOfOffice) do", arguments: TestDatabase.kinds)
    func outOfOffice(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let (_, services, root) = try await Self.desk(db, agents: ["olga"])
            let today = String(CivilDate(unixSeconds: Desk.now).timestampString.prefix(10))
            try await services.admin.setOutOfOffice([.init(login: "olga", enabled: true, start: today, end: today)], by: root)
            var request = Desk.simpleTicket()
            request.owner = .name("olga")
            let id = try await services.tickets.create(request, by: root).ticketID
            let pairs = try await AgentNotificationTests.notified(Desk(db), id, by: root).map { "\($0.0)|\($0.1)" }
            #expect(pairs == ["Ticket owner update notification|olga"])
        }
    }
}
