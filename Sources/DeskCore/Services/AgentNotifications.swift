/// The agent notifications SwiftDesk sends, named as Znuny's default notifications are (the
/// names appear in Znuny's `SendAgentNotification` history rows). Each can be switched off with
/// its setting (`swiftdesk config set Notification::OwnerUpdate 0`).
public enum AgentNotification: String, Sendable, CaseIterable {
    case ticketCreate = "Ticket create notification"
    case queueUpdate = "Ticket queue update notification"
    case serviceUpdate = "Ticket service update notification"
    case ownerUpdate = "Ticket owner update notification"
    case responsibleUpdate = "Ticket responsible update notification"
    case newNote = "Ticket new note notification"
    case followUpLocked = "Ticket follow-up notification (locked)"
    case followUpUnlocked = "Ticket follow-up notification (unlocked)"
    case pendingReminderLocked = "Ticket pending reminder notification (locked)"
    case pendingReminderUnlocked = "Ticket pending reminder notification (unlocked)"
    case lockTimeout = "Ticket lock timeout notification"
    case escalation = "Ticket escalation notification"
    case escalationWarning = "Ticket escalation warning notification"

    /// The setting that switches it on (`1`, the default) or off (`0`).
    public var settingKey: String {
        switch self {
        case .ticketCreate: "Notification::TicketCreate"
        case .queueUpdate: "Notification::QueueUpdate"
        case .serviceUpdate: "Notification::ServiceUpdate"
        case .ownerUpdate: "Notification::OwnerUpdate"
        case .responsibleUpdate: "Notification::ResponsibleUpdate"
        case .newNote: "Notification::NewNote"
        case .followUpLocked: "Notification::FollowUpLocked"
        case .followUpUnlocked: "Notification::FollowUpUnlocked"
        case .pendingReminderLocked: "Notification::PendingReminderLocked"
        case .pendingReminderUnlocked: "Notification::PendingReminderUnlocked"
        case .lockTimeout: "Notification::LockTimeout"
        case .escalation: "Notification::Escalation"
        case .escalationWarning: "Notification::EscalationNotifyBefore"
        }
    }

    /// The template's name (`owner-update` reads `owner-update.mustache`).
    public var templateName: String {
        switch self {
        case .ticketCreate: "ticket-create"
        case .queueUpdate: "queue-update"
        case .serviceUpdate: "service-update"
        case .ownerUpdate: "owner-update"
        case .responsibleUpdate: "responsible-update"
        case .newNote: "new-note"
        case .followUpLocked: "follow-up-locked"
        case .followUpUnlocked: "follow-up-unlocked"
        case .pendingReminderLocked: "pending-reminder-locked"
        case .pendingReminderUnlocked: "pending-reminder-unlocked"
        case .lockTimeout: "lock-timeout"
        case .escalation: "escalation"
        case .escalationWarning: "escalation-warning"
        }
    }

    public init?(templateName: String) {
        guard let found = Self.allCases.first(where: { $0.templateName == templateName }) else { return nil }
        self = found
    }
}

/// Decides who is notified of what a request did, as Znuny's NotificationEvent module does with
/// its default notifications:
/// - a ticket's first article recorded as `EmailAgent`, `EmailCustomer`, `PhoneCallCustomer`,
///   `WebRequestCustomer` or `SystemRequest` (Znuny's history types that announce a new ticket;
///   the GenericInterface's default `NewTicket` does not) notifies the "My Queues" subscribers of
///   the ticket's queue and the "My Services" subscribers of its service ("Ticket create
///   notification");
/// - a move notifies the subscribers of the new queue, unless the ticket was closed when moved
///   (Znuny's `TicketQueueSet`); a service set on an existing ticket those of the service;
/// - an owner change notifies the new owner, a responsible change the new responsible;
/// - an article recorded as `AddNote` (Znuny's history type; TicketUpdate's default) notifies the
///   owner, the responsible and the watchers; one recorded as `FollowUp` notifies the owner, the
///   watchers and, on a locked ticket, the responsible, on an unlocked one the queue's and the
///   service's subscribers;
/// - an agent's unlock (Znuny's `TicketLockSet`: `Lock=unlock`, or a closing state of a locked
///   ticket) tells the owner ("Ticket lock timeout notification"); the unlock of a moved
///   ticket does not (Znuny's `ForceUnlockOnMove` sends none);
/// - the responsible agent is a recipient only with `Ticket::Responsible` on (Znuny's default:
///   off);
/// - an article's `NoAgentNotify` stops its notification, `ExcludeNotificationToUserID` and
///   `ExcludeMuteNotificationToUserID` leave agents out, `ForceNotificationToUserID` adds them.
/// - the escalation check's notifications go to the subscribers and the agents with `rw` on the
///   ticket's queue.
/// Never notified: agent 1 (the admin account), the acting agent (unless forced), invalid
/// agents, agents without an e-mail address, agents who may not read the ticket (Znuny's
/// `TicketPermission` `ro`, or `note` for notes: the owner, the responsible agent (with
/// `Ticket::Responsible`) and watchers may, others by their group permission on the ticket's
/// queue). Agents out of office are notified: every default notification of Znuny has
/// `SendOnOutOfOffice` set.
struct NotificationPlanner {
    let reader: any StoreReader
    let catalog: Catalog
    let actingUserID: Int
    let now: Int64
    /// Agents and permissions kept from plan to plan: for many plans in one read (the pending
    /// check's batch). Nil: each plan reads its own.
    var known: KnownAgents? = nil

