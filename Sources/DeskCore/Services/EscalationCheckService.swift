/// Znuny's escalation check (`Maint::Ticket::EscalationCheck`, which its daemon runs every five
/// minutes): a ticket whose first response, update or solution deadline has been reached gets
/// an `Escalation…TimeStart` event in its history (as agent 1, `%%EscalationResponseTimeStart%%triggered`
/// in Znuny's history), one whose deadline is near (its queue's or SLA's notify-before
/// percentage, `EscalationDeadline.isNear`) an `Escalation…TimeNotifyBefore` event, and the same
/// event again only once `OTRSEscalationEvents::DecayTime` minutes (default 1440) have passed
/// since the last. No events for a ticket while the last ten minutes held no working time of its
/// queue's or SLA's calendar (nights, weekends, vacation days): escalations start when work does.
///
/// Unlike Znuny's check, which reads the 1,000 newest tickets escalating within five days, this
/// one visits every ticket whose earliest deadline has passed (or, when some queue or SLA has a
/// notify-before percentage, may be near: `EscalationDeadline.nearHorizon`), `batch` at a time
/// in id order: a read finds the events due, and only a batch with some opens a write. A run
/// goes on batch after batch until it has visited every such ticket or spent `budget`, and the
/// next run goes on where it stopped (as the pending check does).
public struct EscalationCheckService: Sendable {
    let store: any DeskStore
    let clock: DeskClock

    /// Escalated tickets read per batch.
    public var batch = 500

    /// Tickets with events written per transaction: each may queue a mail to every agent with
    /// `rw` on its queue, and a transaction holds the writer (on PostgreSQL 100 tickets with 21
    /// agents each took ~0.1 s).
    public var writeBatch = 100

    /// A run starts no new batch after this long (it always reads one).
    public var budget: Duration = .seconds(10)

    /// The id of the last ticket read (0: a pass starts). Shared by the copies of this service.
    private let position = WalkPosition()

    init(store: any DeskStore, clock: DeskClock) {
        self.store = store
        self.clock = clock
    }

    /// One check; the number of events written.
    @discardableResult
    public func run() async throws -> Int {
        let now = clock.now()
        let catalog = try await store.read { try await $0.catalog() }
        guard catalog.workingCalendars.contains(where: { $0.seconds(from: now - 600, to: now) > 0 }) else { return 0 }
        let started = ContinuousClock.now
        let horizon = EscalationDeadline.nearHorizon(catalog: catalog, now: now)
        var written = 0
        repeat {
            try Task.checkCancellation()
            let (read, events) = try await checkBatch(above: position.lastRead, now: now, horizon: horizon)
            written += events
            position.lastRead = read.count < batch ? 0 : read.last ?? 0
        } while position.lastRead != 0 && ContinuousClock.now - started < budget
        return written
    }

    /// The escalated tickets after `lastID`: their ids and how many events they got. The events
    /// due are found in a read; only when there are some does a write lock those tickets, read
    /// them again (a change or another process's check may have come between) and write them.
    private func checkBatch(above lastID: Int, now: Int64, horizon: Int64?) async throws -> (read: [Int], events: Int) {
        let (ids, due) = try await store.read { reader in
            let query = Self.dueQuery(after: lastID, now: now, horizon: horizon, limit: batch)
            let ids = try await reader.searchTickets(query, scope: .unrestricted)
            return (ids, try await Self.dueEvents(ticketIDs: ids, reader: reader, now: now))
        }
        let candidates = Array(Set(due.map(\.ticketID))).sorted()
        var count = 0
        for start in stride(from: 0, to: candidates.count, by: max(1, writeBatch)) {
            let part = Array(candidates[start..<min(candidates.count, start + max(1, writeBatch))])
            count += try await write(part, now: now)
        }
        return (ids, count)
    }

    /// Locks the tickets, finds their events again and writes them with their notifications.
    private func write(_ candidates: [Int], now: Int64) async throws -> Int {
        let written = clock.now()
        return try await store.write { tx in
            try await tx.lockTickets(ids: candidates)
            let events = try await Self.dueEvents(ticketIDs: candidates, reader: tx, now: now).map { event in
                var event = event
                event.createdAt = written
                return event
            }
            try await tx.insertEvents(events)
            try await Self.notify(about: events, tx: tx, now: written)
            return events.count
        }
    }

