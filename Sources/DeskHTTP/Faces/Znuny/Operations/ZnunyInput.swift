import Foundation
import DeskCore

/// Reading and validating the `Ticket`, `Article`, `DynamicField` and `Attachment` blocks shared
/// by TicketCreate and TicketUpdate, with Znuny's messages (prefixed by the operation name) and in
/// Znuny's order of checks. The core validates again; this layer exists to answer in Znuny's words.
struct ZnunyInput {
    /// `TicketCreate` or `TicketUpdate`.
    let operation: String
    let catalog: Catalog
    let reader: any StoreReader

    struct Failure: Error {
        let result: GIResult
    }

    func missing(_ message: String) -> Failure {
        Failure(result: .error(code: "\(operation).MissingParameter", message: "\(operation): \(message)"))
    }

    func invalid(_ message: String) -> Failure {
        Failure(result: .error(code: "\(operation).InvalidParameter", message: "\(operation): \(message)"))
    }

    /// A list parameter given as one object or an array of objects. Nil when absent.
    static func list(_ value: JSONValue?) -> [JSONValue]? {
        switch value {
        case .none, .some(.null): nil
        case .some(.array(let elements)): elements
        case .some(let single): [single]
        }
    }

    /// The scalar at `key`, trimmed as Znuny trims ticket fields; nil when absent or empty.
    static func text(_ object: [String: JSONValue], _ key: String) -> String? {
        guard let value = object[key]?.scalarString?.trimmingSpaces, !value.isEmpty else { return nil }
        return value
    }

    /// `Queue`/`QueueID`-style pairs: the id wins when both are given.
    static func ref(_ object: [String: JSONValue], _ name: String) -> Ref? {
        // A non-numeric id can never match: -1 is no row's id.
        if let id = text(object, name + "ID") { return .id(Int(id) ?? -1) }
        return text(object, name).map(Ref.name)
    }

    // MARK: Ticket fields

    func queue(_ ticket: [String: JSONValue], required: Bool) throws(Failure) -> Ref? {
        guard let ref = Self.ref(ticket, "Queue") else {
            if required { throw missing("Ticket->QueueID or Ticket->Queue parameter is required!") }
            return nil
        }
        guard let queue = catalog.queues[ref], queue.validity == .valid else { throw invalid("Ticket->QueueID or Ticket->Queue parameter is invalid!") }
        return .id(queue.id)
    }

    func lock(_ ticket: [String: JSONValue]) throws(Failure) -> Ref? {
        guard let ref = Self.ref(ticket, "Lock") else { return nil }
        guard let lock = catalog.locks[ref] else { throw invalid("Ticket->LockID or Ticket->Lock parameter is invalid!") }
        return .id(lock.id)
    }

    func type(_ ticket: [String: JSONValue], required: Bool) throws(Failure) -> Ref? {
        guard let ref = Self.ref(ticket, "Type") else {
            if required && catalog.settings.ticketTypeEnabled {
                throw missing("Ticket->TypeID or Ticket->Type parameter is required by sysconfig option!")
            }
            return nil
        }
        guard let type = catalog.ticketTypes[ref], type.isValid else { throw invalid("Ticket->TypeID or Ticket->Type parameter is invalid!") }
        return .id(type.id)
    }

    func service(_ ticket: [String: JSONValue]) throws(Failure) -> Ref? {
        guard let ref = Self.ref(ticket, "Service") else { return nil }
        guard let service = catalog.services[ref], service.validity == .valid else {
            throw invalid("Ticket->ServiceID or Ticket->Service parameter is invalid!")
        }
        return .id(service.id)
    }

    func sla(_ ticket: [String: JSONValue], serviceID: Int?) throws(Failure) -> Ref? {
        guard let ref = Self.ref(ticket, "SLA") else { return nil }
        guard let sla = catalog.slas[ref], sla.validity == .valid, let serviceID, sla.serviceIDs.contains(serviceID) else {
            throw invalid("Ticket->SLAID or Ticket->SLA parameter is invalid!")
        }
        return .id(sla.id)
    }

