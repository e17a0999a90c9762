/// Accounted working time on a ticket (optionally for one article), in Znuny's "time units".
public struct TimeAccountingEntry: Sendable, Hashable {
    public var id: Int
    public var ticketID: Int
    public var articleID: Int?
    public var timeUnit: Double
    public var createdAt: Int64
    public var createdBy: Int

    public init(id: Int, ticketID: Int, articleID: Int?, timeUnit: Double, createdAt: Int64, createdBy: Int) {
        self.id = id
        self.ticketID = ticketID
        self.articleID = articleID
        self.timeUnit = timeUnit
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// An agent watching (subscribed to) a ticket.
public struct Watcher: Sendable, Hashable {
    public var ticketID: Int
    public var agentID: Int
    public var createdAt: Int64

    public init(ticketID: Int, agentID: Int, createdAt: Int64) {
        self.ticketID = ticketID
        self.agentID = agentID
        self.createdAt = createdAt
    }
}

/// A link between two tickets (`Normal`, or `ParentChild` from source = parent to target = child).
public struct TicketLink: Sendable, Hashable {
    public var sourceTicketID: Int
    public var targetTicketID: Int
    public var type: String
    public var state: String

    public init(sourceTicketID: Int, targetTicketID: Int, type: String, state: String = "Valid") {
        self.sourceTicketID = sourceTicketID
        self.targetTicketID = targetTicketID
        self.type = type
        self.state = state
    }
}
