import DeskCore

/// `CustomerUserObject`, `UserObject` and `QueueObject` lookups of `rpc.pl` (OTRS 3 names).
struct RPCLookupMethods {
    let services: AppServices

    func call(_ object: String, _ method: String, _ p: RPCParameters) async throws -> [PerlValue] {
        switch (object, method) {
        case ("CustomerUserObject", "CustomerName"):
            guard let customer = try await customer(try p.required("UserLogin")) else { return [] }
            return [.scalar(customer.fullName)]
        case ("CustomerUserObject", "CustomerUserDataGet"):
            guard let customer = try await customer(try p.required("User")) else { return [] }
            return PerlValue.flatten(Self.data(of: customer))
        case ("CustomerUserObject", "CustomerIDs"):
            guard let customer = try await customer(try p.required("User")) else { return [] }
            return [.scalar(customer.customerID)]
        case ("CustomerUserObject", "CustomerSearch"):
            // OTRS 3: `Search` (`*` wildcard over login, e-mail and name), `PostMasterSearch`
            // (an e-mail address) or `UserLogin` (exact); login → "Name <email>", at most 250.
            let pattern: String
            if let login = p.text("UserLogin") {
                pattern = login
            } else if let email = p.text("PostMasterSearch") {
                pattern = email
            } else if let search = p.text("Search") {
                pattern = search.replacingOccurrences(of: "*", with: "%")
            } else {
                throw RPCMethods.Nothing(reason: "Need Search, PostMasterSearch or UserLogin!")
            }
            let found = try await services.store.read { try await $0.customerUsers(matching: pattern, limit: 250) }
            let exact = p.text("UserLogin") != nil || p.text("PostMasterSearch") != nil
            let matches = exact ? found.filter { $0.login.lowercased() == pattern.lowercased() || $0.email.lowercased() == pattern.lowercased() } : found
            var hash: [String: PerlValue] = [:]
            for customer in matches { hash[customer.login] = .scalar("\(customer.fullName) <\(customer.email)>") }
            return PerlValue.flatten(hash)
        case ("UserObject", "UserLookup"):
            if let login = p.text("UserLogin") {
                return try await services.store.read { try await $0.agent(login: login) }.map { [.int($0.id)] } ?? []
            }
            let id = try p.requiredInt("UserID")
            return try await services.store.read { try await $0.agent(id: id) }.map { [.scalar($0.login)] } ?? []
        case ("UserObject", "GetUserData"):
            let agent: Agent?
            if let id = try p.int("UserID") {
                agent = try await services.store.read { try await $0.agent(id: id) }
            } else {
                let login = try p.required("User")
                agent = try await services.store.read { try await $0.agent(login: login) }
            }
            return agent.map { PerlValue.flatten(Self.data(of: $0)) } ?? []
        case ("QueueObject", "QueueLookup"):
            let catalog = try await services.store.read { try await $0.catalog() }
            if let name = p.text("Queue") { return catalog.queues[name].map { [.int($0.id)] } ?? [] }
            return catalog.queues[try p.requiredInt("QueueID")].map { [.scalar($0.name)] } ?? []
        case ("QueueObject", "GetAllQueues"):
            let catalog = try await services.store.read { try await $0.catalog() }
            var queues: [String: PerlValue] = [:]
            for queue in catalog.queues.all where queue.validity == .valid { queues[String(queue.id)] = .scalar(queue.name) }
            return PerlValue.flatten(queues)
        default:
            throw RPCMethods.Failure(message: "SwiftDesk rpc.pl does not support \(object)->\(method)")
        }
    }

    private func customer(_ login: String) async throws -> CustomerUser? {
        try await services.store.read { try await $0.customerUser(login: login) }
    }

    static func data(of customer: CustomerUser) -> [String: PerlValue] {
        [
            "UserID": .scalar(customer.login), "UserLogin": .scalar(customer.login), "UserFirstname": .scalar(customer.firstName),
            "UserLastname": .scalar(customer.lastName), "UserEmail": .scalar(customer.email),
            "UserCustomerID": .scalar(customer.customerID), "ValidID": .int(customer.validity == .valid ? 1 : 2),
        ]
    }

    static func data(of agent: Agent) -> [String: PerlValue] {
        [
            "UserID": .int(agent.id), "UserLogin": .scalar(agent.login), "UserFirstname": .scalar(agent.firstName),
            "UserLastname": .scalar(agent.lastName), "UserFullname": .scalar(agent.fullName), "UserEmail": .scalar(agent.email),
            "ValidID": .int(agent.validity == .valid ? 1 : 2), "OutOfOffice": .int(agent.outOfOffice ? 1 : 0),
        ]
    }
}
