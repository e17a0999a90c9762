import DeskCore
import DeskFaceKit
import Foundation
import Hummingbird

/// `/api/followups/` (`FollowUpViewSet`): a follow-up is an article. Creating one goes through
/// django-helpdesk's `update_ticket` rules (title, status change, resolution, rename); PUT and
/// PATCH change the follow-up alone.
struct DjangoFollowups {
    let api: DjangoAPI

    var services: DeskServices { api.services }
    var mapping: DjangoMapping { api.mapping }
    typealias Attribute = DjangoSerializers.Attribute

    struct Input {
        /// The SwiftDesk ticket, and the django-helpdesk id it was given by.
        var ticket: Int?
        var ticketNumber: Int?
        var title: String??
        var comment: String??
        var isPublic: Bool?
        var newStatus: Int??
        /// Microseconds.
        var timeSpent: Int64??
        var files: [MultipartForm.Part] = []
    }

    /// The fields as the serializer checks them. The files' extensions are checked on create
    /// only: `perform_create` saves them, while an update sets the list aside unread.
    func read(_ body: DjangoBody, partial: Bool, creating: Bool) async throws -> Result<Input, DRF.Errors> {
        var errors = DRF.Errors()
        guard case .object(let data) = body.data else {
            errors.add("non_field_errors", DRF.notADictionary(body.data))
            return .failure(errors)
        }
        var input = Input()
        if let raw = data["ticket"] {
            switch DRF.primaryKey(raw) {
            case .failure(let error): errors.add("ticket", error.message)
            case .success(let id):
                if let core = try await api.coreTicket(String(id)) {
                    input.ticket = core
                    input.ticketNumber = id
                } else {
                    errors.add("ticket", DRF.missingObject(raw))
                }
            }
        } else if !partial {
            errors.add("ticket", DRF.required)
        }
        // `user` is checked (any user, active or not) and then not used: a new follow-up is the
        // caller's, and PUT and PATCH keep the author (docs/django-helpdesk.md).
        if let raw = data["user"], raw != .null, raw != .string("") {
            switch DRF.primaryKey(raw) {
            case .failure(let error): errors.add("user", error.message)
            case .success(let id):
                if try await !api.ids.userExists(id, by: api.principal) { errors.add("user", DRF.missingObject(raw)) }
            }
        }
        if let raw = data["title"] {
            switch DRF.string(raw, maxLength: 200, allowBlank: true, allowNull: true) {
            case .failure(let error): errors.add("title", error.message)
            case .success(let text): input.title = .some(text)
            }
        }
        if let raw = data["comment"] {
            switch DRF.string(raw, allowBlank: true, allowNull: true) {
            case .failure(let error): errors.add("comment", error.message)
            case .success(let text): input.comment = .some(text)
            }
        }
        if let raw = DRF.sent(data["public"], form: body.isForm) {
            switch DRF.boolean(raw) {
            case .failure(let error): errors.add("public", error.message)
            case .success(let flag): input.isPublic = flag
            }
        } else if body.isForm && !partial {
            input.isPublic = false
        }
        if let raw = data["new_status"] {
            if raw == .null || (body.isForm && raw == .string("")) {
                input.newStatus = .some(nil)
            } else {
                switch DRF.choice(raw, [1, 2, 3, 4, 5]) {
                case .failure(let error): errors.add("new_status", error.message)
                case .success(let status): input.newStatus = .some(status)
                }
            }
        }
        if let raw = data["time_spent"] {
            switch body.isForm && raw == .string("") ? .success(nil) : DRF.duration(raw) {
            case .failure(let error): errors.add("time_spent", error.message)
            case .success(let micro): input.timeSpent = .some(micro)
            }
        }
        // `getlist("attachments")`: the form's text values come first, then the files; each
        // text (even "", a file input left empty) or JSON item is no file. In JSON the
        // `ListField` wants a list (null or any other value fails the whole field).
        var texts: [JSONValue] = body.isForm ? (body.fieldLists["attachments"] ?? []).map(JSONValue.string) : []
        if !body.isForm, let raw = data["attachments"] {
            if let list = raw.arrayValue {
                texts = list
            } else {
                errors.add(
                    "attachments", raw == .null ? DRF.notNull : "Expected a list of items but got type \"\(DRF.pythonType(raw))\".")
            }
        }
        for (index, raw) in texts.enumerated() { errors.add("attachments", item: index, raw == .null ? DRF.notNull : DjangoBody.notAFile) }
        input.files = body.files["attachments"] ?? []
        for (index, file) in input.files.enumerated() where file.body.isEmpty {
            errors.add("attachments", item: texts.count + index, "The submitted file is empty.")
        }
        guard errors.isEmpty, creating else { return errors.isEmpty ? .success(input) : .failure(errors) }
        for file in input.files {
            if let problem = DjangoAttachments.extensionProblem(file.filename ?? "") { errors.add("attachments", problem) }
        }
        return errors.isEmpty ? .success(input) : .failure(errors)
    }

