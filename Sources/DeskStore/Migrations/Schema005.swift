import DeskCore
import Foundation
import SQLKit

/// Znuny's sample SOAP connector `GenericTicketConnectorSOAP` (§3.1 of the spec), served by the
/// SOAP transport of the Znuny face. On a database that already has a web service of that name
/// (imported by an operator) nothing is changed.
enum Schema005 {
    static let name = "GenericTicketConnectorSOAP"

    static func soapConnector(id: Int) -> WebService {
        WebService(
            id: id, name: name, transport: .soap,
            operations: [
                WebServiceOperation(name: "SessionCreate", type: "Session::SessionCreate"),
                WebServiceOperation(name: "SessionGet", type: "Session::SessionGet"),
                WebServiceOperation(name: "TicketCreate", type: "Ticket::TicketCreate"),
                WebServiceOperation(name: "TicketGet", type: "Ticket::TicketGet"),
                WebServiceOperation(name: "TicketGetList", type: "Ticket::TicketGet"),
                WebServiceOperation(name: "TicketHistoryGet", type: "Ticket::TicketHistoryGet"),
                WebServiceOperation(name: "TicketSearch", type: "Ticket::TicketSearch"),
                WebServiceOperation(name: "TicketUpdate", type: "Ticket::TicketUpdate"),
            ],
            namespace: "http://www.otrs.org/TicketConnector/")
    }

    static func seed(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        let existing = try await db.raw("SELECT id FROM web_services WHERE name = \(bind: name)").first()
        guard existing == nil else { return }
        let maxID =
            try await db.raw("SELECT COALESCE(MAX(id), 0) AS max_id FROM web_services").first()?
            .decode(column: "max_id", as: Int.self) ?? 0
        let connector = soapConnector(id: maxID + 1)
        let now = Int64(Date().timeIntervalSince1970)
        try await db.insertRows(
            "web_services", ["id", "name", "config", "valid_id", "created_at", "changed_at"],
            [
                [connector.id, connector.name, try WebServiceCodec.encode(connector), 1, now, now]
            ])
        if kind == .postgres {
            try await db.raw("SELECT setval(pg_get_serial_sequence('web_services', 'id'), \(literal: connector.id + 1), false)").run()
        }
    }
}
