import DeskCore
import DeskFaceKit
import Foundation
import Hummingbird

/// `/api/users/` (create only) and `/api/user_tickets/` (the caller's own tickets).
struct DjangoUsers {
    let api: DjangoAPI

    var services: DeskServices { api.services }

    /// A character of Django's `UnicodeUsernameValidator`: a letter or number to Python
    /// (`str.isalnum`), or one of `_ . @ + -`.
    static func isUsernameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if "_.@+-".unicodeScalars.contains(scalar) { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber, .letterNumber,
            .otherNumber:
            return true
        default: return scalar.properties.numericType != nil
        }
    }

    /// `POST /api/users/`: a new non-staff user, i.e. a customer user.
    func create(_ body: DjangoBody) async throws -> Response {
        var errors = DRF.Errors()
        guard case .object(let data) = body.data else {
            errors.add("non_field_errors", DRF.notADictionary(body.data))
            return api.json(.badRequest, errors.json)
        }
        var values: [String: String] = [:]
        for (key, maxLength, required) in [
            ("first_name", 150, false), ("last_name", 150, false), ("username", 150, true), ("email", 254, false), ("password", 128, true),
        ] {
            guard let raw = data[key] else {
                if required { errors.add(key, DRF.required) }
                continue
            }
            // DRF runs every validator of a value that is not blank: the username's pattern
            // (`^[\w.@+-]+\Z`, `\w` per code point as Python's `str.isalnum`) comes before the length.
            if key == "username", let text = raw.scalarString, !DRF.pythonStripped(text).isEmpty,
                !DRF.pythonStripped(text).unicodeScalars.allSatisfy({ Self.isUsernameCharacter($0) })
            {
                errors.add(key, "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.")
            }
            let result =
                key == "email"
                ? DRF.email(raw, maxLength: maxLength, allowNull: false).map { $0 ?? "" }
                : DRF.string(raw, maxLength: key == "password" ? nil : maxLength, allowBlank: !required, allowNull: false).map { $0 ?? "" }
            switch result {
            case .failure(let error): errors.add(key, error.message)
            case .success(let text): values[key] = text
            }
        }
        if let username = values["username"], !errors.contains("username"), try await isTaken(username) {
            errors.add("username", "A user with that username already exists.")
        }
        guard errors.isEmpty else { return api.json(.badRequest, errors.json) }
        try await services.admin.registerCustomerUser(
            login: values["username"] ?? "", password: values["password"] ?? "", email: values["email"] ?? "",
            firstName: values["first_name"] ?? "", lastName: values["last_name"] ?? "",
            faceID: FaceIDAllocation(face: DjangoAPI.face, kind: DjangoMapping.Kind.user), by: api.principal)
        return api.json(
            .created,
            .ordered([
                "first_name": .string(values["first_name"] ?? ""), "last_name": .string(values["last_name"] ?? ""),
                "username": .string(values["username"] ?? ""), "email": .string(values["email"] ?? ""),
            ]))
    }

    /// `UniqueValidator` on the username. A caller who may not add users learns nothing here
    /// and is refused when the user is added, after the other checks.
    func isTaken(_ username: String) async throws -> Bool {
        do {
            return try await services.admin.isLoginTaken(username, by: api.principal)
        } catch DeskError.accessDenied {
            return false
        }
    }

    /// The caller's own tickets: those whose customer has the caller's e-mail address, newest first.
    func query() async throws -> TicketQuery? {
        var query = TicketQuery()
        query.queueIDs = api.mapping.coreQueueIDs
        query.sort = [(.created, false), (.ticketID, false)]
        switch api.principal {
        case .customer(let customer):
            guard let user = try await services.directory.customerUser(login: customer.login, by: api.principal), !user.email.isEmpty else {
                return nil
            }
            query.customerUserLoginsRaw = [customer.login]
        case .agent(let agent):
            guard let email = try await services.directory.agent(login: agent.login, by: api.principal)?.email, !email.isEmpty else {
                return nil
            }
            let customers = try await services.directory.customerUsers(email: email, by: api.principal)
            query.customerUserLoginsRaw = [email] + customers.map(\.login)
        }
        return query.queueIDs.isEmpty ? nil : query
    }

    func listTickets(path: String) async throws -> Response {
        try await api.pagedSearch(try await query(), path: path) { try await publicTickets($0, withCustomFields: true) }
    }

    func retrieveTicket(_ pk: String) async throws -> Response {
        guard var query = try await query(), let core = try await api.coreTicket(pk) else {
            return DRF.pythonInt(pk) == nil ? api.detail(.notFound, "Not found.") : api.notFound("Ticket")
        }
        query.ticketIDs = [core]
        guard try await services.tickets.search(query, by: api.principal) == [core] else { return api.notFound("Ticket") }
        return api.json(.ok, try await publicTickets([core], withCustomFields: false)[0])
    }

    func publicTickets(_ ids: [Int], withCustomFields: Bool) async throws -> [JSONValue] {
        guard !ids.isEmpty else { return [] }
        let details = try await services.tickets.get(ticketIDs: ids, options: DjangoAPI.readOptions, by: api.principal)
        let serializers = try await api.serializers(for: details)
        return details.map { serializers.publicTicket($0, withCustomFields: withCustomFields) }
    }
}