    /// Agents (nil: no such agent) and their permissions, as read so far.
    final class KnownAgents {
        var agents: [Int: Agent?] = [:]
        var permissions: [Int: Set<GroupPermission>] = [:]
        /// Agents with `rw`, by group id.
        var writers: [Int: [Int]] = [:]
        /// "My Queues" and "My Services" subscribers, by queue or service id.
        var subscribers: [Subscription: [Int: [Int]]] = [:]
    }

    /// The history types of a first article that announce a new ticket (Znuny's `ArticleCreate`).
    static let newTicketLabels: Set<String> = ["emailagent", "emailcustomer", "phonecallcustomer", "webrequestcustomer", "systemrequest"]

    /// One notification to one agent, about an article when it was one.
    struct Planned: Sendable {
        var notification: AgentNotification
        var agent: Agent
        var articleID: Int?
    }

    /// The notifications for `events` (in their order) on `ticket` as the request left it.
    func plan(ticket: Ticket, events: [NewTicketEvent], articles: [Int: PreparedArticle]) async throws -> [Planned] {
        var wanted: [(AgentNotification, [Int], Int?, forced: Set<Int>)] = []
        var watchers: [Int]?
        // A moved ticket is unlocked by the move (Znuny's ForceUnlockOnMove, no notification);
        // no other unlock can follow in the same request.
        let moved = events.contains { if case .queue = $0.change { true } else { false } }
        let created = events.contains { if case .created = $0.change { true } else { false } }
        var firstArticleSeen = false
        for event in events {
            switch event.change {
            case .queue(_, let new):
                // The event's snapshot holds the state from before the request's state change.
                guard isOn(.queueUpdate), catalog.stateTypeName(ofState: event.snapshot.stateID) != StateTypeName.closed
                else { continue }
                wanted.append((.queueUpdate, try await subscribers(.queue, new.id), nil, []))
            case .service(_, let new?):
                // TicketCreate only records the first service; no service update is sent for it.
                guard !created, isOn(.serviceUpdate) else { continue }
                wanted.append((.serviceUpdate, try await subscribers(.service, new.id), nil, []))
            case .owner(_, let new): wanted.append((.ownerUpdate, [new.id], nil, []))
            case .responsible(_, let new): if responsibleEnabled { wanted.append((.responsibleUpdate, [new.id], nil, [])) }
            case .lock(let old?, "unlock") where old != "unlock" && !moved:
                wanted.append((.lockTimeout, [ticket.ownerID], nil, []))
            case .articleAdded:
                guard let articleID = event.articleID, let article = articles[articleID] else { continue }
                let isFirst = !firstArticleSeen
                firstArticleSeen = true
                guard !article.notifications.none else { continue }
                let notification: AgentNotification
                let label = article.label?.lowercased() ?? ""
                switch label {
                case "addnote": notification = .newNote
                case "followup": notification = ticket.lockID == LockID.unlock ? .followUpUnlocked : .followUpLocked
                case _ where Self.newTicketLabels.contains(label) && isOn(.ticketCreate):
                    // Znuny's first article: the ticket had none before it.
                    guard isFirst, created ? true : try await reader.firstArticleID(ofTicket: ticket.id) == articleID else { continue }
                    notification = .ticketCreate
                default: continue
                }
                var candidates: [Int] = []
                if notification != .ticketCreate {
                    if watchers == nil { watchers = try await reader.watchers(ticketID: ticket.id).map(\.agentID) }
                    candidates = [ticket.ownerID]
                    if notification != .followUpUnlocked && responsibleEnabled { candidates.append(ticket.responsibleID) }
                    candidates += watchers ?? []
                }
                if notification == .ticketCreate || notification == .followUpUnlocked {
                    candidates += try await subscribers(.queue, ticket.queueID)
                    if let serviceID = ticket.serviceID { candidates += try await subscribers(.service, serviceID) }
                }
                let excluded = Set(article.notifications.exclude + article.notifications.excludeMute)
                candidates = candidates.filter { !excluded.contains($0) } + article.notifications.force
                wanted.append((notification, candidates, articleID, Set(article.notifications.force)))
            default: continue
            }
        }
        return try await filter(wanted, ticket: ticket, watchers: watchers ?? [])
    }

