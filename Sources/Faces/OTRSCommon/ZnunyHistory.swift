import DeskCore

/// Znuny's view of ticket events: the history type (name and id, as in Znuny's `history_type`
/// table) and the `Name` in its `%%value%%value` notation. TicketHistoryGet and rpc.pl's
/// HistoryGet return these verbatim, so their shape is part of the wire format.
public enum ZnunyHistory {
    public struct Row: Sendable, Equatable {
        public var type: String
        public var typeID: Int
        public var name: String
    }

    /// The row Znuny would have written for `event`. An event that carries its own label and
    /// note (an article's history type and comment, or a row migrated from the old history
    /// table) is rendered with them.
    public static func row(for event: TicketEvent, catalog: Catalog) -> Row {
        var (type, name) = derived(event, catalog: catalog)
        if let label = event.label { type = label }
        if let note = event.note { name = note }
        // Znuny's history name column holds 200 characters.
        return Row(type: type, typeID: typeID(type), name: String(name.prefix(200)))
    }

    static func derived(_ event: TicketEvent, catalog: Catalog) -> (String, String) {
        switch event.change {
        case .created(let number):
            let queue = catalog.queues[event.snapshot.queueID]?.name ?? ""
            let priority = catalog.priorities[event.snapshot.priorityID]?.name ?? ""
            let state = catalog.states[event.snapshot.stateID]?.name ?? ""
            return ("NewTicket", "%%\(number)%%\(queue)%%\(priority)%%\(state)%%\(event.ticketID)")
        case .articleAdded:
            return ("AddNote", "%%")
        case .title(let old, let new):
            // The new title is cut to 50 characters, and `...` follows when the cut part is 50 long.
            let cut = String(new.prefix(50))
            return ("TitleUpdate", "%%\(old)%%\(cut)" + (cut.count == 50 ? "..." : ""))
        case .queue(let old, let new):
            return ("Move", "%%\(new.name)%%\(new.id)%%\(old.name)%%\(old.id)")
        case .state(let old, let new):
            return ("StateUpdate", "%%\(old.name)%%\(new.name)%%")
        case .priority(let old, let new):
            return ("PriorityUpdate", "%%\(old.name)%%\(old.id)%%\(new.name)%%\(new.id)")
        case .type(nil, let new?):
            // The initial type TicketCreate records: name and id only.
            return ("TypeUpdate", "%%\(new.name)%%\(new.id)")
        case .type(let old, let new):
            return ("TypeUpdate", lookupUpdate(old: old, new: new))
        case .service(let old, let new):
            return ("ServiceUpdate", lookupUpdate(old: old, new: new))
        case .sla(let old, let new):
            return ("SLAUpdate", lookupUpdate(old: old, new: new))
        case .owner(_, let new):
            return ("OwnerUpdate", "%%\(new.name)%%\(new.id)")
        case .responsible(_, let new):
            return ("ResponsibleUpdate", "%%\(new.name)%%\(new.id)")
        case .lock(_, let new):
            return (new == "lock" ? "Lock" : new == "unlock" ? "Unlock" : "Misc", "%%\(new)")
        case .customer(let customerID, let customerUser):
            // Znuny's `TicketCustomerSet` names the parts it was given.
            return (
                "CustomerUpdate", "%%" + (customerID.map { "CustomerID=\($0);" } ?? "") + (customerUser.map { "CustomerUser=\($0);" } ?? "")
            )
        case .pendingTime(let time):
            // A reset pending time is written as Znuny's zero date.
            guard time > 0 else { return ("SetPendingTime", "%%00-00-00 00:00") }
            return ("SetPendingTime", "%%" + String(CivilDate(unixSeconds: time).timestampString.prefix(16)))
        case .archiveFlag(let archived):
            return ("ArchiveFlagUpdate", "%%\(archived ? "y" : "n")")
        case .dynamicField(let field, let old, let new):
            // As Znuny's readable value rendering: multiselect values joined with ", ", a date
            // without its time.
            let readable = { (values: [String]) -> String in
                let shown = catalog.dynamicFields[field]?.type == .date ? values.map { String($0.prefix(10)) } : values
                return shown.joined(separator: ", ")
            }
            return ("TicketDynamicFieldUpdate", "%%FieldName%%\(field)%%Value%%\(readable(new))%%OldValue%%\(readable(old))")
        case .timeAccounted(let unit, let total):
            return ("TimeAccounting", "%%\(PlainNumber.text(unit))%%\(PlainNumber.text(total))")
        case .unlockTimeoutReset:
            return ("Misc", "Reset of unlock time.")
        case .merged(let source, let target):
            return ("Merged", "%%\(source.name)%%\(source.id)%%\(target.name)%%\(target.id)")
        case .agentNotified(let notification, let login, let transport):
            return ("SendAgentNotification", "%%\(notification)%%\(login)%%\(transport)")
        case .escalationStarted(let kind):
            let type = "Escalation\(kind.rawValue)TimeStart"
            return (type, "%%\(type)%%triggered")
        case .escalationStopped(let kind):
            let type = "Escalation\(kind.rawValue)TimeStop"
            return (type, "%%\(type)%%triggered")
        case .escalationNear(let kind):
            let type = "Escalation\(kind.rawValue)TimeNotifyBefore"
            return (type, "%%\(type)%%triggered")
        case .recorded:
            return ("Misc", "")
        }
    }

    /// Type, service and SLA changes: new then old, `NULL` for a missing name, empty for a missing id.
    static func lookupUpdate(old: NamedID?, new: NamedID?) -> String {
        "%%\(new?.name ?? "NULL")%%\(new.map { String($0.id) } ?? "")%%\(old?.name ?? "NULL")%%\(old.map { String($0.id) } ?? "")"
    }

    /// The id of a history type name; `Misc` (25) for names Znuny does not have.
    public static func typeID(_ name: String) -> Int {
        types.firstIndex(of: name).map { $0 + 1 } ?? 25
    }

    /// Whether `name` is one of Znuny's history types (callers may name one for an article).
    public static func isType(_ name: String) -> Bool {
        types.contains(name)
    }

    /// Znuny's history types, ids 1–52 in this order.
    public static let types = [
        "NewTicket", "FollowUp", "SendAutoReject", "SendAutoReply", "SendAutoFollowUp", "Forward", "Bounce",
        "SendAnswer", "SendAgentNotification", "SendCustomerNotification", "EmailAgent", "EmailCustomer",
        "PhoneCallAgent", "PhoneCallCustomer", "AddNote", "Move", "Lock", "Unlock", "Remove", "TimeAccounting",
        "CustomerUpdate", "PriorityUpdate", "OwnerUpdate", "LoopProtection", "Misc", "SetPendingTime", "StateUpdate",
        "TicketDynamicFieldUpdate", "WebRequestCustomer", "TicketLinkAdd", "TicketLinkDelete", "SystemRequest",
        "Merged", "ResponsibleUpdate", "Subscribe", "Unsubscribe", "TypeUpdate", "ServiceUpdate", "SLAUpdate",
        "ArchiveFlagUpdate", "EscalationSolutionTimeStop", "EscalationResponseTimeStart", "EscalationUpdateTimeStart",
        "EscalationSolutionTimeStart", "EscalationResponseTimeNotifyBefore", "EscalationUpdateTimeNotifyBefore",
        "EscalationSolutionTimeNotifyBefore", "EscalationResponseTimeStop", "EscalationUpdateTimeStop", "TitleUpdate",
        "EmailResend", "Bulk",
    ]
}
