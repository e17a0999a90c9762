import DeskCore
import DeskFaceKit
import Foundation

/// django-helpdesk's serializers (`helpdesk/serializers.py`) over SwiftDesk tickets: the keys in
/// their declaration order, custom fields last.
struct DjangoSerializers {
    let mapping: DjangoMapping
    /// `http://<Host>`: DRF builds absolute URLs from the request's Host header.
    let origin: String
    /// django-helpdesk ids of the tickets, articles and users involved.
    var ticketIDs: [Int: Int] = [:]
    var followupIDs: [Int: Int] = [:]
    var agentIDs: [Int: Int] = [:]
    /// Customer users of the tickets, by login.
    var customers: [String: CustomerUser] = [:]
    /// django-helpdesk ids of tickets that are gone (a `merged_to` naming one reads null).
    var goneTickets: Set<Int> = []
    /// The django-helpdesk id of the ticket each merged ticket (by SwiftDesk id) was merged into
    /// by another face, for tickets without a `merged_to` of their own.
    var mergeTargets: [Int: Int] = [:]

    /// Face attribute keys.
    enum Attribute {
        static let description = "description"
        static let resolution = "resolution"
        static let dueDate = "due_date"
        static let mergedTo = "merged_to"
        static let secretKey = "secret_key"
        /// Kept apart from the lock: a closed ticket is unlocked, but may stay on hold.
        static let onHold = "on_hold"
        /// The address as the caller wrote it (`Cust@Example.com` for customer `cust@example.com`),
        /// or "" once cleared.
        static let submitterEmail = "submitter_email"
        static let newStatus = "new_status"
        static let timeSpent = "time_spent"
        static let emailRecipients = "email_recipients"
        /// Set on follow-ups this face mailed: their Message-ID is the outgoing one, which
        /// django-helpdesk does not show (its `message_id` is an incoming mail's).
        static let mailed = "mailed"
        /// The django-helpdesk user who wrote a follow-up, when that is not the article's agent
        /// (a non-staff user's follow-up).
        static let user = "user"
        /// A follow-up whose title or comment is null (imported data).
        static let nullTitle = "title_null"
        static let nullComment = "comment_null"
    }

    func ticket(_ details: TicketDetails) -> JSONValue {
        let t = details.ticket
        let attributes = details.ticketAttributes
        var members: [JSONMember] = [
            .init(key: "id", value: .int(ticketIDs[t.id] ?? DjangoIDs.foreign + t.id)),
            .init(key: "queue", value: mapping.queueFromCore[t.queueID].map(JSONValue.int) ?? .null),
            .init(key: "title", value: .string(t.title)),
            .init(key: "description", value: description(details)),
            .init(key: "resolution", value: attributes[Attribute.resolution].map(JSONValue.string) ?? .null),
            .init(key: "submitter_email", value: .string(submitterEmail(details))),
            .init(key: "assigned_to", value: assignee(t).map(JSONValue.int) ?? .null),
            .init(key: "status", value: .int(mapping.status(ofState: t.stateID))),
            .init(key: "on_hold", value: .bool(onHold(details))),
            .init(key: "priority", value: .int(mapping.priority(ofCore: t.priorityID))),
            .init(key: "due_date", value: attributes[Attribute.dueDate].map(JSONValue.string) ?? .null),
            .init(
                key: "merged_to",
                value: (attributes[Attribute.mergedTo].flatMap { Int($0) } ?? mergeTargets[t.id]).flatMap {
                    goneTickets.contains($0) ? nil : .int($0)
                } ?? .null),
            // `FollowUp.Meta.ordering` is the date (imported or back-dated follow-ups can precede others).
            .init(
                key: "followup_set",
                value: .array(
                    details.articles.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map { followup($0, details: details) })),
        ]
        members += customFields(details, publicOnly: false)
        return .orderedObject(members)
    }

    /// `on_hold` as last set through this face; for other tickets, whether they are locked.
    func onHold(_ details: TicketDetails) -> Bool {
        details.ticketAttributes[Attribute.onHold].map { $0 == "1" } ?? (details.ticket.lockID == LockID.lock)
    }

    /// `description`: as created or changed through the API, else (a ticket of another face) the
    /// opening article's body.
    func description(_ details: TicketDetails) -> JSONValue {
        if let text = details.ticketAttributes[Attribute.description] { return .string(text) }
        return details.articles.first.map { .string($0.body) } ?? .null
    }

