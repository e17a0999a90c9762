import DeskCore
import DeskStore
import DeskTestSupport
import Synchronization
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

    /// A ticket in `queue` opened by a customer's message at `Desk.now`.
    private static func customerTicket(_ desk: Desk, queue: String = "Support") async throws -> Int {
        var request = Desk.simpleTicket(queue: queue)
        request.articles[0].senderType = .name("customer")
        return try await desk.tickets.create(request, by: try await desk.root()).ticketID
    }

    /// The desk's rebuild without the settle wait, after a first pass over every ticket.
    private static func finishedRebuild(_ desk: Desk) async throws -> EscalationRebuildService {
        var rebuild = desk.services.escalationRebuild
        rebuild.settle = .zero
        try await rebuild.run()
        return rebuild
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
            let id = try await Self.customerTicket(desk)
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
            let id = try await Self.customerTicket(desk)
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
            let id = try await Self.customerTicket(desk, queue: "Misc")
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

    /// Writes deadlines no rule would give (as tickets stored before the index have), so that a
    /// rebuild shows.
    private static func staleDeadlines(_ desk: Desk, _ id: Int) async throws {
        try await desk.store.write { tx in
            var changes = TicketChanges()
            changes.escalation = EscalationTimes(escalation: 1, response: 1, update: 1, solution: 1)
            try await tx.updateTicket(id: id, changes, changedBy: 1, at: Desk.now)
        }
    }

    @Test(
        "a priority, customer or dynamic field change rebuilds the deadlines, as Znuny's event handler does",
        arguments: TestDatabase.kinds)
    func rebuiltAfterChanges(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, updateMinutes: 120, solutionMinutes: 480)
            try await desk.admin.addDynamicField(
                name: "Note", label: nil, type: .text, object: .ticket, possibleValues: [], possibleNone: false)
            let id = try await Self.customerTicket(desk)
            let changes = [
                TicketUpdateRequest(priority: .name("4 high")), TicketUpdateRequest(customerUser: "someone@example.net"),
                TicketUpdateRequest(dynamicFields: [DynamicFieldInput(name: "Note", value: "x")]),
            ]
            for change in changes {
                try await Self.staleDeadlines(desk, id)
                try await Self.update(db, id, at: 60, change)
                #expect(try await Self.deadlines(desk, id) == [3_600, 3_600, 7_200, 28_800])
            }
            // A title is not among them.
            try await Self.staleDeadlines(desk, id)
            try await Self.update(db, id, at: 60, TicketUpdateRequest(title: "Renamed"))
            #expect(try await Self.deadlines(desk, id) == [1, 1, 1, 1].map { $0 - Desk.now })
        }
    }

    @Test(
        "a queue's new minutes ask for a rebuild, and a pass rebuilds every ticket, batch by batch",
        arguments: TestDatabase.kinds)
    func queueMinutesRebuild(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            var rebuild = desk.services.escalationRebuild
            rebuild.batch = 2
            // A new database has no minutes anywhere, and nothing to rebuild.
            #expect(try await !rebuild.isRequested())
            // The welcome ticket, in a queue without minutes.
            #expect(try await rebuild.run() == .init(visited: 1, changed: 0))
            #expect(try await rebuild.runIfRequested() == nil)

            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, solutionMinutes: 480)
            let open = try await Self.customerTicket(desk)
            let closed = try await Self.customerTicket(desk)
            try await Self.update(db, closed, at: 60, TicketUpdateRequest(state: .name("closed successful")))
            let elsewhere = try await desk.tickets.create(Desk.simpleTicket(queue: "Misc"), by: try await desk.root()).ticketID
            let stale = try await Self.customerTicket(desk)
            try await Self.staleDeadlines(desk, stale)
            let untouched = try await Self.customerTicket(desk)

            // Unchanged minutes ask for nothing.
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 60))
            #expect(try await !rebuild.isRequested())
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 120, update: 30))
            #expect(try await rebuild.isRequested())
            #expect(try await Self.deadlines(desk, open) == [3_600, 3_600, 0, 28_800])

            let later = Desk(db, clock: .fixed(Desk.now + 3_000)).services.escalationRebuild
            var passing = later
            passing.batch = 2
            #expect(try await passing.run() == .init(visited: 6, changed: 3))
            #expect(try await !rebuild.isRequested())
            for id in [open, stale, untouched] {
                #expect(try await Self.deadlines(desk, id) == [1_800, 7_200, 1_800, 28_800])
            }
            #expect(try await Self.deadlines(desk, closed) == [0, 0, 0, 0])
            #expect(try await Self.deadlines(desk, elsewhere) == [0, 0, 0, 0])
            // Written tickets get Znuny's change time and change by; others keep theirs.
            let tickets = try await desk.store.read { try await $0.tickets(ids: [open, elsewhere]) }
            #expect(tickets.map(\.changedAt) == [Desk.now + 3_000, Desk.now])
            #expect(tickets.map(\.changedBy) == [1, tickets[1].changedBy])
        }
    }

    /// A pass of `rebuild` cancelled after its first batch: what it had done.
    private static func cutPass(_ rebuild: EscalationRebuildService, resuming: Bool) async throws -> EscalationRebuildService.Outcome {
        let done = Mutex(EscalationRebuildService.Outcome())
        let pass = Task {
            let progress: @Sendable (EscalationRebuildService.Outcome) -> Void = { outcome in
                done.withLock { $0 = outcome }
                withUnsafeCurrentTask { $0?.cancel() }
            }
            _ = try await resuming ? rebuild.runIfRequested(progress: progress) : rebuild.run(progress: progress)
        }
        await #expect(throws: CancellationError.self) { try await pass.value }
        return done.withLock { $0 }
    }

    @Test(
        "a requested pass cut short goes on where it stopped, unless a request came since; the CLI's pass starts from the first ticket, records nothing",
        arguments: TestDatabase.kinds)
    func rebuildResumes(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            var rebuild = desk.services.escalationRebuild
            (rebuild.batch, rebuild.settle) = (2, .zero)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60)
            var ids: [Int] = []
            for _ in 0..<5 { ids.append(try await Self.customerTicket(desk)) }
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 120))
            #expect(try await Self.cutPass(rebuild, resuming: true) == .init(visited: 2, changed: 1))
            #expect(try await rebuild.isRequested())
            // The welcome ticket and the first of ours are done; the next pass takes the other four.
            #expect(try await rebuild.runIfRequested() == .init(visited: 4, changed: 4, resumedAfter: ids[0]))
            #expect(try await !rebuild.isRequested())
            for id in ids { #expect(try await Self.deadlines(desk, id) == [7_200, 7_200, 0, 0]) }

            // A request after the cut: the minutes may differ from the cut pass's, so from the start.
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 30))
            #expect(try await Self.cutPass(rebuild, resuming: true) == .init(visited: 2, changed: 1))
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 45))
            #expect(try await rebuild.runIfRequested() == .init(visited: 6, changed: 5))
            for id in ids { #expect(try await Self.deadlines(desk, id) == [2_700, 2_700, 0, 0]) }

            // Cut twice, the second pass going on from the first; then the CLI's pass, cut too,
            // starts from the first ticket and records nothing: the next requested pass goes on
            // from where the second stopped.
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 90))
            #expect(try await Self.cutPass(rebuild, resuming: true) == .init(visited: 2, changed: 1))
            #expect(try await Self.cutPass(rebuild, resuming: true) == .init(visited: 2, changed: 2, resumedAfter: ids[0]))
            #expect(try await Self.cutPass(rebuild, resuming: false) == .init(visited: 2, changed: 0))
            #expect(try await rebuild.runIfRequested() == .init(visited: 2, changed: 2, resumedAfter: ids[2]))
            for id in ids { #expect(try await Self.deadlines(desk, id) == [5_400, 5_400, 0, 0]) }
            // After a finished pass the next request starts from the first ticket.
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 60))
            #expect(try await rebuild.runIfRequested() == .init(visited: 6, changed: 5))
        }
    }

    @Test("turning Ticket::Service on or off asks for a rebuild: an SLA's minutes then apply or stop", arguments: TestDatabase.kinds)
    func serviceSettingRebuild(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let rebuild = try await Self.finishedRebuild(desk)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60)
            try await desk.admin.addService(name: "Email")
            try await desk.admin.assignService(name: "Email", customer: nil)
            try await desk.admin.addSLA(name: "Gold", services: ["Email"], times: .init(firstResponse: 30))
            var request = Desk.simpleTicket(queue: "Support", customer: "someone@example.net")
            request.articles[0].senderType = .name("customer")
            request.service = .name("Email")
            request.sla = .name("Gold")
            let id = try await desk.tickets.create(request, by: try await desk.root()).ticketID
            #expect(try await Self.deadlines(desk, id) == [3_600, 3_600, 0, 0])

            try await desk.admin.setSetting(key: "Ticket::Service", value: "1")
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, id) == [1_800, 1_800, 0, 0])
            try await desk.admin.setSLA(name: "Gold", times: .init(firstResponse: 45))
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, id) == [2_700, 2_700, 0, 0])
            try await desk.admin.setSetting(key: "Ticket::Service", value: "0")
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, id) == [3_600, 3_600, 0, 0])
            // Setting it to what it is asks for nothing; nor do an SLA's unchanged minutes.
            try await desk.admin.setSetting(key: "Ticket::Service", value: "0")
            try await desk.admin.setSLA(name: "Gold", times: .init(firstResponse: 45))
            #expect(try await rebuild.runIfRequested() == nil)
        }
    }

    @Test("the working calendar's settings move deadlines after the rebuild they ask for", arguments: TestDatabase.kinds)
    func calendarSettings(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let rebuild = try await Self.finishedRebuild(desk)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60)
            // Wednesday 10:00: an hour of working time ahead on Znuny's default calendar.
            let id = try await Self.customerTicket(desk)
            #expect(try await Self.deadlines(desk, id) == [3_600, 3_600, 0, 0])

            // Wednesday's hours end at 10:00: the hour is Thursday's first, 08:00 to 09:00.
            try await desk.admin.setSetting(key: "TimeWorkingHours", value: "Mon=8-20;Tue=8-20;Wed=8-9;Thu=8-20;Fri=8-20")
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, id) == [82_800, 82_800, 0, 0])
            // Thursday off as well: Friday 09:00.
            try await desk.admin.setSetting(key: "TimeVacationDaysOneTime", value: "2026-11-26")
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, id) == [169_200, 169_200, 0, 0])
            // Friday 27 November a yearly vacation day, and Saturday has an hour (10:00 to 11:00).
            try await desk.admin.setSetting(key: "TimeVacationDays", value: "11-27")
            try await desk.admin.setSetting(key: "TimeWorkingHours", value: "Wed=8-9;Thu=8-20;Fri=8-20;Sat=10")
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, id) == [262_800, 262_800, 0, 0])
            // The same value again asks for nothing.
            try await desk.admin.setSetting(key: "TimeVacationDays", value: "11-27")
            #expect(try await rebuild.runIfRequested() == nil)

            for (key, value) in [
                ("TimeWorkingHours", "Mon=8-24"), ("TimeWorkingHours", "Monday=8-20"), ("TimeWorkingHours", "Mon=8-20;Mon=9"),
                ("TimeWorkingHours", "Mon=20-8"), ("TimeVacationDays", "13-01"), ("TimeVacationDays", "02-30"),
                ("TimeVacationDays", "12/25"), ("TimeVacationDaysOneTime", "2026-02-29"), ("TimeVacationDaysOneTime", "26-11-2026"),
            ] {
                await #expect(throws: DeskError.self, "\(key) \(value)") { try await desk.admin.setSetting(key: key, value: value) }
            }
            #expect(try await rebuild.runIfRequested() == nil)
        }
    }

    @Test(
        "a queue's or SLA's calendar sets its tickets' deadlines; the check goes by each ticket's calendar",
        arguments: TestDatabase.kinds)
    func queueAndSLACalendars(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let rebuild = try await Self.finishedRebuild(desk)
            // Calendar 1 ends Wednesday at 10:00 and works all weekend; calendar 2 has Wednesday
            // 08:00 to 11:00 off (a one-time day) and Thursday from 10:00.
            try await desk.admin.setSetting(key: "TimeWorkingHours::Calendar1", value: "Wed=8-9;Thu=8-20;Sat=0-23;Sun=0-23")
            try await desk.admin.setSetting(key: "TimeWorkingHours::Calendar2", value: "Wed=8-10;Thu=10-20")
            try await desk.admin.setSetting(key: "TimeVacationDaysOneTime::Calendar2", value: "2026-11-25")
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60)
            try await desk.admin.addQueue(name: "Weekend", firstResponseMinutes: 60, calendar: "1")
            let plain = try await Self.customerTicket(desk)
            let weekend = try await Self.customerTicket(desk, queue: "Weekend")
            #expect(try await Self.deadlines(desk, plain) == [3_600, 3_600, 0, 0])
            #expect(try await Self.deadlines(desk, weekend) == [82_800, 82_800, 0, 0])

            // An SLA's calendar, with the service feature on.
            try await desk.admin.setSetting(key: "Ticket::Service", value: "1")
            try await desk.admin.addService(name: "Email")
            try await desk.admin.assignService(name: "Email", customer: nil)
            try await desk.admin.addSLA(name: "Gold", services: ["Email"], times: .init(firstResponse: 60, calendar: "2"))
            var request = Desk.simpleTicket(queue: "Support", customer: "someone@example.net")
            request.articles[0].senderType = .name("customer")
            (request.service, request.sla) = (.name("Email"), .name("Gold"))
            let gold = try await desk.tickets.create(request, by: try await desk.root()).ticketID
            #expect(try await Self.deadlines(desk, gold) == [90_000, 90_000, 0, 0])

            // A queue moved to another calendar asks for a rebuild; so does an SLA.
            _ = try await rebuild.runIfRequested()
            try await desk.admin.setQueueMinutes(queue: "Weekend", .init(calendar: ""))
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, weekend) == [3_600, 3_600, 0, 0])
            try await desk.admin.setQueueMinutes(queue: "Weekend", .init(calendar: "1"))
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, weekend) == [82_800, 82_800, 0, 0])
            try await desk.admin.setSLA(name: "Gold", times: .init(calendar: "1"))
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, gold) == [82_800, 82_800, 0, 0])
            await #expect(throws: DeskError.self) { try await desk.admin.setSLA(name: "Gold", times: .init(calendar: "Calendar1")) }

            // Saturday noon: the default calendar holds no working time, calendar 1 does; all
            // three deadlines have passed, the check writes only the weekend tickets' events.
            #expect(try await Self.check(db, at: 3 * 86_400 + 2 * 3_600) == 2)
            #expect(try await Self.escalationEvents(desk, plain).isEmpty)
            #expect(try await Self.escalationEvents(desk, weekend) == ["Response@266400"])
            // With the service feature off the queue's minutes and calendar set the deadline, but
            // the check still asks the SLA's calendar first (Znuny's `TicketCalendarGet`): on
            // Sunday, past the decay time, both tickets with calendar 1 get their event again.
            try await desk.admin.setSetting(key: "Ticket::Service", value: "0")
            #expect(try await rebuild.runIfRequested()?.changed == 1)
            #expect(try await Self.deadlines(desk, gold) == [3_600, 3_600, 0, 0])
            #expect(try await Self.check(db, at: 4 * 86_400 + 2 * 3_600 + 1) == 2)
            #expect(try await Self.escalationEvents(desk, gold) == ["Response@266400", "Response@352801"])
        }
    }

    @Test("an answer made internal or removed no longer answers: the deadlines come back", arguments: TestDatabase.kinds)
    func articleVisibility(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, updateMinutes: 120, solutionMinutes: 480)
            let root = try await desk.root()
            let id = try await Self.customerTicket(desk)
            let answer = try await desk.tickets.update(ticketID: id, TicketUpdateRequest(articles: [Self.article("agent")]), by: root)
            let answerID = try #require(answer.articleIDs.first)
            #expect(try await Self.deadlines(desk, id) == [7_200, 0, 7_200, 28_800])
            try await desk.tickets.updateArticle(
                articleID: answerID, subject: nil, body: nil, isVisibleForCustomer: false, faceAttributes: nil, by: root)
            #expect(try await Self.deadlines(desk, id) == [3_600, 3_600, 7_200, 28_800])
            try await desk.tickets.updateArticle(
                articleID: answerID, subject: nil, body: nil, isVisibleForCustomer: true, faceAttributes: nil, by: root)
            #expect(try await Self.deadlines(desk, id) == [7_200, 0, 7_200, 28_800])
            try await desk.tickets.deleteArticle(articleID: answerID, by: root)
            #expect(try await Self.deadlines(desk, id) == [3_600, 3_600, 7_200, 28_800])
        }
    }

    @Test(
        "a pass follows the minutes as stored, not a process's cached catalog; a cancelled pass leaves the request open",
        arguments: TestDatabase.kinds)
    func staleCatalog(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60)
            let id = try await Self.customerTicket(desk)
            // Another server process on the same database, its catalog cached before the change.
            let server = Desk(store: SQLDeskStore(database: db.database))
            _ = try await server.services.catalog()
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 30))

            let rebuild = server.services.escalationRebuild
            let cancelled = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await rebuild.run()
            }
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(try await rebuild.isRequested())
            #expect(try await Self.deadlines(desk, id) == [3_600, 3_600, 0, 0])

            #expect(try await rebuild.run().changed == 1)
            #expect(try await Self.deadlines(desk, id) == [1_800, 1_800, 0, 0])
            #expect(try await !rebuild.isRequested())
        }
    }

    @Test(
        "queue and SLA changes start from the rows as stored, not from a long-lived process's cached catalog",
        arguments: TestDatabase.kinds)
    func adminChangesOverStaleCatalog(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            var rebuild = desk.services.escalationRebuild
            rebuild.settle = .zero
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60)
            try await desk.admin.addService(name: "Email")
            try await desk.admin.addSLA(name: "Gold", services: ["Email"], times: .init(firstResponse: 30, update: 90))
            try await rebuild.run()
            // A long-running process caches the catalog; another changes the queue and the SLA.
            let server = Desk(store: SQLDeskStore(database: db.database))
            _ = try await server.services.catalog()
            let other = Desk(store: SQLDeskStore(database: db.database))
            try await other.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 0))
            try await other.admin.setSLA(name: "Gold", times: .init(update: 120))
            try await rebuild.run()
            // Setting the queue back is a change, so its deadlines are rebuilt.
            try await server.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 60))
            #expect(try await rebuild.isRequested())
            // Making the SLA invalid keeps the other process's minutes.
            _ = try await server.services.catalog()
            try await other.admin.setSLA(name: "Gold", times: .init(update: 150))
            try await server.admin.setSLA(name: "Gold", validity: .invalid)
            desk.store.invalidateCatalog()
            let gold = try #require(try await desk.services.catalog().slas["Gold"])
            #expect(gold.updateMinutes == 150 && gold.firstResponseMinutes == 30 && gold.validity == .invalid)
        }
    }

    @Test("an article dated before the stored ones takes its place by time, as Znuny reads them", arguments: TestDatabase.kinds)
    func backdatedArticle(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, updateMinutes: 120, solutionMinutes: 480)
            let id = try await Self.customerTicket(desk)
            try await Self.update(db, id, at: 600, TicketUpdateRequest(articles: [Self.article("agent")]))
            // A customer's message recorded late, written before the agent's answer: the answer
            // stays the last contact.
            var late = Self.article("customer")
            late.createdAt = Desk.now + 300
            try await Self.update(db, id, at: 1_200, TicketUpdateRequest(articles: [late]))
            #expect(try await Self.deadlines(desk, id) == [7_800, 0, 7_800, 28_800])
            var rebuild = desk.services.escalationRebuild
            rebuild.settle = .zero
            #expect(try await rebuild.run().changed == 0)
        }
    }

    /// The escalation events of ticket `id`, oldest first, with their time relative to `Desk.now`.
    private static func escalationEvents(_ desk: Desk, _ id: Int) async throws -> [String] {
        try await desk.store.read { try await $0.events(ticketID: id) }.compactMap { event in
            switch event.change {
            case .escalationStarted(let kind): "\(kind.rawValue)@\(event.createdAt - Desk.now)"
            case .escalationStopped(let kind): "\(kind.rawValue) stopped@\(event.createdAt - Desk.now)"
            case .escalationNear(let kind): "\(kind.rawValue) near@\(event.createdAt - Desk.now)"
            default: nil
            }
        }
    }

    /// Runs the escalation check `seconds` after `Desk.now`; the number of events it wrote.
    private static func check(_ db: TestDatabase.Handle, at seconds: Int64) async throws -> Int {
        try await Desk(db, clock: .fixed(Desk.now + seconds)).services.escalationCheck.run()
    }

    @Test(
        "the escalation check writes a Start event per reached deadline, again after the decay time, none outside working time",
        arguments: TestDatabase.kinds)
    func escalationCheck(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            // Desk.now is a Wednesday, 10:00 UTC.
            let desk = Desk(db)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, solutionMinutes: 120)
            let id = try await Self.customerTicket(desk)
            let closed = try await Self.customerTicket(desk)
            try await Self.update(db, closed, at: 60, TicketUpdateRequest(state: .name("closed successful")))

            #expect(try await Self.check(db, at: 3_599) == 0)
            #expect(try await Self.check(db, at: 3_600) == 1)
            #expect(try await Self.check(db, at: 3_900) == 0)
            #expect(try await Self.check(db, at: 7_200) == 1)
            // The decay time (1440 minutes by default) must have passed, not only been reached.
            #expect(try await Self.check(db, at: 86_400 + 3_600) == 0)
            #expect(try await Self.check(db, at: 86_400 + 7_201) == 2)
            #expect(
                try await Self.escalationEvents(desk, id) == [
                    "Response@3600", "Solution@7200", "Response@93601", "Solution@93601",
                ])
            #expect(try await Self.escalationEvents(desk, closed).isEmpty)

            // Thursday 22:00 and Friday 08:00 hold no working time in the ten minutes before;
            // 08:05 does.
            try await desk.admin.setSetting(key: "OTRSEscalationEvents::DecayTime", value: "0")
            #expect(try await Self.check(db, at: 86_400 + 12 * 3_600) == 0)
            #expect(try await Self.check(db, at: 2 * 86_400 - 2 * 3_600) == 0)
            #expect(try await Self.check(db, at: 2 * 86_400 - 2 * 3_600 + 300) == 2)
            #expect(try await Self.check(db, at: 2 * 86_400 - 2 * 3_600 + 600) == 2)
            await #expect(throws: DeskError.self) {
                try await desk.admin.setSetting(key: "OTRSEscalationEvents::DecayTime", value: "-1")
            }
        }
    }

    @Test(
        "the escalation check writes a NotifyBefore event once a deadline's notify-before share has passed, with the decay time",
        arguments: TestDatabase.kinds)
    func escalationCheckNear(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            // Desk.now is a Wednesday, 10:00 UTC: both deadlines fall in working hours.
            let desk = Desk(db)
            try await desk.admin.addQueue(
                name: "Support", firstResponseMinutes: 60, solutionMinutes: 120, notify: EscalationNotify(firstResponse: 80, solution: 50))
            let id = try await Self.customerTicket(desk)
            // Near when 20 % of the first response's 60 minutes are left (12 minutes before), and
            // half of the solution's 120; the check looks that far ahead.
            #expect(try await Self.check(db, at: 2_879) == 0)
            #expect(try await Self.check(db, at: 2_880) == 1)
            #expect(try await Self.check(db, at: 3_000) == 0)
            // Reached, and the solution near: Start first, as Znuny orders them.
            #expect(try await Self.check(db, at: 3_600) == 2)
            #expect(try await Self.check(db, at: 7_200) == 1)
            #expect(
                try await Self.escalationEvents(desk, id) == ["Response near@2880", "Response@3600", "Solution near@3600", "Solution@7200"])
            // A day later the first response is still reached (a Start again), no longer near.
            #expect(try await Self.check(db, at: 86_400 + 7_201) == 2)
            // A queue without percentages: no NotifyBefore, and the check looks no further than now.
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponseNotify: 0, solutionNotify: 0))
            let quiet = try await Self.customerTicket(desk)
            #expect(try await Self.check(db, at: 3_599) == 0)
            #expect(try await Self.escalationEvents(desk, quiet).isEmpty)
            let catalog = try await desk.store.read { try await $0.freshCatalog() }
            #expect(EscalationDeadline.nearHorizon(catalog: catalog, now: Desk.now) == nil)
        }
    }

    @Test("the check finds a deadline near across a weekend: it looks ahead in working time", arguments: TestDatabase.kinds)
    func escalationCheckNearOverWeekend(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            func at(_ text: String) throws -> Int64 { try #require(CivilDate(timestamp: text)?.unixSeconds) }
            let friday = Desk(db, clock: .fixed(try at("2026-11-27 20:30:00")))
            try await friday.admin.addQueue(name: "Support", firstResponseMinutes: 60, notify: EscalationNotify(firstResponse: 50))
            let id = try await Self.customerTicket(friday)
            // Due Monday 08:30; half its hour is left from Friday 21:00 on.
            let later = Desk(db, clock: .fixed(try at("2026-11-27 21:05:00")))
            #expect(try await later.services.escalationCheck.run() == 1)
            let events = try await db.store.read { try await $0.events(ticketID: id) }.map(\.change)
            #expect(events.last == .escalationNear(.firstResponse))
        }
    }

    @Test(
        "a close, or a move to a queue without minutes, ends reached deadlines with Stop events; an answer does not, as in Znuny",
        arguments: TestDatabase.kinds)
    func escalationStop(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60, updateMinutes: 120, solutionMinutes: 120)
            let id = try await Self.customerTicket(desk)
            // Znuny compares before the index is rebuilt: the late answer ends nothing.
            try await Self.update(db, id, at: 3_700, TicketUpdateRequest(articles: [Self.article("agent")]))
            #expect(try await Self.escalationEvents(desk, id).isEmpty)
            // The solution deadline (7,200) is reached, the new update deadline (10,900) is not.
            try await Self.update(db, id, at: 7_300, TicketUpdateRequest(state: .name("closed successful")))
            #expect(try await Self.escalationEvents(desk, id) == ["Solution stopped@7300"])

            let moved = try await Self.customerTicket(desk)
            try await Self.update(db, moved, at: 3_700, TicketUpdateRequest(queue: .name("Misc"), priority: .name("4 high")))
            #expect(try await Self.escalationEvents(desk, moved) == ["Response stopped@3700"])

            // A merge puts the source into the merged state: its reached deadlines end, by the merging agent.
            let source = try await Self.customerTicket(desk)
            let target = try await Self.customerTicket(desk)
            let olga = try await desk.agent("olga", grants: ["users:rw"])
            try await Desk(db, clock: .fixed(Desk.now + 3_700)).tickets.merge([source], into: target, by: olga)
            let stop = try await desk.store.read { try await $0.events(ticketID: source) }.last {
                $0.change == .escalationStopped(.firstResponse)
            }
            #expect(stop?.actorID == (try await desk.agentID("olga")))
            #expect(try await Self.escalationEvents(desk, target).isEmpty)
            let kinds = try await desk.store.read { try await $0.events(ticketID: moved) }.suffix(3).map(\.change.kind)
            #expect(kinds == ["QueueChanged", "EscalationStopped", "PriorityChanged"])
        }
    }

    @Test(
        "the escalation check goes on batch after batch, across runs when out of time; a queue without minutes shows no escalation",
        arguments: TestDatabase.kinds)
    func escalationCheckBatches(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60)
            var ids: [Int] = []
            for _ in 0..<3 { ids.append(try await Self.customerTicket(desk)) }
            var check = Desk(db, clock: .fixed(Desk.now + 3_600)).services.escalationCheck
            check.batch = 1
            // A run with no time to spare reads one batch; the next goes on where it stopped.
            check.budget = .zero
            var counts: [Int] = []
            for _ in 0..<4 { counts.append(try await check.run()) }
            #expect(counts == [1, 1, 1, 0])
            // A read batch written in several transactions: every ticket's event.
            try await desk.admin.setSetting(key: "OTRSEscalationEvents::DecayTime", value: "0")
            var split = Desk(db, clock: .fixed(Desk.now + 3_900)).services.escalationCheck
            split.writeBatch = 2
            #expect(try await split.run() == 3)
            // Minutes gone but deadlines not yet rebuilt: TicketGet shows no escalation, nor does the check write one.
            try await desk.admin.setQueueMinutes(queue: "Support", .init(firstResponse: 0))
            #expect(try await check.run() == 0)
            for id in ids { #expect(try await Self.escalationEvents(desk, id) == ["Response@3600", "Response@3900"]) }
        }
    }
}
