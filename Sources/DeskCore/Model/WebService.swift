/// A GenericInterface web service: a name (plus aliases), a transport and a route table mapping
/// requests to operations. Stored in the database so operators can add routes at run time.
public struct WebService: Sendable, Hashable, Codable {
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
