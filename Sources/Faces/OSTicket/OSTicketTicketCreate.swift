import DeskCore
import DeskFaceKit
import Foundation

/// `Ticket::create` as the API reaches it (`include/class.ticket.php`): the origin check, the
/// due date, the client, the Ticket Details form, then the ticket with its first message. The
/// face checks what osTicket's forms check (required fields, the origin, the formula guard);
/// the core decides the rest (the client's address, references, permissions) and its answer is
/// worded here. Errors come in osTicket's order and wording, every problem at once.
struct OSTicketTicketCreate {
    let services: DeskServices
    let mapping: OSTicketMapping
    let principal: Principal
    let now: Int64

    /// How the ticket arrived: through the JSON/XML API, or as a mail piped to the e-mail route.
    enum Arrival {
        case api
        case mail(MailDetails)
    }

    /// What a piped mail adds to its first article.
    struct MailDetails {
        var from: String
        var to: String
        var cc: String
        var messageID: String
        var inReplyTo: String
        var references: String

        /// Puts the mail's addresses and ids on its article.
        func fill(_ article: inout ArticleDraft) {
            article.from = from
            article.to = to
            article.cc = cc
            article.messageID = messageID
            article.inReplyTo = inReplyTo
            article.references = references
        }
    }

    static let invalidData = "Missing or invalid data — Correct any errors below and try again"

    /// The ticket number of the new ticket, or osTicket's error answer.
    func run(_ submission: OSTicketSubmission, arrival: Arrival = .api) async throws -> Result<String, OSTicketWire.Failure> {
        let fields = submission.fields
        let source: String
        if case .mail = arrival { source = "Email" } else { source = fields["source"] ?? "API" }
        var errors: [(String, String)] = []
        var validateForms = true
        // `Validator::process`: an `int` field must be there and `is_numeric`; an id that names no
        // system e-mail or topic is simply not used later.
        let numeric = { (key: String) in fields[key].map(OSTicketExtension.isNumeric) ?? false }
        switch source.lowercased() {
        case "api": break
        case "email":
            validateForms = false
            if case .api = arrival, !numeric("emailId") { errors = [("emailId", "Unknown system email"), ("err", Self.invalidData)] }
        case "web":
            if !numeric("topicId") { errors = [("topicId", "Select a Help Topic"), ("err", Self.invalidData)] }
        case "staff":
            if !numeric("topicId") { errors = [("topicId", "Help topic selection is required"), ("err", Self.invalidData)] }
        default:
            // No fields to check for an unknown origin; the due date and the ticket form still are.
            errors = [("origin", "Invalid ticket origin given"), ("err", "No fields set up")]
        }
        // `if ($vars['duedate'])`: "0" is no due date either.
        if let due = fields["duedate"], !due.isEmpty, due != "0" {
            if let time = OSTicketTime.parse(due) {
                if time <= now { errors.append(("duedate", "Due date must be in the future")) }
            } else {
                errors.append(("duedate", "Invalid due date"))
            }
        }
        let title = Self.plainText(fields["subject"] ?? "")
        var formErrors: [(String, String)] = []
        let missing = missingRequiredFields(fields)
        if validateForms {
            let subjectID = fieldID("subject", default: 20)
            if title.isEmpty {
                formErrors.append((subjectID, "Issue Summary is a required field"))
            } else if Self.looksLikeFormula(title) {
                formErrors.append((subjectID, "Content cannot start with the following characters: = - + @"))
            }
            if submission.message == nil { formErrors.append((fieldID("message", default: 21), "Issue Details is a required field")) }
            formErrors += missing.ticket
            // The topic's forms are checked only when the origin and the due date passed; their
            // errors come in by `array_merge`, which renumbers every numeric key from 0.
            if errors.isEmpty && !missing.topic.isEmpty {
                formErrors = (formErrors + missing.topic).enumerated().map { (String($0.offset), $0.element.1) }
            }
        }
        var request = ticketRequest(submission, title: title.isEmpty ? "[No Subject]" : title, source: source, arrival: arrival)
        if !errors.isEmpty || !formErrors.isEmpty {
            // The client is checked only when the origin and the due date passed, and comes
            // before the form in osTicket's list: ask the core about it.
            var userErrors: [(String, String)] = []
            if errors.isEmpty {
                if try await refusesClient(fields, checked: validateForms, incomplete: missing.contact) {
                    userErrors = [("user", "Incomplete client information")]
                } else {
                    do {
                        try await services.tickets.checkCreate(request, by: principal)
                    } catch DeskError.invalid(.customerUser, _) {
                        userErrors = [("user", "Incomplete client information")]
                    } catch {}
                }
            }
            return .failure(Self.failure(errors + userErrors + formErrors))
        }
        if try await refusesClient(fields, checked: validateForms, incomplete: missing.contact) {
            return .failure(Self.failure([("user", "Incomplete client information")]))
        }
        // Custom fields are lenient in osTicket: a value the field cannot take is left out.
        while true {
            do {
                let created = try await services.tickets.create(request, by: principal)
                return .success(created.ticketNumber)
            } catch DeskError.invalid(.dynamicField(_, let name), _) where request.dynamicFields.contains(where: { $0.name == name }) {
                request.dynamicFields.removeAll { $0.name == name }
            }
        }
    }

