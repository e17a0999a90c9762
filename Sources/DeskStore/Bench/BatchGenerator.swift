import DeskCore
import SQLKit

/// The rows of one batch of generated tickets, per table, built for the database.
struct GeneratedBatch: Sendable {
    var tickets: BulkRows
    var articles: BulkRows
    var values: BulkRows
    var history: BulkRows

    init(for kind: DatabaseKind, tickets count: Int) {
        tickets = BulkRows(columns: Self.ticketColumns, for: kind, capacity: count)
        articles = BulkRows(columns: Self.articleColumns, for: kind, capacity: count * 3)
        values = BulkRows(columns: ["field_id", "object_id", "value_text", "position"], for: kind, capacity: count * 3)
        history = BulkRows(columns: Self.historyColumns, for: kind, capacity: count)
    }

    static let ticketColumns = [
        "id", "tn", "title", "queue_id", "type_id", "state_id", "priority_id", "lock_id", "owner_id", "responsible_id",
        "customer_user_id", "customer_id", "until_time", "escalation_time", "escalation_response_time", "escalation_update_time",
        "escalation_solution_time", "created_at", "created_by", "changed_at", "changed_by",
    ]
    static let articleColumns = [
        "id", "ticket_id", "sender_type_id", "channel_id", "is_visible_for_customer", "a_from", "a_to", "a_cc", "a_bcc",
        "a_reply_to", "subject", "body", "content_type", "charset", "mime_type", "message_id", "in_reply_to",
        "a_references", "incoming_time", "created_at", "created_by", "changed_at", "changed_by",
    ]
    static let historyColumns = [
        "ticket_id", "kind", "new_value", "queue_id", "owner_id", "priority_id", "state_id", "type_id", "created_at", "actor_id",
    ]

    /// The batch's rows of `table`, if it writes that table.
    func rows(of table: String) -> BulkRows? {
        switch table {
        case "tickets": tickets
        case "articles": articles
        case "dynamic_field_values": values
        case "ticket_events": history
        default: nil
        }
    }

    func insert(into db: any SQLDatabase) async throws {
        try await db.insertMany("tickets", tickets)
        try await db.insertMany("articles", articles)
        try await db.insertMany("dynamic_field_values", values)
        try await db.insertMany("ticket_events", history)
    }
}

/// Generates the tickets of a load batch by batch; a value, so the next batch can be made on
/// another thread while the last one is written.
struct BatchGenerator: Sendable {
    let setup: BulkLoader.Setup
    let kind: DatabaseKind
    let count: Int
    let now: Int64
    var random: SplitMix64
    var nextTicket: Int
    var nextArticle: Int
    /// Tickets generated so far.
    var done = 0

    /// State mix: mostly closed, a realistic open backlog.
    static let states: [(id: Int, weight: Int)] = [(2, 55), (3, 10), (4, 18), (1, 10), (6, 5), (7, 2)]
    static let severities: [BulkRows.Value] = ["low", "medium", "high", "critical"]

    /// The pending time of a ticket in `state`, as a running desk has them: the pending check
    /// has already moved on the pending-auto tickets whose time passed, so theirs lie ahead; one
    /// pending reminder in ten is due (for up to three days: it is reminded daily until someone
    /// acts), the others lie ahead. 0 for other states.
    static func pendingTime(state: Int, now: Int, _ random: inout SplitMix64) -> Int {
        switch state {
        case 6 where random.next(upTo: 10) == 0: now - random.next(upTo: 3 * 86_400)
        case 6, 7: now + 3600 + random.next(upTo: 30 * 86_400)
        default: 0
        }
    }

    /// The next batch of up to `size` tickets, and the generator after it.
    func advanced(by size: Int) -> (GeneratedBatch, BatchGenerator) {
        var generator = self
        let batch = generator.makeBatch(min(size, count - done))
        return (batch, generator)
    }