    func create(_ body: DjangoBody) async throws -> Response {
        let input: Input
        switch try await read(body, partial: false, creating: true) {
        case .failure(let errors): return api.json(.badRequest, errors.json)
        case .success(let read): input = read
        }
        guard let ticketID = input.ticket else { return api.notFound("Ticket") }
        var options = DjangoAPI.bare
        options.faceAttributes = DjangoAPI.face
        let current = try await services.tickets.get(ticketID: ticketID, options: options, by: api.principal)
        let ticket = current.ticket
        let oldStatus = mapping.status(ofState: ticket.stateID)
        let comment = (input.comment ?? nil) ?? ""
        let requestedStatus = (input.newStatus ?? nil) ?? oldStatus
        var title = (input.title ?? nil) ?? ticket.title
        var update = TicketUpdateRequest()
        var articleAttributes: [String: String?] = [:]
        if requestedStatus != oldStatus {
            update.state = DjangoTickets(api: api).stateRef(requestedStatus)
            articleAttributes[Attribute.newStatus] = String(requestedStatus)
            let name = DjangoReference.statusName(requestedStatus)
            title = title.isEmpty ? name : "\(title) and \(name)"
        }
        if title.isEmpty { title = comment.isEmpty ? "Updated" : "Comment" }
        if case .some(.some(let renamed)) = input.title, !renamed.isEmpty, renamed != ticket.title { update.title = renamed }
        if requestedStatus == 3 || (requestedStatus == 4 && current.ticketAttributes[Attribute.resolution] == nil) {
            update.faceAttributes = FaceAttributes(face: DjangoAPI.face, values: [Attribute.resolution: comment])
        }
        var timeUnit: Double?
        if case .some(.some(let micro)) = input.timeSpent {
            articleAttributes[Attribute.timeSpent] = DRF.durationText(micro)
            timeUnit = DRF.accountedMinutes(micro)
        }
        let (recipients, submitter) = try await api.followupRecipients(
            current, isPublic: input.isPublic ?? false, comment: comment, status: requestedStatus != oldStatus ? requestedStatus : nil)
        articleAttributes[Attribute.emailRecipients] = DjangoMail.json(recipients)
        var draft = ArticleDraft(
            subject: title, body: comment, senderType: .name("agent"), channel: .name("Internal"),
            isVisibleForCustomer: input.isPublic ?? false, contentType: "text/plain; charset=utf-8", timeUnit: timeUnit,
            attachments: input.files.map(DjangoAttachments.draft),
            faceID: FaceIDAllocation(face: DjangoAPI.face, kind: DjangoMapping.Kind.followup),
            faceAttributes: FaceAttributes(face: DjangoAPI.face, values: articleAttributes))
        DjangoMail.address(&draft, recipients: recipients, submitter: submitter)
        update.articles = [draft]
        let result = try await services.tickets.update(ticketID: ticketID, update, by: api.principal)
        let known = input.ticketNumber.map { [ticketID: $0] } ?? [:]
        return api.json(
            .created, try await render(articleID: result.articleIDs[0], ticketID: ticketID, knownIDs: known, allocated: result.faceIDs))
    }

    /// One follow-up as `FollowUp`, read with its ticket (not the ticket's other follow-ups, nor
    /// its custom fields); `knownIDs` and `allocated` as for `DjangoAPI.serializers`.
    func render(articleID: Int, ticketID: Int, knownIDs: [Int: Int] = [:], allocated: [ExternalID] = []) async throws -> JSONValue {
        var options = DjangoAPI.readOptions
        options.articleIDs = [articleID]
        options.dynamicFields = false
        let details = try await services.tickets.get(ticketIDs: [ticketID], options: options, by: api.principal)
        let serializers = try await api.serializers(for: details, knownIDs: knownIDs, allocated: allocated)
        guard let ticket = details.first, let article = ticket.articles.first(where: { $0.id == articleID }) else { return .null }
        return serializers.followup(article, details: ticket)
    }

