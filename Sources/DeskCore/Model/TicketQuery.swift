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
    /// Exact customer user logins (case-insensitive; `_` and `%` are plain characters).
    public var customerUserLoginsRaw: [String] = []
    /// Tickets of any of these requesters, whichever column names them; nil: no such filter.
    public var requesters: Requesters?
    /// Expressions over the same columns (`TextCondition`); each must hold.
    public var textFilters: [TextFilter] = []

    public var ticketIDs: [Int] = []
    /// Only tickets with a higher id: with a sort by ticket id, where the previous page ended.
    public var ticketIDAbove: Int?
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

    /// Values the ticket had when it was created (its first history row): Znuny's `Created*` filters.
    public var createdTypeIDs: [Int] = []
    public var createdPriorityIDs: [Int] = []
    public var createdStateIDs: [Int] = []
    public var createdQueueIDs: [Int] = []

    /// Inclusive bounds in Unix seconds. `changed…` is the ticket's last change; `anyChange…`
    /// matches tickets with any history entry in the range; `closed…` tickets closed in the range.
    public var createdFrom: Int64?
    public var createdTo: Int64?
    public var changedFrom: Int64?
    public var changedTo: Int64?
    public var anyChangeFrom: Int64?
    public var anyChangeTo: Int64?
    public var closedFrom: Int64?
    public var closedTo: Int64?
    /// Pending-time bounds match only tickets in a pending state, and only those with a pending
    /// time unless `pendingUnsetIsZero`.
    public var pendingFrom: Int64?
    public var pendingTo: Int64?
    /// A pending ticket without a pending time counts as pending since 0 (Znuny's search compares
    /// `until_time <= <date>`, so such a ticket is older than any date). The pending check leaves
    /// such tickets alone.
    public var pendingUnsetIsZero = false
    /// Escalation bounds match only tickets with that escalation set.
    public var escalationFrom: Int64?
    public var escalationTo: Int64?
    public var escalationResponseFrom: Int64?
    public var escalationResponseTo: Int64?
    public var escalationUpdateFrom: Int64?
    public var escalationUpdateTo: Int64?
    public var escalationSolutionFrom: Int64?
    public var escalationSolutionTo: Int64?
    /// Article creation time: tickets with an article created in the range.
    public var articleCreatedFrom: Int64?
    public var articleCreatedTo: Int64?

    /// Article fields (case-insensitive): `From`, `To` and `Cc` as substrings (`*` a wildcard);
    /// `Subject` and `Body` by words, each of which must be a whole word of the field, in any
    /// order. With `.all`, one article must match every given field; with `.any`, any field.
    public var articleFields: [ArticleField: String] = [:]
    public var articleFieldsMatch: Match = .all
    /// Words that must all occur in the subject or body of one article (full-text index).
    public var fullTextWords: [String] = []
    /// Attachment file names (`%` wildcard).
    public var attachmentNames: [String] = []

    /// Dynamic field conditions; all must hold.
    public var dynamicFields: [DynamicFieldCondition] = []

    public enum ArchiveFilter: Sendable { case notArchived, archived, all }
    public var archive: ArchiveFilter = .all

    /// Sort keys; `queue` sorts by name, `state`, `type`, `service` and `sla` by id (as Znuny
    /// sorts them), `owner` and `responsible` by first then last name, `title` and `customerID`
    /// without case (lower-cased, as Znuny's databases collate text).
    public enum SortKey: Sendable, Hashable {
        case age, created, changed, ticketID, ticketNumber, title, queue, state, lock, type, priority, owner,
            responsible, customerID, service, sla, pendingTime, escalationTime, escalationUpdateTime,
            escalationResponseTime, escalationSolutionTime
        /// When the customer last saw the ticket move: its newest customer-visible article's
        /// creation time, else the ticket's (WHMCS's `lastreply`). Never later than `changed`,
        /// as every article changes its ticket; the store bounds a newest-first page with that.
        case lastVisibleArticle
        /// The value of a ticket dynamic field (by field id).
        case dynamicField(Int)
    }

    public enum ArticleField: String, Sendable, CaseIterable {
        case from = "From"
        case to = "To"
        case cc = "Cc"
        case subject = "Subject"
        case body = "Body"
    }

    public enum Match: Sendable { case all, any }

    /// One condition on a ticket dynamic field.
    public struct DynamicFieldCondition: Sendable, Equatable {
        public enum Operator: String, Sendable, CaseIterable {
            case equals = "Equals"
            case like = "Like"
            case greaterThan = "GreaterThan"
            case greaterThanEquals = "GreaterThanEquals"
            case smallerThan = "SmallerThan"
            case smallerThanEquals = "SmallerThanEquals"
            case empty = "Empty"
        }

        public var fieldID: Int
        public var op: Operator
        /// Canonical values (ORed); for `.like`, patterns with `%`; for `.empty`, `["1"]` or `["0"]`.
        public var values: [String]

        public init(fieldID: Int, op: Operator, values: [String]) {
            self.fieldID = fieldID
            self.op = op
            self.values = values
        }
    }
    /// Sort keys with their direction; empty means newest first.
    public var sort: [(key: SortKey, ascending: Bool)] = []
    public var limit: Int = 500

    /// Rows to skip (for pages).
    public var offset: Int = 0

    /// The most rows a query may return, whatever the caller asks.
    public static let maxLimit = 10_000

    public init() {}

    /// A page of a walk over tickets in id order: those after ticket `lastRead`, at most
    /// `limit` (the background checks read their tickets batch by batch this way).
    public static func idWalk(after lastRead: Int, limit: Int) -> TicketQuery {
        var query = TicketQuery()
        query.sort = [(.ticketID, true)]
        query.ticketIDAbove = lastRead
        query.limit = limit
        return query
    }
}

/// Ticket counts of one queue and state, as agent views show them.
public struct QueueStateCount: Sendable, Hashable {
    public var queueID: Int
    public var stateID: Int
    public var count: Int

    public init(queueID: Int, stateID: Int, count: Int) {
        self.queueID = queueID
        self.stateID = stateID
        self.count = count
    }
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

extension TicketQuery {
    /// "Someone's tickets" where the someone is known by customer id or by customer user: a ticket
    /// matches when its customer id is one of `customerIDs` (exactly) or its customer user is one
    /// of `customerUserLogins` (without regard to case). Both empty: no ticket matches.
    public struct Requesters: Sendable, Hashable {
        public var customerIDs: [String]
        public var customerUserLogins: [String]

        public init(customerIDs: [String] = [], customerUserLogins: [String] = []) {
            self.customerIDs = customerIDs
            self.customerUserLogins = customerUserLogins
        }
    }
}
