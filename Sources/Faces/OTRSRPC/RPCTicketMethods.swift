import DeskCore
import DeskFaceKit
import OTRSCommon

/// `TicketObject` methods of `rpc.pl`, OTRS 3 style. Each call runs as the agent of its
/// `UserID` parameter (OTRS requires it too).
struct RPCTicketMethods {
    let services: DeskServices

    /// OTRS 3 article types (IDs as in OTRS 3's initial data), mapped to the communication
    /// channel and customer visibility that replaced them in OTRS 6 / Znuny.
    static let articleTypes: [(name: String, channel: String, visible: Bool)] = [
        ("email-external", "Email", true), ("email-internal", "Email", false), ("email-notification-ext", "Email", true),
        ("email-notification-int", "Email", false), ("phone", "Phone", true), ("fax", "Phone", true), ("sms", "Phone", true),
        ("webrequest", "Internal", true), ("note-internal", "Internal", false), ("note-external", "Internal", true),
        ("note-report", "Internal", false),
    ]

    /// Methods the ticket object runs without a `UserID` (Znuny's `TicketGet`, the number
    /// lookups and `TicketCreateNumber` need none): they read as agent 1, the admin OTRS falls back to.
    static let withoutUserID: Set<String> = ["TicketGet", "TicketNumberLookup", "TicketIDLookup", "TicketCreateNumber"]

    func call(_ method: String, _ p: RPCParameters) async throws -> [PerlValue] {
        let principal = try await agent(p, fallback: Self.withoutUserID.contains(method) ? 1 : nil)
        switch method {
        case "TicketCreate":
            // OTRS 3 scripts create the ticket first and add the article in a second call.
            return [.int(try await services.tickets.create(try ticketCreateRequest(p), by: principal).ticketID)]
        case "ArticleCreate":
            let ticketID = try p.requiredInt("TicketID")
            return [.int(try await services.tickets.addArticle(ticketID: ticketID, try articleDraft(p), by: principal))]
        case "TicketGet": return PerlValue.flatten(try await ticket(p, principal))
        case "TicketSearch": return try await search(p, principal)
        case "TicketCreateNumber": return [.scalar(try await services.tickets.drawTicketNumber(by: principal))]
        case "TicketNumberLookup":
            let details = try await services.tickets.get(ticketID: try p.requiredInt("TicketID"), options: Self.bare, by: principal)
            return [.scalar(details.ticket.number)]
        case "TicketIDLookup":
            guard let id = try await services.tickets.ticketID(number: try p.required("TicketNumber"), by: principal) else { return [] }
            return [.int(id)]
        case "HistoryGet": return try await history(p, principal)
        case "ArticleIndex":
            let details = try await services.tickets.get(ticketID: try p.requiredInt("TicketID"), options: Self.articlesOnly, by: principal)
            return details.articles.map { .int($0.id) }
        case "ArticleGet": return try await articles(p, principal)
        case "TicketAccountTime":
            // OTRS 3 accepts "1,5" and spaces in TimeUnit.
            let text = try p.required("TimeUnit").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")
            guard let unit = Double(text) else { throw RPCMethods.Nothing(reason: "Invalid TimeUnit!") }
            try await services.tickets.accountTime(
                ticketID: try p.requiredInt("TicketID"), articleID: try p.int("ArticleID"), timeUnit: unit, by: principal)
            return [.int(1)]
        default: return try await set(method, p, principal)
        }
    }

    /// OTRS 3's core TicketSearch reads a scalar `StateType` of `Open` as the viewable state types
    /// and `Closed` as all others (the GenericInterface never passes a scalar, so only rpc.pl
    /// needs this).
    static let stateTypeAliases: [String: [String]] = [
        "Open": ["new", "open", "pending reminder", "pending auto"],
        "Closed": ["closed", "removed", "merged"],
    ]

    static let bare = TicketReadOptions.bare
    static let articlesOnly = TicketReadOptions.articlesOnly

    private func agent(_ p: RPCParameters, fallback: Int? = nil) async throws -> Principal {
        guard let id = try p.int("UserID") ?? fallback else { throw RPCMethods.Nothing(reason: "Need UserID!") }
        guard let agent = try await services.auth.agentPrincipal(id: id) else {
            throw RPCMethods.Nothing(reason: "No valid agent with UserID \(id)!")
        }
        return .agent(agent)
    }

    /// TicketCreate and its first ArticleCreate as one core create (one transaction), for
    /// `DispatchMultipleTicketMethods`. Returns the TicketID.
    func createWithArticle(_ ticket: RPCParameters, _ article: RPCParameters) async throws -> Int {
        let principal = try await agent(ticket)
        var request = try ticketCreateRequest(ticket)
        request.articles = [try articleDraft(article)]
        return try await services.tickets.create(request, by: principal).ticketID
    }

