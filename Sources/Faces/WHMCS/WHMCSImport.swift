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
        let data = try await build(rows)
        let report = try await services.referenceData.apply(data)
        let kinds: [String: String] = [
            "tblclients": "customer user", "tblticketdepartments": "queue", "tbltickets": "ticket", "tblticketreplies": "article",
        ]
        var lines = Self.tables.filter { rows[$0] != nil }.map { table -> String in
            if let kind = kinds[table], table != "tblticketreplies" {
                return "\(table): \(report.created[kind] ?? 0) created, \(report.updated[kind] ?? 0) updated"
            }
            return "\(table): \(rows[table]?.count ?? 0) read"
        }
        if !skipped.isEmpty { lines.append("skipped: " + skipped.joined(separator: ", ")) }
        return lines
    }

    func build(_ rows: [String: [Row]]) async throws -> ReferenceImport {
        var data = ReferenceImport(face: WHMCSFace.faceName)
        var directory = try await WHMCSDirectory.load(services)
        var catalog = try await services.catalog()

        for row in rows["tblticketdepartments"] ?? [] {
            let name = row.text("name")
            guard !name.trimmingSpaces.isEmpty else { throw row.fail("name", "missing") }
            data.queues.append(.init(origin: .init(kind: Kind.department, id: String(try row.id())), name: name))
        }
        if let statuses = rows["tblticketstatuses"] {
            var list: [WHMCSDirectory.Status] = []
            for row in statuses {
                let title = row.text("title")
                guard !title.isEmpty else { throw row.fail("title", "missing") }
                let known = WHMCSDirectory.defaultStatuses.first { $0.title == title }
                let state = known?.state ?? title.lowercased()
                if known == nil, catalog.states[state] == nil {
                    data.states.append(.init(name: state, type: row.flag("showactive") ? "open" : "closed"))
                }
                list.append(
                    .init(
                        id: try row.id(), title: title, color: row.text("color"), sortOrder: try row.int("sortorder"),
                        showActive: row.flag("showactive"), showAwaiting: row.flag("showawaiting"), state: state))
            }
            directory.statuses = list
            // States for new statuses go in first, so that tickets can name them.
            if !data.states.isEmpty {
                var states = ReferenceImport(face: WHMCSFace.faceName)
                states.states = data.states
                try await services.referenceData.apply(states)
                data.states = []
                catalog = try await services.catalog()
            }
        }
        if let fields = rows["tblcustomfields"] {
            var list: [WHMCSDirectory.CustomField] = []
            for row in fields where row.text("type") == "support" {
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
        if let categories = rows["tblticketpredefinedcats"] {
            directory.categories = try categories.map { row in
                .init(id: try row.id(), parentID: try row.int("parentid"), name: row.text("name"))
            }
        }
        if let replies = rows["tblticketpredefinedreplies"] {
            directory.replies = try replies.map { row in
                .init(id: try row.id(), categoryID: try row.int("catid"), name: row.text("name"), reply: row.text("reply"))
            }
        }

        // Clients and contacts.
        var clientLogins: [Int: String] = [:]
        var clientCompanies: [Int: CustomerCompany] = [:]
        for row in rows["tblclients"] ?? [] {
            let id = try row.id()
            let email = row.text("email").trimmingSpaces
            guard MailAddress.isBareAddress(email) else { throw row.fail("email", "not an e-mail address") }
            let company = Self.company(client: id, name: row.text("companyname"), first: row.text("firstname"), last: row.text("lastname"))
            clientLogins[id] = email.lowercased()
            clientCompanies[id] = company
            data.customers.append(
                .init(
                    origin: .init(kind: Kind.client, id: String(id)), login: email.lowercased(), email: email,
                    firstName: row.text("firstname"),
                    lastName: row.text("lastname"), passwordHash: row.values["password"]?.scalarString,
                    validity: ["Inactive", "Closed"].contains(row.text("status")) ? .invalid : .valid, coreIDPrefix: "customer:"))
            data.customers[data.customers.count - 1].company = company
            data.externalIDs.append(
                ExternalID(
                    face: WHMCSFace.faceName, kind: Kind.clientCompany, externalID: String(id), coreID: "company:" + company.customerID))
        }
        var contactLogins: [Int: String] = [:]
        for row in rows["tblcontacts"] ?? [] {
            let id = try row.id()
            let client = try row.int("userid")
            guard let company = clientCompanies[client] else { throw row.fail("userid", "no tblclients row with id \(client) in the file") }
            let email = row.text("email").trimmingSpaces
            guard MailAddress.isBareAddress(email) else { throw row.fail("email", "not an e-mail address") }
            contactLogins[id] = email.lowercased()
            data.customers.append(
                .init(
                    origin: .init(kind: Kind.contact, id: String(id)), login: email.lowercased(), email: email,
                    firstName: row.text("firstname"), lastName: row.text("lastname"), passwordHash: row.values["password"]?.scalarString,
                    coreIDPrefix: "customer:"))
            data.customers[data.customers.count - 1].company = company
        }

        // Tickets, their opening messages, replies and notes.
        let departments = Set(data.queues.map(\.origin.id)).union(
            try await services.externalIDs.list(face: WHMCSFace.faceName, kind: Kind.department).map(\.externalID))
        let agents = try await services.admin.agentListings()
        let agentLogins = Dictionary(agents.map { ($0.agent.id, $0.agent.login) }, uniquingKeysWith: { a, _ in a })
        var tickets: Set<Int> = []
        var openings: [ReferenceImport.ArticleItem] = []
        for row in rows["tbltickets"] ?? [] {
            let id = try row.id()
            let department = try row.int("did")
            guard departments.contains(String(department)) else { throw row.fail("did", "no department with id \(department)") }
            let statusTitle = row.text("status")
            guard let status = directory.status(titled: statusTitle) else { throw row.fail("status", "unknown status '\(statusTitle)'") }
            let stateName = status.state
            guard let state = catalog.states[stateName]?.id else {
                throw row.fail("status", "no SwiftDesk state '\(stateName)'")
            }
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
            if client == 0 {
                attributes[Attribute.name] = row.text("name")
                attributes[Attribute.email] = row.text("email")
            }
            if !row.text("admin").isEmpty { attributes[Attribute.admin] = row.text("admin") }
            if !row.text("service").isEmpty { attributes[Attribute.service] = row.text("service") }
            let flag = try row.int("flag")
            let origin = ReferenceImport.Origin(kind: Kind.ticket, id: String(id))
            tickets.insert(id)
            data.tickets.append(
                .init(
                    origin: origin, title: row.text("title"), queue: .init(kind: Kind.department, id: String(department)),
                    stateID: state, priorityID: priority, locked: false, owner: flag > 0 ? agentLogins[flag] : nil, customerUser: customer,
                    createdAt: created, changedAt: try row.date("lastreply") ?? created,
                    attributes: FaceAttributes(face: WHMCSFace.faceName, values: attributes), fieldValues: [:]))
            let tid = row.text("tid")
            if !tid.isEmpty { data.aliases.append(.init(origin: origin, kind: Kind.tid, externalID: tid)) }
            openings.append(
                .init(
                    origin: .init(kind: "opening", id: String(id)), ticket: origin, subject: row.text("title"), body: row.text("message"),
                    isVisibleForCustomer: true, senderType: row.text("admin").isEmpty ? "customer" : "agent", author: nil, messageID: "",
                    createdAt: created, timeUnit: nil, attributes: nil))
        }
        data.articles = openings
        for row in rows["tblticketreplies"] ?? [] {
            let id = try row.id()
            let ticket = try row.int("tid")
            guard tickets.contains(ticket) else { throw row.fail("tid", "no tbltickets row with id \(ticket) in the file") }
            var attributes: [String: String?] = [Attribute.rating: String(try row.int("rating"))]
            let admin = row.text("admin")
            if !admin.isEmpty { attributes[Attribute.admin] = admin }
            let author = try row.int("userid")
            if admin.isEmpty && author == 0 && !row.text("email").isEmpty {
                attributes[Attribute.name] = row.text("name")
                attributes[Attribute.email] = row.text("email")
            }
            data.articles.append(
                .init(
                    origin: .init(kind: Kind.reply, id: String(id)), ticket: .init(kind: Kind.ticket, id: String(ticket)), subject: "",
                    body: row.text("message"), isVisibleForCustomer: true, senderType: admin.isEmpty ? "customer" : "agent", author: nil,
                    messageID: "", createdAt: try row.date("date") ?? 0, timeUnit: nil,
                    attributes: FaceAttributes(face: WHMCSFace.faceName, values: attributes)))
        }
        for row in rows["tblticketnotes"] ?? [] {
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
        data.documents = [try directory.document]
        return data
    }

    /// A client's company: `whmcs-client-<id>`, named by the company or else the client's name.
    static func company(client id: Int, name: String, first: String, last: String) -> CustomerCompany {
        let label = name.trimmingSpaces.isEmpty ? [first, last].filter { !$0.isEmpty }.joined(separator: " ") : name
        return CustomerCompany(customerID: "whmcs-client-\(id)", name: String((label.isEmpty ? "whmcs-client-\(id)" : label).prefix(200)))
    }

    /// `swiftdesk whmcs client add`: one client (a company and its owner).
    public func addClient(id: Int, firstName: String, lastName: String, email: String, company: String) async throws {
        guard id > 0, id < FaceNumericIDs.foreign else { throw Failure(description: "the client id must be between 1 and 999999999") }
        guard MailAddress.isBareAddress(email) else { throw Failure(description: "'\(email)' is not an e-mail address") }
        var data = ReferenceImport(face: WHMCSFace.faceName)
        let customerCompany = Self.company(client: id, name: company, first: firstName, last: lastName)
        data.customers = [
            .init(
                origin: .init(kind: Kind.client, id: String(id)), login: email.lowercased(), email: email, firstName: firstName,
                lastName: lastName, passwordHash: nil, coreIDPrefix: "customer:")
        ]
        data.customers[0].company = customerCompany
        data.externalIDs = [
            ExternalID(
                face: WHMCSFace.faceName, kind: Kind.clientCompany, externalID: String(id), coreID: "company:" + customerCompany.customerID)
        ]
        try await services.referenceData.apply(data)
    }

    /// `swiftdesk whmcs department add`: a department (a SwiftDesk queue); returns its id.
    public func addDepartment(name: String, id: Int?) async throws -> Int {
        let existing = try await services.externalIDs.list(face: WHMCSFace.faceName, kind: Kind.department).compactMap {
            Int($0.externalID)
        }
        let id = id ?? (existing.max() ?? 0) + 1
        guard id > 0 else { throw Failure(description: "the department id must be positive") }
        var data = ReferenceImport(face: WHMCSFace.faceName)
        data.queues = [.init(origin: .init(kind: Kind.department, id: String(id)), name: name)]
        try await services.referenceData.apply(data)
        return id
    }
}
