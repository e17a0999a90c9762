import DeskCore
import DeskFaceKit
import Foundation
import HTTPTypes
import Hummingbird

/// django-helpdesk's legacy API (before 0.2, `helpdesk/views/api.py`): `POST <prefix>/api/<method>/`
/// with form fields `user` and `password` on every call. Order: help page, 405, 403, 400 for an
/// unknown method, then the method. Answers are `text/plain` (`text/json` for list_queues); 403,
/// 405 and unknown methods have empty bodies.
struct DjangoLegacy {
    let services: DeskServices
    let request: FaceRequest

    func respond(method: String, httpMethod: HTTPRequest.Method, body: [UInt8]?, contentType: String?) async throws -> Response {
        if method == "help" { return DjangoLegacyHelp.page() }
        guard httpMethod == .post else { return DjangoWire.legacy(.methodNotAllowed) }
        var form: [String: String] = [:]
        var files: [String: MultipartForm.Part] = [:]
        let type = (contentType ?? "").lowercased()
        if let body, type.hasPrefix("application/x-www-form-urlencoded") {
            guard let pairs = DjangoBody.formPairs(body, contentType: contentType) else { return DjangoWire.legacy(.badRequest) }
            for pair in pairs { form[pair.key] = pair.value }
        } else if let body, type.hasPrefix("multipart/form-data"),
            let parsed = try? MultipartForm(body: body, contentType: contentType ?? "")
        {
            let parts = DjangoMultipart(parsed)
            for field in parts.fields { form[field.key] = field.value }
            for file in parts.files { files[file.name] = file }
        }
        guard let login = form["user"], let password = form["password"],
            let principal = try await services.auth.authenticate(.userPassword(login: login, password: password), from: request.origin)
                .principal
        else { return DjangoWire.legacy(.forbidden) }
        guard DjangoRoute.legacyMethods.contains(method) else { return DjangoWire.legacy(.badRequest) }
        let mapping = try await DjangoMapping.load(services)
        let api = DjangoAPI(
            services: services, mapping: mapping, ids: DjangoIDs(services: services), principal: principal, origin: "",
            headers: DjangoWire.APIHeaders(allow: "", sessionConsulted: true), request: request)
        let calls = DjangoLegacyCalls(api: api, form: form, files: files)
        do {
            switch method {
            case "create_ticket": return try await calls.createTicket()
            case "delete_ticket": return try await calls.deleteTicket()
            case "hold_ticket": return try await calls.hold(true)
            case "unhold_ticket": return try await calls.hold(false)
            case "add_followup": return try await calls.addFollowup()
            case "resolve": return try await calls.resolve()
            case "list_queues": return calls.listQueues()
            default: return try await calls.findUser()
            }
        } catch {
            guard let error = error as? DeskError else { throw error }
            if case .accessDenied = error { return DjangoWire.legacy(.forbidden) }
            // A ticket deleted between its lookup and the change reads as one that was never there.
            if case .notFound(.ticket, _) = error { return DjangoWire.legacy(.badRequest, DjangoLegacyCalls.invalidTicket) }
            return DjangoWire.legacy(.badRequest, error.description)
        }
    }
}

/// The legacy methods, with their documented contract.
struct DjangoLegacyCalls {
    let api: DjangoAPI
    let form: [String: String]
    /// Uploaded files by field name (the last one of a name, as Django's `MultiValueDict` gives it).
    var files: [String: MultipartForm.Part] = [:]

    var services: DeskServices { api.services }

    static let invalidTicket = "Invalid ticket ID"

    /// The ticket of the `ticket` field, read as the model field's `int()` reads it (white space
    /// around, any decimal digits, `_` between them); nil means `Invalid ticket ID` (missing, not a
    /// number, unknown or not the caller's — where the original crashed with a 500 on text).
    func ticket() async throws -> Int? {
        guard let text = form["ticket"], let digits = DRF.pythonIntegerDigits(text), let id = Int(digits) else { return nil }
        return try await api.coreTicket(String(id))
    }