    /// The subscribers of a queue or service (through `known` when set).
    private func subscribers(_ kind: Subscription, _ objectID: Int) async throws -> [Int] {
        if let cached = known?.subscribers[kind]?[objectID] { return cached }
        let subscribers = try await reader.subscriberIDs(kind, objectID: objectID)
        known?.subscribers[kind, default: [:]][objectID] = subscribers
        return subscribers
    }

    private var responsibleEnabled: Bool { catalog.settings.responsibleEnabled }

    private func isOn(_ notification: AgentNotification) -> Bool { catalog.settings[notification.settingKey] != "0" }

    /// Reminders for a pending ticket whose time has come: owner and responsible, and for an
    /// unlocked ticket the "My Queues" subscribers of its queue.
    func planReminder(ticket: Ticket) async throws -> [Planned] {
        let unlocked = ticket.lockID == LockID.unlock
        let notification: AgentNotification = unlocked ? .pendingReminderUnlocked : .pendingReminderLocked
        var candidates = responsibleEnabled ? [ticket.ownerID, ticket.responsibleID] : [ticket.ownerID]
        if unlocked && isOn(notification) { candidates += try await subscribers(.queue, ticket.queueID) }
        return try await filter([(notification, candidates, nil, [])], ticket: ticket, watchers: [])
    }

    /// An escalation (or, with `warning`, an escalation warning) notification: Znuny's defaults
    /// send it to the "My Queues" subscribers of the ticket's queue and to the agents with `rw`
    /// on it (`AgentWritePermissions`).
    func planEscalation(ticket: Ticket, warning: Bool) async throws -> [Planned] {
        let notification: AgentNotification = warning ? .escalationWarning : .escalation
        guard isOn(notification), let groupID = catalog.queues[ticket.queueID]?.groupID else { return [] }
        var candidates = known?.writers[groupID]
        if candidates == nil {
            candidates = try await reader.agentIDs(holding: .rw, inGroup: groupID)
            known?.writers[groupID] = candidates
        }
        let recipients = try await subscribers(.queue, ticket.queueID) + (candidates ?? [])
        return try await filter([(notification, recipients, nil, [])], ticket: ticket, watchers: [])
    }

    /// The wanted notifications to the agents who may get them (see the type's rules).
    private func filter(_ wanted: [(AgentNotification, [Int], Int?, forced: Set<Int>)], ticket: Ticket, watchers: [Int]) async throws
        -> [Planned]
    {
        let enabled = wanted.filter { isOn($0.0) }
        guard !enabled.isEmpty else { return [] }
        // Agent 1 and the actor (unless forced) are never told: no need to read them.
        let forcedAll = Set(enabled.flatMap(\.forced))
        let ids = Set(enabled.flatMap(\.1)).subtracting([1]).filter { $0 != actingUserID || forcedAll.contains($0) }
        guard !ids.isEmpty else { return [] }
        let agents = try await agents(ids: ids.sorted())
        let groupID = catalog.queues[ticket.queueID]?.groupID
        // Znuny's OwnerCheck, ResponsibleCheck (with `Ticket::Responsible` on) and WatcherCheck
        // grant these agents the ticket.
        let granted = Set([ticket.ownerID] + (responsibleEnabled ? [ticket.responsibleID] : []) + watchers)
        var planned: [Planned] = []
        var seen: Set<String> = []
        for (notification, candidates, articleID, forced) in enabled {
            for id in candidates {
                guard let agent = agents[id], id != actingUserID || forced.contains(id), agent.validity == .valid,
                    !agent.email.isEmpty, seen.insert("\(notification.rawValue)\u{0}\(id)").inserted
                else { continue }
                if !granted.contains(id) {
                    let permissions = try await permissions(agentID: id)
                    let allowed: [Permission] = notification == .newNote ? [.ro, .rw, .note] : [.ro, .rw]
                    guard let groupID, allowed.contains(where: { permissions.contains(GroupPermission(groupID: groupID, permission: $0)) })
                    else { continue }
                }
                planned.append(Planned(notification: notification, agent: agent, articleID: articleID))
            }
        }
        return planned
    }

