/// Znuny's escalation check (`Maint::Ticket::EscalationCheck`, which its daemon runs every five
/// minutes): a ticket whose first response, update or solution deadline has been reached gets
/// an `Escalation…TimeStart` event in its history (as agent 1, `%%EscalationResponseTimeStart%%triggered`
/// in Znuny's history), and the same event again only once `OTRSEscalationEvents::DecayTime`
/// minutes (default 1440) have passed since the last. No events while the last ten minutes held
/// no working time of the calendar (nights, weekends, vacation days): escalations start when
/// work does.
///
/// Unlike Znuny's check, which reads the 1,000 newest tickets escalating within five days, this
/// one visits every ticket whose earliest deadline has passed, `batch` at a time in id order,
/// each batch in one write. Queues and SLAs have no notify-before percentages here, so Znuny's
/// `Escalation…TimeNotifyBefore` events and its escalation notification mails are not produced.
public struct EscalationCheckService: Sendable {
    let store: any DeskStore
    let clock: DeskClock

    /// Escalated tickets read per write transaction.
    public var batch = 500

    init(store: any DeskStore, clock: DeskClock) {
        self.store = store
        self.clock = clock
    }

    /// One check; the number of events written.
    @discardableResult
    public func run() async throws -> Int {
        let now = clock.now()
        guard ZnunyWorkingTime.seconds(from: now - 600, to: now) > 0 else { return 0 }
        var written = 0
        var lastID = 0
        while true {
            try Task.checkCancellation()
            let (read, events) = try await checkBatch(above: lastID, now: now)
            written += events
            guard read.count == batch, let last = read.last else { break }
            lastID = last
        }
        return written
    }

    /// The escalated tickets after `lastID`: their ids and how many events they got.
    private func checkBatch(above lastID: Int, now: Int64) async throws -> (read: [Int], events: Int) {
        let size = batch
        return try await store.write { tx in
            // Taking a counter holds its row until this transaction ends (on PostgreSQL), so
            // two processes' checks do not both write the same event.
            _ = try await tx.nextCounter(key: "EscalationCheck")
            let decay = try await tx.catalog().settings.escalationEventDecaySeconds
            let ids = try await tx.searchTickets(Self.dueQuery(after: lastID, now: now, limit: size), scope: .unrestricted)
            guard !ids.isEmpty else { return ([], 0) }
            let history = Dictionary(grouping: try await tx.events(ticketIDs: ids), by: \.ticketID)
            var events: [NewTicketEvent] = []
            for ticket in try await tx.tickets(ids: ids) {
                for kind in EscalationKind.allCases {
                    let deadline = ticket.escalationTimes[kind]
                    guard deadline > 0, deadline <= now else { continue }
                    if decay > 0, let last = history[ticket.id]?.last(where: { $0.change == .escalationStarted(kind) }),
                        now - last.createdAt <= decay
                    {
                        continue
                    }
                    events.append(
                        NewTicketEvent(
                            ticketID: ticket.id, change: .escalationStarted(kind), snapshot: TicketSnapshot(ticket), actorID: 1,
                            createdAt: now))
                }
            }
            try await tx.insertEvents(events)
            return (ids, events.count)
        }
    }

    /// Tickets whose earliest deadline has passed, after ticket `lastRead`, in id order.
    static func dueQuery(after lastRead: Int, now: Int64, limit: Int) -> TicketQuery {
        var query = TicketQuery()
        query.escalationTo = now
        query.sort = [(.ticketID, true)]
        query.ticketIDAbove = lastRead
        query.limit = limit
        return query
    }
}
