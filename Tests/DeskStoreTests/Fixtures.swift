import DeskCore
import DeskStore
import DeskTestSupport
import Testing

/// Builds the services a test needs around one store, with a fixed clock.
struct Desk {
    let store: SQLDeskStore
    let services: DeskServices
    var tickets: TicketService { services.tickets }
    var admin: AdminService { services.admin }
    var auth: AuthService { services.auth }

    /// 2026-11-25 10:00:00 UTC.
    static let now: Int64 = 1_795_600_800

    init(_ handle: TestDatabase.Handle, clock: DeskClock = .fixed(Desk.now)) {
        self.init(store: handle.store, clock: clock)
    }

    /// Services around `store`; a second store over the same database stands for another server process.
    init(store: SQLDeskStore, clock: DeskClock = .fixed(Desk.now)) {
        self.store = store
        services = DeskServices(store: store, hasher: TestDatabase.hasher, clock: clock)
    }

    /// The principal of root@localhost (rw in users, admin, stats).
    func root() async throws -> Principal {
        .agent(try await auth.agentPrincipal(id: 1)!)
    }

    func agent(_ login: String, grants: [String]) async throws -> Principal {
        let id = try await admin.addAgent(
            login: login, password: "secret-password", firstName: "Test", lastName: login, email: "\(login)@example.com",
            grants: try grants.map { try AdminService.Grant(parsing: $0) })
        return .agent(try await auth.agentPrincipal(id: id)!)
    }

    /// The id of the agent `login`.
    func agentID(_ login: String) async throws -> Int {
        try #require(try await store.read { try await $0.agent(login: login) }).id
    }

    func customer(_ login: String, customerID: String) async throws -> Principal {
        try await admin.addCustomerUser(
            login: login, password: "secret-password", customerID: customerID, firstName: "Cora", lastName: "Customer",
            email: "\(login)@example.org")
        return .customer(try await auth.customerPrincipal(login: login)!)
    }

    /// The agent for `login` if `password` is right (nil otherwise).
    func agentLogin(_ login: String, _ password: String) async throws -> AgentPrincipal? {
        guard case .agent(let agent)? = try await auth.authenticate(.agentPassword(login: login, password: password)).principal else {
            return nil
        }
        return agent
    }

    /// The customer user for `login` if `password` is right (nil otherwise).
    func customerLogin(_ login: String, _ password: String) async throws -> CustomerPrincipal? {
        guard case .customer(let customer)? = try await auth.authenticate(.customerPassword(login: login, password: password)).principal
        else {
            return nil
        }
        return customer
    }

    /// Loads `tickets` generated tickets with `swiftdesk bench load`'s loader (its queues, agents
    /// and `BenchSeverity` field first) and returns what it set up.
    @discardableResult
    static func bulkLoad(_ db: TestDatabase.Handle, tickets: Int) async throws -> BulkLoader.Setup {
        let loader = BulkLoader(database: db.database)
        let setup = try await loader.prepare(store: db.store, admin: AdminService(store: db.store, hasher: TestDatabase.hasher))
        try await loader.load(tickets, setup: setup, now: Desk.now) { _ in }
        return setup
    }

    /// The `DeskError` that `body` throws; nil when it succeeds or throws something else.
    static func refusal(_ body: () async throws -> Void) async -> DeskError? {
        do {
            try await body()
            return nil
        } catch let error as DeskError {
            return error
        } catch {
            return nil
        }
    }

    static func simpleTicket(title: String = "Printer on fire", queue: String = "Misc", customer: String? = nil) -> TicketCreateRequest {
        TicketCreateRequest(
            title: title, queue: .name(queue), state: .name("new"), priority: .name("3 normal"), customerUser: customer,
            articles: [ArticleDraft(subject: "Help", body: "It is burning.")])
    }
}
