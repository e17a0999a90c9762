import DeskCore
import Foundation
import SQLKit

/// Znuny's sample SOAP connector `GenericTicketConnectorSOAP` (§3.1 of the spec), served by the
/// SOAP transport of the Znuny face. On a database that already has a web service of that name
/// (imported by an operator) nothing is changed.
enum Schema005 {
    static let name = "GenericTicketConnectorSOAP"

    /// Znuny's sample SOAP connector as the JSON the web service table held.
    static let soapConnectorJSON = #"""
        {"aliases":[],"namespace":"http://www.otrs.org/TicketConnector/","operations":[\#
        {"methods":[],"name":"SessionCreate","route":"","type":"Session::SessionCreate"},\#
        {"methods":[],"name":"SessionGet","route":"","type":"Session::SessionGet"},\#
        {"methods":[],"name":"TicketCreate","route":"","type":"Ticket::TicketCreate"},\#
        {"methods":[],"name":"TicketGet","route":"","type":"Ticket::TicketGet"},\#
        {"methods":[],"name":"TicketGetList","route":"","type":"Ticket::TicketGet"},\#
        {"methods":[],"name":"TicketHistoryGet","route":"","type":"Ticket::TicketHistoryGet"},\#
        {"methods":[],"name":"TicketSearch","route":"","type":"Ticket::TicketSearch"},\#
        {"methods":[],"name":"TicketUpdate","route":"","type":"Ticket::TicketUpdate"}],\#
        "transport":"HTTP::SOAP"}
        """#

    static func seed(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        let existing = try await db.raw("SELECT id FROM web_services WHERE name = \(bind: name)").first()
        guard existing == nil else { return }
        let maxID =
            try await db.raw("SELECT COALESCE(MAX(id), 0) AS max_id FROM web_services").first()?
            .decode(column: "max_id", as: Int.self) ?? 0
        let id = maxID + 1
        let now = Int64(Date().timeIntervalSince1970)
        try await db.insertRows(
            "web_services", ["id", "name", "config", "valid_id", "created_at", "changed_at"],
            [
                [id, name, soapConnectorJSON, 1, now, now]
            ])
        if kind == .postgres {
            try await db.raw("SELECT setval(pg_get_serial_sequence('web_services', 'id'), \(literal: id + 1), false)").run()
        }
    }
}
