import DeskCore
import DeskFaceKit
import Hummingbird

/// The ticket extension of seed 002 (osTicket PR #4361 lineage, as ported to 1.18.1):
/// `ticketInfo`, `staffTickets`, `clientTickets` and `reply.json`, authenticated by API key.
/// Parameter problems are plain text; results and caught failures are JSON with
/// `status_code`/`status_msg` after the payload.
struct OSTicketExtension {
    let services: DeskServices
    let keys: OSTicketAPIKeys

    /// What osTicket's PHP 8 answers when a lookup by name finds nothing.
    static let nullLookup = DeskError.notFound(.agent, key: "")

    static let readOptions = TicketReadOptions(articles: true, attachments: true, attachmentContents: false, events: true)

    func ticketInfo(_ request: FaceRequest, principal: Principal) async throws -> Response {
        let number = request.parameters["ticketNumber"]?.scalarString ?? ""
        guard !number.isEmpty, number != "0" else { return OSTicketWire.extensionText(422, "missing ticketNumber parameter ") }
        guard Self.isNumeric(number) else { return OSTicketWire.extensionText(404, "Invalid ticket number") }
        guard let id = try await services.tickets.ticketID(number: number.trimmingSpaces, by: principal) else {
            return OSTicketWire.extensionText(404, "Ticket not found")
        }
        do {
            let mapping = try await OSTicketMapping.load(services)
            let ticket = try await render([id], mapping: mapping, by: principal)[0]
            return OSTicketWire.json(
                200,
                .ordered([
                    "ticket": ticket, "status_code": .string("0"), "status_msg": .string("ticket details retrieved successfully"),
                ]))
        } catch {
            guard let error = error as? DeskError else { throw error }
            return Self.failure("ticket", error)
        }
    }

    func staffTickets(_ request: FaceRequest, principal: Principal) async throws -> Response {
        let login = request.parameters["staffUserName"]?.scalarString ?? ""
        guard !login.isEmpty else { return OSTicketWire.extensionText(422, "missing staffUserName parameter ") }
        guard let agent = try await services.directory.agent(login: try await staffLogin(login, by: principal), by: principal) else {
            return Self.failure("tickets", Self.nullLookup)
        }
        var query = TicketQuery()
        query.ownerIDs = [agent.id]
        return try await list(query, principal: principal)
    }

    func clientTickets(_ request: FaceRequest, principal: Principal) async throws -> Response {
        let email = request.parameters["clientUserMail"]?.scalarString ?? ""
        guard !email.isEmpty else { return OSTicketWire.extensionText(422, "missing clientUserMail parameter ") }
        let customers = try await services.directory.customerUsers(email: email.trimmingSpaces, by: principal)
        guard !customers.isEmpty else { return Self.failure("tickets", Self.nullLookup) }
        var query = TicketQuery()
        query.customerUserLoginsRaw = customers.map(\.login)
        return try await list(query, principal: principal)
    }

    /// The agent login `staffUserName` names. osTicket's `Staff::lookup` compares in MySQL's
    /// case-insensitive collation, so `Bill` finds `bill`: an exact match first, else the one
    /// agent whose login differs only in case (the name as given when none or several do).
    func staffLogin(_ name: String, by principal: Principal) async throws -> String {
        guard !name.isEmpty, try await services.directory.agent(login: name, by: principal) == nil else { return name }
        let folded = try await services.directory.agents(matching: name, by: principal).filter {
            $0.login.lowercased() == name.lowercased()
        }
        return folded.count == 1 ? folded[0].login : name
    }