    /// The events the tickets are due, in Znuny's order: `Escalation…TimeStart` for each deadline
    /// reached and `Escalation…TimeNotifyBefore` for each one near, as TicketGet shows them
    /// (`EscalationDeadline`), unless the same event was written within the decay time.
    static func dueEvents(ticketIDs: [Int], reader: any StoreReader, now: Int64) async throws -> [NewTicketEvent] {
        guard !ticketIDs.isEmpty else { return [] }
        let catalog = try await reader.catalog()
        let decay = catalog.settings.escalationEventDecaySeconds
        let kinds = [TicketChange.escalationStarted(.firstResponse).kind, TicketChange.escalationNear(.firstResponse).kind]
        var last: [Int: [TicketChange: Int64]] = [:]
        for event in try await reader.events(ticketIDs: ticketIDs, kinds: kinds) {
            last[event.ticketID, default: [:]][event.change] = event.createdAt
        }
        // Znuny's check skips a ticket whose calendar (`TicketCalendarGet`) had no working time in
        // the last ten minutes.
        let working = catalog.workingCalendars.map { $0.seconds(from: now - 600, to: now) > 0 }
        var events: [NewTicketEvent] = []
        for ticket in try await reader.tickets(ids: ticketIDs) {
            let calendar = EscalationMinutes.checkCalendar(queueID: ticket.queueID, slaID: ticket.slaID, catalog: catalog)
            guard working[Catalog.calendarIndex(named: calendar)] else { continue }
            let deadlines = EscalationDeadline.shown(
                ticket.escalationTimes, stateID: ticket.stateID, queueID: ticket.queueID, slaID: ticket.slaID, catalog: catalog, now: now)
            let changes =
                deadlines.filter(\.isReached).map { TicketChange.escalationStarted($0.kind) }
                + deadlines.filter(\.isNear).map { TicketChange.escalationNear($0.kind) }
            for change in changes {
                if decay > 0, let previous = last[ticket.id]?[change], now - previous <= decay { continue }
                events.append(
                    NewTicketEvent(ticketID: ticket.id, change: change, snapshot: TicketSnapshot(ticket), actorID: 1, createdAt: now))
            }
        }
        return events
    }

    /// Znuny's `NotificationEscalation` and `NotificationEscalationNotifyBefore`: a ticket that got
    /// events now is due one notification, "Ticket escalation notification" when its first event
    /// is a Start (reached deadlines come first), else "Ticket escalation warning notification";
    /// each agent gets each at most once a day about a ticket (`OncePerDay`). Written after the
    /// events, as Znuny's transaction-end handler writes its rows.
    static func notify(about events: [NewTicketEvent], tx: any StoreWriter, now: Int64) async throws {
        var warning: [Int: Bool] = [:]
        for event in events where warning[event.ticketID] == nil {
            if case .escalationNear = event.change { warning[event.ticketID] = true } else { warning[event.ticketID] = false }
        }
        guard !warning.isEmpty else { return }
        let ids = warning.keys.sorted()
        let planner = NotificationPlanner(reader: tx, catalog: try await tx.catalog(), actingUserID: 1, now: now, known: .init())
        var planned: [(Ticket, [NotificationPlanner.Planned])] = []
        for ticket in try await tx.tickets(ids: ids) {
            let due = try await planner.planEscalation(ticket: ticket, warning: warning[ticket.id] ?? false)
            if !due.isEmpty { planned.append((ticket, due)) }
        }
        guard !planned.isEmpty else { return }
        var sent: [Int: [TicketEvent]] = [:]
        let notified = TicketChange.agentNotified(notification: "", login: "", transport: "").kind
        for event in try await tx.events(ticketIDs: planned.map(\.0.id), kinds: [notified]) {
            sent[event.ticketID, default: []].append(event)
        }
        var records = NotificationPlanner.Records()
        for (ticket, due) in planned {
            records.add(NotificationPlanner.notSentToday(due, events: sent[ticket.id] ?? [], now: now), ticket: ticket, now: now)
        }
        try await records.write(tx, now: now)
    }

    /// Tickets whose earliest deadline has passed, or lies within `horizon` (nil: now) when
    /// deadlines may be near, after ticket `lastRead`, in id order (through the index of tickets
    /// with a deadline, migration 26).
    public static func dueQuery(after lastRead: Int, now: Int64, horizon: Int64? = nil, limit: Int) -> TicketQuery {
        var query = TicketQuery.idWalk(after: lastRead, limit: limit)
        query.escalationTo = max(now, horizon ?? now)
        return query
    }
}