    /// Plans the notifications for a request's `events`, queues their mails and appends their
    /// `agentNotified` events (after the request's own, as Znuny's transaction-end handler writes them).
    static func record(
        into events: inout [NewTicketEvent], ticket: Ticket, articles: [PreparedArticle], articleIDs: [Int], tx: any StoreWriter,
        writer: ArticleWriter, catalog: Catalog
    ) async throws {
        let byID = Dictionary(uniqueKeysWithValues: zip(articleIDs, articles))
        let planner = NotificationPlanner(reader: tx, catalog: catalog, actingUserID: writer.actingUserID, now: writer.now)
        let planned = try await planner.plan(ticket: ticket, events: events, articles: byID)
        guard !planned.isEmpty else { return }
        // Znuny's history row of a notification names no article.
        for entry in planned {
            events.append(
                writer.event(
                    .agentNotified(notification: entry.notification.rawValue, login: entry.agent.login, transport: "Email"), ticket))
        }
        try await tx.enqueueNotifications(
            planned.map {
                OutboxNotification(
                    ticketID: ticket.id, articleID: $0.articleID, notification: $0.notification, recipientID: $0.agent.id,
                    actorID: writer.actingUserID)
            }, at: writer.now)
    }

    /// Znuny's `OncePerDay`: the planned notifications whose agent has not had the same one
    /// about this ticket today (UTC; `events`: the ticket's).
    static func notSentToday(_ planned: [Planned], events: [TicketEvent], now: Int64) -> [Planned] {
        let today = String(CivilDate(unixSeconds: now).timestampString.prefix(10))
        let sentToday = Set(
            events.compactMap { event -> String? in
                guard case .agentNotified(let name, let login, _) = event.change,
                    CivilDate(unixSeconds: event.createdAt).timestampString.hasPrefix(today)
                else { return nil }
                return "\(name)\u{0}\(login)"
            })
        return planned.filter { !sentToday.contains("\($0.notification.rawValue)\u{0}\($0.agent.login)") }
    }

    /// What notifications planned by a background check (acting as agent 1) write: their
    /// `agentNotified` events and their mails.
    struct Records {
        var events: [NewTicketEvent] = []
        var mails: [OutboxNotification] = []

        mutating func add(_ planned: [Planned], ticket: Ticket, now: Int64) {
            for entry in planned {
                events.append(
                    NewTicketEvent(
                        ticketID: ticket.id,
                        change: .agentNotified(notification: entry.notification.rawValue, login: entry.agent.login, transport: "Email"),
                        snapshot: TicketSnapshot(ticket), actorID: 1, createdAt: now))
                mails.append(
                    OutboxNotification(
                        ticketID: ticket.id, articleID: nil, notification: entry.notification, recipientID: entry.agent.id, actorID: 1))
            }
        }

        /// The events, then the mails in the outbox (one statement each however many tickets).
        func write(_ tx: any StoreWriter, now: Int64) async throws {
            guard !events.isEmpty else { return }
            try await tx.insertEvents(events)
            try await tx.enqueueNotifications(mails, at: now)
        }
    }

    /// Records notifications planned by a background check for one ticket.
    static func queue(_ planned: [Planned], ticket: Ticket, tx: any StoreWriter, now: Int64) async throws {
        var records = Records()
        records.add(planned, ticket: ticket, now: now)
        try await records.write(tx, now: now)
    }

    /// The agents with these ids, by id (through `known` when set).
    private func agents(ids: [Int]) async throws -> [Int: Agent] {
        guard let known else { return Dictionary(uniqueKeysWithValues: try await reader.agents(ids: ids).map { ($0.id, $0) }) }
        let missing = ids.filter { known.agents[$0] == nil }
        if !missing.isEmpty {
            let read = Dictionary(uniqueKeysWithValues: try await reader.agents(ids: missing).map { ($0.id, $0) })
            for id in missing { known.agents[id] = .some(read[id]) }
        }
        return ids.reduce(into: [:]) { found, id in found[id] = known.agents[id] ?? nil }
    }

    /// The agent's group permissions (through `known` when set).
    private func permissions(agentID: Int) async throws -> Set<GroupPermission> {
        if let cached = known?.permissions[agentID] { return cached }
        let permissions = try await reader.permissions(agentID: agentID)
        known?.permissions[agentID] = permissions
        return permissions
    }
}
