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
            // Only the exact `UserLogin` form: SwiftDesk's core has no customer search by text yet.
            guard let login = p.text("UserLogin") else {
                throw RPCMethods.Nothing(reason: "SwiftDesk supports CustomerSearch by UserLogin only!")
            }
            guard let customer = try await customer(login) else { return [] }
            return PerlValue.flatten([customer.login: .scalar("\(customer.fullName) <\(customer.email)>")])
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