    func state(_ ticket: [String: JSONValue], required: Bool) throws(Failure) -> TicketState? {
        guard let ref = Self.ref(ticket, "State") else {
            if required { throw missing("Ticket->StateID or Ticket->State parameter is required!") }
            return nil
        }
        guard let state = catalog.states[ref], state.validity == .valid else { throw invalid("Ticket->StateID or Ticket->State parameter is invalid!") }
        return state
    }

    func priority(_ ticket: [String: JSONValue], required: Bool) throws(Failure) -> Ref? {
        guard let ref = Self.ref(ticket, "Priority") else {
            if required { throw missing("Ticket->PriorityID or Ticket->Priority parameter is required!") }
            return nil
        }
        guard let priority = catalog.priorities[ref], priority.isValid else { throw invalid("Ticket->PriorityID or Ticket->Priority parameter is invalid!") }
        return .id(priority.id)
    }

    func agent(_ ticket: [String: JSONValue], _ name: String) async throws -> Ref? {
        guard let ref = Self.ref(ticket, name) else { return nil }
        let agent: Agent? = switch ref {
        case .id(let id): try await reader.agent(id: id)
        case .name(let login): try await reader.agent(login: login)
        }
        guard let agent, agent.validity == .valid else { throw invalid("Ticket->\(name)ID or Ticket->\(name) parameter is invalid!") }
        return .id(agent.id)
    }

