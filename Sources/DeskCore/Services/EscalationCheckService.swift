/// Znuny's escalation check (`Maint::Ticket::EscalationCheck`, which its daemon runs every five
/// minutes): a ticket whose first response, update or solution deadline has been reached gets
/// an `Escalation…TimeStart` event in its history (as agent 1, `%%EscalationResponseTimeStart%%triggered`
/// in Znuny's history), and the same event again only once `OTRSEscalationEvents::DecayTime`
/// minutes (default 1440) have passed since the last. No events while the last ten minutes held
/// no working time of the calendar (nights, weekends, vacation days): escalations start when
/// work does.
///
/// Unlike Znuny's check, which reads the 1,000 newest tickets escalating within five days, this
/// one visits every ticket whose earliest deadline has passed, `batch` at a time in id order:
/// a read finds the events due, and only a batch with some opens a write. A run goes on batch
/// after batch until it has visited every escalated ticket or spent `budget`, and the next run
/// goes on where it stopped (as the pending check does). Queues and SLAs have no notify-before
/// percentages here, so Znuny's `Escalation…TimeNotifyBefore` events and its escalation
/// notification mails are not produced.
public struct EscalationCheckService: Sendable {
    let store: any DeskStore
    let clock: DeskClock

    /// Escalated tickets read per batch.
    public var batch = 500

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
        guard ZnunyWorkingTime.seconds(from: now - 600, to: now) > 0 else { return 0 }
        let started = ContinuousClock.now
        var written = 0
        repeat {
            try Task.checkCancellation()
            let (read, events) = try await checkBatch(above: position.lastRead, now: now)
            written += events
            position.lastRead = read.count < batch ? 0 : read.last ?? 0
        } while position.lastRead != 0 && ContinuousClock.now - started < budget
        return written
    }

    /// The escalated tickets after `lastID`: their ids and how many events they got. The events
    /// due are found in a read; only when there are some does a write lock those tickets, read
    /// them again (a change or another process's check may have come between) and write them.
    private func checkBatch(above lastID: Int, now: Int64) async throws -> (read: [Int], events: Int) {
        let query = Self.dueQuery(after: lastID, now: now, limit: batch)
        let (ids, due) = try await store.read { reader in
            let ids = try await reader.searchTickets(query, scope: .unrestricted)
            return (ids, try await Self.dueEvents(ticketIDs: ids, reader: reader, now: now))
        }
        guard !due.isEmpty else { return (ids, 0) }
        let written = clock.now()
        let count = try await store.write { tx in
            let candidates = Array(Set(due.map(\.ticketID))).sorted()
            try await tx.lockTickets(ids: candidates)
            let events = try await Self.dueEvents(ticketIDs: candidates, reader: tx, now: now).map { event in
                var event = event
                event.createdAt = written
                return event
            }
            try await tx.insertEvents(events)
            return events.count
        }
        return (ids, count)
    }

    /// The `Escalation…TimeStart` events the tickets are due: a deadline reached as TicketGet
    /// shows it (`EscalationMinutes.reached`) whose last such event is older than the decay time.
    static func dueEvents(ticketIDs: [Int], reader: any StoreReader, now: Int64) async throws -> [NewTicketEvent] {
        guard !ticketIDs.isEmpty else { return [] }
        let catalog = try await reader.catalog()
        let decay = catalog.settings.escalationEventDecaySeconds
        var lastStarted: [Int: [EscalationKind: Int64]] = [:]
        for event in try await reader.events(ticketIDs: ticketIDs, kinds: [TicketChange.escalationStarted(.firstResponse).kind]) {
            if case .escalationStarted(let kind) = event.change { lastStarted[event.ticketID, default: [:]][kind] = event.createdAt }
        }
        var events: [NewTicketEvent] = []
        for ticket in try await reader.tickets(ids: ticketIDs) {
            let reached = EscalationMinutes.reached(
                ticket.escalationTimes, stateID: ticket.stateID, queueID: ticket.queueID, slaID: ticket.slaID, catalog: catalog, now: now)
            for kind in reached {
                if decay > 0, let last = lastStarted[ticket.id]?[kind], now - last <= decay { continue }
                events.append(
                    NewTicketEvent(
                        ticketID: ticket.id, change: .escalationStarted(kind), snapshot: TicketSnapshot(ticket), actorID: 1, createdAt: now)
                )
            }
        }
        return events
    }

    /// Tickets whose earliest deadline has passed, after ticket `lastRead`, in id order
    /// (through the index of tickets with a deadline, migration 26).
    public static func dueQuery(after lastRead: Int, now: Int64, limit: Int) -> TicketQuery {
        var query = TicketQuery.idWalk(after: lastRead, limit: limit)
        query.escalationTo = now
        return query
    }
}
