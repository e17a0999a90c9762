import DeskCore
import DeskFaceKit

/// WHMCS's clients and contacts over SwiftDesk's customers: a client is a customer company with
/// an owner (a customer user), a contact another customer user of that company. Requesters who
/// are neither (guests) are customer users registered by e-mail address.
struct WHMCSPeople: Sendable {
    let services: DeskServices
    let principal: Principal

    var face: String { WHMCSFace.faceName }
    typealias Kind = WHMCSMapping.Kind

    struct Client: Sendable {
        var id: Int
        var owner: CustomerUser
    }

    /// The client with this id, with its owner; nil when unknown.
    func client(_ id: Int) async throws -> Client? {
        guard id > 0, let core = try await services.externalIDs.coreID(face: face, kind: Kind.client, externalID: String(id)),
            core.hasPrefix("customer:"),
            let owner = try await services.directory.customerUser(login: String(core.dropFirst("customer:".count)), by: principal)
        else { return nil }
        return Client(id: id, owner: owner)
    }

    /// The contact with this id; nil when unknown.
    func contact(_ id: Int) async throws -> CustomerUser? {
        guard id > 0, let core = try await services.externalIDs.coreID(face: face, kind: Kind.contact, externalID: String(id)),
            core.hasPrefix("customer:")
        else { return nil }
        return try await services.directory.customerUser(login: String(core.dropFirst("customer:".count)), by: principal)
    }

    /// Everything needed to show the requesters of some tickets.
    struct Lookup: Sendable {
        var clientByCompany: [String: Int] = [:]
        var ownerByClient: [Int: String] = [:]
        var contactByLogin: [String: Int] = [:]
        var users: [String: CustomerUser] = [:]

        func clientID(_ ticket: Ticket) -> Int { ticket.customerID.flatMap { clientByCompany[$0] } ?? 0 }
        func contactID(_ ticket: Ticket) -> Int { ticket.customerUserID.flatMap { contactByLogin[$0] } ?? 0 }
        func user(_ ticket: Ticket) -> CustomerUser? { ticket.customerUserID.flatMap { users[$0] } }
        func owner(ofClient id: Int) -> CustomerUser? { ownerByClient[id].flatMap { users[$0] } }
    }

    func lookup(_ tickets: [Ticket]) async throws -> Lookup {
        var lookup = Lookup()
        let companies = Set(tickets.compactMap(\.customerID)).map { "company:" + $0 }
        let logins = Set(tickets.compactMap(\.customerUserID))
        let clients = try await services.externalIDs.externalIDs(face: face, kind: Kind.clientCompany, coreIDs: companies)
        for (core, external) in clients {
            if let id = Int(external) { lookup.clientByCompany[String(core.dropFirst("company:".count))] = id }
        }
        let owners = try await services.externalIDs.coreIDs(
            face: face, kind: Kind.client, externalIDs: lookup.clientByCompany.values.map(String.init))
        for (external, core) in owners where core.hasPrefix("customer:") {
            if let id = Int(external) { lookup.ownerByClient[id] = String(core.dropFirst("customer:".count)) }
        }
        let contacts = try await services.externalIDs.externalIDs(face: face, kind: Kind.contact, coreIDs: logins.map { "customer:" + $0 })
        for (core, external) in contacts {
            if let id = Int(external) { lookup.contactByLogin[String(core.dropFirst("customer:".count))] = id }
        }
        let wanted = Array(logins.union(lookup.ownerByClient.values))
        for user in try await services.directory.customerUsers(logins: wanted, by: principal) { lookup.users[user.login] = user }
        return lookup
    }
}
