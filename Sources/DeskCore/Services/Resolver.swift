/// Resolves references against the catalog and the store, throwing `.invalid(field, …)` with the
/// field the caller sent. Shared by create and update.
struct Resolver {
    let catalog: Catalog
    let reader: any StoreReader

    func queue(_ ref: Ref) throws(DeskError) -> Queue {
        guard let queue = catalog.queues[ref], queue.validity == .valid else { throw .invalid(.queue, .unknown) }
        return queue
    }

    /// The customer user a registration names (by login, else by address), or the one to create.
    func registration(_ registration: CustomerRegistration, at now: Int64) async throws -> (CustomerUser?, NewCustomerUser?) {
        let email = registration.email.trimmingSpaces
        // A known customer user is taken as it is; only a new one must have a usable address.
        if !email.isEmpty, email.utf8.count <= 250 {
            if let known = try await reader.customerUser(login: email) { return (known, nil) }
            if let known = try await reader.customerUsers(email: email).first { return (known, nil) }
        }
        guard MailAddress.isBareAddress(email), email.utf8.count <= 150 else {
            throw DeskError.invalid(.customerUser, .malformed(expected: "an e-mail address"))
        }
        let localPart = String(email.prefix { $0 != "@" })
        var first = registration.firstName.trimmingSpaces
        let last = registration.lastName.trimmingSpaces
        if first.isEmpty && last.isEmpty { first = localPart }
        guard first.count <= 100, last.count <= 100 else { throw DeskError.invalid(.customerUser, .tooLong(max: 100)) }
        let login = email.lowercased()
        return (
            nil,
            NewCustomerUser(
                login: login, passwordHash: "", email: email, firstName: first, lastName: last, customerID: login,
                phone: String(registration.phone.trimmingSpaces.prefix(150)), comment: String(registration.comment.prefix(250)),
                createdAt: now)
        )
    }

    func state(_ ref: Ref) throws(DeskError) -> TicketState {
        guard let state = catalog.states[ref], state.validity == .valid else { throw .invalid(.state, .unknown) }
        return state
    }

    func priority(_ ref: Ref) throws(DeskError) -> Lookup {
        guard let priority = catalog.priorities[ref], priority.isValid else { throw .invalid(.priority, .unknown) }
        return priority
    }

    func type(_ ref: Ref) throws(DeskError) -> Lookup {
        guard let type = catalog.ticketTypes[ref], type.isValid else { throw .invalid(.type, .unknown) }
        return type
    }

    func lock(_ ref: Ref) throws(DeskError) -> Lookup {
        guard let lock = catalog.locks[ref] else { throw .invalid(.lock, .unknown) }
        return lock
    }

    func service(_ ref: Ref) throws(DeskError) -> DeskServiceItem {
        guard let service = catalog.services[ref], service.validity == .valid else { throw .invalid(.service, .unknown) }
        return service
    }

    func sla(_ ref: Ref, serviceID: Int?) throws(DeskError) -> SLA {
        guard let sla = catalog.slas[ref], sla.validity == .valid else { throw .invalid(.sla, .unknown) }
        guard let serviceID, sla.serviceIDs.contains(serviceID) else { throw .invalid(.sla, .notCovered) }
        return sla
    }

    /// A valid agent by id or login.
    /// A valid agent by id or login; a login is compared without case when no agent has it as
    /// written (Znuny's `GetUserData` looks logins up lower-cased).
    func agent(_ ref: Ref, field: Field) async throws -> Agent {
        let agent: Agent? =
            switch ref {
            case .id(let id): try await reader.agent(id: id)
            case .name(let login): try await reader.agent(loginIgnoringCase: login)
            }
        guard let agent, agent.validity == .valid else { throw DeskError.invalid(field, .unknown) }
        return agent
    }

    /// A customer user by login (without case when not found as written); an unknown login must
    /// be an e-mail address (a customer not in the database), and a known one must be valid
    /// (Znuny's `ValidateCustomer`).
    func customerUser(_ login: String) async throws -> CustomerUser? {
        let customer = try await reader.customerUser(loginIgnoringCase: login)
        guard customer != nil || MailAddress.isValid(login) else { throw DeskError.invalid(.customerUser, .unknown) }
        if let customer, customer.validity != .valid { throw DeskError.invalid(.customerUser, .unknown) }
        return customer
    }

    func senderType(_ ref: Ref?, principal: Principal, article: Int) throws(DeskError) -> Lookup {
        let fallback: Ref =
            switch principal {
            case .agent: .name("agent")
            case .customer: .name("customer")
            }
        guard let sender = catalog.senderTypes[ref ?? fallback] else { throw .invalid(.article(article, .senderType), .unknown) }
        return sender
    }

    func channel(_ ref: Ref?, article: Int) throws(DeskError) -> Lookup {
        guard let channel = catalog.channels[ref ?? .name("Internal")] else { throw .invalid(.article(article, .channel), .unknown) }
        return channel
    }

    /// Resolves dynamic field inputs to (field, canonical values); `field(index, name)` names the
    /// position each input had in the request.
    func dynamicFields(_ inputs: [DynamicFieldInput], field position: (Int, String) -> Field) throws(DeskError) -> [(
        field: DynamicField, values: [String]
    )] {
        var result: [(DynamicField, [String])] = []
        for (index, input) in inputs.enumerated() {
            guard let field = catalog.dynamicFields[input.name], field.validity == .valid else {
                throw .invalid(position(index, input.name), .unknown)
            }
            do {
                result.append((field, try DynamicFieldValidator.canonicalValues(input, for: field)))
            } catch {
                throw .invalid(position(index, input.name), error)
            }
        }
        return result
    }
}

/// Syntax checks shared by the faces and the core.
public enum MailAddress {
    /// `"Name" <address>`: the name quoted (`"` and `\` escaped, line breaks dropped), so that a
    /// name can never add a header or another address.
    public static func mailbox(name: String, address: String) -> String {
        var quoted = ""
        for character in name where !character.isNewline {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return "\"\(quoted)\" <\(address)>"
    }

    /// A pragmatic check for `local@domain.tld`, optionally inside `Name <…>`.
    public static func isValid(_ text: String) -> Bool {
        var address = Substring(text.trimmingSpaces)
        if let open = address.lastIndex(of: "<"), address.hasSuffix(">") {
            address = address[address.index(after: open)..<address.index(before: address.endIndex)]
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !address.contains(where: { $0 == " " || $0 == "," || $0 == ";" || $0 == "\n" || $0 == "\r" })
        else { return false }
        return true
    }

    /// `local@domain.tld` alone, without a display name.
    public static func isBareAddress(_ text: String) -> Bool {
        !text.contains("<") && !text.contains(">") && !text.contains("\"") && isValid(text)
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines (CR, LF and CR LF: the
    /// last is one `Character`, equal to neither of the others).
    public var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