    /// The SwiftDesk article and ticket behind a follow-up id shown to this caller.
    func locate(_ pk: String) async throws -> (article: Int, ticket: Int)? {
        guard let number = DRF.pythonInt(pk), let article = try await api.ids.core(DjangoMapping.Kind.followup, number),
            let ticket = try await services.tickets.ticketID(ofArticle: article, by: api.principal),
            try await api.coreTicket(String(try await api.ids.id(DjangoMapping.Kind.ticket, core: ticket))) != nil
        else { return nil }
        return (article, ticket)
    }

    func notFound(_ pk: String) -> Response {
        DRF.pythonInt(pk) == nil ? api.detail(.notFound, "Not found.") : api.notFound("FollowUp")
    }

    func retrieve(_ pk: String) async throws -> Response {
        guard let found = try await locate(pk) else { return notFound(pk) }
        return api.json(.ok, try await render(articleID: found.article, ticketID: found.ticket))
    }

    func update(_ pk: String, _ body: DjangoBody, partial: Bool) async throws -> Response {
        guard let found = try await locate(pk) else { return notFound(pk) }
        let input: Input
        switch try await read(body, partial: partial, creating: false) {
        case .failure(let errors): return api.json(.badRequest, errors.json)
        case .success(let read): input = read
        }
        var attributes: [String: String?] = [:]
        // `.some(nil)` removes a stored attribute; assigning plain nil would drop the key instead.
        if let title = input.title { attributes[Attribute.nullTitle] = .some(title == nil ? "1" : nil) }
        if let comment = input.comment { attributes[Attribute.nullComment] = .some(comment == nil ? "1" : nil) }
        if let status = input.newStatus { attributes[Attribute.newStatus] = .some(status.map(String.init)) }
        if let time = input.timeSpent { attributes[Attribute.timeSpent] = .some(time.map(DRF.durationText)) }
        try await services.tickets.updateArticle(
            articleID: found.article, subject: input.title.map { $0 ?? "" }, body: input.comment.map { $0 ?? "" },
            isVisibleForCustomer: input.isPublic,
            faceAttributes: attributes.isEmpty ? nil : FaceAttributes(face: DjangoAPI.face, values: attributes), by: api.principal)
        return api.json(.ok, try await render(articleID: found.article, ticketID: found.ticket))
    }

    func destroy(_ pk: String) async throws -> Response {
        guard let found = try await locate(pk) else { return notFound(pk) }
        try await services.tickets.deleteArticle(articleID: found.article, by: api.principal)
        return DjangoWire.noContent(api.headers)
    }

    /// All follow-ups, oldest first.
    func list(path: String) async throws -> Response {
        let first = try await services.tickets.articlePage(queueIDs: mapping.coreQueueIDs, offset: 0, limit: 1, by: api.principal)
        guard let page = api.page(count: first.total) else { return api.detail(.notFound, "Invalid page.") }
        let slice = try await services.tickets.articlePage(
            queueIDs: mapping.coreQueueIDs, offset: (page.number - 1) * page.size, limit: page.size, by: api.principal)
        let ticketIDs = Array(Set(slice.ids.map(\.ticket))).sorted()
        var options = DjangoAPI.readOptions
        options.articleIDs = slice.ids.map(\.article)
        let details = ticketIDs.isEmpty ? [] : try await services.tickets.get(ticketIDs: ticketIDs, options: options, by: api.principal)
        let serializers = try await api.serializers(for: details)
        let byTicket = Dictionary(uniqueKeysWithValues: details.map { ($0.ticket.id, $0) })
        let results: [JSONValue] = slice.ids.compactMap { entry in
            guard let ticket = byTicket[entry.ticket], let article = ticket.articles.first(where: { $0.id == entry.article }) else {
                return nil
            }
            return serializers.followup(article, details: ticket)
        }
        return api.json(.ok, api.paginated(results, count: slice.total, page: page, path: path))
    }
}
