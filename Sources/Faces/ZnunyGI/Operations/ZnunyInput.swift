import DeskCore
import DeskFaceKit
import Foundation
import OTRSCommon

/// Reads the `Ticket`, `Article`, `DynamicField` and `Attachment` blocks shared by TicketCreate
/// and TicketUpdate into core requests. It checks only what belongs to Znuny's wire format (the
/// fields Znuny requires, the shapes of PendingTime, ContentType, TimeUnit and the notification
/// lists, Znuny's history types); each problem is recorded with its position in the core's order
/// of checks, and the core's own first problem decides which one is answered (`WireFailures`).
struct ZnunyInput {
    /// `TicketCreate` or `TicketUpdate`.
    let operation: String
    let catalog: Catalog
    var failures = WireFailures<GIResult>()

    init(operation: String, catalog: Catalog) {
        self.operation = operation
        self.catalog = catalog
    }

    func missingResult(_ message: String) -> GIResult {
        .error(code: "\(operation).MissingParameter", message: "\(operation): \(message)")
    }

    func invalidResult(_ message: String) -> GIResult {
        .error(code: "\(operation).InvalidParameter", message: "\(operation): \(message)")
    }

    mutating func missing(_ field: Field, _ message: String) {
        failures.record(field, missingResult(message))
    }

    mutating func invalid(_ field: Field, _ message: String) {
        failures.record(field, invalidResult(message))
    }

    /// A list parameter given as one object or an array of objects. Nil when absent.
    static func list(_ value: JSONValue?) -> [JSONValue]? {
        switch value {
        case .none, .some(.null): nil
        case .some(.array(let elements)): elements
        case .some(let single): [single]
        }
    }

    /// An optional root block (`DynamicField`, `Attachment`): nil when absent or null; its
    /// entries when it is a non-empty object or array; `.invalid` for anything else (`{}`, `[]`,
    /// a string), which Znuny refuses as "parameter is missing or not valid".
    static func optionalBlock(_ value: JSONValue?) -> OptionalBlock {
        switch value {
        case .none, .some(.null): .absent
        case .some(.array(let elements)) where !elements.isEmpty: .entries(elements)
        case .some(let object) where !(object.objectValue?.isEmpty ?? true): .entries([object])
        default: .invalid
        }
    }

    /// The `Article` block: as `optionalBlock`, except that a `null` entry of a list is an empty
    /// article. Znuny's loop first sets `$Article->{UserType}`, which turns an undefined entry
    /// into a hash (Perl's autovivification), so it answers as for `{}`: `Article->Subject
    /// parameter is missing!`. (Other non-objects make Perl die; they stay invalid here.)
    static func articleBlock(_ value: JSONValue?) -> OptionalBlock {
        let block = optionalBlock(value)
        guard case .entries(let entries) = block else { return block }
        return .entries(entries.map { $0 == .null ? .object([:]) : $0 })
    }

    enum OptionalBlock {
        case absent
        case entries([JSONValue])
        case invalid

        var entries: [JSONValue] {
            if case .entries(let list) = self { return list }
            return []
        }
    }

    /// The scalar at `key`, trimmed as Znuny trims ticket fields; nil when absent or empty.
    static func text(_ object: [String: JSONValue], _ key: String) -> String? {
        guard let value = object[key]?.scalarString?.trimmingSpaces, !value.isEmpty else { return nil }
        return value
    }

    /// `Queue`/`QueueID`-style pairs: the id wins when both are given. Znuny tests the id for
    /// Perl truth, so `0` (what typed clients send for "none") counts as absent and the name is
    /// used.
    static func ref(_ object: [String: JSONValue], _ name: String) -> Ref? {
        // A non-numeric id can never match: -1 is no row's id.
        if let id = text(object, name + "ID"), id != "0" { return .id(Int(id) ?? -1) }
        return text(object, name).map(Ref.name)
    }

    // MARK: Ticket fields