    /// The ticket's customer's address, as this face was last given it: in the case it was
    /// written, or "" once cleared (django-helpdesk keeps the field as sent; SwiftDesk keeps the
    /// customer). An address given for another customer than the ticket's now is not shown.
    func submitterEmail(_ details: TicketDetails) -> String {
        guard let login = details.ticket.customerUserID else { return "" }
        return Self.submitterEmail(sent: details.ticketAttributes[Attribute.submitterEmail], customer: customers[login]?.email ?? login)
    }

    /// The rule of `submitterEmail`: the address as sent while it names the ticket's customer
    /// (`customer`, its address or login), `""` once cleared, else the customer's.
    static func submitterEmail(sent: String?, customer: String) -> String {
        if sent == "" { return "" }
        if let sent, sent.lowercased() == customer.lowercased() { return sent }
        return customer
    }

    /// The owner's django-helpdesk id, nil when the ticket is unassigned.
    func assignee(_ ticket: Ticket) -> Int? {
        ticket.assignedOwnerID.map { agentIDs[$0] ?? DjangoIDs.foreign + $0 }
    }

    /// The follow-up's `user`: the customer user kept with it, else its agent's id.
    func userID(of article: Article, attributes: [String: String]) -> Int {
        attributes[Attribute.user].flatMap { Int($0) } ?? agentIDs[article.createdBy] ?? DjangoIDs.foreign + article.createdBy
    }

    /// Time units (minutes) as DRF writes a `DurationField`, held within ±9·10¹² seconds so the
    /// microseconds fit an Int64 (units pile up per article without a bound).
    static func duration(minutes: Double) -> String {
        let seconds = min(max((minutes * 60).rounded(), -9e12), 9e12)
        return DRF.durationText(Int64(seconds) * 1_000_000)
    }

    func followup(_ article: Article, details: TicketDetails) -> JSONValue {
        let attributes = details.articleAttributes[article.id] ?? [:]
        let id = followupIDs[article.id] ?? DjangoIDs.foreign + article.id
        let timeSpent =
            attributes[Attribute.timeSpent].map(JSONValue.string)
            ?? details.articleTimeUnits[article.id].map { .string(Self.duration(minutes: $0)) } ?? .null
        // `FollowUpAttachment.Meta.ordering` is the file name (Python compares code points).
        let files = (details.attachments[article.id] ?? []).sorted {
            $0.filename == $1.filename ? $0.id < $1.id : $0.filename.unicodeScalars.lexicographicallyPrecedes($1.filename.unicodeScalars)
        }
        let names = Self.storedNames(files)
        let recipients: JSONValue =
            attributes[Attribute.emailRecipients].flatMap { try? JSONParser.parse(Array($0.utf8)) } ?? .array([])
        return .ordered([
            "id": .int(id),
            "ticket": .int(ticketIDs[details.ticket.id] ?? DjangoIDs.foreign + details.ticket.id),
            "user": attributes[Attribute.user] == "" ? .null : .int(userID(of: article, attributes: attributes)),
            "title": attributes[Attribute.nullTitle] != nil ? .null : .string(article.subject),
            "comment": attributes[Attribute.nullComment] != nil ? .null : .string(article.body),
            "public": .bool(article.isVisibleForCustomer),
            "new_status": attributes[Attribute.newStatus].flatMap { Int($0) }.map(JSONValue.int) ?? .null,
            "time_spent": timeSpent,
            "followupattachment_set": .array(files.map { attachment($0, followup: id, details: details, storedName: names[$0.id]) }),
            "date": .string(DRF.isoTime(article.createdAt)),
            "message_id": article.messageID.isEmpty || attributes[Attribute.mailed] != nil ? .null : .string(article.messageID),
            "email_recipients": recipients,
        ])
    }

    /// One `FollowUpAttachment`; `storedName` saves working out the follow-up's stored names again.
    func attachment(_ file: Attachment, followup: Int, details: TicketDetails, storedName: String? = nil) -> JSONValue {
        let name =
            storedName ?? Self.storedNames(details.attachments[file.articleID] ?? [file])[file.id] ?? Self.validFilename(file.filename)
        return .ordered([
            "id": .int(file.id),
            "followup": .int(followup),
            "file": .string(fileURL(name, followup: followup, details: details)),
            "filename": .string(file.filename),
            "mime_type": .string(file.contentType.split(separator: ";").first.map(String.init) ?? file.contentType),
            "size": .int(file.size),
        ])
    }

