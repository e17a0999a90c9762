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
            let matches = try await reader.customerUsers(loginOrEmail: email)
            if let known = matches.exactLogin ?? matches.email.first { return (known, nil) }
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

    /// A valid service, whoever may use it.
    func service(_ ref: Ref) throws(DeskError) -> DeskServiceItem {
        guard let service = catalog.services[ref], service.validity == .valid else { throw .invalid(.service, .unknown) }
        return service
    }

    /// A valid service that `customerLogin` may use (`ServiceAssignment`); a ticket without a
    /// customer user can have none, as in Znuny's `ValidateService`.
    func service(_ ref: Ref, customerLogin: String?) async throws -> DeskServiceItem {
        let service = try service(ref)
        guard let login = customerLogin?.nilIfEmpty,
            try await ServiceAssignment.serviceIDs(usableBy: login, reader: reader, catalog: catalog).contains(service.id)
        else { throw DeskError.invalid(.service, .notAssigned) }
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
    /// be an e-mail address (a customer not in the database) that passes the face's `check`, and
    /// a known one must be valid (Znuny's `ValidateCustomer`). With `byAddress`, an unknown
    /// login that is the e-mail address of a valid customer user names that one.
    func customerUser(_ login: String, check: (@Sendable (String) -> Bool)? = nil, byAddress: Bool = false) async throws
        -> CustomerUser?
    {
        let matches = try await reader.customerUsers(loginOrEmail: login)
        let customer = matches.byLogin
        guard customer != nil || (MailAddress.isValid(login) && check?(login) != false) else {
            throw DeskError.invalid(.customerUser, .unknown)
        }
        guard let customer else { return byAddress ? matches.email.first { $0.validity == .valid } : nil }
        guard customer.validity == .valid else { throw DeskError.invalid(.customerUser, .unknown) }
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

    /// `Name <address>` as Perl's `Mail::Address->format` writes it (Znuny's auto responses): the
    /// name bare when it holds only word characters, spaces and `-!#$%&'*+/=?^`{|}~`, else quoted
    /// as `mailbox` quotes it.
    public static func perlFormat(name: String, address: String) -> String {
        guard !name.isEmpty else { return address }
        let plain = name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == " " || "-!#$%&'*+/=?^`{|}~".contains($0) }
        return plain ? "\(name) <\(address)>" : mailbox(name: name, address: address)
    }

    /// A pragmatic check for `local@domain.tld`, optionally inside `Name <…>`.
    /// Checked on the UTF-8 bytes (a CR LF inside is two bytes, both refused).
    public static func isValid(_ text: String) -> Bool {
        let trimmed = text.trimmingSpaces
        var address = trimmed.utf8[...]
        if address.last == UInt8(ascii: ">"), let open = address.lastIndex(of: UInt8(ascii: "<")) {
            address = address[address.index(after: open)..<address.index(before: address.endIndex)]
        }
        guard let at = address.firstIndex(of: UInt8(ascii: "@")), at != address.startIndex else { return false }
        let domain = address[address.index(after: at)...]
        return !domain.contains(UInt8(ascii: "@")) && domain.contains(UInt8(ascii: "."))
            && domain.first != UInt8(ascii: ".") && domain.last != UInt8(ascii: ".")
            && !address.contains(where: { $0 == 0x20 || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") || $0 == 0x0A || $0 == 0x0D })
    }

    /// `local@domain.tld` alone, without a display name.
    public static func isBareAddress(_ text: String) -> Bool {
        !text.contains("<") && !text.contains(">") && !text.contains("\"") && isValid(text)
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs, CRs and LFs.
    ///
    /// Trimmed byte by byte, as Perl's `\s`, PHP's `trim` and Python's `strip` see code points:
    /// a space before a combining mark goes too (as a `Character` the pair is no space). Bytes
    /// also keep grapheme breaking out of a function every field of every request passes.
    @inlinable public var trimmingSpaces: String {
        let text = Substring(self)
        let utf8 = text.utf8
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        // Both ends sit next to an ASCII byte or at an end, so on scalar boundaries.
        let end = utf8.index(after: last)
        if first == utf8.startIndex && end == utf8.endIndex { return String(text) }
        return String(text[first..<end])
    }
}