    /// The ticket attributes as core references; presence and validity are the core's to check.
    mutating func ticketFields(_ ticket: [String: JSONValue], now: Int64) -> TicketFields {
        TicketFields(
            title: Self.text(ticket, "Title"), customerUser: Self.text(ticket, "CustomerUser"), customerID: Self.text(ticket, "CustomerID"),
            queue: Self.ref(ticket, "Queue"), lock: Self.ref(ticket, "Lock"), type: Self.ref(ticket, "Type"),
            service: Self.ref(ticket, "Service"), sla: Self.ref(ticket, "SLA"), state: Self.ref(ticket, "State"),
            priority: Self.ref(ticket, "Priority"), owner: Self.ref(ticket, "Owner"), responsible: Self.ref(ticket, "Responsible"),
            pendingUntil: pendingTime(ticket, now: now))
    }

    struct TicketFields {
        var title: String?
        var customerUser: String?
        var customerID: String?
        var queue: Ref?
        var lock: Ref?
        var type: Ref?
        var service: Ref?
        var sla: Ref?
        var state: Ref?
        var priority: Ref?
        var owner: Ref?
        var responsible: Ref?
        var pendingUntil: Int64?
    }

    /// `PendingTime`: `{Diff: minutes}` alone, or `{Year, Month, Day, Hour, Minute}` (UTC).
    mutating func pendingTime(_ ticket: [String: JSONValue], now: Int64) -> Int64? {
        guard let value = ticket["PendingTime"], value != .null else { return nil }
        let message = "Ticket->PendingTime parameter is invalid!"
        guard let object = value.objectValue else {
            if let text = value.scalarString, text.isEmpty { return nil }
            invalid(.pendingTime, message)
            return nil
        }
        if let diff = object["Diff"] {
            guard object.count == 1, let text = diff.scalarString, !text.isEmpty, text.allSatisfy(\.isNumber), let minutes = Int64(text)
            else {
                invalid(.pendingTime, message)
                return nil
            }
            // Timestamps are written with four-digit years: a later pending time is refused.
            let until = CivilDate.moving(now, minutes: minutes, later: true)
            guard until <= Self.latestTime else {
                invalid(.pendingTime, message)
                return nil
            }
            return until
        }
        var parts: [Int] = []
        for key in ["Year", "Month", "Day", "Hour", "Minute"] {
            guard let text = object[key]?.scalarString, !text.isEmpty, let number = Int(text), number >= 0 else {
                invalid(.pendingTime, message)
                return nil
            }
            parts.append(number)
        }
        guard let time = CivilDate(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]).unixSeconds,
            time <= Self.latestTime
        else {
            invalid(.pendingTime, message)
            return nil
        }
        return time
    }

    /// 9999-12-31 23:59:59 UTC, the last second a four-digit year writes.
    static let latestTime: Int64 = 253_402_300_799

    // MARK: Articles

    struct ArticleDefaults {
        var historyType: String
        var historyComment: String
        /// SysConfig's `…###AutoResponseType` (`auto reply` on create, `auto follow up` on update).
        var autoResponseType: String
    }

    /// Znuny's defaults for the addresses of an article (TicketCreate.pm 1503-1553,
    /// TicketUpdate.pm 2045-2109), which differ between the two operations.
    enum Addressing {
        /// TicketCreate: `To` is the queue's name (as sent, or looked up from QueueID) and the
        /// article's To/Cc/Bcc are ignored unless `ArticleSend`; `From` is the customer.
        case create(queueName: String)
        /// TicketUpdate: `From` is the agent's name, or for a customer the request's
        /// `Ticket.CustomerUser` (else empty); an e-mail article's `To` is the request's
        /// `Ticket.CustomerUser`, else the ticket's customer login; other channels have no `To`.
        case update(requestCustomerUser: String?, callerIsCustomer: Bool)
    }

    /// One article as a draft. Wire problems are recorded; the draft carries what could be read.
    mutating func article(_ value: JSONValue, index: Int, defaults: ArticleDefaults, addressing: Addressing) -> ArticleDraft {
        let field = { (name: ArticleField) in Field.article(index, name) }
        let article = value.objectValue ?? [:]
        let subject = Self.text(article, "Subject")
        if subject == nil { missing(field(.subject), "Article->Subject parameter is missing!") }
        let body = Self.text(article, "Body")
        if body == nil { missing(field(.body), "Article->Body parameter is missing!") }
        var channel: Ref? = .name("Internal")
        if let ref = Self.ref(article, "CommunicationChannel") {
            channel = ref
            // The GenericInterface creates e-mail, phone and internal articles only.
            if catalog.channels[ref]?.name == "Chat" {
                invalid(
                    field(.channel),
                    "Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!")
            }
        }
        let from = Self.text(article, "From")
        if let from, !MailAddress.isValid(from) || !ZnunyAddressCheck.allows(from) {
            invalid(field(.from), "Article->From parameter is invalid!")
        }
        if article["ArticleSend"]?.isPerlTrue == true {
            // Znuny answers this with TicketCreate's code and text even inside TicketUpdate (quirk).
            let recipients = MailAddress.list(Self.text(article, "To") ?? "")
            if recipients.isEmpty || !recipients.allSatisfy({ MailAddress.isValid($0) && ZnunyAddressCheck.allows($0) }) {
                failures.record(
                    field(.to),
                    .error(
                        code: "TicketCreate.InvalidParameter",
                        message: "TicketCreate: Article->To parameter must be a valid email address when Article->ArticleSend is set!"))
            }
            channel = .name("Email")
        }
        var contentType: String?
        var mimeType: String?
        var charset: String?
        let givenType = Self.text(article, "ContentType")
        let givenMimeType = Self.text(article, "MimeType")
        let givenCharset = Self.text(article, "Charset")
        // `_CheckArticle` pairs MimeType and Charset even beside a ContentType, before it checks
        // any of the three (so these rank as the content type's).
        if givenType == nil && givenMimeType == nil && givenCharset == nil {
            missing(field(.contentType), "Article->ContentType or Ticket->MimeType and Article->Charset parameters are required!")
        } else if givenMimeType != nil && givenCharset == nil {
            missing(field(.contentType), "Article->Charset is required!")
        } else if givenCharset != nil && givenMimeType == nil {
            missing(field(.contentType), "Article->MimeType is required!")
        }
        if let full = givenType {
            let lowered = full.lowercased()
            if lowered.containsBytes("charset="), lowered.containsBytes("/") {
                contentType = lowered
            } else {
                invalid(field(.contentType), "Article->ContentType is invalid!")
            }
        } else {
            mimeType = givenMimeType
            charset = givenCharset
        }
        // `ValidateMimeType`: `\A\w+\/\w+\z`, so `application/octet-stream` is refused here
        // (a ContentType needs only to start so).
        if let given = givenMimeType, !Self.isPerlWordPair(given.lowercased()) {
            invalid(field(.mimeType), "Article->MimeType is invalid!")
        }
        let historyType = Self.text(article, "HistoryType") ?? defaults.historyType
        if !ZnunyHistory.isType(historyType) { invalid(field(.historyType), "Article->HistoryType parameter is invalid!") }
        var timeUnit: Double?
        if let text = Self.text(article, "TimeUnit") {
            // `_CheckArticle`: `\A \d+([.,]\d+)? \z` before anything is cut.
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).flatMap {
                $0.split(separator: ".", omittingEmptySubsequences: false)
            }
            let digits = { (part: Substring) in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
            let wellFormed = (1...2).contains(parts.count) && parts.allSatisfy(digits)
            var normalized = wellFormed ? text.replacingOccurrences(of: ",", with: ".") : ""
            // `TicketAccountTime` keeps two decimals, cutting the rest: 1.555 is 1.55.
            if let dot = normalized.firstIndex(of: "."), normalized.distance(from: dot, to: normalized.endIndex) > 3 {
                normalized = String(normalized[...normalized.index(dot, offsetBy: 2)])
            }
            if let value = Double(normalized), normalized.allSatisfy({ $0.isNumber || $0 == "." }), value >= 0 {
                timeUnit = value
            } else {
                invalid(field(.timeUnit), "Article->TimeUnit parameter is invalid!")
            }
        }
        var notifications = ArticleNotifications()
        if let notify = article["NoAgentNotify"], notify != .null {
            // `if ( $Article->{NoAgentNotify} && $Article->{NoAgentNotify} ne '1' )`: a false value passes.
            if notify.isPerlTrue && notify.scalarString != "1" {
                invalid(field(.noAgentNotify), "Article->NoAgent parameter is invalid!")
            }
            notifications.none = notify.scalarString == "1"
        }
        for list in NotificationList.allCases {
            guard let value = article[list.rawValue], value != .null else { continue }
            guard value.objectValue == nil else {
                invalid(field(.notifyAgents(list)), "Article->\(list.rawValue) parameter is invalid!")
                continue
            }
            var ids: [Int] = []
            for id in (value.arrayValue ?? [value]).compactMap(\.scalarString) where !id.isEmpty {
                guard let number = Int(id) else {
                    invalid(field(.notifyAgents(list)), "Article->\(list.rawValue) UserID=\(id) parameter is invalid!")
                    continue
                }
                ids.append(number)
            }
            switch list {
            case .force: notifications.force = ids
            case .exclude: notifications.exclude = ids
            case .excludeMute: notifications.excludeMute = ids
            }
        }
        var visible = true
        if let flag = article["IsVisibleForCustomer"], flag != .null { visible = flag.isPerlTrue }
        let articleSend = article["ArticleSend"]?.isPerlTrue == true
        var to = Self.text(article, "To")
        var cc = Self.text(article, "Cc") ?? ""
        var bcc = Self.text(article, "Bcc") ?? ""
        var fromDefault = AddressDefault.standard
        var toDefault = AddressDefault.standard
        if articleSend && from == nil { fromDefault = .queueSystemAddress }
        switch addressing {
        case .create(let queueName):
            if !articleSend {
                (to, cc, bcc) = (nil, "", "")
                toDefault = .text(queueName)
            }
        case .update(let customerUser, let callerIsCustomer):
            if from == nil && !articleSend && callerIsCustomer { fromDefault = customerUser.map(AddressDefault.customerUser) ?? .text("") }
            let email = articleSend || channel.flatMap { catalog.channels[$0] }?.name == "Email"
            toDefault = email ? customerUser.map(AddressDefault.customerUser) ?? .ticketCustomerLogin : .text("")
        }
        // MIMEBase `ArticleCreate` turns the line ends of a plain-text body into LF.
        let isHTML = (contentType ?? mimeType ?? "").containsBytes("text/html", ignoringASCIICase: true)
        // MIMEBase `ArticleCreate` removes line breaks from the header fields. The operations
        // hand it no ReplyTo, MessageID, InReplyTo or References: those stay empty whatever
        // the request says (ArticleSend makes its own Message-ID).
        let line = { (text: String?) in text.map(HeaderLine.of) }
        var draft = ArticleDraft(
            subject: line(subject) ?? "", body: isHTML ? body ?? "" : Self.unixLineEnds(body ?? ""),
            senderType: Self.ref(article, "SenderType"), channel: channel,
            isVisibleForCustomer: visible, from: line(from), to: line(to), cc: line(cc) ?? "", bcc: line(bcc) ?? "",
            contentType: contentType, mimeType: mimeType?.lowercased(), charset: charset?.lowercased(),
            timeUnit: timeUnit, fromDefault: fromDefault, toDefault: toDefault,
            autoResponseType: .name(Self.text(article, "AutoResponseType") ?? defaults.autoResponseType), notifications: notifications,
            label: historyType, note: Self.text(article, "HistoryComment") ?? defaults.historyComment)
        if articleSend {
            draft.sending = .required
            // TicketCreate/TicketUpdate store the subject with the ticket tag and the signature appended.
            draft.storedAsSent = true
            let sign = security(article["Sign"], field: field(.sign), name: "Sign")
            let crypt = security(article["Crypt"], field: field(.crypt), name: "Crypt")
            if sign != nil || crypt != nil { draft.security = MailSecurity(sign: sign, crypt: crypt) }
        }
        return draft
    }

    /// A `Sign` or `Crypt` block: `Type` PGP or SMIME, `SubType` Inline or Detached (default
    /// Detached), `Key` required. Whether the key exists is the core's to say.
    mutating func security(_ value: JSONValue?, field: Field, name: String) -> MailSecurity.Operation? {
        guard let value, value != .null else { return nil }
        guard let block = value.objectValue, let kind = Self.text(block, "Type").flatMap(CryptoKind.init(rawValue:)),
            let key = Self.text(block, "Key"), !key.isEmpty
        else {
            invalid(field, "Article->\(name) parameter is invalid!")
            return nil
        }
        var subType = MailSecurity.SubType.detached
        if let given = Self.text(block, "SubType") {
            guard let parsed = MailSecurity.SubType(rawValue: given) else {
                invalid(field, "Article->\(name) parameter is invalid!")
                return nil
            }
            subType = parsed
        }
        return MailSecurity.Operation(kind: kind, subType: subType, key: key)
    }

    // MARK: Dynamic fields and attachments

    /// `DynamicField` entries: `Name` and `Value` must be there; the rest is the core's to check.
    /// `position` gives each entry's place in the core's order of checks.
    mutating func dynamicFields(_ entries: [JSONValue], position: (Int, String) -> Field) throws(Stop) -> [DynamicFieldInput] {
        var inputs: [DynamicFieldInput] = []
        let spacer = operation == "TicketCreate" ? "  " : " "
        for (index, entry) in entries.enumerated() {
            // `IsHashRefWithData`: an empty object is no entry either. Znuny checks the entries in
            // turn and stops at this one: a problem of an earlier entry (or an earlier check) wins.
            guard let object = entry.objectValue, !object.isEmpty else {
                failures.record(position(index, ""), .fault("\(operation): Ticket->DynamicField parameter is invalid!"))
                break
            }
            // A `Name` of "" is there (`IsString`) but no name (`ValidateDynamicFieldName`).
            if object["Name"]?.scalarString == "" {
                if let value = object["Value"], value.scalarString != nil || value.arrayValue != nil {
                    invalid(position(index, ""), "DynamicField->Name parameter is invalid!")
                } else {
                    missing(position(index, ""), "DynamicField->Value\(spacer)parameter is missing!")
                }
                continue
            }
            let name = Self.text(object, "Name")
            guard let name else {
                missing(position(index, ""), "DynamicField->Name\(spacer)parameter is missing!")
                continue
            }
            // `_CheckDynamicField`: the value must be defined and a string (a number is one in
            // Perl) or a list; null, an object or a boolean count as missing.
            guard let value = object["Value"], value.scalarString != nil || value.arrayValue != nil else {
                missing(position(index, name), "DynamicField->Value\(spacer)parameter is missing!")
                continue
            }
            let values: [String] =
                switch value {
                case .array(let elements): elements.compactMap(\.scalarString)
                case .null: []
                default: value.scalarString.map { [$0] } ?? []
                }
            inputs.append(DynamicFieldInput(name: name, values: values))
        }
        return inputs
    }

    /// `Attachment` entries (`Content` base64, `ContentType`, `Filename`).
    mutating func attachments(_ entries: [JSONValue], article: Int) throws(Stop) -> [AttachmentDraft] {
        var drafts: [AttachmentDraft] = []
        let spacer = operation == "TicketCreate" ? "  " : " "
        for (index, entry) in entries.enumerated() {
            let field = { (part: AttachmentField) in Field.article(article, .attachment(index, part)) }
            // As with dynamic fields: entries are checked in turn, up to the first that is no object.
            guard let object = entry.objectValue, !object.isEmpty else {
                failures.record(field(.content), .fault("\(operation): Ticket->Attachment parameter is invalid!"))
                break
            }
            guard let content = object["Content"]?.scalarString, !content.isEmpty else {
                missing(field(.content), "Attachment->Content\(spacer)parameter is missing!")
                continue
            }
            guard let contentType = Self.text(object, "ContentType") else {
                missing(field(.contentType), "Attachment->ContentType\(spacer)parameter is missing!")
                continue
            }
            guard let given = Self.text(object, "Filename") else {
                missing(field(.filename), "Attachment->Filename\(spacer)parameter is missing!")
                continue
            }
            // `_CheckAttachment`: a charset the content type names must be one Znuny knows (an
            // empty one leaves its pattern the whole content type, which is none).
            let lowered = contentType.lowercased()
            if lowered.containsBytes("charset="), !MediaType.isCharset(MediaType.parameter("charset", of: lowered) ?? "") {
                invalid(field(.contentType), "Attachment->ContentType is invalid!")
                continue
            }
            let filename = Self.storedFilename(given)
            // As Znuny stores it: the content type lower-cased (`_CheckAttachment`), a ContentID in
            // angle brackets and the disposition's first part (`ArticleWriteAttachment`).
            var contentID = Self.text(object, "ContentID") ?? ""
            if contentID.count > 1, !contentID.hasPrefix("<"), !contentID.hasSuffix(">") { contentID = "<\(contentID)>" }
            let disposition = (Self.text(object, "Disposition") ?? "").split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            let type = contentType.lowercased()
            drafts.append(
                AttachmentDraft(
                    filename: filename, contentType: type, content: Base64.decode(content), contentID: contentID,
                    disposition: disposition.isEmpty
                        ? Self.derivedDisposition(filename: filename, contentType: type, contentID: contentID) : disposition))
        }
        return drafts
    }

    /// The disposition Znuny's article storage reports for a file stored without one
    /// (`ArticleAttachmentIndexRaw`): an image with a ContentID and the converted bodies `file-1`/
    /// `file-2` are `inline`, everything else `attachment`.
    static func derivedDisposition(filename: String, contentType: String, contentID: String) -> String {
        if !contentID.isEmpty, contentID != "0", contentType.containsBytes("image") { return "inline" }
        if filename.containsBytes("file-1") || filename.containsBytes("file-2") { return "inline" }
        return "attachment"
    }

    /// `word/word` in Perl's Unicode `\w` (letters, digits, marks, connector punctuation).
    static func isPerlWordPair(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2
            && parts.allSatisfy { part in
                !part.isEmpty
                    && part.unicodeScalars.allSatisfy {
                        let properties = $0.properties
                        return properties.isAlphabetic || properties.numericType == .decimal
                            || properties.generalCategory == .connectorPunctuation || properties.isGraphemeExtend
                    }
            }
    }

    /// A file name as the article storage keeps it (`Main::FilenameCleanUp`, type `Local`
    /// without replacement): surrounding white space and every CR and LF removed, leading dots
    /// stripped (`../x` is `/x`), and the name before the extension shortened until the whole
    /// fits 220 UTF-8 bytes.
    static func storedFilename(_ name: String) -> String {
        var text = HeaderLine.of(name).trimmingSpaces
        while text.hasPrefix(".") { text.removeFirst() }
        guard text.utf8.count > 220 else { return text }
        var base = text
        var ext = ""
        if let dot = text.lastIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex {
            var start = dot
            while start > text.startIndex, text[text.index(before: start)] == "." { start = text.index(before: start) }
            base = String(text[..<start])
            ext = "." + text[text.index(after: dot)...]
        }
        while (base + ext).utf8.count > 220 {
            if base.count > 1 { base.removeLast() } else if !ext.isEmpty { ext.removeLast() } else { break }
        }
        return base + ext
    }

    /// Perl's `s/(\n\r|\r\r\n|\r\n)/\n/g`.
    static func unixLineEnds(_ text: String) -> String {
        guard text.utf8.contains(13) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        func at(_ offset: Int) -> UInt8 { index + offset < bytes.count ? bytes[index + offset] : 0 }
        while index < bytes.count {
            if at(0) == 10 && at(1) == 13 {
                out.append(10)
                index += 2
            } else if at(0) == 13 && at(1) == 13 && at(2) == 10 {
                out.append(10)
                index += 3
            } else if at(0) == 13 && at(1) == 10 {
                out.append(10)
                index += 2
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A problem that ends the request at once (a fault, or a structure Znuny checks first).
    struct Stop: Error {
        let result: GIResult
    }
}
