/// The `Name` strings Znuny writes into ticket history, in its `%%value%%value` notation.
/// Faces such as TicketHistoryGet return them verbatim, so their shape is part of the wire format.
enum HistoryNames {
    static func newTicket(number: String, queue: String, priority: String, state: String, ticketID: Int) -> String {
        "%%\(number)%%\(queue)%%\(priority)%%\(state)%%\(ticketID)"
    }

    static func customerUpdate(customerID: String, customerUser: String) -> String {
        "%%CustomerID=\(customerID);CustomerUser=\(customerUser);"
    }

    static func ownerUpdate(login: String, id: Int) -> String { "%%\(login)%%\(id)" }
    static func responsibleUpdate(login: String, id: Int) -> String { "%%\(login)%%\(id)" }
    static func lock(_ name: String) -> String { "%%\(name)" }
    static func move(newQueue: String, newQueueID: Int, oldQueue: String, oldQueueID: Int) -> String {
        "%%\(newQueue)%%\(newQueueID)%%\(oldQueue)%%\(oldQueueID)"
    }
    static func stateUpdate(old: String, new: String) -> String { "%%\(old)%%\(new)%%" }
    static func priorityUpdate(old: String, oldID: Int, new: String, newID: Int) -> String { "%%\(old)%%\(oldID)%%\(new)%%\(newID)" }
    /// The new title is cut to 50 characters, and `...` follows when the cut part is 50 long.
    static func titleUpdate(old: String, new: String) -> String {
        let cut = String(new.prefix(50))
        return "%%\(old)%%\(cut)" + (cut.count == 50 ? "..." : "")
    }

    /// Type, service and SLA changes: new then old, `NULL` for a missing name, empty for a missing id.
    static func lookupUpdate(new: String?, newID: Int?, old: String?, oldID: Int?) -> String {
        "%%\(new ?? "NULL")%%\(newID.map(String.init) ?? "")%%\(old ?? "NULL")%%\(oldID.map(String.init) ?? "")"
    }
    static func pendingTime(_ time: Int64) -> String {
        // A reset pending time is written as Znuny's zero date.
        guard time > 0 else { return "%%00-00-00 00:00" }
        let date = CivilDate(unixSeconds: time)
        return "%%" + String(date.timestampString.prefix(16))
    }
    static func archiveFlag(_ archived: Bool) -> String { "%%\(archived ? "y" : "n")" }
    /// Multiselect values are joined with ", " as Znuny's readable value rendering does.
    static func dynamicField(name: String, value: [String], oldValue: [String]) -> String {
        "%%FieldName%%\(name)%%Value%%\(value.joined(separator: ", "))%%OldValue%%\(oldValue.joined(separator: ", "))"
    }
    static func timeAccounting(unit: Double, total: Double) -> String { "%%\(PlainNumber.text(unit))%%\(PlainNumber.text(total))" }
}
