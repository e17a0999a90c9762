import DeskCore
import DeskFaceKit

/// django-helpdesk's ids for tickets, follow-ups and users. Objects created through this face, or
/// imported from django-helpdesk, have ids of the face's own sequences (1, 2, 3, … as a fresh
/// django-helpdesk numbers them; imports keep their primary keys). Anything else shows as a
/// fixed offset plus its SwiftDesk id: tickets, articles and agents as 10⁹ + id, customer users as
/// 2·10⁹ + id, so ids stay unique and stable without writing anything when they are read.
struct DjangoIDs: Sendable {
    let services: DeskServices
    static let foreign = FaceNumericIDs.foreign
    static let customers = FaceNumericIDs.foreignEnd
    static let face = DjangoFace.faceName

    // MARK: Tickets and follow-ups

    var numeric: FaceNumericIDs { FaceNumericIDs(externalIDs: services.externalIDs, face: Self.face) }

    /// django-helpdesk ids of SwiftDesk tickets (or articles, with `kind` followup).
    func ids(_ kind: String, core: [Int]) async throws -> [Int: Int] {
        try await numeric.ids(kind, core: core)
    }

    func id(_ kind: String, core: Int) async throws -> Int {
        try await numeric.id(kind, core: core)
    }

    /// The SwiftDesk id behind a django-helpdesk id (nil when it names nothing).
    func core(_ kind: String, _ id: Int) async throws -> Int? {
        try await numeric.core(kind, id)
    }

    // MARK: Users

    enum User: Sendable, Equatable {
        case agent(Int)
        case customer(String)

        var coreID: String {
            switch self {
            case .agent(let id): "agent:\(id)"
            case .customer(let login): "customer:\(login)"
            }
        }
    }

    func userIDs(agents: [Int], customers: [CustomerUser] = []) async throws -> (agents: [Int: Int], customers: [String: Int]) {
        let keys = agents.map { User.agent($0).coreID } + customers.map { User.customer($0.login).coreID }
        let mapped = try await services.externalIDs.externalIDs(face: Self.face, kind: DjangoMapping.Kind.user, coreIDs: keys)
        var agentIDs: [Int: Int] = [:]
        for id in agents { agentIDs[id] = mapped[User.agent(id).coreID].flatMap { Int($0) } ?? Self.foreign + id }
        var customerIDs: [String: Int] = [:]
        for customer in customers {
            customerIDs[customer.login] = mapped[User.customer(customer.login).coreID].flatMap { Int($0) } ?? Self.customers + customer.id
        }
        return (agentIDs, customerIDs)
    }

    /// Whether a django-helpdesk user id names a user, an agent or a customer user, active or not
    /// (`User.objects.all()`).
    func userExists(_ id: Int, by principal: Principal) async throws -> Bool {
        let directory = services.directory
        if let core = try await services.externalIDs.coreID(face: Self.face, kind: DjangoMapping.Kind.user, externalID: String(id)) {
            if core.hasPrefix("agent:"), let agent = Int(core.dropFirst("agent:".count)) {
                return try await !directory.agents(ids: [agent], by: principal).isEmpty
            }
            let login = String(core.dropFirst("customer:".count))
            return try await !directory.customerUsers(logins: [login], by: principal).isEmpty
        }
        let user: User
        if id > Self.foreign && id < Self.customers {
            guard let agent = try await agent(id), try await !directory.agents(ids: [agent], by: principal).isEmpty else { return false }
            user = .agent(agent)
        } else if id > Self.customers, let customer = try await directory.customerUsers(ids: [id - Self.customers], by: principal).first {
            user = .customer(customer.login)
        } else {
            return false
        }
        // A user given an id of the face's own sequence is known by that id only.
        return try await services.externalIDs.externalIDs(face: Self.face, kind: DjangoMapping.Kind.user, coreIDs: [user.coreID]).isEmpty
    }

    /// The agent behind a django-helpdesk user id (staff users are agents); nil for customer users
    /// and unknown ids.
    func agent(_ id: Int) async throws -> Int? {
        if id > Self.foreign && id < Self.customers {
            let agent = id - Self.foreign
            let mapped = try await services.externalIDs.externalIDs(
                face: Self.face, kind: DjangoMapping.Kind.user, coreIDs: [User.agent(agent).coreID])
            return mapped.isEmpty ? agent : nil
        }
        guard let core = try await services.externalIDs.coreID(face: Self.face, kind: DjangoMapping.Kind.user, externalID: String(id)),
            core.hasPrefix("agent:")
        else { return nil }
        return Int(core.dropFirst("agent:".count))
    }
}
