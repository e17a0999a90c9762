import Synchronization

/// Znuny's pending check (its daemon task `Ticket::PendingCheck`), run by every server process
/// once a minute:
/// - a ticket in a *pending auto* state whose pending time has passed moves to the state
///   `Ticket::StateAfterPending` names (`pending auto close+` → `closed successful`), as agent 1,
///   with the usual events;
/// - a ticket in a *pending reminder* state whose time has passed reminds its owner and its
///   responsible agent (Znuny's pending reminder notifications), each at most once a day.
///
/// A run reads at most `batch` due tickets, in ticket-id order, after the last ticket the
/// previous run read (a reminded ticket stays due): every due ticket is visited in turn, however
/// many there are, and a pass over all of them starts again from the lowest id.
public struct PendingCheckService: Sendable {
    let store: any DeskStore
    let clock: DeskClock
    let tickets: TicketService

    /// At most this many tickets a run (the next run goes on after them).
    public var batch = 500

    /// The id of the last ticket the previous run read (0: a pass starts). Shared by the
    /// copies of this service.
    private let position = Position()

    init(store: any DeskStore, clock: DeskClock, tickets: TicketService) {
        self.store = store
        self.clock = clock
        self.tickets = tickets
    }

    /// One check; how many tickets changed state and how many reminders were queued.
    @discardableResult
    public func run() async throws -> (changed: Int, reminded: Int) {
        let now = clock.now()
        let catalog = try await store.catalog()
        let auto = catalog.states.all.filter { catalog.stateTypeName(ofState: $0.id) == StateTypeName.pendingAuto }
        let reminder = catalog.states.all.filter { catalog.stateTypeName(ofState: $0.id) == StateTypeName.pendingReminder }
        guard !auto.isEmpty || !reminder.isEmpty else { return (0, 0) }
        var query = TicketQuery()
        query.stateIDs = (auto + reminder).map(\.id)
        query.pendingTo = now
        query.sort = [(.ticketID, true)]
        query.ticketIDAbove = position.lastRead
        query.limit = batch
        let search = query
        let (read, due) = try await store.read { reader in
            let ids = try await reader.searchTickets(search, scope: .unrestricted)
            return (ids, try await reader.tickets(ids: ids))
        }
        guard let system = try await store.read({ try await AuthService.agentPrincipal(id: 1, reader: $0) }) else { return (0, 0) }
        let next = catalog.settings.stateAfterPending
        var changed = 0
        var reminded = 0
        for ticket in due where ticket.pendingUntil > 0 && ticket.pendingUntil <= now {
            guard let state = catalog.states[ticket.stateID] else { continue }
            if auto.contains(where: { $0.id == state.id }) {
                guard let target = next[state.name], catalog.states[target] != nil else { continue }
                var update = TicketUpdateRequest()
                update.state = .name(target)
                _ = try await tickets.update(ticketID: ticket.id, update, by: .agent(system))
                changed += 1
            } else {
                reminded += try await remind(ticket.id, catalog: catalog, now: now)
            }
        }
        position.lastRead = read.count < batch ? 0 : read.max() ?? 0
        return (changed, reminded)
    }

    private final class Position: Sendable {
        private let value = Mutex(0)
        var lastRead: Int {
            get { value.withLock { $0 } }
            set { value.withLock { $0 = newValue } }
        }
    }

    /// Queues the reminders of one ticket not sent to the same agent today; how many.
    func remind(_ ticketID: Int, catalog: Catalog, now: Int64) async throws -> Int {
        try await store.write { tx in
            guard let ticket = try await tx.ticket(id: ticketID) else { return 0 }
            let planner = NotificationPlanner(reader: tx, catalog: catalog, actingUserID: 1, now: now)
            let today = String(CivilDate(unixSeconds: now).timestampString.prefix(10))
            let sentToday = Set(
                try await tx.events(ticketID: ticketID).compactMap { event -> String? in
                    guard case .agentNotified(let name, let login, _) = event.change,
                        CivilDate(unixSeconds: event.createdAt).timestampString.hasPrefix(today)
                    else { return nil }
                    return "\(name)\u{0}\(login)"
                })
            let planned = try await planner.planReminder(ticket: ticket).filter {
                !sentToday.contains("\($0.notification.rawValue)\u{0}\($0.agent.login)")
            }
            guard !planned.isEmpty else { return 0 }
            try await tx.insertEvents(
                planned.map {
                    NewTicketEvent(
                        ticketID: ticket.id,
                        change: .agentNotified(notification: $0.notification.rawValue, login: $0.agent.login, transport: "Email"),
                        snapshot: TicketSnapshot(ticket), actorID: 1, createdAt: now)
                })
            try await tx.enqueueNotifications(
                planned.map {
                    OutboxNotification(
                        ticketID: ticket.id, articleID: nil, notification: $0.notification, recipientID: $0.agent.id, actorID: 1)
                }, at: now)
            return planned.count
        }
    }
}
