import DeskCore
import DeskFaceKit
import Foundation

/// `CustomerUserObject`, `UserObject` and `QueueObject` lookups of `rpc.pl` (OTRS 3 names).
struct RPCLookupMethods {
    let services: DeskServices

    func call(_ object: String, _ method: String, _ p: RPCParameters) async throws -> [PerlValue] {
        // The lookups name no acting agent; they run as agent 1, as rpc.pl's shared credential
        // is trusted with the whole system.
        guard let system = try await services.auth.agentPrincipal(id: 1).map(Principal.agent) else {
            throw RPCMethods.Nothing(reason: "agent 1 is not valid")
        }
        let directory = services.directory
        switch (object, method) {
        case ("CustomerUserObject", "CustomerName"):
            guard let customer = try await directory.customerUser(login: try p.required("UserLogin"), by: system) else { return [] }
            return [.scalar(customer.fullName)]
        case ("CustomerUserObject", "CustomerUserDataGet"):
            guard let customer = try await directory.customerUser(login: try p.required("User"), by: system) else { return [] }
            return PerlValue.flatten(Self.data(of: customer))
        case ("CustomerUserObject", "CustomerIDs"):
            guard let customer = try await directory.customerUser(login: try p.required("User"), by: system) else { return [] }
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
            let found = try await directory.customerUsers(matching: pattern, limit: 250, by: system)
            let exact = p.text("UserLogin") != nil || p.text("PostMasterSearch") != nil
            let matches =
                exact
                ? found.filter { $0.login.lowercased() == pattern.lowercased() || $0.email.lowercased() == pattern.lowercased() } : found
            var hash: [String: PerlValue] = [:]
            for customer in matches {
                hash[customer.login] = .scalar(Self.userString([customer.firstName, customer.lastName, customer.email]))
            }
            return PerlValue.flatten(hash)
        case ("UserObject", "UserLookup"):
            if let login = p.text("UserLogin") {
                return try await directory.agent(login: login, by: system).map { [.int($0.id)] } ?? []
            }
            let id = try p.requiredInt("UserID")
            return try await directory.agents(ids: [id], by: system).first.map { [.scalar($0.login)] } ?? []
        case ("UserObject", "GetUserData"):
            let agent: Agent?
            if let id = try p.int("UserID") {
                agent = try await directory.agents(ids: [id], by: system).first
            } else {
                let login = try p.required("User")
                agent = try await directory.agent(login: login, by: system)
            }
            return agent.map { PerlValue.flatten(Self.data(of: $0)) } ?? []
        case ("QueueObject", "QueueLookup"):
            let catalog = try await services.catalog()
            if let name = p.text("Queue") { return catalog.queues[name].map { [.int($0.id)] } ?? [] }
            return catalog.queues[try p.requiredInt("QueueID")].map { [.scalar($0.name)] } ?? []
        case ("QueueObject", "GetAllQueues"):
            let catalog = try await services.catalog()
            var queues: [String: PerlValue] = [:]
            for queue in catalog.queues.all where queue.validity == .valid { queues[String(queue.id)] = .scalar(queue.name) }
            return PerlValue.flatten(queues)
        default:
            throw RPCMethods.Failure(message: "SwiftDesk rpc.pl does not support \(object)->\(method)")
        }
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

    /// A customer user as Znuny's `CustomerSearch` lists it: the list fields (first name, last
    /// name, e-mail) that have a value joined with spaces, then `"names" <address>` when the text
    /// ends in something like an address (the backend's `s/^(.*)\s(.+?\@.+?\..+?)(\s|)$/"$1" <$2>/`).
    static func userString(_ parts: [String]) -> String {
        let text = parts.filter { !$0.isEmpty }.joined(separator: " ")
        let range = NSRange(text.startIndex..., in: text)
        return userStringPattern.stringByReplacingMatches(in: text, range: range, withTemplate: "\"$1\" <$2>")
    }

    private static let userStringPattern = try! NSRegularExpression(pattern: #"^(.*)\s(.+?@.+?\..+?)(\s|)$"#)
}
