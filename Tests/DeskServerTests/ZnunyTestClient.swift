import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import DeskTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OTRSCommon
import OTRSRPC
import Testing
import ZnunyGI

/// Drives the Znuny face in-process: JSON in, `JSONValue` out.
struct ZnunyTestClient {
    let client: any TestClientProtocol
    var base = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"

    struct Reply {
        let status: HTTPResponse.Status
        let contentType: String?
        let text: String
        var json: JSONValue? { try? JSONParser.parse(Array(text.utf8)) }
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, json: JSONValue? = nil, raw: String? = nil, bytes: [UInt8]? = nil,
        headers: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = headers
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: JSONWriter.bytes(json))
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        } else if let raw {
            body = ByteBuffer(string: raw)
        } else if let bytes {
            body = ByteBuffer(bytes: bytes)
        }
        return try await client.execute(uri: base + path, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, contentType: response.headers[.contentType], text: String(buffer: response.body))
        }
    }

    /// Agent credentials as JSON members.
    static func login(_ user: String, _ password: String) -> [String: JSONValue] {
        ["UserLogin": .string(user), "Password": .string(password)]
    }
}

/// A test server: a fresh database, root's password, and the router application.
struct ZnunyFixture {
    let handle: TestDatabase.Handle
    let services: DeskServices
    let rootPassword: String

    init(_ handle: TestDatabase.Handle, clock: DeskClock = .system) {
        self.handle = handle
        services = DeskServices(store: handle.store, hasher: TestDatabase.hasher, clock: clock)
        rootPassword = handle.report.rootPassword!
    }

    /// A `POST /search` route to TicketSearch on the REST service (Znuny reads no body with GET).
    func addSearchRoute() async throws {
        try await WebServiceAdmin(services: services).addRoute(
            webService: "GenericTicketConnectorREST", method: "POST", route: "/search", operationType: "TicketSearch",
            operationName: nil)
    }

    /// Another agent in group `users`: login `<first name, lower-cased>`, password `<login>-password`.
    func addAgent(_ firstName: String, _ lastName: String, permission: Permission = .rw) async throws {
        let login = firstName.lowercased()
        try await services.admin.addAgent(
            login: login, password: "\(login)-password", firstName: firstName, lastName: lastName, email: "\(login)@example.com",
            grants: [.init(group: "users", permission: permission)])
    }

    func test(_ body: @escaping @Sendable (ZnunyTestClient) async throws -> Void) async throws {
        let app = Application(router: buildRouter(AppConfiguration(), services: services), logger: TestLogger.quiet)
        try await app.test(.router) { client in try await body(ZnunyTestClient(client: client)) }
    }

    var root: [String: JSONValue] { ZnunyTestClient.login("root@localhost", rootPassword) }
}

extension JSONValue {
    /// `value["a"]?["b"]` without optional chains in tests.
    func at(_ keys: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in keys { current = current?[key] }
        return current
    }

    subscript(index: Int) -> JSONValue? {
        guard let elements = arrayValue, index < elements.count else { return nil }
        return elements[index]
    }
}

enum TestLogger {
    /// Request logs only for warnings and worse, so test output stays readable.
    static var quiet: Logger {
        var logger = Logger(label: "swiftdesk.test")
        logger.logLevel = .warning
        return logger
    }
}