    /// An OTRS 3 TicketCreate (without articles).
    private func ticketCreateRequest(_ p: RPCParameters) throws -> TicketCreateRequest {
        guard let owner = try p.int("OwnerID") else { throw RPCMethods.Nothing(reason: "Need OwnerID!") }
        var request = TicketCreateRequest(
            title: p.text("Title") ?? "", queue: try p.requiredRef("Queue"), state: try p.requiredRef("State"),
            priority: try p.requiredRef("Priority"), type: try p.ref("Type"),
            // `Ticket::TicketCreate` needs a lock ("No LockID and no LockType!") and never locks on its own.
            lock: try p.requiredRef("Lock"), service: try p.ref("Service"), sla: try p.ref("SLA"),
            owner: .id(owner), responsible: try p.int("ResponsibleID").map(Ref.id),
            customerUser: p.text("CustomerUser"), customerID: p.text("CustomerID") ?? p.text("CustomerNo"))
        request.serviceOfAnyCustomer = true
        return request
    }

    /// An OTRS 3 ArticleCreate: `ArticleType` (or `ArticleTypeID`) becomes channel and visibility
    /// unless the Znuny fields `CommunicationChannel`/`IsVisibleForCustomer` are given.
    private func articleDraft(_ p: RPCParameters) throws -> ArticleDraft {
        var channel: Ref? = try p.ref("CommunicationChannel")
        var visible: Bool? = p.values["IsVisibleForCustomer"].map(\.isPerlTrue)
        var typeName = p.text("ArticleType")
        if typeName == nil, let id = try p.int("ArticleTypeID") {
            typeName = id >= 1 && id <= Self.articleTypes.count ? Self.articleTypes[id - 1].name : "#\(id)"
        }
        if let typeName {
            guard let type = Self.articleTypes.first(where: { $0.name == typeName }) else {
                throw RPCMethods.Nothing(reason: "ArticleType '\(typeName)' is invalid!")
            }
            channel = channel ?? .name(type.channel)
            visible = visible ?? type.visible
        }
        let draft = ArticleDraft(
            subject: p.text("Subject") ?? "", body: p.text("Body") ?? "", senderType: try p.ref("SenderType"),
            channel: channel ?? .name("Internal"), isVisibleForCustomer: visible, from: p.text("From"), to: p.text("To"),
            cc: p.text("Cc") ?? "", bcc: p.text("Bcc") ?? "", replyTo: p.text("ReplyTo") ?? "",
            contentType: p.text("ContentType")?.lowercased(), mimeType: p.text("MimeType")?.lowercased(),
            charset: p.text("Charset")?.lowercased(), messageID: p.text("MessageID") ?? "",
            inReplyTo: p.text("InReplyTo") ?? "", references: p.text("References") ?? "",
            label: p.text("HistoryType") ?? "AddNote", note: p.text("HistoryComment") ?? "%%")
        guard draft.contentType != nil || draft.mimeType != nil else {
            throw RPCMethods.Nothing(reason: "Need ContentType or MimeType and Charset!")
        }
        return draft
    }

    /// TicketGet's hash: the ticket as the GenericInterface renders it, minus lists and the
    /// `TimeUnit` the operation adds (the core's TicketGet has none); with `DynamicFields` the
    /// values as OTRS 3's `DynamicField_<Name>` keys.
    private func ticket(_ p: RPCParameters, _ principal: Principal) async throws -> [String: PerlValue] {
        let withFields = p.values["DynamicFields"]?.isPerlTrue ?? false
        let read = TicketReadOptions(articles: false, attachments: false, attachmentContents: false, dynamicFields: withFields)
        let details = try await services.tickets.get(ticketID: try p.requiredInt("TicketID"), options: read, by: principal)
        let options = ZnunyTicketRenderer.Options([
            "DynamicFields": .string(withFields ? "1" : ""), "Extended": p.values["Extended"] ?? .null,
        ])
        let renderer = ZnunyTicketRenderer(
            catalog: try await services.catalog(), principal: principal, options: options, now: services.clock.now())
        var hash: [String: PerlValue] = [:]
        for (key, value) in renderer.ticket(details).objectValue ?? [:] {
            switch value {
            case .array(let fields) where key == "DynamicField":
                for field in fields {
                    if let name = field["Name"]?.scalarString { hash["DynamicField_" + name] = PerlValue(field["Value"] ?? .null) }
                }
            case .array, .object, .orderedObject, .source: continue
            case _ where key == "TimeUnit": continue
            default: hash[key] = PerlValue(value)
            }
        }
        return hash
    }

    /// TicketSearch with the core's `Result`: `HASH` (id → number, the default), `ARRAY` (ids) or `COUNT`.
    /// `Limit` defaults to 10000 as in OTRS 3.
    private func search(_ p: RPCParameters, _ principal: Principal) async throws -> [PerlValue] {
        let catalog = try await services.catalog()
        var data = p.values
        data["Limit"] = data["Limit"] ?? .string(String(TicketQuery.maxLimit))
        if case .string(let scalar)? = data["StateType"], let types = Self.stateTypeAliases[scalar] {
            data["StateType"] = .array(types.map(JSONValue.string))
        }
        let result = p.text("Result")?.uppercased() ?? "HASH"
        guard let query = ZnunySearchTranslator(catalog: catalog, now: services.clock.now()).query(from: data) else {
            return result == "COUNT" ? [.int(0)] : []
        }
        let ids = try await services.tickets.search(query, by: principal)
        switch result {
        case "COUNT": return [.int(ids.count)]
        case "HASH":
            let numbers = try await services.tickets.ticketNumbers(ids: ids, by: principal)
            return PerlValue.flatten(Dictionary(uniqueKeysWithValues: numbers.map { (String($0.key), PerlValue.scalar($0.value)) }))
        default: return ids.map { .int($0) }
        }
    }