    /// Required custom fields the request leaves empty, by form: whether the contact form misses
    /// one (it fails as `user`), and the ticket form's and the topic's forms' as
    /// `<Label> is a required field` by field id.
    func missingRequiredFields(_ fields: [String: String]) -> (contact: Bool, ticket: [(String, String)], topic: [(String, String)]) {
        let directory = mapping.directory
        let topic = Self.topicID(fields["topicId"]).flatMap { directory.topic($0) }.flatMap { $0.isActive ? $0 : nil }
        let formType = Dictionary(directory.forms.map { ($0.id, $0.type) }) { first, _ in first }
        let missing = directory.customFields(topic: topic).values.sorted(by: { $0.id < $1.id })
            .filter { $0.isRequired && (fields[$0.name] ?? "").trimmingSpaces.isEmpty }
        func errors(_ type: (String?) -> Bool) -> [(String, String)] {
            missing.filter { type(formType[$0.formID]) }.map { (String($0.id), "\($0.label) is a required field") }
        }
        return (
            missing.contains { formType[$0.formID] == "U" }, errors { $0 == "T" }, errors { $0 != "U" && $0 != "T" }
        )
    }

    /// `Unable to create new ticket :` and the `key\nmessage` pairs (`Format::array_implode`).
    static func failure(_ errors: [(String, String)]) -> OSTicketWire.Failure {
        .init(500, "Unable to create new ticket :" + errors.map { "\($0.0)\n\($0.1)" }.joined(separator: "\n"))
    }

    /// The id of a Ticket Details field by its variable name (osTicket keys form errors by id).
    func fieldID(_ name: String, default id: Int) -> String {
        let ticketForms = Set(mapping.directory.forms.filter { $0.type == "T" }.map(\.id))
        return String(mapping.directory.fields.first { $0.name == name && ticketForms.contains($0.formID) }?.id ?? id)
    }

    /// The core's request for a submission that passed the form checks.
    func ticketRequest(_ submission: OSTicketSubmission, title: String, source: String, arrival: Arrival) -> TicketCreateRequest {
        let fields = submission.fields
        let directory = mapping.directory
        let topic = Self.topicID(fields["topicId"]).flatMap { directory.topic($0) }.flatMap { $0.isActive ? $0 : nil }
        let departmentID =
            topic.map { $0.departmentID != 0 ? $0.departmentID : directory.defaultDepartmentID } ?? directory.defaultDepartmentID
        var priorityID = topic.map(\.priorityID).flatMap { $0 != 0 ? $0 : nil } ?? directory.defaultPriorityID
        for key in ["priority", "priorityId"] {
            if let id = Int(fields[key] ?? ""), directory.priority(id) != nil { priorityID = id }
        }
        let statusID = topic.map(\.statusID).flatMap { $0 != 0 ? $0 : nil } ?? directory.defaultStatusID
        let email = (fields["email"] ?? "").trimmingSpaces
        let (first, last) = Self.splitName(OSTicketUserName.forNewUser(fields["name"], email: email))
        let message = submission.message ?? .init(text: "", isHTML: false)
        // The thread entry's title is cut at 255 characters, as osTicket cuts it.
        var article = ArticleDraft(
            subject: String(title.prefix(255)), body: message.text, senderType: .name("customer"),
            channel: .name(source.lowercased() == "email" ? "Email" : "Internal"), isVisibleForCustomer: true,
            contentType: message.isHTML ? "text/html; charset=utf-8" : "text/plain; charset=utf-8", attachments: submission.attachments,
            notifications: submission.alert ? ArticleNotifications() : ArticleNotifications(none: true))
        if case .mail(let mail) = arrival {
            mail.fill(&article)
            article.label = "EmailCustomer"
        } else {
            article.label = "WebRequestCustomer"
            article.note = "%%" + "osTicket API (\(Self.ucfirst(source)))"
        }
        var request = TicketCreateRequest(
            title: String(title.prefix(255)), queue: mapping.queueID(department: departmentID).map(Ref.id),
            state: mapping.stateID(status: statusID).map(Ref.id) ?? .name("open"),
            priority: mapping.priorityID(priorityID).map(Ref.id) ?? .name("3 normal"),
            service: topic.flatMap { mapping.serviceID(topic: $0.id) }.map(Ref.id),
            owner: topic.flatMap { $0.staffID != 0 ? mapping.agentID(staff: $0.staffID) : nil }.map(Ref.id),
            articles: [article] + submission.droppedAttachments.map(Self.importErrorNote),
            dynamicFields: customFields(fields, topic: topic),
            registration: CustomerRegistration(
                email: email, firstName: first, lastName: last,
                phone: OSTicketTicketView.parsedPhone(fields["phone"] ?? ""),
                comment: fields["notes"] ?? ""))
        // A help topic is open to every user.
        request.serviceOfAnyCustomer = true
        return request
    }

