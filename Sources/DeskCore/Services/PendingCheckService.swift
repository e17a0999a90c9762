/// Znuny's pending check (its daemon task `Ticket::PendingCheck`), run once a minute by the
/// server process holding its `BackgroundLease`:
/// - a ticket in a *pending auto* state whose pending time has passed moves to the state
///   `Ticket::StateAfterPending` names (`pending auto close+` → `closed successful`), as agent 1,
///   with the usual events;
/// - a ticket in a *pending reminder* state whose time has passed reminds its owner and its
///   responsible agent (Znuny's pending reminder notifications), each at most once a day.
///
/// Due tickets are read `batch` at a time, in ticket-id order, each batch after the last ticket
/// the previous one read (a reminded ticket stays due); a run goes on batch after batch until it
/// has visited every due ticket or spent `budget`, and the next run goes on where it stopped, so
/// every due ticket is visited in turn however many there are. Reminders are planned in one read
/// per batch; only a ticket with a reminder to queue costs a write.
public struct PendingCheckService: Sendable {
    let store: any DeskStore
    let clock: DeskClock
    let tickets: TicketService

    /// Due tickets read at a time.
    public var batch = 500

    /// A run starts no new batch after this long (it always reads one).
    public var budget: Duration = .seconds(10)

    /// The id of the last ticket read (0: a pass starts). Shared by the copies of this service.
    private let position = WalkPosition()

    init(store: any DeskStore, clock: DeskClock, tickets: TicketService) {
        self.store = store
        self.clock = clock
        self.tickets = tickets
    }

    /// One check; how many tickets changed state and how many reminders were queued.
    @discardableResult
    public func run() async throws -> (changed: Int, reminded: Int) {
        let started = ContinuousClock.now
        let now = clock.now()
        let catalog = try await store.catalog()
        let pending = PendingStates(catalog)
        guard !pending.isEmpty else { return (0, 0) }
        var total = (changed: 0, reminded: 0)
        repeat {
            let (read, counts) = try await check(batchAfter: position.lastRead, pending: pending, catalog: catalog, now: now)
            total.changed += counts.changed
            total.reminded += counts.reminded
            position.lastRead = read.count < batch ? 0 : read.max() ?? 0
        } while position.lastRead != 0 && ContinuousClock.now - started < budget
        return total
    }

    /// The pending states of the catalog, by their type.
    private struct PendingStates {
        var auto: Set<Int>
        var reminder: Set<Int>
        var isEmpty: Bool { auto.isEmpty && reminder.isEmpty }

        init(_ catalog: Catalog) {
            let ids = { (type: String) in Set(catalog.states.all.map(\.id).filter { catalog.stateTypeName(ofState: $0) == type }) }
            auto = ids(StateTypeName.pendingAuto)
            reminder = ids(StateTypeName.pendingReminder)
        }
    }

    /// One batch: the due tickets after `lastRead` (their ids) and what was done with them.
    private func check(
        batchAfter lastRead: Int, pending: PendingStates, catalog: Catalog, now: Int64
    ) async throws -> (read: [Int], counts: (changed: Int, reminded: Int)) {
        let search = Self.dueQuery(after: lastRead, now: now, limit: batch)
        let (read, due, toRemind) = try await store.read { reader in
            let ids = try await reader.searchTickets(search, scope: .unrestricted)
            let due = try await reader.tickets(ids: ids).filter { $0.pendingUntil > 0 && $0.pendingUntil <= now }
            let reminding = due.filter { pending.reminder.contains($0.stateID) }
            let events = Dictionary(grouping: try await reader.events(ticketIDs: reminding.map(\.id)), by: \.ticketID)
            var planner = NotificationPlanner(reader: reader, catalog: catalog, actingUserID: 1, now: now)
            planner.known = NotificationPlanner.KnownAgents()
            var toRemind: [Int] = []
            for ticket in reminding {
                let planned = try await Self.reminders(of: ticket, events: events[ticket.id] ?? [], planner: planner, now: now)
                if !planned.isEmpty { toRemind.append(ticket.id) }
            }
            return (ids, due, toRemind)
        }
        guard let system = try await store.read({ try await AuthService.agentPrincipal(id: 1, reader: $0) }) else {
            return (read, (0, 0))
        }
        let next = catalog.settings.stateAfterPending
        var changed = 0
        for ticket in due where pending.auto.contains(ticket.stateID) {
            guard let name = catalog.states[ticket.stateID]?.name, let target = next[name], catalog.states[target] != nil else { continue }
            var update = TicketUpdateRequest()
            update.state = .name(target)
            _ = try await tickets.update(ticketID: ticket.id, update, by: .agent(system))
            changed += 1
        }
        var reminded = 0
        for id in toRemind {
            reminded += try await remind(id, catalog: catalog, now: now)
        }
        return (read, (changed, reminded))
    }

    /// The search for a batch: tickets in a pending state whose pending time has come, after
    /// ticket `lastRead`, in id order. The pending-time filter itself restricts to the pending
    /// state types; naming the states as well made PostgreSQL estimate the two conditions
    /// together at a hundredth of their tickets (107 for 13,381 on 262,000 tickets), and it read
    /// and sorted every pending ticket for each batch instead of walking the index of pending
    /// tickets by id (migration 19): 30–34 ms against 1.3 ms there.
    public static func dueQuery(after lastRead: Int, now: Int64, limit: Int) -> TicketQuery {
        var query = TicketQuery.idWalk(after: lastRead, limit: limit)
        query.pendingTo = now
        return query
    }

    /// Queues the reminders of one ticket not sent to the same agent today; how many. Planned
    /// again inside the write: another process may have sent them since the batch's read.
    func remind(_ ticketID: Int, catalog: Catalog, now: Int64) async throws -> Int {
        try await store.write { tx in
            guard let ticket = try await tx.ticket(id: ticketID) else { return 0 }
            let events = try await tx.events(ticketID: ticketID)
            let planner = NotificationPlanner(reader: tx, catalog: catalog, actingUserID: 1, now: now)
            let planned = try await Self.reminders(of: ticket, events: events, planner: planner, now: now)
            try await NotificationPlanner.queue(planned, ticket: ticket, tx: tx, now: now)
            return planned.count
        }
    }

    /// The reminders `ticket` is due that were not sent to the same agent today (`events`: the
    /// ticket's; `planner` acts as agent 1).
    static func reminders(
        of ticket: Ticket, events: [TicketEvent], planner: NotificationPlanner, now: Int64
    ) async throws -> [NotificationPlanner.Planned] {
        NotificationPlanner.notSentToday(try await planner.planReminder(ticket: ticket), events: events, now: now)
    }
}
