import DeskCore
import DeskFaceKit
import Foundation

/// `swiftdesk djhd import FILE.json`: the output of django-helpdesk's `manage.py dumpdata` (a list
/// of `{"model", "pk", "fields"}`) for `auth.user`, `authtoken.token`, `helpdesk.queue`,
/// `helpdesk.customfield`, `helpdesk.ticket`, `helpdesk.followup` and
/// `helpdesk.ticketcustomfieldvalue`, keeping every primary key as this face's id. Staff users
/// become agents, the others customer users, both with their password hashes; tokens keep
/// working. One transaction; running it again updates and never duplicates. Other models are
/// skipped and listed.
public struct DjangoImporter: Sendable {
    let services: DeskServices

    public init(services: DeskServices) {
        self.services = services
    }

    /// A problem with the file, naming model, pk and field.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    static let models = [
        "auth.user", "authtoken.token", "helpdesk.queue", "helpdesk.customfield", "helpdesk.ticket", "helpdesk.followup",
        "helpdesk.ticketcustomfieldvalue",
    ]

    struct Row {
        let model: String
        let pk: JSONValue
        let fields: [String: JSONValue]

        var key: String { pk.scalarString ?? "" }

        func fail(_ field: String, _ problem: String) -> Failure {
            Failure(description: "\(model) pk \(key): field '\(field)': \(problem)")
        }

        func text(_ field: String) -> String? {
            guard let value = fields[field], value != .null else { return nil }
            return value.scalarString
        }

        func required(_ field: String) throws(Failure) -> String {
            guard let value = text(field), !value.isEmpty else { throw fail(field, "missing") }
            return value
        }

        /// The row's primary key: a positive number below the range the face keeps for SwiftDesk's own objects.
        func id() throws(Failure) -> Int {
            guard let id = Int(key) else { throw fail("pk", "not a number") }
            guard id > 0, id < DjangoIDs.foreign else { throw fail("pk", "must be between 1 and \(DjangoIDs.foreign - 1)") }
            return id
        }

        func int(_ field: String) throws(Failure) -> Int? {
            guard let value = text(field) else { return nil }
            guard let int = Int(value) else { throw fail(field, "not a number") }
            return int
        }

        func bool(_ field: String) -> Bool {
            if case .bool(let flag) = fields[field] { return flag }
            return ["1", "true", "True"].contains(text(field) ?? "")
        }

        func time(_ field: String) throws(Failure) -> Int64? {
            guard let value = text(field) else { return nil }
            guard let seconds = DRF.parseISODateTime(value) else { throw fail(field, "not a date and time") }
            return seconds
        }
    }

    /// Imports `bytes`; one line per model (`<model>: N created, M updated`) and the skipped ones.
    public func run(_ bytes: [UInt8]) async throws -> [String] {
        guard let document = try? JSONParser.parse(bytes), let list = document.arrayValue else {
            throw Failure(description: "the file is not a dumpdata list of objects")
        }
        var rows: [String: [Row]] = [:]
        var skipped: Set<String> = []
        for (index, item) in list.enumerated() {
            guard let model = item["model"]?.scalarString, let pk = item["pk"], let fields = item["fields"]?.objectValue else {
                throw Failure(description: "object \(index + 1): expected model, pk and fields")
            }
            if Self.models.contains(model) {
                rows[model, default: []].append(Row(model: model, pk: pk, fields: fields))
            } else {
                skipped.insert(model)
            }
        }
        let mapping = try await DjangoMapping.load(services)
        let data = try build(rows, mapping: mapping)
        let report = try await services.referenceData.apply(data)
        let kinds: [String: [String]] = [
            "auth.user": ["agent", "customer user"], "authtoken.token": ["credential"], "helpdesk.queue": ["queue"],
            "helpdesk.customfield": ["dynamic field"], "helpdesk.ticket": ["ticket"], "helpdesk.followup": ["article"],
        ]
        var lines = Self.models.filter { rows[$0] != nil }.map { model -> String in
            var created = kinds[model, default: []].reduce(0) { $0 + (report.created[$1] ?? 0) }
            var updated = kinds[model, default: []].reduce(0) { $0 + (report.updated[$1] ?? 0) }
            if model == "helpdesk.ticketcustomfieldvalue" {
                // Values are written with their tickets: new with new tickets.
                let total = rows[model]?.count ?? 0
                created = (report.created["ticket"] ?? 0) > 0 ? total : 0
                updated = total - created
            }
            return "\(model): \(created) created, \(updated) updated"
        }
        if !skipped.isEmpty { lines.append("skipped: " + skipped.sorted().joined(separator: ", ")) }
        return lines
    }

    func build(_ rows: [String: [Row]], mapping: DjangoMapping) throws -> ReferenceImport {
        var data = ReferenceImport(face: DjangoFace.faceName)
        var directory = mapping.directory

        // Users: staff are agents, the others customer users.
        var users: [String: (login: String, staff: Bool)] = [:]
        for row in rows["auth.user"] ?? [] {
            _ = try row.id()
            let login = try row.required("username")
            let staff = row.bool("is_staff")
            users[row.key] = (login, staff)
            let origin = ReferenceImport.Origin(kind: DjangoMapping.Kind.user, id: row.key)
            let hash = row.text("password")
            let validity: Validity = row.fields["is_active"].map { _ in row.bool("is_active") } ?? true ? .valid : .invalid
            let email = row.text("email") ?? ""
            if staff {
                var grants = [AdminService.Grant(group: "users", permission: .rw)]
                if row.bool("is_superuser") { grants.append(.init(group: "admin", permission: .rw)) }
                data.agents.append(
                    .init(
                        origin: origin, login: login, firstName: row.text("first_name") ?? "", lastName: row.text("last_name") ?? "",
                        email: MailAddress.isBareAddress(email) ? email : "", passwordHash: hash, validity: validity, grants: grants))
                data.agents[data.agents.count - 1].coreIDPrefix = "agent:"
                // An agent account that exists already stays SwiftDesk's: the import does not take it over.
                data.agents[data.agents.count - 1].adoptExisting = false
            } else {
                data.customers.append(
                    .init(
                        origin: origin, login: login, email: email, firstName: row.text("first_name") ?? "",
                        lastName: row.text("last_name") ?? "",
                        passwordHash: hash, validity: validity, coreIDPrefix: "customer:"))
            }
        }
        let userLogin = { (row: Row, field: String) throws(Failure) -> (login: String, staff: Bool)? in
            guard let id = row.text(field) else { return nil }
            guard let user = users[id] else { throw row.fail(field, "no auth.user with pk \(id) in the file") }
            return user
        }
        for row in rows["authtoken.token"] ?? [] {
            guard let user = try userLogin(row, "user") else { throw row.fail("user", "missing") }
            data.credentials.append(
                .init(
                    kind: .token, secret: row.key,
                    options: .init(
                        agentLogin: user.staff ? user.login : nil, customerLogin: user.staff ? nil : user.login,
                        notes: "django-helpdesk token")))
        }
        var queues = Set(mapping.queueToCore.keys.map(String.init))
        for row in rows["helpdesk.queue"] ?? [] {
            let id = try row.id()
            let title = try row.required("title")
            let slug = try row.required("slug")
            queues.insert(row.key)
            data.queues.append(.init(origin: .init(kind: DjangoMapping.Kind.queue, id: row.key), name: title))
            directory.queues.removeAll { $0.id == id }
            directory.queues.append(.init(id: id, slug: slug))
        }
        var fields: [String: DjangoDirectory.CustomField] = [:]
        for field in directory.customFields { fields[String(field.id)] = field }
        var fieldNames = Dictionary(
            directory.customFields.map { ($0.dynamicField, String($0.id)) }, uniquingKeysWith: { first, _ in first })
        for row in rows["helpdesk.customfield"] ?? [] {
            let id = try row.id()
            let name = try row.required("name")
            let dynamicField = Self.dynamicFieldName(name)
            if let other = fieldNames[dynamicField], other != row.key {
                throw row.fail("name", "maps to dynamic field \(dynamicField), as helpdesk.customfield pk \(other) does")
            }
            fieldNames[dynamicField] = row.key
            let type = row.text("data_type") ?? "varchar"
            let field = DjangoDirectory.CustomField(
                id: id, name: name, label: row.text("label") ?? name, helpText: row.text("help_text") ?? "", dataType: type,
                maxLength: try row.int("max_length"), decimalPlaces: try row.int("decimal_places"),
                emptySelectionList: row.bool("empty_selection_list"),
                listValues: (row.text("list_values") ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.filter {
                    !$0.isEmpty
                },
                ordering: try row.int("ordering"), required: row.bool("required"), staffOnly: row.bool("staff_only"),
                dynamicField: dynamicField)
            fields[row.key] = field
            data.dynamicFields.append(
                .init(
                    origin: .init(kind: DjangoMapping.Kind.customField, id: row.key), name: field.dynamicField, label: field.label,
                    type: type == "text" ? .textArea : .text))
        }
        directory.customFields = fields.values.sorted { $0.id < $1.id }
        var values: [String: [String: [String]]] = [:]
        for row in rows["helpdesk.ticketcustomfieldvalue"] ?? [] {
            guard let ticket = row.text("ticket") else { throw row.fail("ticket", "missing") }
            guard let fieldID = row.text("field"), let field = fields[fieldID] else {
                throw row.fail("field", "no helpdesk.customfield with that pk")
            }
            values[ticket, default: [:]][field.dynamicField] = row.text("value").map { [$0] } ?? []
        }
        let statuses = mapping.statusToCore
        let priorities = mapping.priorityToCore
        var tickets: Set<String> = []
        for row in rows["helpdesk.ticket"] ?? [] {
            _ = try row.id()
            let queue = try row.required("queue")
            guard queues.contains(queue) else { throw row.fail("queue", "no helpdesk.queue with pk \(queue)") }
            let status = try row.int("status") ?? 1
            guard let state = statuses[status] else { throw row.fail("status", "unknown status \(status)") }
            let priority = try row.int("priority") ?? 3
            guard let corePriority = priorities[priority] else { throw row.fail("priority", "unknown priority \(priority)") }
            let owner = try userLogin(row, "assigned_to")
            guard owner?.staff ?? true else { throw row.fail("assigned_to", "user is not staff") }
            let created = try row.time("created") ?? 0
            var attributes: [String: String?] = [
                DjangoSerializers.Attribute.secretKey: row.text("secret_key") ?? UUID().uuidString.lowercased(),
                DjangoSerializers.Attribute.description: row.text("description") ?? "",
            ]
            if let resolution = row.text("resolution") { attributes[DjangoSerializers.Attribute.resolution] = resolution }
            if let due = try row.time("due_date") { attributes[DjangoSerializers.Attribute.dueDate] = DRF.isoTime(due) }
            if let merged = row.text("merged_to") { attributes[DjangoSerializers.Attribute.mergedTo] = merged }
            tickets.insert(row.key)
            data.tickets.append(
                .init(
                    origin: .init(kind: DjangoMapping.Kind.ticket, id: row.key), title: try row.required("title"),
                    queue: .init(kind: DjangoMapping.Kind.queue, id: queue), stateID: state, priorityID: corePriority,
                    locked: row.bool("on_hold"), owner: owner?.login,
                    customerUser: row.text("submitter_email").flatMap { $0.isEmpty ? nil : $0 },
                    createdAt: created, changedAt: try row.time("modified") ?? created,
                    attributes: FaceAttributes(face: DjangoFace.faceName, values: attributes), fieldValues: values[row.key] ?? [:]))
        }
        for row in rows["helpdesk.followup"] ?? [] {
            _ = try row.id()
            let ticket = try row.required("ticket")
            guard tickets.contains(ticket) else { throw row.fail("ticket", "no helpdesk.ticket with pk \(ticket) in the file") }
            let user = try userLogin(row, "user")
            var attributes: [String: String?] = [:]
            typealias Attribute = DjangoSerializers.Attribute
            if row.text("title") == nil { attributes[Attribute.nullTitle] = "1" }
            if row.text("comment") == nil { attributes[Attribute.nullComment] = "1" }
            if let status = row.text("new_status") { attributes[Attribute.newStatus] = status }
            if let author = row.text("user"), user?.staff == false { attributes[Attribute.user] = author }
            // Mail and public-form follow-ups have no user: kept as an empty mark, read back as null.
            if row.text("user") == nil { attributes[Attribute.user] = "" }
            var minutes: Double?
            if let spent = row.text("time_spent") {
                guard case .success(let micro?) = DRF.duration(.string(spent)) else { throw row.fail("time_spent", "not a duration") }
                attributes[Attribute.timeSpent] = DRF.durationText(micro)
                minutes = DRF.accountedMinutes(micro)
            }
            if let recipients = row.fields["email_recipients"], recipients != .null {
                attributes[Attribute.emailRecipients] = JSONWriter.string(recipients)
            }
            data.articles.append(
                .init(
                    origin: .init(kind: DjangoMapping.Kind.followup, id: row.key),
                    ticket: .init(kind: DjangoMapping.Kind.ticket, id: ticket),
                    subject: row.text("title") ?? "", body: row.text("comment") ?? "", isVisibleForCustomer: row.bool("public"),
                    senderType: user?.staff == false ? "customer" : "agent", author: user?.staff == true ? user?.login : nil,
                    messageID: row.text("message_id") ?? "", createdAt: try row.time("date") ?? 0, timeUnit: minutes,
                    attributes: attributes.isEmpty ? nil : FaceAttributes(face: DjangoFace.faceName, values: attributes)))
        }
        data.documents = [try DjangoSetup.document(directory)]
        return data
    }

    /// `customer-ref` → `HelpdeskCustomerRef`: letters and digits (Znuny's rule), prefixed.
    static func dynamicFieldName(_ name: String) -> String {
        let parts = name.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return "Helpdesk" + parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