    func createTicket() async throws -> Response {
        var errors: [(String, String)] = []
        let choice = { (value: String) in "Select a valid choice. \(value) is not one of the available choices." }
        // A `ChoiceField` compares the text with each choice's `str()`: `05` and `+3` are no choices.
        let number = { (text: String) in Int(text).flatMap { String($0) == text ? $0 : nil } }
        var queue: Int?
        if let text = form["queue"], !text.isEmpty {
            if let id = number(text), let core = api.mapping.queueToCore[id] {
                queue = core
            } else {
                errors.append(("queue", choice(text)))
            }
        } else {
            errors.append(("queue", DRF.required))
        }
        // Django's `CharField` strips as Python's `str.strip()` does.
        let title = DRF.pythonStripped(form["title"] ?? "")
        if title.isEmpty {
            errors.append(("title", DRF.required))
        } else if title.unicodeScalars.count > 100 {
            // Python counts code points.
            errors.append(("title", "Ensure this value has at most 100 characters (it has \(title.unicodeScalars.count))."))
        }
        let submitter = DRF.pythonStripped(form["submitter_email"] ?? "")
        if !submitter.isEmpty, !MailAddress.isBareAddress(submitter) { errors.append(("submitter_email", "Enter a valid email address.")) }
        let body = DRF.pythonStripped(form["body"] ?? "")
        if body.isEmpty { errors.append(("body", DRF.required)) }
        var owner: Int?
        if let text = form["assigned_to"], !text.isEmpty {
            if let id = number(text), let agent = try await api.ids.agent(id), try await services.auth.agentPrincipal(id: agent) != nil {
                owner = agent
            } else {
                errors.append(("assigned_to", choice(text)))
            }
        }
        var priority = 3
        if let text = form["priority"], !text.isEmpty {
            if let value = number(text), (1...5).contains(value) { priority = value } else { errors.append(("priority", choice(text))) }
        }
        var due: Int64?
        let split = [form["due_date_year"], form["due_date_month"], form["due_date_day"]]
        // `SelectDateWidget` reads 0/0/0 as no date.
        if split.allSatisfy({ $0 == "0" }) {
            due = nil
        } else if split.allSatisfy({ !($0 ?? "").isEmpty }) {
            // Python's `int()` takes surrounding white space.
            let parts = split.map { Int(DRF.pythonStripped($0!)) ?? -1 }
            due =
                parts.contains(-1)
                ? nil : CivilDate(timestamp: String(format: "%04d-%02d-%02d 00:00:00", parts[0], parts[1], parts[2]))?.unixSeconds
            if due == nil { errors.append(("due_date", "Enter a valid date/time.")) }
        } else if let text = form["due_date"], !DRF.pythonStripped(text).isEmpty {
            due = DjangoLegacyDateTime.parse(DRF.pythonStripped(text))
            if due == nil { errors.append(("due_date", "Enter a valid date/time.")) }
        }
        // `TicketForm.attachment`: kept on the opening follow-up, spaces in the name made `_`,
        // typed from the name. The 0.2 code handed its form `request.POST` only, so an upload
        // never failed a create: an empty file is left out, not refused.
        var uploads: [AttachmentDraft] = []
        if let file = files["attachment"], let name = file.filename, !name.isEmpty, !file.body.isEmpty {
            let stored = name.replacingOccurrences(of: " ", with: "_")
            uploads.append(AttachmentDraft(filename: stored, contentType: DjangoAttachments.guessedType(stored), content: file.body))
        }
        var custom: [DynamicFieldInput] = []
        for field in api.mapping.directory.orderedCustomFields {
            let key = "custom_" + field.name
            guard let text = form[key], !text.isEmpty else {
                if field.required { errors.append((key, DRF.required)) }
                continue
            }
            switch DjangoCustomField.parse(.string(text), field) {
            case .failure(let error): errors.append((key, error.message))
            case .success(let stored): custom.append(DynamicFieldInput(name: field.dynamicField, values: stored.map { [$0] } ?? []))
            }
        }
        guard errors.isEmpty, let queue else {
            // Django's `ErrorDict.as_text`.
            let text = errors.map { "* \($0.0)\n  * \($0.1)" }.joined(separator: "\n")
            return DjangoWire.legacy(.badRequest, text)
        }
        let request = try await DjangoTickets(api: api).createRequest(
            DjangoTickets.NewTicketInput(
                title: title, queue: queue, priority: priority, owner: owner, submitter: submitter, description: body, dueDate: due,
                customFields: custom, files: uploads))
        let created = try await services.tickets.create(request, by: api.principal)
        let id = created.faceIDs.first { $0.kind == DjangoMapping.Kind.ticket }?.externalID ?? String(DjangoIDs.foreign + created.ticketID)
        return DjangoWire.legacy(.ok, id)
    }

