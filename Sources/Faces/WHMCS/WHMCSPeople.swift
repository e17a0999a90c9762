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

    /// The customer id of a guest's ticket: its address, as a newly registered guest's is, so
    /// the ticket belongs to no client (`userid` 0) even when a client has that address.
    static func guestCustomerID(_ email: String) -> String { email.lowercased() }

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

    /// Who a request acts for: a client (as its owner, or as one of its contacts) or a guest.
    enum Requesting: Sendable {
        case client(Client, user: CustomerUser, contactID: Int)
        case guest(name: String, email: String)

        /// The face attributes a reply keeps about its author.
        var replyAttributes: [String: String?] {
            typealias Attribute = WHMCSTicketView.Attribute
            switch self {
            case .client(let client, let user, let contactID):
                return [
                    Attribute.userID: String(client.id), Attribute.contactID: String(contactID), Attribute.name: user.fullName,
                    Attribute.email: user.email,
                ]
            case .guest(let name, let email):
                return [Attribute.userID: "0", Attribute.contactID: "0", Attribute.name: name, Attribute.email: email]
            }
        }
    }

    /// OpenTicket's and AddTicketReply's checks of who is asking, in WHMCS's order: `clientid`
    /// (`Client ID Not Found`), `userid` when `withUserID` (a contact of the client: `The system
    /// cannot find the provided user ID.`), `contactid` (`Contact ID Not Found`), then, without a
    /// client and when `guestNeeded`, `name` and `email` (`Name and email address are required
    /// if not a client`, `Email Address Invalid`). Nil: no client and no guest needed.
    func requesting(_ params: WHMCSParameters, withUserID: Bool, guestNeeded: Bool) async throws -> Requesting? {
        if params.int("clientid") != 0 {
            guard let client = try await client(params.int("clientid")) else { throw WHMCSError("Client ID Not Found") }
            var user = client.owner
            var contactID = 0
            if withUserID, params.int("userid") != 0 {
                guard let found = try await contact(params.int("userid")), found.customerID == client.owner.customerID else {
                    throw WHMCSError("The system cannot find the provided user ID.")
                }
                (user, contactID) = (found, params.int("userid"))
            }
            if params.int("contactid") != 0 {
                guard let found = try await contact(params.int("contactid")), found.customerID == client.owner.customerID else {
                    throw WHMCSError("Contact ID Not Found")
                }
                if contactID == 0 { (user, contactID) = (found, params.int("contactid")) }
            }
            return .client(client, user: user, contactID: contactID)
        }
        guard guestNeeded else { return nil }
        let name = params.text("name") ?? ""
        let email = (params.text("email") ?? "").trimmingSpaces
        guard !name.isEmpty, !email.isEmpty else { throw WHMCSError("Name and email address are required if not a client") }
        // WHMCS checks the (trimmed) address with PHP's `filter_var(…, FILTER_VALIDATE_EMAIL)`.
        guard PHPEmailFilter.isValid(email), MailAddress.isBareAddress(email) else { throw WHMCSError("Email Address Invalid") }
        return .guest(name: name, email: email)
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
