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

    /// The sample `GenericTicketConnectorREST` of Znuny (§2.1 of the spec).
    static let restConnector = WebService(
        id: 1, name: "GenericTicketConnectorREST", transport: .rest,
        operations: [
            WebServiceOperation(name: "SessionCreate", type: "Session::SessionCreate", route: "/Session", methods: ["POST"]),
            WebServiceOperation(name: "SessionGet", type: "Session::SessionGet", route: "/Session/:SessionID", methods: ["GET"]),
            WebServiceOperation(name: "TicketCreate", type: "Ticket::TicketCreate", route: "/Ticket", methods: ["POST"]),
            WebServiceOperation(name: "TicketGet", type: "Ticket::TicketGet", route: "/Ticket/:TicketID", methods: ["GET"]),
            WebServiceOperation(name: "TicketGetList", type: "Ticket::TicketGet", route: "/TicketList", methods: ["GET"]),
            WebServiceOperation(name: "TicketHistoryGet", type: "Ticket::TicketHistoryGet", route: "/TicketHistory/:TicketID", methods: ["GET"]),
            WebServiceOperation(name: "TicketSearch", type: "Ticket::TicketSearch", route: "/Ticket", methods: ["GET"]),
            WebServiceOperation(name: "TicketUpdate", type: "Ticket::TicketUpdate", route: "/Ticket/:TicketID", methods: ["PATCH"]),
        ])

    static func seed(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        let now = Int64(Date().timeIntervalSince1970)
        try await db.insertRows("web_services", ["id", "name", "config", "valid_id", "created_at", "changed_at"], [
            [restConnector.id, restConnector.name, try WebServiceCodec.encode(restConnector), 1, now, now],
        ])
        if kind == .postgres {
            try await db.raw("SELECT setval(pg_get_serial_sequence('web_services', 'id'), 2, false)").run()
        }
    }
}

/// Web services are kept as one JSON document per row (name and validity also as columns).
enum WebServiceCodec {
    struct Stored: Codable {
        var aliases: [String]
        var transport: WebService.Transport
        var namespace: String
        var operations: [WebServiceOperation]
    }

    static func encode(_ service: WebService) throws -> String {
        let stored = Stored(aliases: service.aliases, transport: service.transport, namespace: service.namespace, operations: service.operations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(stored), as: UTF8.self)
    }

    static func decode(id: Int, name: String, validity: Validity, config: String) throws -> WebService {
        let stored = try JSONDecoder().decode(Stored.self, from: Data(config.utf8))
        return WebService(id: id, name: name, aliases: stored.aliases, transport: stored.transport, operations: stored.operations,
                          namespace: stored.namespace, validity: validity)
    }
}