    private func history(_ p: RPCParameters, _ principal: Principal) async throws -> [PerlValue] {
        let ticketID = try p.requiredInt("TicketID")
        let events = try await services.tickets.history(ticketID: ticketID, by: principal)
        let catalog = try await services.catalog()
        return events.map { event in
            let row = ZnunyHistory.row(for: event, catalog: catalog)
            return .hash([
                "TicketID": .int(ticketID), "ArticleID": event.articleID.map { .int($0) } ?? .undef, "Name": .scalar(row.name),
                "CreateBy": .int(event.actorID), "CreateTime": .scalar(CivilDate(unixSeconds: event.createdAt).timestampString),
                "HistoryType": .scalar(row.type), "HistoryTypeID": .int(row.typeID),
                "QueueID": .int(event.snapshot.queueID), "OwnerID": .int(event.snapshot.ownerID),
                "PriorityID": .int(event.snapshot.priorityID),
                "StateID": .int(event.snapshot.stateID), "TypeID": .int(event.snapshot.typeID ?? 1),
            ])
        }
    }

    /// ArticleGet: with `ArticleID` one article's hash (as a list), else every article of
    /// `TicketID` as hash references.
    private func articles(_ p: RPCParameters, _ principal: Principal) async throws -> [PerlValue] {
        var ticketID = try p.int("TicketID")
        if ticketID == nil, let articleID = try p.int("ArticleID") {
            ticketID = try await services.tickets.ticketID(ofArticle: articleID, by: principal)
        }
        guard let ticketID else { throw RPCMethods.Nothing(reason: "Need TicketID or a known ArticleID!") }
        let details = try await services.tickets.get(ticketID: ticketID, options: Self.articlesOnly, by: principal)
        let renderer = ZnunyTicketRenderer(
            catalog: try await services.catalog(), principal: principal, options: ZnunyTicketRenderer.Options([:]),
            now: services.clock.now())
        func hash(_ article: Article) -> [String: PerlValue] {
            var hash: [String: PerlValue] = [:]
            for (key, value) in renderer.article(article, details: details).objectValue ?? [:] where value.arrayValue == nil {
                hash[key] = PerlValue(value)
            }
            let channel = renderer.catalog.channels[article.channelID]?.name ?? ""
            if let index = Self.articleTypes.firstIndex(where: { $0.channel == channel && $0.visible == article.isVisibleForCustomer }) {
                hash["ArticleType"] = .scalar(Self.articleTypes[index].name)
                hash["ArticleTypeID"] = .int(index + 1)
            }
            return hash
        }
        if let articleID = try p.int("ArticleID") {
            guard let article = details.articles.first(where: { $0.id == articleID }) else {
                throw RPCMethods.Nothing(reason: "No such ArticleID \(articleID)!")
            }
            return PerlValue.flatten(hash(article))
        }
        return details.articles.map { .hash(hash($0)) }
    }

    /// The `Ticket*Set` family and `TicketTitleUpdate`: one field change, answered with 1.
    private func set(_ method: String, _ p: RPCParameters, _ principal: Principal) async throws -> [PerlValue] {
        let ticketID = try p.requiredInt("TicketID")
        var change = TicketUpdateRequest()
        switch method {
        case "TicketStateSet": change.state = try p.requiredRef("State")
        case "TicketQueueSet": change.queue = try p.requiredRef("Queue")
        case "TicketLockSet": change.lock = try p.requiredRef("Lock")
        case "TicketPrioritySet": change.priority = try p.requiredRef("Priority")
        case "TicketTypeSet": change.type = try p.requiredRef("Type")
        case "TicketOwnerSet": change.owner = try newUser(p)
        case "TicketResponsibleSet": change.responsible = try newUser(p)
        case "TicketTitleUpdate": change.title = try p.required("Title")
        case "TicketCustomerSet":
            guard p.values["No"] != nil || p.values["User"] != nil else { throw RPCMethods.Nothing(reason: "Need User or No for update!") }
            change.customerID = p.values["No"]?.scalarString
            change.customerUser = p.values["User"]?.scalarString
            change.keepsCustomerPartsLeftOut = true
        default: throw RPCMethods.Failure(message: "SwiftDesk rpc.pl does not support TicketObject->\(method)")
        }
        _ = try await services.tickets.update(ticketID: ticketID, change, by: principal)
        return [.int(1)]
    }

    private func newUser(_ p: RPCParameters) throws -> Ref {
        if let id = try p.int("NewUserID") { return .id(id) }
        guard let login = p.text("NewUser") else { throw RPCMethods.Nothing(reason: "Need NewUserID or NewUser!") }
        return .name(login)
    }
}
