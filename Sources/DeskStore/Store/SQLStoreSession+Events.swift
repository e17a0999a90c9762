import DeskCore
import Foundation
import SQLKit

/// Ticket events in `ticket_events`: one row per event, the change spread over `field`,
/// `old_value`/`new_value` (text; lists and pairs as JSON) and `old_id`/`new_id` (lookup ids).
extension SQLStoreSession {
    static let eventColumns = [
        "ticket_id", "article_id", "kind", "field", "old_value", "new_value", "old_id", "new_id", "label", "note",
        "queue_id", "state_id", "priority_id", "owner_id", "type_id", "actor_id", "created_at",
    ]

    func insertEvents(_ events: [NewTicketEvent]) async throws {
        try await insertLater(
            "ticket_events", Self.eventColumns,
            events.map { event in
                let columns = EventColumns(event.change)
                return [
                    event.ticketID, event.articleID, event.change.kind, columns.field, columns.oldValue, columns.newValue, columns.oldID,
                    columns.newID, event.label.map { String($0.prefix(200)) }, event.note, event.snapshot.queueID, event.snapshot.stateID,
                    event.snapshot.priorityID, event.snapshot.ownerID, event.snapshot.typeID, event.actorID, event.createdAt,
                ]
            })
    }

    func events(ticketIDs: [Int], kinds: [String]) async throws -> [TicketEvent] {
        guard !kinds.isEmpty else { return [] }
        let kindList = kinds.map { $0 as Bindable }
        return try await db.rows(forIDs: ticketIDs) {
            """
            SELECT id, \(unsafeRaw: Self.eventColumns.joined(separator: ", ")) FROM ticket_events
            WHERE kind IN (\(binds: kindList)) AND ticket_id IN (\($0)) ORDER BY ticket_id, id
            """
        }.map(Rows.event)
    }

    func events(ticketIDs: [Int]) async throws -> [TicketEvent] {
        try await db.rows(forIDs: ticketIDs) {
            """
            SELECT id, \(unsafeRaw: Self.eventColumns.joined(separator: ", ")) FROM ticket_events
            WHERE ticket_id IN (\($0)) ORDER BY ticket_id, id
            """
        }.map(Rows.event)
    }
}

/// A `TicketChange` as the row's columns.
struct EventColumns {
    var field: String?
    var oldValue: String?
    var newValue: String?
    var oldID: Int?
    var newID: Int?

    init(field: String? = nil, oldValue: String? = nil, newValue: String? = nil, oldID: Int? = nil, newID: Int? = nil) {
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.oldID = oldID
        self.newID = newID
    }

    init(_ change: TicketChange) {
        switch change {
        case .created(let number): self.init(newValue: number)
        case .articleAdded, .unlockTimeoutReset, .recorded: self.init()
        case .title(let old, let new): self.init(oldValue: old, newValue: new)
        case .queue(let old, let new), .state(let old, let new), .priority(let old, let new):
            self.init(oldValue: old.name, newValue: new.name, oldID: old.id, newID: new.id)
        case .type(let old, let new), .service(let old, let new), .sla(let old, let new):
            self.init(oldValue: old?.name, newValue: new?.name, oldID: old?.id, newID: new?.id)
        case .owner(let old, let new), .responsible(let old, let new):
            self.init(oldValue: old?.name, newValue: new.name, oldID: old?.id, newID: new.id)
        case .lock(let old, let new): self.init(oldValue: old, newValue: new)
        case .customer(let customerID, let customerUser):
            // A part left out (rpc.pl's TicketCustomerSet) is marked, so that rows written before
            // parts could be left out read as naming both.
            let partial = customerID == nil || customerUser == nil
            self.init(
                field: partial ? Self.partialCustomer : nil,
                newValue: JSONText.object([("customerID", customerID), ("customerUser", customerUser)]))
        case .pendingTime(let time): self.init(newValue: String(time))
        case .archiveFlag(let flag): self.init(newValue: flag ? "1" : "0")
        case .dynamicField(let name, let old, let new):
            self.init(field: name, oldValue: JSONText.strings(old), newValue: JSONText.strings(new))
        case .timeAccounted(let unit, let total):
            self.init(newValue: JSONText.encode(TimePair(unit: unit, total: total)))
        case .merged(let source, let target):
            self.init(oldValue: source.name, newValue: target.name, oldID: source.id, newID: target.id)
        case .agentNotified(let notification, let login, let transport):
            self.init(field: notification, oldValue: transport, newValue: login)
        case .escalationStarted(let kind), .escalationStopped(let kind), .escalationNear(let kind): self.init(field: kind.rawValue)
        }
    }