    func deleteTicket() async throws -> Response {
        guard !(form["confirm"] ?? "").isEmpty else { return DjangoWire.legacy(.badRequest, "No confirmation provided") }
        guard let ticket = try await ticket() else { return DjangoWire.legacy(.badRequest, Self.invalidTicket) }
        try await services.tickets.delete(ticketID: ticket, by: api.principal)
        return DjangoWire.legacy(.ok)
    }

    func hold(_ onHold: Bool) async throws -> Response {
        guard let ticket = try await ticket() else { return DjangoWire.legacy(.badRequest, Self.invalidTicket) }
        var update = TicketUpdateRequest(lock: .name(onHold ? "lock" : "unlock"))
        update.faceAttributes = FaceAttributes(face: DjangoAPI.face, values: [DjangoSerializers.Attribute.onHold: onHold ? "1" : "0"])
        _ = try await services.tickets.update(ticketID: ticket, update, by: api.principal)
        return DjangoWire.legacy(.ok)
    }

    /// A comment, public with `public=y` (the original stored every follow-up as public).
    func addFollowup() async throws -> Response {
        guard let ticket = try await ticket() else { return DjangoWire.legacy(.badRequest, Self.invalidTicket) }
        let flag = form["public"] ?? "n"
        guard flag == "y" || flag == "n" else { return DjangoWire.legacy(.badRequest, "Invalid 'public' flag") }
        let message = form["message"] ?? ""
        guard !message.isEmpty else { return DjangoWire.legacy(.badRequest, "Blank message") }
        try await addArticle(
            to: ticket, title: "Comment Added", text: message, isPublic: flag == "y", status: nil, update: TicketUpdateRequest())
        return DjangoWire.legacy(.ok)
    }

    /// Resolved (status 3) with a public follow-up, the text kept as the ticket's resolution (the
    /// original lost it to a typo).
    func resolve() async throws -> Response {
        guard let ticket = try await ticket() else { return DjangoWire.legacy(.badRequest, Self.invalidTicket) }
        let resolution = form["resolution"] ?? ""
        guard !resolution.isEmpty else { return DjangoWire.legacy(.badRequest, "Blank resolution") }
        var update = TicketUpdateRequest(state: DjangoTickets(api: api).stateRef(3))
        update.faceAttributes = FaceAttributes(face: DjangoAPI.face, values: [DjangoSerializers.Attribute.resolution: resolution])
        try await addArticle(to: ticket, title: "Resolved", text: resolution, isPublic: true, status: 3, update: update)
        return DjangoWire.legacy(.ok)
    }

