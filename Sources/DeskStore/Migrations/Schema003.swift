import DeskCore
import Foundation
import SQLKit

/// Sessions and GenericInterface web services, with Znuny's sample REST connector.
enum Schema003 {
    static let statements: [String] = [
        """
        CREATE TABLE sessions (
            id VARCHAR(200) PRIMARY KEY, user_type VARCHAR(20) NOT NULL, agent_id BIGINT, login VARCHAR(200) NOT NULL,
            created_at BIGINT NOT NULL, last_request_at BIGINT NOT NULL, source VARCHAR(100) NOT NULL,
            remote_address VARCHAR(100) NOT NULL, user_agent VARCHAR(500) NOT NULL)
        """,
        "CREATE INDEX sessions_last_request ON sessions (last_request_at)",
        """
        CREATE TABLE web_services (
            id {id}, name VARCHAR(200) NOT NULL UNIQUE, config TEXT NOT NULL, valid_id SMALLINT NOT NULL DEFAULT 1,
            created_at BIGINT NOT NULL, changed_at BIGINT NOT NULL)
        """,
    ]

    /// Znuny's sample `GenericTicketConnectorREST` (§2.1 of the spec), as the JSON the web
    /// service table held. Migration 006 moves it to the Znuny face's own configuration.
    static let restConnectorJSON = #"""
        {"aliases":[],"namespace":"","operations":[\#
        {"methods":["POST"],"name":"SessionCreate","route":"/Session","type":"Session::SessionCreate"},\#
        {"methods":["GET"],"name":"SessionGet","route":"/Session/:SessionID","type":"Session::SessionGet"},\#
        {"methods":["POST"],"name":"TicketCreate","route":"/Ticket","type":"Ticket::TicketCreate"},\#
        {"methods":["GET"],"name":"TicketGet","route":"/Ticket/:TicketID","type":"Ticket::TicketGet"},\#
        {"methods":["GET"],"name":"TicketGetList","route":"/TicketList","type":"Ticket::TicketGet"},\#
        {"methods":["GET"],"name":"TicketHistoryGet","route":"/TicketHistory/:TicketID","type":"Ticket::TicketHistoryGet"},\#
        {"methods":["GET"],"name":"TicketSearch","route":"/Ticket","type":"Ticket::TicketSearch"},\#
        {"methods":["PATCH"],"name":"TicketUpdate","route":"/Ticket/:TicketID","type":"Ticket::TicketUpdate"}],\#
        "transport":"HTTP::REST"}
        """#

    static func seed(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        let now = Int64(Date().timeIntervalSince1970)
        try await db.insertRows(
            "web_services", ["id", "name", "config", "valid_id", "created_at", "changed_at"],
            [
                [1, "GenericTicketConnectorREST", restConnectorJSON, 1, now, now]
            ])
        if kind == .postgres {
            try await db.raw("SELECT setval(pg_get_serial_sequence('web_services', 'id'), 2, false)").run()
        }
    }
}