    /// `PendingTime`: `{Diff: minutes}` alone, or `{Year, Month, Day, Hour, Minute}` (UTC).
    func pendingTime(_ ticket: [String: JSONValue], now: Int64) throws(Failure) -> Int64? {
        guard let value = ticket["PendingTime"], value != .null else { return nil }
        let failure = invalid("Ticket->PendingTime parameter is invalid!")
        guard let object = value.objectValue else {
            if let text = value.scalarString, text.isEmpty { return nil }
            throw failure
        }
        if let diff = object["Diff"] {
            guard object.count == 1, let text = diff.scalarString, !text.isEmpty, text.allSatisfy(\.isNumber), let minutes = Int64(text) else { throw failure }
            return now + minutes * 60
        }
        var parts: [Int] = []
        for key in ["Year", "Month", "Day", "Hour", "Minute"] {
            guard let text = object[key]?.scalarString, !text.isEmpty, let number = Int(text), number >= 0 else { throw failure }
            parts.append(number)
        }
        guard let time = CivilDate(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]).unixSeconds else { throw failure }
        return time
    }

    func customerUser(_ ticket: [String: JSONValue], required: Bool) async throws -> String? {
        guard let login = Self.text(ticket, "CustomerUser") else {
            if required { throw missing("Ticket->CustomerUser parameter is missing!") }
            return nil
        }
        if try await reader.customerUser(login: login) == nil && !MailAddress.isValid(login) {
            throw invalid("Ticket->CustomerUser parameter is invalid!")
        }
        return login
    }

    // MARK: Articles

    /// Checks one article and turns it into a draft. `defaults` carries the operation's defaults;
    /// `agentIDs` are the valid agents, for the notification lists.
    func article(_ value: JSONValue, principal: Principal, defaults: ArticleDefaults, agentIDs: Set<Int>) throws(Failure) -> ArticleDraft {
        guard let article = value.objectValue else { throw invalid("Article parameter is not valid!") }
        guard let subject = Self.text(article, "Subject") else { throw missing("Article->Subject parameter is missing!") }
        guard let body = Self.text(article, "Body") else { throw missing("Article->Body parameter is missing!") }
        if let type = Self.text(article, "AutoResponseType"), catalog.autoResponseTypes[type] == nil {
            throw invalid("Article->AutoResponseType parameter is invalid!")
        }
        var channel: Ref = .name("Internal")
        if let ref = Self.ref(article, "CommunicationChannel") {
            guard let found = catalog.channels[ref], ["Email", "Phone", "Internal"].contains(found.name) else {
                throw invalid("Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!")
            }
            channel = .id(found.id)
        }
        var sender: Ref?
        if let ref = Self.ref(article, "SenderType") {
            guard let found = catalog.senderTypes[ref] else { throw invalid("Article->SenderTypeID or Ticket->SenderType parameter is invalid!") }
            sender = .id(found.id)
        }
        let from = Self.text(article, "From")
        if let from, !MailAddress.isValid(from) { throw invalid("Article->From parameter is invalid!") }
        if article["ArticleSend"]?.isPerlTrue == true {
            // Znuny answers this with TicketCreate's code and text even inside TicketUpdate (quirk).
            let recipients = (Self.text(article, "To") ?? "").split(separator: ",").map { String($0).trimmingSpaces }
            guard !recipients.isEmpty, recipients.allSatisfy(MailAddress.isValid) else {
                throw Failure(result: .error(code: "TicketCreate.InvalidParameter",
                                             message: "TicketCreate: Article->To parameter must be a valid email address when Article->ArticleSend is set!"))
            }
            channel = .name("Email")
        }
        var contentType: String?
        var mimeType: String?
        var charset: String?
        if let full = Self.text(article, "ContentType") {
            let lowered = full.lowercased()
            guard lowered.contains("charset="), lowered.contains("/") else { throw invalid("Article->ContentType is invalid!") }
            contentType = lowered
        } else {
            mimeType = Self.text(article, "MimeType")
            charset = Self.text(article, "Charset")
            if mimeType == nil && charset == nil {
                throw missing("Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!")
            }
            guard let mime = mimeType else { throw missing("Article->MimeType is required!") }
            guard let set = charset else { throw missing("Article->Charset is required!") }
            guard MediaType.isMimeType(mime.lowercased()) else { throw invalid("Article->MimeType is invalid!") }
            guard MediaType.isCharset(set) else { throw invalid("Article->Charset is invalid!") }
        }
        let historyType = Self.text(article, "HistoryType") ?? defaults.historyType
        guard catalog.historyTypes[historyType] != nil else { throw invalid("Article->HistoryType parameter is invalid!") }
        var timeUnit: Double?
        if let text = Self.text(article, "TimeUnit") {
            let normalized = text.replacingOccurrences(of: ",", with: ".")
            guard let value = Double(normalized), normalized.allSatisfy({ $0.isNumber || $0 == "." }), value >= 0 else {
                throw invalid("Article->TimeUnit parameter is invalid!")
            }
            timeUnit = value
        }
        if let notify = article["NoAgentNotify"], notify != .null, notify.scalarString != "1", notify.scalarString != "" {
            throw invalid("Article->NoAgent parameter is invalid!")
        }
        for attribute in ["ForceNotificationToUserID", "ExcludeNotificationToUserID", "ExcludeMuteNotificationToUserID"] {
            guard let value = article[attribute], value != .null else { continue }
            guard value.objectValue == nil else { throw invalid("Article->\(attribute) parameter is invalid!") }
            for id in (value.arrayValue ?? [value]).compactMap(\.scalarString) where !id.isEmpty {
                guard let number = Int(id), agentIDs.contains(number) else { throw invalid("Article->\(attribute) UserID=\(id) parameter is invalid!") }
            }
        }
        var visible = true
        if let flag = article["IsVisibleForCustomer"], flag != .null { visible = flag.isPerlTrue }
        return ArticleDraft(
            subject: subject, body: body, senderType: sender, channel: channel, isVisibleForCustomer: visible, from: from,
            to: Self.text(article, "To"), cc: Self.text(article, "Cc") ?? "", bcc: Self.text(article, "Bcc") ?? "",
            replyTo: Self.text(article, "ReplyTo") ?? "", contentType: contentType, mimeType: mimeType?.lowercased(),
            charset: charset.map(Self.canonicalCharset), messageID: Self.text(article, "MessageID") ?? "",
            inReplyTo: Self.text(article, "InReplyTo") ?? "", references: Self.text(article, "References") ?? "",
            timeUnit: timeUnit, historyType: historyType,
            historyComment: Self.text(article, "HistoryComment") ?? defaults.historyComment)
    }

    /// The valid agents among those named in the articles' notification lists (no query when
    /// no article has such a list).
    func notificationAgentIDs(_ articles: [JSONValue]) async throws -> Set<Int> {
        let keys = ["ForceNotificationToUserID", "ExcludeNotificationToUserID", "ExcludeMuteNotificationToUserID"]
        var named = Set<Int>()
        for article in articles {
            for key in keys {
                guard let value = article.objectValue?[key] else { continue }
                for id in (value.arrayValue ?? [value]).compactMap(\.scalarString) { if let number = Int(id) { named.insert(number) } }
            }
        }
        guard !named.isEmpty else { return [] }
        return Set(try await reader.agents(ids: named.sorted()).filter { $0.validity == .valid }.map(\.id))
    }

    struct ArticleDefaults {
        var historyType: String
        var historyComment: String
    }

    static func canonicalCharset(_ text: String) -> String {
        text.lowercased() == "utf8" ? "utf-8" : text.lowercased()
    }

    // MARK: Dynamic fields and attachments

    /// Validates `DynamicField` entries: names must exist, values must fit the field's type.
    func dynamicFields(_ entries: [JSONValue]) throws(Failure) -> [DynamicFieldInput] {
        var inputs: [DynamicFieldInput] = []
        for entry in entries {
            guard let object = entry.objectValue else {
                throw Failure(result: .fault("\(operation): Ticket->DynamicField parameter is invalid!"))
            }
            let spacer = operation == "TicketCreate" ? "  " : " "
            guard let name = Self.text(object, "Name") else { throw missing("DynamicField->Name\(spacer)parameter is missing!") }
            guard let value = object["Value"] else { throw missing("DynamicField->Value\(spacer)parameter is missing!") }
            guard let field = catalog.dynamicFields[name], field.validity == .valid else { throw invalid("DynamicField->Name parameter is invalid!") }
            let values: [String] = switch value {
            case .array(let elements): elements.compactMap(\.scalarString)
            case .null: []
            default: value.scalarString.map { [$0] } ?? []
            }
            let input = DynamicFieldInput(name: field.name, values: values)
            do {
                _ = try DynamicFieldValidator.canonicalValues(input, for: field)
            } catch {
                throw invalid("DynamicField->Value parameter is invalid!")
            }
            inputs.append(input)
        }
        return inputs
    }

    /// Validates `Attachment` entries (`Content` base64, `ContentType`, `Filename`).
    func attachments(_ entries: [JSONValue]) throws(Failure) -> [AttachmentDraft] {
        var drafts: [AttachmentDraft] = []
        for entry in entries {
            guard let object = entry.objectValue else {
                throw Failure(result: .fault("\(operation): Ticket->Attachment parameter is invalid!"))
            }
            let spacer = operation == "TicketCreate" ? "  " : " "
            guard let content = object["Content"]?.scalarString, !content.isEmpty else { throw missing("Attachment->Content\(spacer)parameter is missing!") }
            guard let contentType = Self.text(object, "ContentType") else { throw missing("Attachment->ContentType\(spacer)parameter is missing!") }
            guard let filename = Self.text(object, "Filename") else { throw missing("Attachment->Filename\(spacer)parameter is missing!") }
            guard MediaType.isMimeType(MediaType.mimeType(ofContentType: contentType)) else { throw invalid("Attachment->ContentType is invalid!") }
            drafts.append(AttachmentDraft(
                filename: filename, contentType: contentType, content: Base64.decode(content),
                contentID: Self.text(object, "ContentID") ?? "", disposition: Self.text(object, "Disposition") ?? "attachment"))
        }
        return drafts
    }
}