    /// A follow-up, mailed as the REST API's are (`DjangoMail`).
    func addArticle(to ticket: Int, title: String, text: String, isPublic: Bool, status: Int?, update: TicketUpdateRequest) async throws {
        var update = update
        var isCustomer = false
        var attributes: [String: String?] = [:]
        if case .customer = api.principal {
            isCustomer = true
            attributes[DjangoSerializers.Attribute.user] = try await api.callerUserID().map(String.init)
        }
        var options = DjangoAPI.bare
        options.faceAttributes = DjangoAPI.face
        let current = try await services.tickets.get(ticketID: ticket, options: options, by: api.principal)
        let (recipients, submitter) = try await api.followupRecipients(current, isPublic: isPublic, comment: text, status: status)
        attributes[DjangoSerializers.Attribute.emailRecipients] = DjangoMail.json(recipients)
        var draft = ArticleDraft(
            subject: title, body: text, senderType: .name(isCustomer ? "customer" : "agent"), channel: .name("Internal"),
            isVisibleForCustomer: isPublic, contentType: "text/plain; charset=utf-8",
            faceID: FaceIDAllocation(face: DjangoAPI.face, kind: DjangoMapping.Kind.followup),
            faceAttributes: FaceAttributes(face: DjangoAPI.face, values: attributes))
        DjangoMail.address(&draft, recipients: recipients, submitter: submitter)
        update.articles = [draft]
        _ = try await services.tickets.update(ticketID: ticket, update, by: api.principal)
    }

    /// `[{"id": "1", "title": "Support"}, …]` by title, as simplejson wrote it (ids as text).
    func listQueues() -> Response {
        let queues = api.mapping.queueToCore.keys.map { (id: $0, title: api.mapping.queueTitle($0)) }
            .sorted { ($0.title, $0.id) < ($1.title, $1.id) }
        let items = queues.map { queue in
            "{\"id\": \"\(queue.id)\", \"title\": " + JSONWriter.string(.string(queue.title), style: .escapeUnicode) + "}"
        }
        return DjangoWire.legacy(.ok, "[" + items.joined(separator: ", ") + "]", type: "text/json")
    }

    func findUser() async throws -> Response {
        let username = form["username"] ?? ""
        if let agent = try await services.auth.agentPrincipal(login: username), agent.login == username {
            return DjangoWire.legacy(
                .ok, String(try await api.ids.userIDs(agents: [agent.id]).agents[agent.id] ?? DjangoIDs.foreign + agent.id))
        }
        if case .agent = api.principal, let customer = try await services.directory.customerUser(login: username, by: api.principal) {
            return DjangoWire.legacy(
                .ok, String(try await api.ids.userIDs(agents: [], customers: [customer]).customers[customer.login] ?? 0))
        }
        return DjangoWire.legacy(.badRequest, "Invalid username provided")
    }
}

/// The legacy API's help page (`helpdesk/templates/helpdesk/help_api.html`, in short).
enum DjangoLegacyHelp {
    static func page() -> Response {
        let methods = [
            ("create_ticket", "queue, title, body, submitter_email, assigned_to, priority, due_date, attachment (a file), custom_*"),
            ("delete_ticket", "ticket, confirm"), ("hold_ticket", "ticket"), ("unhold_ticket", "ticket"),
            ("add_followup", "ticket, message, public (y or n)"), ("resolve", "ticket, resolution"), ("list_queues", "(none)"),
            ("find_user", "username"),
        ]
        let rows = methods.map { "<li><code>\($0.0)</code>: \($0.1)</li>" }.joined(separator: "\n")
        let html = """
            <!doctype html>
            <html lang="en"><head><title>Helpdesk API</title></head><body>
            <h1>Helpdesk API</h1>
            <p>POST form-encoded fields to <code>api/&lt;method&gt;/</code> with <code>user</code> and <code>password</code>.
            Answers: 200 (the result, or empty), 400 (the problem), 403 (bad credentials), 405 (not POST).</p>
            <ul>
            \(rows)
            </ul>
            </body></html>

            """
        return Responses.text(.ok, contentType: "text/html; charset=utf-8", html, headers: DjangoWire.securityHeaders)
    }
}
