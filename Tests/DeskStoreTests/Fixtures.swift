import DeskCore
import DeskStore
import DeskTestSupport

/// Builds the services a test needs around one store, with a fixed clock.
struct Desk {
    let store: SQLDeskStore
    let tickets: TicketService<SQLDeskStore>
    let admin: AdminService<SQLDeskStore>
    let auth: AuthService<SQLDeskStore>

    /// 2026-11-25 10:00:00 UTC.
    static let now: Int64 = 1_795_600_800

    init(_ handle: TestDatabase.Handle, clock: DeskClock = .fixed(Desk.now)) {
        store = handle.store
        tickets = TicketService(store: handle.store, clock: clock)
        admin = AdminService(store: handle.store, hasher: TestDatabase.hasher, clock: clock)
        auth = AuthService(store: handle.store, hasher: TestDatabase.hasher)
    }

    /// The principal of root@localhost (rw in users, admin, stats).
    func root() async throws -> Principal {
        .agent(try await auth.agentPrincipal(id: 1)!)
    }

    func agent(_ login: String, grants: [String]) async throws -> Principal {
        let id = try await admin.addAgent(
            login: login, password: "secret-password", firstName: "Test", lastName: login, email: "\(login)@example.com",
            grants: try grants.map { try AdminService<SQLDeskStore>.Grant(parsing: $0) })
        return .agent(try await auth.agentPrincipal(id: id)!)
    }

    func customer(_ login: String, customerID: String) async throws -> Principal {
        try await admin.addCustomerUser(
            login: login, password: "secret-password", customerID: customerID, firstName: "Cora", lastName: "Customer",
            email: "\(login)@example.org")
        return .customer(try await auth.customerPrincipal(login: login)!)
    }

    static func simpleTicket(title: String = "Printer on fire", queue: String = "Misc", customer: String? = nil) -> TicketCreateRequest {
        TicketCreateRequest(
            title: title, queue: .name(queue), state: .name("new"), priority: .name("3 normal"), customerUser: customer,
            articles: [ArticleDraft(subject: "Help", body: "It is burning.")])
    }
}
