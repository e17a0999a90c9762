/// One thing that happened to a ticket, as the core records it. Each face renders its own view of
/// the history from these: Znuny's `%%`-joined names and history types, django-helpdesk's
/// follow-up rows, osTicket's thread events.
public struct TicketEvent: Sendable, Hashable {
    public var id: Int
    public var ticketID: Int
    /// The article the event is about (article added, time accounted on an article).
    public var articleID: Int?
    public var change: TicketChange
    /// The ticket's queue, state, priority, owner and type when the event was recorded.
    public var snapshot: TicketSnapshot
    /// The agent who did it (customers act as `CustomerPanelUserID`; automatic changes as 1).
    public var actorID: Int
    public var createdAt: Int64
    /// How the caller classified the event in its own vocabulary, when it said (Znuny's history
    /// type of an article, e.g. `EmailCustomer`); events migrated from the old history table carry
    /// their Znuny history type here.
    public var label: String?
    /// The caller's own wording of the event, when it gave one (Znuny's `HistoryComment`); events
    /// migrated from the old history table carry their original Znuny `Name` here.
    public var note: String?

    public init(
        id: Int, ticketID: Int, articleID: Int?, change: TicketChange, snapshot: TicketSnapshot, actorID: Int,
        createdAt: Int64, label: String? = nil, note: String? = nil
    ) {
        self.id = id
        self.ticketID = ticketID
        self.articleID = articleID
        self.change = change
        self.snapshot = snapshot
        self.actorID = actorID
        self.createdAt = createdAt
        self.label = label
        self.note = note
    }
}

/// The ticket attributes every event records as they were at that moment.
public struct TicketSnapshot: Sendable, Hashable {
    public var queueID: Int
    public var stateID: Int
    public var priorityID: Int
    public var ownerID: Int
    public var typeID: Int?

    public init(queueID: Int, stateID: Int, priorityID: Int, ownerID: Int, typeID: Int?) {
        self.queueID = queueID
        self.stateID = stateID
        self.priorityID = priorityID
        self.ownerID = ownerID
        self.typeID = typeID
    }

    public init(_ ticket: Ticket) {
        self.init(
            queueID: ticket.queueID, stateID: ticket.stateID, priorityID: ticket.priorityID, ownerID: ticket.ownerID, typeID: ticket.typeID)
    }
}

/// A name with its id, as events keep lookups (the name as it was then).
public struct NamedID: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String

    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}

/// One of a ticket's three escalation deadlines; the raw value is Znuny's word for it in its
/// event names (`EscalationResponseTimeStart`).
public enum EscalationKind: String, Sendable, Hashable, CaseIterable {
    case firstResponse = "Response"
    case update = "Update"
    case solution = "Solution"
}

/// What changed. Lookups keep both id and name; optional ones are nil when unset.
public enum TicketChange: Sendable, Hashable {
    /// The ticket was created with this number.
    case created(number: String)
    /// An article was added (`TicketEvent.articleID`).
    case articleAdded
    case title(old: String, new: String)
    case queue(old: NamedID, new: NamedID)
    case state(old: NamedID, new: NamedID)
    case priority(old: NamedID, new: NamedID)
    case type(old: NamedID?, new: NamedID?)
    case service(old: NamedID?, new: NamedID?)
    case sla(old: NamedID?, new: NamedID?)
    /// Owner and responsible agents by id and login.
    case owner(old: NamedID?, new: NamedID)
    case responsible(old: NamedID?, new: NamedID)
    /// Lock names (`lock`, `unlock`, `tmp_lock`).
    case lock(old: String?, new: String)
    /// The new customer id and customer user; nil for a part the change did not name (Znuny's
    /// `TicketCustomerSet` with only `No` or `User`).
    case customer(customerID: String?, customerUser: String?)
    /// The new pending time in Unix seconds; 0 when it was reset.
    case pendingTime(Int64)
    case archiveFlag(Bool)
    case dynamicField(name: String, old: [String], new: [String])
    /// Time accounted now, and the ticket's total after it.
    case timeAccounted(unit: Double, total: Double)
    /// An agent's article restarted the automatic unlock timer.
    case unlockTimeoutReset
    /// This ticket (`source`, by id and number) was merged into `target`; its articles moved there.
    case merged(source: NamedID, target: NamedID)
    /// An agent was notified: Znuny's notification name, the agent's login and the transport
    /// (`Email`), as Znuny's `SendAgentNotification` history row names them.
    case agentNotified(notification: String, login: String, transport: String)
    /// The escalation check found this deadline reached (Znuny's `Escalation…TimeStart` events).
    case escalationStarted(EscalationKind)
    /// The escalation check found this deadline near (Znuny's `Escalation…TimeNotifyBefore`
    /// events: the notify-before percentage of its minutes has passed).
    case escalationNear(EscalationKind)
    /// A change ended a reached deadline (Znuny's `Escalation…TimeStop`, from its
    /// `TriggerEscalationStopEvents` handler).
    case escalationStopped(EscalationKind)
    /// An event known only by its label and note (history written before events existed).
    case recorded

    /// The stable name stored in the `kind` column.
    public var kind: String {
        switch self {
        case .created: "TicketCreated"
        case .articleAdded: "ArticleAdded"
        case .title: "TitleChanged"
        case .queue: "QueueChanged"
        case .state: "StateChanged"
        case .priority: "PriorityChanged"
        case .type: "TypeChanged"
        case .service: "ServiceChanged"
        case .sla: "SLAChanged"
        case .owner: "OwnerChanged"
        case .responsible: "ResponsibleChanged"
        case .lock: "LockChanged"
        case .customer: "CustomerChanged"
        case .pendingTime: "PendingTimeSet"
        case .archiveFlag: "ArchiveFlagChanged"
        case .dynamicField: "DynamicFieldChanged"
        case .timeAccounted: "TimeAccounted"
        case .unlockTimeoutReset: "UnlockTimeoutReset"
        case .merged: "TicketMerged"
        case .agentNotified: "AgentNotified"
        case .escalationStarted: "EscalationStarted"
        case .escalationNear: "EscalationNear"
        case .escalationStopped: "EscalationStopped"
        case .recorded: "Recorded"
        }
    }
}

/// An event to record; the store assigns the id.
public struct NewTicketEvent: Sendable, Hashable {
    public var ticketID: Int
    public var articleID: Int?
    public var change: TicketChange
    public var snapshot: TicketSnapshot
    public var actorID: Int
    public var createdAt: Int64
    public var label: String?
    public var note: String?

    public init(
        ticketID: Int, articleID: Int? = nil, change: TicketChange, snapshot: TicketSnapshot, actorID: Int, createdAt: Int64,
        label: String? = nil, note: String? = nil
    ) {
        self.ticketID = ticketID
        self.articleID = articleID
        self.change = change
        self.snapshot = snapshot
        self.actorID = actorID
        self.createdAt = createdAt
        self.label = label
        self.note = note
    }
}