    /// `http://host/media/helpdesk/attachments/<slug>-<ticket>-<secret>/<followup>/<name>`, the
    /// path django-helpdesk stores files under (served by SwiftDesk at that path).
    func fileURL(_ name: String, followup: Int, details: TicketDetails) -> String {
        let ticketID = ticketIDs[details.ticket.id] ?? DjangoIDs.foreign + details.ticket.id
        let queue = mapping.queueFromCore[details.ticket.queueID].map { mapping.queueSlug($0) } ?? "queue"
        let secret = details.ticketAttributes[Attribute.secretKey] ?? "0"
        let path = "helpdesk/attachments/\(queue)-\(ticketID)-\(secret)/\(followup)/\(name)"
        return origin + "/media/" + (path.addingPercentEncoding(withAllowedCharacters: Self.urlPath) ?? path)
    }

    /// The names files are stored under in one follow-up's folder: a name already taken gets
    /// `_` and 7 letters or digits before its extension, as Django's storage does (derived from the
    /// attachment's id, so the name is the same on every read).
    static func storedNames(_ files: [Attachment]) -> [Int: String] {
        guard !files.isEmpty else { return [:] }
        var taken: Set<String> = []
        var names: [Int: String] = [:]
        for file in files.sorted(by: { $0.id < $1.id }) {
            var name = validFilename(file.filename)
            if taken.contains(name) {
                var seed = UInt64(truncatingIfNeeded: file.id) &* 0x9E37_79B9_7F4A_7C15 ^ 0xD1B5_4A32_D192_ED03
                let suffix = String(
                    (0..<7).map { _ -> Character in
                        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                        return alphabet[Int(seed >> 33) % alphabet.count]
                    })
                let dot = name.lastIndex(of: ".") ?? name.endIndex
                name = name[..<dot] + "_" + suffix + name[dot...]
            }
            taken.insert(name)
            names[file.id] = name
        }
        return names
    }

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    static let urlPath: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~/")
        return set
    }()

    /// Django's `get_valid_filename`: spaces to `_`, anything but letters, digits, `-`, `_` and
    /// `.` dropped.
    static func validFilename(_ name: String) -> String {
        let spaced = name.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_")
        return String(spaced.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) })
    }

    /// `PublicTicketListingSerializer` (user_tickets).
    func publicTicket(_ details: TicketDetails, withCustomFields: Bool) -> JSONValue {
        let t = details.ticket
        let id = ticketIDs[t.id] ?? DjangoIDs.foreign + t.id
        let queueID = mapping.queueFromCore[t.queueID]
        let slug = queueID.map { mapping.queueSlug($0) } ?? ""
        var status = DjangoReference.statusName(mapping.status(ofState: t.stateID))
        if onHold(details) { status += " - On Hold" }
        var members: [JSONMember] = [
            .init(key: "ticket", value: .string("\(id) [\(slug)-\(id)]")),
            .init(key: "id", value: .int(id)),
            .init(key: "title", value: .string(t.title)),
            .init(
                key: "queue",
                value: .ordered(["title": .string(queueID.map { mapping.queueTitle($0) } ?? ""), "id": queueID.map(JSONValue.int) ?? .null])
            ),
            .init(key: "status", value: .string(status)),
            .init(key: "created", value: .string(DRF.isoTime(t.createdAt))),
            .init(key: "due_date", value: details.ticketAttributes[Attribute.dueDate].map(JSONValue.string) ?? .null),
            .init(key: "submitter", value: .string(submitterEmail(details))),
            .init(key: "kbitem", value: .string("")),
            .init(key: "secret_key", value: .string(details.ticketAttributes[Attribute.secretKey] ?? "")),
        ]
        if withCustomFields { members += customFields(details, publicOnly: true) }
        return .orderedObject(members)
    }

    /// `custom_<name>` values rendered by the field's data type.
    func customFields(_ details: TicketDetails, publicOnly: Bool) -> [JSONMember] {
        mapping.directory.orderedCustomFields.filter { !publicOnly || !$0.staffOnly }.map { field in
            let stored = mapping.catalog.dynamicFields[field.dynamicField].flatMap { details.dynamicFields[$0.id]?.first }
            return JSONMember(key: "custom_" + field.name, value: Self.customValue(stored, type: field.dataType))
        }
    }

    static func customValue(_ stored: String?, type: String) -> JSONValue {
        switch type {
        case "integer": return stored.flatMap { Int($0) }.map(JSONValue.int) ?? .null
        case "boolean": return .bool(stored == "True")
        case "date", "time", "datetime", "decimal": return stored.flatMap { $0.isEmpty ? nil : JSONValue.string($0) } ?? .null
        default: return .string(stored ?? "")
        }
    }
}