    /// `tickets/reply.json`: an agent's reply, sent to the client, with an optional new status.
    func reply(_ body: [UInt8], request: FaceRequest, principal: Principal) async throws -> Response {
        guard principal.allows(.createTickets) else { return OSTicketWire.text(401, "API key not authorized") }
        let data: [String: String]
        do {
            data = try OSTicketSubmission.json(body, maxFileSize: 0).fields
        } catch {
            return OSTicketWire.text(error.code, error.message)
        }
        let number = data["ticketNumber"] ?? ""
        guard !number.isEmpty, let id = try await services.tickets.ticketID(number: number, by: principal) else {
            return OSTicketWire.extensionText(404, "Ticket not found")
        }
        // The key's own agent replies as itself; another agent's reply needs a key whose agent is
        // an administrator (the default, root@localhost, is).
        let staff: AgentPrincipal
        do {
            let login = try await staffLogin(data["staffUserName"] ?? "", by: principal)
            if case .agent(let keyAgent) = principal, keyAgent.login == login {
                staff = keyAgent
            } else {
                staff = try await services.auth.impersonate(login, by: principal)
            }
        } catch {
            guard let error = error as? DeskError else { throw error }
            return Self.failure("tickets", error)
        }
        // PHP's `!$vars['response']`: empty and "0" are no reply; white space is one (stored "-").
        let response = data["response"] ?? ""
        guard !response.isEmpty, response != "0" else {
            return OSTicketWire.extensionText(500, "Unable to reply to this ticket: unknown error")
        }
        do {
            let mapping = try await OSTicketMapping.load(services)
            let current = try await services.tickets.get(
                ticketID: id, options: TicketReadOptions(articles: false, attachments: false, dynamicFields: false), by: principal
            ).ticket
            var update = TicketUpdateRequest()
            update.reassignsOnReopen = true
            // `Ticket::setStatus` acts on open and closed statuses only (an archived or deleted
            // one is ignored, the reply posted all the same).
            if let statusID = Int(data["reply_status_id"] ?? ""), let status = mapping.directory.status(statusID),
                status.state == "open" || status.state == "closed",
                let stateID = mapping.stateID(status: statusID), stateID != current.stateID
            {
                update.state = .id(stateID)
            }
            var answer = ArticleDraft(
                subject: "Re: \(current.title)", body: response, senderType: .name("agent"), channel: .name("Email"),
                isVisibleForCustomer: true, contentType: "text/html; charset=utf-8",
                toDefault: current.customerUserID.map(AddressDefault.customerUser) ?? .text(""), label: "SendAnswer",
                note: "%%osTicket API reply")
            // osTicket's reply handler always alerts the user: the answer goes out by mail.
            answer.sending = .whenAddressed
            update.articles = [answer]
            _ = try await services.tickets.update(ticketID: id, update, by: .agent(staff))
        } catch DeskError.notFound(.ticket, _) {
            // Deleted since its number was looked up: as if it had been gone already.
            return OSTicketWire.extensionText(404, "Ticket not found")
        } catch {
            guard let error = error as? DeskError else { throw error }
            return Self.failure("tickets", error)
        }
        return OSTicketWire.json(200, .ordered(["status_code": .string("0"), "status_msg": .string("reply posted successfully")]))
    }

    /// The tickets a query finds (oldest first, at most 500), each as a ticketInfo object.
    func list(_ query: TicketQuery, principal: Principal) async throws -> Response {
        var query = query
        query.sort = [(.ticketID, true)]
        query.limit = 500
        do {
            let ids = try await services.tickets.search(query, by: principal)
            let mapping = try await OSTicketMapping.load(services)
            // The README's list items: the ticketInfo object with `status` after the subject.
            let tickets = try await (ids.isEmpty ? [] : render(ids, mapping: mapping, by: principal)).map { ticket -> JSONValue in
                guard case .orderedObject(var members) = ticket, let status = members.first(where: { $0.key == "ticket_status" }) else {
                    return ticket
                }
                members.insert(JSONMember(key: "status", value: status.value), at: min(2, members.count))
                return .orderedObject(members)
            }
            return OSTicketWire.json(
                200, .ordered(["tickets": .array(tickets), "status_code": .string("0"), "status_msg": .string("success")]))
        } catch {
            guard let error = error as? DeskError else { throw error }
            return Self.failure("tickets", error)
        }
    }

    func render(_ ids: [Int], mapping: OSTicketMapping, by principal: Principal) async throws -> [JSONValue] {
        let tickets = try await services.tickets.get(ticketIDs: ids, options: Self.readOptions, by: principal)
        var customers: [String: CustomerUser] = [:]
        for login in Set(tickets.compactMap(\.ticket.customerUserID)) {
            customers[login] = try await services.directory.customerUser(login: login, by: principal)
        }
        return tickets.map { details in
            OSTicketTicketView(mapping: mapping, customer: details.ticket.customerUserID.flatMap { customers[$0] }).render(details)
        }
    }

    /// The extension's answer to a caught exception: HTTP 500, the payload key empty, the
    /// message from the face's error table.
    static func failure(_ payload: String, _ error: DeskError) -> Response {
        let message: String
        switch OSTicketErrors().answer(for: error, in: "extension") {
        case .failure(let text): message = text
        case .text(_, let text): message = text
        }
        return OSTicketWire.json(
            500, .ordered([payload: .array([]), "status_code": .string("FAILURE"), "status_msg": .string(message)]))
    }

    /// PHP 8's `is_numeric`: optional surrounding whitespace, a sign, digits with an optional
    /// fraction, an optional exponent.
    static func isNumeric(_ text: String) -> Bool {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return false }
        return Double(trimmed) != nil
    }
}
