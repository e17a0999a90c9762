import DeskCore
import DeskFaceKit
import Foundation
import Hummingbird

/// Attachments: django-helpdesk's allowed extensions (`helpdesk/validators.py`) and
/// `/api/followups-attachments/` (`FollowUpAttachmentViewSet`).
struct DjangoAttachments {
    let api: DjangoAPI

    /// `HELPDESK_VALID_EXTENSIONS` of a default install; a name without extension is allowed.
    static let allowedExtensions: Set<String> = [".txt", ".asc", ".pdf", ".doc", ".docx", ".odt", ".jpg", ".png", ".eml"]

    /// `Unsupported file extension: .html`, or nil for an allowed name.
    static func extensionProblem(_ filename: String) -> String? {
        let name = (filename as NSString).lastPathComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[dot...].lowercased()
        guard ext != ".", !allowedExtensions.contains(ext) else { return nil }
        return "Unsupported file extension: \(ext)"
    }

    /// An uploaded file: its part's type, or when the client sent none (Python's `requests` sends
    /// none unless told), the type Python guesses from the name, as `helpdesk/lib.py` does.
    static func draft(_ part: MultipartForm.Part) -> AttachmentDraft {
        let filename = String((part.filename ?? "file").prefix(250))
        let sent = part.contentType?.split(separator: ";").first.map { $0.trimmingSpaces } ?? ""
        return AttachmentDraft(filename: filename, contentType: sent.isEmpty ? guessedType(filename) : sent, content: part.body)
    }

    static func guessedType(_ filename: String) -> String {
        PythonMimeTypes.guess(filename) ?? "application/octet-stream"
    }

    var services: DeskServices { api.services }

    func notFound(_ pk: String) -> Response {
        DRF.pythonInt(pk) == nil ? api.detail(.notFound, "Not found.") : api.notFound("FollowUpAttachment")
    }

    typealias Location = (attachment: Int, article: Int, ticket: Int)

    /// The attachments shown to this caller, rendered, in the order given (tickets read once).
    func render(_ locations: [Location]) async throws -> [JSONValue] {
        let ticketIDs = Array(Set(locations.map(\.ticket)))
        let details = try await services.tickets.get(ticketIDs: ticketIDs, options: DjangoAPI.readOptions, by: api.principal)
        let serializers = try await api.serializers(for: details)
        let byTicket = Dictionary(details.map { ($0.ticket.id, $0) }, uniquingKeysWith: { first, _ in first })
        return locations.compactMap { location in
            guard let ticket = byTicket[location.ticket],
                let file = ticket.attachments[location.article]?.first(where: { $0.id == location.attachment })
            else { return nil }
            let followup = serializers.followupIDs[location.article] ?? DjangoIDs.foreign + location.article
            return serializers.attachment(file, followup: followup, details: ticket)
        }
    }

    func render(_ attachmentID: Int, article: Int, ticket: Int) async throws -> JSONValue? {
        try await render([(attachment: attachmentID, article: article, ticket: ticket)]).first
    }

    func locate(_ pk: String) async throws -> (article: Int, ticket: Int)? {
        guard let id = DRF.pythonInt(pk), let found = try await services.tickets.location(ofAttachment: id, by: api.principal),
            try await api.coreTicket(String(try await api.ids.id(DjangoMapping.Kind.ticket, core: found.ticket))) != nil
        else { return nil }
        return (article: found.article, ticket: found.ticket)
    }

    func retrieve(_ pk: String) async throws -> Response {
        guard let found = try await locate(pk), let id = DRF.pythonInt(pk),
            let record = try await render(id, article: found.article, ticket: found.ticket)
        else { return notFound(pk) }
        return api.json(.ok, record)
    }

    func list(path: String) async throws -> Response {
        let queues = api.mapping.coreQueueIDs
        let first = try await services.tickets.attachmentPage(queueIDs: queues, offset: 0, limit: 1, by: api.principal)
        guard let page = api.page(count: first.total) else { return api.detail(.notFound, "Invalid page.") }
        let slice = try await services.tickets.attachmentPage(
            queueIDs: queues, offset: (page.number - 1) * page.size, limit: page.size, by: api.principal)
        let results = try await render(slice.ids.map { (attachment: $0.attachment, article: $0.article, ticket: $0.ticket) })
        return api.json(.ok, api.paginated(results, count: slice.total, page: page, path: path))
    }

    /// POST: multipart `followup` and `file`.
    func create(_ body: DjangoBody) async throws -> Response {
        var errors = DRF.Errors()
        let data = body.members
        var articleID: Int?
        if let raw = data["followup"] {
            switch DRF.primaryKey(raw) {
            case .failure(let error): errors.add("followup", error.message)
            case .success(let id):
                if let found = try await DjangoFollowups(api: api).locate(String(id)) {
                    articleID = found.article
                } else {
                    errors.add("followup", DRF.missingObject(raw))
                }
            }
        } else {
            errors.add("followup", DRF.required)
        }
        let file = body.files["file"]?.last
        if file == nil {
            errors.add(
                "file",
                data["file"] == nil ? "No file was submitted." : "The submitted data was not a file. Check the encoding type on the form.")
        } else if file?.body.isEmpty == true {
            errors.add("file", "The submitted file is empty.")
        } else if let problem = Self.extensionProblem(file?.filename ?? "") {
            errors.add("file", problem)
        }
        // The model's other fields, as the ModelSerializer checks them (a form's "" is not sent).
        var texts: [String: String] = [:]
        for (key, maxLength) in [("filename", 1_000), ("mime_type", 255)] {
            guard let raw = data[key], !(body.isForm && raw == .string("")) else { continue }
            switch DRF.string(raw, maxLength: maxLength, allowBlank: true, allowNull: false) {
            case .failure(let error): errors.add(key, error.message)
            case .success(let text): texts[key] = text ?? ""
            }
        }
        if let raw = data["size"], !(body.isForm && raw == .string("")), case .failure(let error) = DRF.integer(raw) {
            errors.add("size", error.message)
        }
        guard errors.isEmpty, let articleID, let file else { return api.json(.badRequest, errors.json) }
        var draft = Self.draft(file)
        if let name = texts["filename"], !name.isEmpty {
            // Deviation: the stored name is checked too, so a renamed upload cannot bring in a new extension.
            if let problem = Self.extensionProblem(name) {
                var errors = DRF.Errors()
                errors.add("filename", problem)
                return api.json(.badRequest, errors.json)
            }
            draft.filename = String(name.prefix(250))
        }
        // The serializer saves `mime_type` as sent; the model guesses it from the name when it is
        // empty (`FollowUpAttachment.save`): the part's own type is not used here. A `size` given
        // is checked but not kept: SwiftDesk shows the file's real size.
        let type = texts["mime_type"] ?? ""
        draft.contentType = type.isEmpty ? Self.guessedType(draft.filename) : type
        let id = try await services.tickets.addAttachment(articleID: articleID, draft, by: api.principal)
        guard let ticket = try await services.tickets.ticketID(ofArticle: articleID, by: api.principal),
            let record = try await render(id, article: articleID, ticket: ticket)
        else { return api.notFound("FollowUpAttachment") }
        return api.json(.created, record)
    }

    func destroy(_ pk: String) async throws -> Response {
        guard try await locate(pk) != nil, let id = DRF.pythonInt(pk) else { return notFound(pk) }
        try await services.tickets.deleteAttachment(id: id, by: api.principal)
        return DjangoWire.noContent(api.headers)
    }
}