    /// The internal note osTicket's `ThreadEntry::normalizeFileInfo` adds for a file it could not
    /// store, posted by `SYSTEM` without alerts. (osTicket writes it before the message; here it
    /// follows the message, which stays the ticket's first article.)
    static func importErrorNote(_ file: OSTicketSubmission.DroppedFile) -> ArticleDraft {
        ArticleDraft(
            subject: "File Import Error", body: file.noteText, senderType: .name("system"), channel: .name("Internal"),
            isVisibleForCustomer: false, contentType: "text/plain; charset=utf-8", notifications: ArticleNotifications(none: true),
            label: "AddNote", note: "%%File Import Error")
    }

    /// Values of the custom fields the topic and the standard forms define, converted to what the
    /// dynamic field stores; values osTicket would not accept are left out (it ignores them).
    func customFields(_ fields: [String: String], topic: OSTicketDirectory.Topic?) -> [DynamicFieldInput] {
        var inputs: [DynamicFieldInput] = []
        for (name, field) in mapping.directory.customFields(topic: topic).sorted(by: { $0.key < $1.key }) {
            guard let raw = fields[name], !raw.isEmpty, let dynamicField = mapping.dynamicField(ofField: field.id) else { continue }
            let value: String?
            switch field.type {
            case "choices": value = field.choices[raw] != nil ? raw : field.choices.first { $0.value == raw }?.key
            // `BooleanField::to_database`: PHP truthiness (only "0" is false here; "" never gets this far).
            case "bool": value = raw == "0" ? "0" : "1"
            case "datetime": value = OSTicketTime.parse(raw).map { CivilDate(unixSeconds: $0).timestampString }
            default: value = raw
            }
            if let value { inputs.append(DynamicFieldInput(name: dynamicField, value: value)) }
        }
        return inputs
    }

    /// Whether the contact form refuses the client: a name that looks like a spreadsheet formula,
    /// or a required field of the form left empty (`incomplete`). osTicket validates that form
    /// only for a client it does not know yet, and never for mail (`$field_filter`).
    func refusesClient(_ fields: [String: String], checked: Bool, incomplete: Bool) async throws -> Bool {
        guard checked, incomplete || Self.looksLikeFormula(fields["name"] ?? "") else { return false }
        let email = (fields["email"] ?? "").trimmingSpaces
        guard !email.isEmpty else { return true }
        return try await services.directory.customerUsers(email: email, by: principal).isEmpty
    }

    /// `Jo Doe` → ("Jo", "Doe"); `Jo` → ("Jo", ""). The core keeps 100 characters of each part:
    /// a longer name (osTicket keeps 128) is split at the last space that leaves both parts
    /// within that, else cut to 100.
    static func splitName(_ name: String) -> (String, String) {
        let trimmed = name.trimmingSpaces
        let limit = 100
        let spaces = trimmed.indices.filter { trimmed[$0] == " " }.reversed()
        for space in spaces {
            let first = String(trimmed[..<space]).trimmingSpaces
            let last = String(trimmed[trimmed.index(after: space)...])
            if trimmed.count <= limit || (first.count <= limit && last.count <= limit) { return (first, last) }
        }
        return (String(trimmed.prefix(limit)).trimmingSpaces, "")
    }

    /// The subject as osTicket keeps it (`Format::striptags`): HTML entities decoded, then PHP's
    /// `strip_tags`, trimmed.
    static func plainText(_ text: String) -> String {
        PHPStripTags.strip(HTMLEntities.decode(text)).trimmingSpaces
    }

    /// osTicket's guard against spreadsheet formulas: `=`, `-`, `+`, `@` at the start, except a
    /// `+` followed by digits only (a phone number).
    static func looksLikeFormula(_ text: String) -> Bool {
        guard let first = text.first, "=-+@".contains(first) else { return false }
        if first == "+" { return !text.dropFirst().allSatisfy(\.isNumber) || text.count == 1 }
        return true
    }

    /// `topicId` as osTicket reads it: `is_numeric`, then `(int)` (`"1.0"` is topic 1).
    static func topicID(_ text: String?) -> Int? {
        guard let text, OSTicketExtension.isNumeric(text) else { return nil }
        return Int(text.trimmingSpaces) ?? Double(text.trimmingSpaces).flatMap { $0.isFinite ? Int(exactly: $0.rounded(.towardZero)) : nil }
    }

    static func ucfirst(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}

/// Times as osTicket's API takes them (a subset of PHP's `strtotime`): epoch seconds, or
/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` and `YYYY-MM-DDTHH:MM[:SS][Z]`, in UTC.
enum OSTicketTime {
    static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isNumber) { return Int64(trimmed) }
        var normalized = trimmed.replacingOccurrences(of: "T", with: " ")
        if normalized.hasSuffix("Z") { normalized.removeLast() }
        if normalized.count == 10 { normalized += " 00:00:00" }
        if normalized.count == 16 { normalized += ":00" }
        return CivilDate(timestamp: normalized)?.unixSeconds
    }
}
