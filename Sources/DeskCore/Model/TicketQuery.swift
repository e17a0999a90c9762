/// A ticket search, in the core's terms. Faces translate their filters into this; the store turns
/// it into one SQL statement. Every list is OR within itself; all filters AND together.
public struct TicketQuery: Sendable {
    /// LIKE patterns (`%` wildcard), matched case-insensitively.
    public var ticketNumbers: [String] = []
    public var titles: [String] = []
    public var customerIDs: [String] = []
    public var customerUserLogins: [String] = []
    /// Exact customer ids.
    public var customerIDsRaw: [String] = []

    public var ticketIDs: [Int] = []
    public var stateIDs: [Int] = []
    public var stateTypeIDs: [Int] = []
    public var queueIDs: [Int] = []
    public var priorityIDs: [Int] = []
    public var typeIDs: [Int] = []
    public var lockIDs: [Int] = []
    public var ownerIDs: [Int] = []
    public var responsibleIDs: [Int] = []
    public var serviceIDs: [Int] = []
    public var slaIDs: [Int] = []
    public var createdByIDs: [Int] = []
    public var watcherIDs: [Int] = []

    /// Inclusive bounds in Unix seconds.
    public var createdFrom: Int64?
    public var createdTo: Int64?
    public var changedFrom: Int64?
    public var changedTo: Int64?
    public var pendingFrom: Int64?
    public var pendingTo: Int64?

    public enum ArchiveFilter: Sendable { case notArchived, archived, all }
    public var archive: ArchiveFilter = .all

    public enum SortKey: String, Sendable, CaseIterable {
        case age, created, changed, ticketID, ticketNumber, title, queue, state, lock, type, priority, owner,
             responsible, customerID, service, sla, pendingTime, escalationTime, escalationUpdateTime,
             escalationResponseTime, escalationSolutionTime
    }
    /// Sort keys with their direction; empty means newest first.
    public var sort: [(key: SortKey, ascending: Bool)] = []
    public var limit: Int = 500

    /// The most rows a query may return, whatever the caller asks.
    public static let maxLimit = 10_000

    public init() {}
}

/// One accounted time entry with its ticket, for time accounting reports.
public struct TimeAccountingReportRow: Sendable, Hashable {
    public var ticketNumber: String
    public var ticketTitle: String
    public var customerID: String?
    public var queueName: String
    public var createdAt: Int64
    public var timeUnit: Double

    public init(ticketNumber: String, ticketTitle: String, customerID: String?, queueName: String, createdAt: Int64, timeUnit: Double) {
        self.ticketNumber = ticketNumber
        self.ticketTitle = ticketTitle
        self.customerID = customerID
        self.queueName = queueName
        self.createdAt = createdAt
        self.timeUnit = timeUnit
    }
}
