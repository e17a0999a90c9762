import DeskCore
import Foundation

/// A GenericInterface web service: a name (plus aliases), a transport and a route table mapping
/// requests to operations. Kept as a document of the Znuny face (`FaceConfigService`, kind
/// `webservice`), so operators can add routes at run time; its document id is the id of
/// `…/WebserviceID/<id>` URLs.
public struct WebService: Sendable, Hashable {
    public enum Transport: String, Sendable, Codable {
        case rest = "HTTP::REST"
        case soap = "HTTP::SOAP"
    }

    public var id: Int
    public var name: String
    public var aliases: [String]
    public var transport: Transport
    /// REST: the route table. SOAP: one entry per operation (route and methods unused).
    public var operations: [WebServiceOperation]
    /// SOAP namespace (`http://www.otrs.org/TicketConnector/`); empty for REST.
    public var namespace: String
    public var validity: Validity

    public init(
        id: Int, name: String, aliases: [String] = [], transport: Transport, operations: [WebServiceOperation],
        namespace: String = "", validity: Validity = .valid
    ) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.transport = transport
        self.operations = operations
        self.namespace = namespace
        self.validity = validity
    }
}

/// One operation of a web service: its name (unique within the service), its type
/// (`Ticket::TicketCreate`, …) and, for REST, the route and methods that reach it.
public struct WebServiceOperation: Sendable, Hashable, Codable {
    public var name: String
    public var type: String
    public var route: String
    public var methods: [String]

    public init(name: String, type: String, route: String = "", methods: [String] = []) {
        self.name = name
        self.type = type
        self.route = route
        self.methods = methods
    }

    /// Operation types SwiftDesk implements.
    public static let knownTypes: Set<String> = [
        "Session::SessionCreate", "Session::SessionGet", "Session::SessionRemove", "Ticket::TicketCreate",
        "Ticket::TicketUpdate", "Ticket::TicketGet", "Ticket::TicketSearch", "Ticket::TicketHistoryGet",
        "Ticket::TimeAccountingGet", "User::OutOfOffice",
    ]
}

/// Web services as documents of the Znuny face: `{"aliases", "namespace", "operations",
/// "transport", "validity"}` with sorted keys.
enum WebServiceDocument {
    static let kind = "webservice"

    struct Stored: Codable {
        var aliases: [String]
        var namespace: String
        var operations: [WebServiceOperation]
        var transport: WebService.Transport
        var validity: Int?
    }

    static func encode(_ service: WebService) throws -> String {
        let stored = Stored(
            aliases: service.aliases, namespace: service.namespace, operations: service.operations, transport: service.transport,
            validity: service.validity.rawValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(stored), as: UTF8.self)
    }

    static func decode(_ document: FaceDocument) -> WebService? {
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(document.json.utf8)) else { return nil }
        return WebService(
            id: document.id, name: document.key, aliases: stored.aliases, transport: stored.transport, operations: stored.operations,
            namespace: stored.namespace, validity: Validity(rawValue: stored.validity ?? 1) ?? .invalid)
    }
}