    private mutating func makeBatch(_ size: Int) -> GeneratedBatch {
        var batch = GeneratedBatch(for: kind, tickets: size)
        // Tickets arrive over three years, in id order, as in a live system.
        let span = 3 * 365 * 86_400
        let start = Int(now) - span
        let escalation = EscalationIndex(catalog: setup.catalog)
        let minutesOfQueue = Dictionary(
            uniqueKeysWithValues: setup.queueIDs.map { ($0, EscalationMinutes(queueID: $0, slaID: nil, catalog: setup.catalog)) })
        for _ in 0..<size {
            let id = nextTicket
            nextTicket += 1
            let created = start + span * done / max(count, 1) + random.next(upTo: 60)
            done += 1
            let queue = setup.queueIDs[random.next(upTo: setup.queueIDs.count)]
            let state = BulkLoader.weighted(Self.states, &random)
            let owner = random.next(upTo: 4) == 0 ? 1 : setup.agentIDs[random.next(upTo: setup.agentIDs.count)]
            let customer = random.next(upTo: setup.customerCount)
            let priority = 1 + random.next(upTo: 5)
            let title = WordList.title(&random)
            let pending = Self.pendingTime(state: state, now: Int(now), &random)
            let number = BulkRows.Value.text(Self.ticketNumber(id))
            let customerUser = BulkRows.Value.text("customer\(customer)@example.com")
            var changed = min(Int(now), created + random.next(upTo: 86_400))
            let minutes = minutesOfQueue[queue].flatMap { $0.isNone ? nil : $0 }
            var marks: [ArticleMark] = []
            let articleCount = 1 + random.next(upTo: 5)
            // Every article changes its ticket: none is newer than the ticket's last change.
            changed = max(changed, created + (articleCount - 1) * 3600)
            for index in 0..<articleCount {
                let articleID = nextArticle
                nextArticle += 1
                let fromCustomer = index % 2 == 0
                let at = BulkRows.Value.int(created + index * 3600)
                if minutes != nil {
                    marks.append(
                        ArticleMark(
                            ticketID: id, senderTypeID: fromCustomer ? 3 : 1, isVisibleForCustomer: true,
                            createdAt: Int64(created + index * 3600)))
                }
                batch.articles.append(
                    .int(articleID), .int(id), fromCustomer ? 3 : 1, fromCustomer ? 1 : 3, 1,
                    fromCustomer ? customerUser : "Bench Agent <bench@example.com>", "support@example.com", "", "", "",
                    .text(index == 0 ? title : "Re: " + title), .text(WordList.body(&random)), "text/plain; charset=utf-8", "utf-8",
                    "text/plain", "", "", "", at, at, 1, at, 1)
            }
            // Never closed before (its only history row is the creation), as a rebuild reads it.
            let deadlines =
                minutes.map {
                    escalation.times(createdAt: Int64(created), stateID: state, minutes: $0, articles: marks, everClosed: false)
                } ?? .none
            batch.tickets.append(
                .int(id), number, .text(title), .int(queue), 1, .int(state), .int(priority), state == 4 ? 2 : 1, .int(owner), 1,
                customerUser, .text("CUST-\(customer)"), .int(pending), .int(Int(deadlines.escalation)), .int(Int(deadlines.response)),
                .int(Int(deadlines.update)), .int(Int(deadlines.solution)), .int(created), 1, .int(changed), 1)
            batch.history.append(
                .int(id), "TicketCreated", number, .int(queue), .int(owner), .int(priority), .int(state), 1, .int(created), 1)
            batch.values.append(.int(setup.fieldIDs.severity), .int(id), Self.severities[random.next(upTo: 4)], 0)
            batch.values.append(.int(setup.fieldIDs.externalRef), .int(id), .text("REF-\(random.next(upTo: 1_000_000))"), 0)
            batch.values.append(
                .int(setup.fieldIDs.due), .int(id),
                .text(CivilDate(unixSeconds: Int64(created + 14 * 86_400)).timestampString.prefix(10) + " 00:00:00"), 0)
        }
        return batch
    }

    /// "9" and the id padded to nine digits, e.g. 9000000042.
    static func ticketNumber(_ id: Int) -> String {
        let digits = String(id)
        return "9" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }
}
