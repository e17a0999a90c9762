import DeskCore
import DeskFaceKit
import Foundation

/// `swiftdesk whmcs import FILE.json`: WHMCS's tables as a JSON object keyed by table name
/// (`tblclients`, `tblcontacts`, `tblticketdepartments`, `tblticketstatuses`, and when present
/// `tbltickets`, `tblticketreplies`, `tblticketnotes`, `tblcustomfields`,
/// `tblticketpredefinedcats`, `tblticketpredefinedreplies`), each a list of rows with WHMCS's
/// column names. Every id, `tid` and `c` is kept; one transaction; running it again updates.
/// WHMCS stores text HTML-encoded: it is decoded on the way in.
public struct WHMCSImporter: Sendable {
    let services: DeskServices

    public init(services: DeskServices) {
        self.services = services
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static let tables = [
        "tblclients", "tblcontacts", "tblticketdepartments", "tblticketstatuses", "tblcustomfields", "tblticketpredefinedcats",
        "tblticketpredefinedreplies", "tbltickets", "tblticketreplies", "tblticketnotes",
    ]

    typealias Kind = WHMCSMapping.Kind
    typealias Attribute = WHMCSTicketView.Attribute

    struct Row {
        let table: String
        let index: Int
        let values: [String: JSONValue]

        var name: String { values["id"]?.scalarString.map { "\(table) id \($0)" } ?? "\(table) row \(index + 1)" }

        func fail(_ column: String, _ problem: String) -> Failure {
            Failure(description: "\(name): column '\(column)': \(problem)")
        }

        /// Text as WHMCS stored it, HTML-decoded.
        func text(_ column: String) -> String {
            values[column]?.scalarString.map(HTMLEntities.decode) ?? ""
        }

        func int(_ column: String) throws(Failure) -> Int {
            guard let value = values[column], value != .null else { return 0 }
            guard let text = value.scalarString, let number = Int(text.trimmingSpaces.isEmpty ? "0" : text.trimmingSpaces) else {
                throw fail(column, "not a number")
            }
            return number
        }

        func id() throws(Failure) -> Int {
            let id = try int("id")
            guard id > 0, id < FaceNumericIDs.foreign else { throw fail("id", "must be between 1 and \(FaceNumericIDs.foreign - 1)") }
            return id
        }

        func date(_ column: String) throws(Failure) -> Int64? {
            let text = self.text(column)
            guard !text.isEmpty, !text.hasPrefix("0000-00-00") else { return nil }
            guard let seconds = WHMCSDates.parse(text) else { throw fail(column, "not a date") }
            return seconds
        }

        func flag(_ column: String) -> Bool {
            let text = self.text(column)
            return !(text.isEmpty || text == "0")
        }
    }

    /// Imports `bytes`; one line per table (`<table>: N created, M updated`).
    public func run(_ bytes: [UInt8]) async throws -> [String] {
        guard let document = try? JSONParser.parse(bytes), let object = document.objectValue else {
            throw Failure(description: "the file is not a JSON object of WHMCS tables")
        }
        var rows: [String: [Row]] = [:]
        for table in Self.tables {
            guard let value = object[table] else { continue }
            guard let list = value.arrayValue else { throw Failure(description: "\(table): expected a list of rows") }
            rows[table] = try list.enumerated().map { index, item in
                guard let values = item.objectValue else { throw Failure(description: "\(table) row \(index + 1): expected an object") }
                return Row(table: table, index: index, values: values)
            }
        }
        let skipped = object.keys.filter { !Self.tables.contains($0) }.sorted()
        let builder = try await build(rows)
        // Rows whose id the face knows already are updates; the rest are new.
        var known: [String: Set<String>] = [:]
        for (table, kind) in Self.originKinds {
            let ids = (rows[table] ?? []).compactMap { $0.values["id"]?.scalarString }
            guard !ids.isEmpty else { continue }
            known[table] = Set(try await services.externalIDs.coreIDs(face: WHMCSFace.faceName, kind: kind, externalIDs: ids).keys)
        }
        do {
            try await services.referenceData.apply(builder.data)
        } catch DeskError.conflict(.exists(.customerUser, let login)) {
            // Name the row, as for every other problem of the file.
            let row = builder.logins[login.lowercased()] ?? "a row"
            throw Failure(description: "\(row): column 'email': \(login) is already the login of a customer user")
        }
        var lines = Self.tables.filter { rows[$0] != nil }.map { table -> String in
            guard let existing = known[table] ?? (Self.originKinds[table] != nil ? [] : nil) else {
                return "\(table): \(rows[table]?.count ?? 0) read"
            }
            let all = rows[table] ?? []
            let updated = all.filter { $0.values["id"]?.scalarString.map(existing.contains) ?? false }.count
            return "\(table): \(all.count - updated) created, \(updated) updated"
        }
        if !skipped.isEmpty { lines.append("skipped: " + skipped.joined(separator: ", ")) }
        return lines
    }

    /// Tables whose rows keep their ids as the face's external ids.
    static let originKinds: [String: String] = [
        "tblclients": Kind.client, "tblcontacts": Kind.contact, "tblticketdepartments": Kind.department, "tbltickets": Kind.ticket,
        "tblticketreplies": Kind.reply, "tblticketnotes": Kind.note,
    ]

    /// The import, checked row by row before anything is written (one `apply`, one transaction).
    func build(_ rows: [String: [Row]]) async throws -> Builder {
        var builder = Builder(
            directory: try await WHMCSDirectory.load(services), catalog: try await services.catalog(),
            knownDepartments: Set(try await services.externalIDs.list(face: WHMCSFace.faceName, kind: Kind.department).map(\.externalID)))
        try builder.departments(rows["tblticketdepartments"] ?? [])
        if let statuses = rows["tblticketstatuses"] { try builder.statuses(statuses) }
        if let fields = rows["tblcustomfields"] { try builder.customFields(fields) }
        if let categories = rows["tblticketpredefinedcats"] { try builder.categories(categories) }
        if let replies = rows["tblticketpredefinedreplies"] { try builder.predefinedReplies(replies) }
        try builder.clients(rows["tblclients"] ?? [])
        try builder.contacts(rows["tblcontacts"] ?? [])
        try builder.tickets(rows["tbltickets"] ?? [])
        try builder.replies(rows["tblticketreplies"] ?? [])
        try builder.notes(rows["tblticketnotes"] ?? [])
        builder.data.documents = [try builder.directory.document]
        return builder
    }

    /// One import's reference data, table by table.
    struct Builder {
        var data = ReferenceImport(face: WHMCSFace.faceName)
        var directory: WHMCSDirectory
        let catalog: Catalog
        var knownDepartments: Set<String>
        var clientLogins: [Int: String] = [:]
        var clientCompanies: [Int: CustomerCompany] = [:]
        var contactLogins: [Int: String] = [:]
        /// Logins taken by a row of this file, and which row: two rows with one address clash.
        var logins: [String: String] = [:]
        var tickets: Set<Int> = []

        init(directory: WHMCSDirectory, catalog: Catalog, knownDepartments: Set<String>) {
            self.directory = directory
            self.catalog = catalog
            self.knownDepartments = knownDepartments
        }

        mutating func departments(_ rows: [Row]) throws(Failure) {
            for row in rows {
                let name = row.text("name")
                guard !name.trimmingSpaces.isEmpty, name.count <= 200 else { throw row.fail("name", "missing or longer than 200") }
                let id = String(try row.id())
                knownDepartments.insert(id)
                data.queues.append(.init(origin: .init(kind: Kind.department, id: id), name: name))
            }
        }

        /// Statuses other than WHMCS's six become states of their own (open when active).
        mutating func statuses(_ rows: [Row]) throws(Failure) {
            var list: [WHMCSDirectory.Status] = []
            for row in rows {
                let title = row.text("title")
                guard !title.isEmpty else { throw row.fail("title", "missing") }
                let known = WHMCSDirectory.defaultStatuses.first { $0.title == title }
                let state = known?.state ?? String(title.lowercased().prefix(200))
                if catalog.states[state] == nil, !data.states.contains(where: { $0.name == state }) {
                    data.states.append(.init(name: state, type: known != nil || row.flag("showactive") ? "open" : "closed"))
                }
                list.append(
                    .init(
                        id: try row.id(), title: title, color: row.text("color"), sortOrder: try row.int("sortorder"),
                        showActive: row.flag("showactive"), showAwaiting: row.flag("showawaiting"), state: state))
            }
            directory.statuses = list
        }

        mutating func customFields(_ rows: [Row]) throws(Failure) {
            var list: [WHMCSDirectory.CustomField] = []
            for row in rows where row.text("type") == "support" {
                let id = try row.id()
                let name = row.text("fieldname")
                guard !name.isEmpty else { throw row.fail("fieldname", "missing") }
                let field = WHMCSDirectory.CustomField(
                    id: id, department: try row.int("relid"), name: name, dynamicField: "WHMCSField\(id)")
                list.append(field)
                data.dynamicFields.append(
                    .init(
                        origin: .init(kind: Kind.customField, id: String(id)), name: field.dynamicField, label: String(name.prefix(200)),
                        type: .text))
            }
            directory.customFields = list
        }

        mutating func categories(_ rows: [Row]) throws(Failure) {
            var list: [WHMCSDirectory.PredefinedCategory] = []
            for row in rows { list.append(.init(id: try row.id(), parentID: try row.int("parentid"), name: row.text("name"))) }
            directory.categories = list
        }

        mutating func predefinedReplies(_ rows: [Row]) throws(Failure) {
            var list: [WHMCSDirectory.PredefinedReply] = []
            for row in rows {
                list.append(.init(id: try row.id(), categoryID: try row.int("catid"), name: row.text("name"), reply: row.text("reply")))
            }
            directory.replies = list
        }

        /// The customer user a row brings: its address is its login, once per file.
        mutating func login(_ row: Row) throws(Failure) -> String {
            let email = row.text("email").trimmingSpaces
            guard MailAddress.isBareAddress(email) else { throw row.fail("email", "not an e-mail address") }
            let login = email.lowercased()
            if let other = logins[login] { throw row.fail("email", "\(email) is also the address of \(other)") }
            logins[login] = row.name
            return login
        }

        mutating func clients(_ rows: [Row]) throws(Failure) {
            for row in rows {
                let id = try row.id()
                let login = try login(row)
                let company = WHMCSImporter.company(
                    client: id, name: row.text("companyname"), first: row.text("firstname"), last: row.text("lastname"))
                clientLogins[id] = login
                clientCompanies[id] = company
                var item = ReferenceImport.CustomerItem(
                    origin: .init(kind: Kind.client, id: String(id)), login: login, email: row.text("email").trimmingSpaces,
                    firstName: row.text("firstname"), lastName: row.text("lastname"), passwordHash: row.values["password"]?.scalarString,
                    validity: ["Inactive", "Closed"].contains(row.text("status")) ? .invalid : .valid, coreIDPrefix: "customer:")
                item.company = company
                data.customers.append(item)
                data.externalIDs.append(
                    ExternalID(
                        face: WHMCSFace.faceName, kind: Kind.clientCompany, externalID: String(id), coreID: "company:" + company.customerID)
                )
            }
        }

        mutating func contacts(_ rows: [Row]) throws(Failure) {
            for row in rows {
                let id = try row.id()
                let client = try row.int("userid")
                guard let company = clientCompanies[client] else {
                    throw row.fail("userid", "no tblclients row with id \(client) in the file")
                }
                let login = try login(row)
                contactLogins[id] = login
                var item = ReferenceImport.CustomerItem(
                    origin: .init(kind: Kind.contact, id: String(id)), login: login, email: row.text("email").trimmingSpaces,
                    firstName: row.text("firstname"), lastName: row.text("lastname"), passwordHash: row.values["password"]?.scalarString,
                    coreIDPrefix: "customer:")
                item.company = company
                data.customers.append(item)
            }
        }

        /// The state a ticket row names: merged tickets (`merged_ticket_id`) get `merged`.
        func stateName(_ row: Row) throws(Failure) -> String {
            if try row.int("merged_ticket_id") != 0 { return "merged" }
            let title = row.text("status")
            guard let status = directory.status(titled: title) else { throw row.fail("status", "unknown status '\(title)'") }
            guard catalog.states[status.state] != nil || data.states.contains(where: { $0.name == status.state }) else {
                throw row.fail("status", "no SwiftDesk state '\(status.state)'")
            }
            return status.state
        }

        /// Tickets with their own messages (imported first, so each stays its ticket's first
        /// article). `flag` is not carried over: WHMCS's admin ids are not SwiftDesk's.
        mutating func tickets(_ rows: [Row]) throws(Failure) {
            var openings: [ReferenceImport.ArticleItem] = []
            for row in rows {
                let id = try row.id()
                let department = try row.int("did")
                guard knownDepartments.contains(String(department)) else { throw row.fail("did", "no department with id \(department)") }
                let title = row.text("title")
                guard !title.trimmingSpaces.isEmpty, title.count <= 255 else { throw row.fail("title", "missing or longer than 255") }
                let state = try stateName(row)
                let priorityName = WHMCSMapping.priorities.first { $0.title == row.text("urgency") }?.core ?? "3 normal"
                guard let priority = catalog.priorities[priorityName]?.id else { throw row.fail("urgency", "no SwiftDesk priority") }
                let client = try row.int("userid")
                let contact = try row.int("contactid")
                var customer: String?
                if contact > 0 {
                    customer = contactLogins[contact]
                    guard customer != nil else { throw row.fail("contactid", "no tblcontacts row with id \(contact) in the file") }
                } else if client > 0 {
                    customer = clientLogins[client]
                    guard customer != nil else { throw row.fail("userid", "no tblclients row with id \(client) in the file") }
                } else {
                    let email = row.text("email").trimmingSpaces
                    customer = email.isEmpty ? nil : email.lowercased()
                }
                let created = try row.date("date") ?? 0
                var attributes: [String: String?] = [Attribute.accessCode: row.text("c"), Attribute.cc: row.text("cc")]
                if let lastReply = try row.date("lastreply") { attributes[Attribute.lastReply] = String(lastReply) }
                if client == 0 {
                    attributes[Attribute.name] = row.text("name")
                    attributes[Attribute.email] = row.text("email")
                }
                if !row.text("admin").isEmpty { attributes[Attribute.admin] = row.text("admin") }
                if !row.text("service").isEmpty { attributes[Attribute.service] = row.text("service") }
                let origin = ReferenceImport.Origin(kind: Kind.ticket, id: String(id))
                tickets.insert(id)
                var item = ReferenceImport.TicketItem(
                    origin: origin, title: title, queue: .init(kind: Kind.department, id: String(department)), stateID: 0,
                    priorityID: priority, locked: false, owner: nil, customerUser: customer, createdAt: created,
                    changedAt: try row.date("lastreply") ?? created,
                    attributes: FaceAttributes(face: WHMCSFace.faceName, values: attributes),
                    fieldValues: [:])
                item.stateName = state
                // As OpenTicket keeps it: the client's GetTickets does not list a guest's ticket.
                if client == 0 && contact == 0, let email = customer { item.customerID = WHMCSPeople.guestCustomerID(email) }
                data.tickets.append(item)
                let tid = row.text("tid")
                if !tid.isEmpty { data.aliases.append(.init(origin: origin, kind: Kind.tid, externalID: tid)) }
                openings.append(
                    .init(
                        origin: .init(kind: Kind.opening, id: String(id)), ticket: origin, subject: title, body: row.text("message"),
                        isVisibleForCustomer: true, senderType: row.text("admin").isEmpty ? "customer" : "agent", author: nil,
                        messageID: "",
                        createdAt: created, timeUnit: nil, attributes: nil))
            }
            data.articles += openings
        }

        mutating func replies(_ rows: [Row]) throws(Failure) {
            for row in rows {
                let id = try row.id()
                let ticket = try row.int("tid")
                guard tickets.contains(ticket) else { throw row.fail("tid", "no tbltickets row with id \(ticket) in the file") }
                var attributes: [String: String?] = [Attribute.rating: String(try row.int("rating"))]
                let admin = row.text("admin")
                if admin.isEmpty {
                    attributes[Attribute.userID] = String(try row.int("userid"))
                    attributes[Attribute.contactID] = String(try row.int("contactid"))
                    if !row.text("name").isEmpty { attributes[Attribute.name] = row.text("name") }
                    if !row.text("email").isEmpty { attributes[Attribute.email] = row.text("email") }
                } else {
                    attributes[Attribute.admin] = admin
                }
                data.articles.append(
                    .init(
                        origin: .init(kind: Kind.reply, id: String(id)), ticket: .init(kind: Kind.ticket, id: String(ticket)), subject: "",
                        body: row.text("message"), isVisibleForCustomer: true, senderType: admin.isEmpty ? "customer" : "agent",
                        author: nil, messageID: "", createdAt: try row.date("date") ?? 0, timeUnit: nil,
                        attributes: FaceAttributes(face: WHMCSFace.faceName, values: attributes)))
            }
        }

        mutating func notes(_ rows: [Row]) throws(Failure) {
            for row in rows {
                let id = try row.id()
                let ticket = try row.int("ticketid")
                guard tickets.contains(ticket) else { throw row.fail("ticketid", "no tbltickets row with id \(ticket) in the file") }
                data.articles.append(
                    .init(
                        origin: .init(kind: Kind.note, id: String(id)), ticket: .init(kind: Kind.ticket, id: String(ticket)), subject: "",
                        body: row.text("message"), isVisibleForCustomer: false, senderType: "agent", author: nil, messageID: "",
                        createdAt: try row.date("date") ?? 0, timeUnit: nil,
                        attributes: FaceAttributes(face: WHMCSFace.faceName, values: [Attribute.admin: row.text("admin")])))
            }
        }
    }

    /// A client's company: `whmcs-client-<id>`, named by the company or else the client's name.
    static func company(client id: Int, name: String, first: String, last: String) -> CustomerCompany {
        let label = name.trimmingSpaces.isEmpty ? [first, last].filter { !$0.isEmpty }.joined(separator: " ") : name
        return CustomerCompany(customerID: "whmcs-client-\(id)", name: String((label.isEmpty ? "whmcs-client-\(id)" : label).prefix(200)))
    }
}