    /// The change of a row of `kind`; rows a newer version wrote with an unknown kind come back as `.recorded`.
    func change(kind: String) -> TicketChange {
        let named = { (id: Int?, name: String?) -> NamedID? in id.map { NamedID(id: $0, name: name ?? "") } }
        let required = { (id: Int?, name: String?) -> NamedID in NamedID(id: id ?? 0, name: name ?? "") }
        switch kind {
        case "TicketCreated": return .created(number: newValue ?? "")
        case "ArticleAdded": return .articleAdded
        case "TitleChanged": return .title(old: oldValue ?? "", new: newValue ?? "")
        case "QueueChanged": return .queue(old: required(oldID, oldValue), new: required(newID, newValue))
        case "StateChanged": return .state(old: required(oldID, oldValue), new: required(newID, newValue))
        case "PriorityChanged": return .priority(old: required(oldID, oldValue), new: required(newID, newValue))
        case "TypeChanged": return .type(old: named(oldID, oldValue), new: named(newID, newValue))
        case "ServiceChanged": return .service(old: named(oldID, oldValue), new: named(newID, newValue))
        case "SLAChanged": return .sla(old: named(oldID, oldValue), new: named(newID, newValue))
        case "OwnerChanged": return .owner(old: named(oldID, oldValue), new: required(newID, newValue))
        case "ResponsibleChanged": return .responsible(old: named(oldID, oldValue), new: required(newID, newValue))
        case "LockChanged": return .lock(old: oldValue, new: newValue ?? "")
        case "CustomerChanged":
            let pair = newValue.flatMap { JSONText.decode(CustomerPair.self, $0) }
            let absent: String? = field == Self.partialCustomer ? nil : ""
            return .customer(customerID: pair?.customerID ?? absent, customerUser: pair?.customerUser ?? absent)
        case "PendingTimeSet": return .pendingTime(Int64(newValue ?? "") ?? 0)
        case "ArchiveFlagChanged": return .archiveFlag(newValue == "1")
        case "DynamicFieldChanged":
            return .dynamicField(
                name: field ?? "", old: oldValue.flatMap { JSONText.decode([String].self, $0) } ?? [],
                new: newValue.flatMap { JSONText.decode([String].self, $0) } ?? [])
        case "TimeAccounted":
            let pair = newValue.flatMap { JSONText.decode(TimePair.self, $0) }
            return .timeAccounted(unit: pair?.unit ?? 0, total: pair?.total ?? 0)
        case "UnlockTimeoutReset": return .unlockTimeoutReset
        case "TicketMerged": return .merged(source: required(oldID, oldValue), target: required(newID, newValue))
        case "AgentNotified": return .agentNotified(notification: field ?? "", login: newValue ?? "", transport: oldValue ?? "")
        case "EscalationStarted": return field.flatMap(EscalationKind.init(rawValue:)).map { .escalationStarted($0) } ?? .recorded
        case "EscalationStopped": return field.flatMap(EscalationKind.init(rawValue:)).map { .escalationStopped($0) } ?? .recorded
        case "EscalationNear": return field.flatMap(EscalationKind.init(rawValue:)).map { .escalationNear($0) } ?? .recorded
        default: return .recorded
        }
    }

    /// The `field` of a customer change that names only some of the two parts.
    static let partialCustomer = "named"

    struct CustomerPair: Codable {
        var customerID: String?
        var customerUser: String?
    }

    struct TimePair: Codable {
        var unit: Double
        var total: Double
    }
}

extension Rows {
    /// An event row, its columns read in the order `eventColumns` lists them (after `id`).
    static func event(_ row: any SQLRow) throws -> TicketEvent {
        var c = Columns(row)
        let (id, ticketID, articleID, kind) = (
            try c.int("id"), try c.int("ticket_id"), try c.optionalInt("article_id"), try c.string("kind")
        )
        let columns = EventColumns(
            field: try c.optionalString("field"), oldValue: try c.optionalString("old_value"), newValue: try c.optionalString("new_value"),
            oldID: try c.optionalInt("old_id"), newID: try c.optionalInt("new_id"))
        let (label, note) = (try c.optionalString("label"), try c.optionalString("note"))
        let snapshot = TicketSnapshot(
            queueID: try c.int("queue_id"), stateID: try c.int("state_id"), priorityID: try c.int("priority_id"),
            ownerID: try c.int("owner_id"), typeID: try c.optionalInt("type_id"))
        return TicketEvent(
            id: id, ticketID: ticketID, articleID: articleID, change: columns.change(kind: kind), snapshot: snapshot,
            actorID: try c.int("actor_id"), createdAt: try c.int64("created_at"), label: label, note: note)
    }
}
