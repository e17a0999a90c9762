import DeskCore
import DeskFaceKit
import Foundation

/// `swiftdesk osticket import FILE.json`: an osTicket installation's reference data, one JSON
/// object whose keys are osTicket's table names without prefix (`api_key`, `help_topic`,
/// `help_topic_form`, `form`, `form_field`, `department`, `staff`, `ticket_priority`,
/// `ticket_status`), each a list of rows with osTicket's column names (numbers as numbers or
/// strings, as MySQL's JSON output gives them). Unknown tables and columns are ignored; a missing
/// required column is an error naming table, row and column. Tables left out keep what the face
/// has. Re-running updates: nothing is duplicated.
public struct OSTicketImport {
    /// A problem with the file, naming table, row and column.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    typealias Row = [String: JSONValue]

    var directory: OSTicketDirectory
    var staff: [ReferenceImport.AgentItem] = []
    var keys: [ReferenceImport.CredentialItem] = []
    /// Which tables were given, to tell the operator what was imported.
    var tables: [String] = []

    /// Reads `bytes` over the face's current `directory`.
    init(json bytes: [UInt8], over directory: OSTicketDirectory) throws(Failure) {
        guard let document = try? JSONParser.parse(bytes), let tables = document.objectValue else {
            throw Failure(description: "the file is not a JSON object of osTicket tables")
        }
        self.directory = directory
        func rows(_ table: String) throws(Failure) -> [Row]? {
            guard let value = tables[table] else { return nil }
            guard let list = value.arrayValue else { throw Failure(description: "\(table): expected a list of rows") }
            self.tables.append(table)
            var rows: [Row] = []
            for (index, row) in list.enumerated() {
                guard let object = row.objectValue else { throw Failure(description: "\(table) row \(index + 1): expected an object") }
                rows.append(object)
            }
            return rows
        }
        if let rows = try rows("department") {
            self.directory.departments = try rows.enumerated().map { index, row throws(Failure) in
                let cell = Cells(table: "department", index: index, row: row)
                return .init(id: try cell.int("id"), name: try cell.text("name"), isPublic: cell.optionalInt("ispublic") ?? 1 != 0)
            }
        }
        if let rows = try rows("ticket_priority") {
            self.directory.priorities = try rows.enumerated().map { index, row throws(Failure) in
                let cell = Cells(table: "ticket_priority", index: index, row: row)
                let name = try cell.text("priority_desc")
                return .init(
                    id: try cell.int("priority_id"), key: cell.optionalText("priority") ?? name.lowercased(), name: name,
                    urgency: cell.optionalInt("priority_urgency") ?? 3)
            }
        }
        if let rows = try rows("ticket_status") {
            self.directory.statuses = try rows.enumerated().map { index, row throws(Failure) in
                let cell = Cells(table: "ticket_status", index: index, row: row)
                return .init(id: try cell.int("id"), name: try cell.text("name"), state: try cell.text("state"))
            }
        }
        if let rows = try rows("form") {
            self.directory.forms = try rows.enumerated().map { index, row throws(Failure) in
                let cell = Cells(table: "form", index: index, row: row)
                return .init(id: try cell.int("id"), type: try cell.text("type"), title: cell.optionalText("title") ?? "")
            }
        }
        if let rows = try rows("form_field") {
            self.directory.fields = try rows.enumerated().map { index, row throws(Failure) in
                let cell = Cells(table: "form_field", index: index, row: row)
                let id = try cell.int("id")
                let name = cell.optionalText("name") ?? ""
                let type = try cell.text("type")
                let builtIn = ["email", "name", "phone", "notes", "subject", "message", "priority"].contains(name)
                let mapped = !builtIn && !name.isEmpty && Self.dynamicFieldType(type) != nil
                return .init(
                    id: id, formID: try cell.int("form_id"), type: type, label: cell.optionalText("label") ?? name, name: name,
                    isRequired: (cell.optionalInt("flags") ?? 0) & 0x400 != 0, choices: Self.choices(cell.optionalText("configuration")),
                    dynamicField: mapped ? Self.dynamicFieldName(name, id: id) : nil)
            }
        }
        var topicForms: [Int: [(sort: Int, form: Int)]] = [:]
        if let rows = try rows("help_topic_form") {
            for (index, row) in rows.enumerated() {
                let cell = Cells(table: "help_topic_form", index: index, row: row)
                topicForms[try cell.int("topic_id"), default: []].append((cell.optionalInt("sort") ?? 0, try cell.int("form_id")))
            }
        }
        if let rows = try rows("help_topic") {
            self.directory.topics = try rows.enumerated().map { index, row throws(Failure) in
                let cell = Cells(table: "help_topic", index: index, row: row)
                let id = try cell.int("topic_id")
                // 1.18 keeps the active flag in `flags` (0x2); older versions in `isactive`.
                let active = cell.optionalInt("isactive").map { $0 != 0 } ?? ((cell.optionalInt("flags") ?? 2) & 2 != 0)
                return .init(
                    id: id, parentID: cell.optionalInt("topic_pid") ?? 0, name: try cell.text("topic"),
                    departmentID: cell.optionalInt("dept_id") ?? 0, priorityID: cell.optionalInt("priority_id") ?? 0,
                    statusID: cell.optionalInt("status_id") ?? 0, staffID: cell.optionalInt("staff_id") ?? 0, isActive: active,
                    isPublic: cell.optionalInt("ispublic") ?? 1 != 0,
                    formIDs: (topicForms[id] ?? []).sorted { $0.sort < $1.sort }.map(\.form))
            }
        } else if !topicForms.isEmpty {
            for index in self.directory.topics.indices {
                if let forms = topicForms[self.directory.topics[index].id] {
                    self.directory.topics[index].formIDs = forms.sorted { $0.sort < $1.sort }.map(\.form)
                }
            }
        }
        if let rows = try rows("staff") {
            staff = try rows.enumerated().map { index, row throws(Failure) in
                let cell = Cells(table: "staff", index: index, row: row)
                return .init(
                    origin: .init(kind: OSTicketMapping.Kind.staff, id: String(try cell.int("staff_id"))), login: try cell.text("username"),
                    firstName: cell.optionalText("firstname") ?? "", lastName: cell.optionalText("lastname") ?? "",
                    email: cell.optionalText("email") ?? "", passwordHash: cell.optionalText("passwd"),
                    validity: (cell.optionalInt("isactive") ?? 1) != 0 ? .valid : .invalid)
            }
        }
        if let rows = try rows("api_key") {
            keys = try rows.enumerated().map { index, row throws(Failure) in
                let cell = Cells(table: "api_key", index: index, row: row)
                let ip = try cell.text("ipaddr")
                // osTicket compares the address exactly: a block would open the key to many.
                guard IPMatcher.isPattern(ip), !ip.contains("/") else {
                    throw Failure(description: "api_key row \(index + 1): column 'ipaddr' is not one IP address")
                }
                return OSTicketAPIKeys.item(
                    key: try cell.text("apikey"), ip: ip, active: (cell.optionalInt("isactive") ?? 1) != 0,
                    canCreate: (cell.optionalInt("can_create_tickets") ?? 1) != 0, canCron: (cell.optionalInt("can_exec_cron") ?? 1) != 0,
                    notes: cell.optionalText("notes") ?? "")
            }
        }
        guard !self.tables.isEmpty else { throw Failure(description: "the file holds none of osTicket's tables") }
    }

    /// The reference import that brings SwiftDesk in line with `directory`.
    static func reference(
        _ directory: OSTicketDirectory, catalog: Catalog, staff: [ReferenceImport.AgentItem] = [],
        keys: [ReferenceImport.CredentialItem] = []
    ) throws -> ReferenceImport {
        var data = ReferenceImport(face: OSTicketFace.faceName)
        // osTicket's default SLA gives every ticket 18 hours (its grace period) to a solution.
        data.queues = directory.departments.map {
            .init(origin: .init(kind: OSTicketMapping.Kind.department, id: String($0.id)), name: $0.name, solutionMinutes: 18 * 60)
        }
        data.services = directory.topics.map {
            .init(
                origin: .init(kind: OSTicketMapping.Kind.topic, id: String($0.id)), name: directory.serviceName(of: $0),
                validity: $0.isActive ? .valid : .invalid)
        }
        data.mappings =
            directory.priorities.map {
                .init(
                    origin: .init(kind: OSTicketMapping.Kind.priority, id: String($0.id)), target: .priority,
                    name: OSTicketDirectory.corePriorityName(for: $0, catalog: catalog))
            }
            + directory.statuses.map {
                .init(
                    origin: .init(kind: OSTicketMapping.Kind.status, id: String($0.id)), target: .state,
                    name: OSTicketDirectory.coreStateName(for: $0, catalog: catalog))
            }
        data.dynamicFields = directory.fields.compactMap { field in
            guard let name = field.dynamicField, let type = dynamicFieldType(field.type) else { return nil }
            return .init(
                origin: .init(kind: OSTicketMapping.Kind.field, id: String(field.id)), name: name, label: field.label, type: type,
                possibleValues: field.choices.sorted { $0.key < $1.key }.map { .init(key: $0.key, label: $0.value) })
        }
        data.agents = staff
        data.credentials = keys
        let json = String(decoding: try JSONEncoder().encode(directory), as: UTF8.self)
        data.documents = [.init(kind: OSTicketDirectory.documentKind, key: OSTicketDirectory.documentKey, json: json)]
        return data
    }

    /// The dynamic field type of an osTicket field type; nil for fields that hold no value.
    static func dynamicFieldType(_ type: String) -> DynamicFieldType? {
        switch type {
        case "text", "phone": .text
        case "memo", "thread": .textArea
        case "choices": .dropdown
        case "bool": .checkbox
        case "datetime": .dateTime
        default: nil
        }
    }

    /// `ticket_ref` → `OSTicketTicketRef`: letters and digits only (Znuny's rule), prefixed so it
    /// cannot take the name of an existing field by accident.
    static func dynamicFieldName(_ name: String, id: Int) -> String {
        let parts = name.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        let camel = parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return "OSTicket" + (camel.isEmpty ? "Field\(id)" : camel)
    }

    /// A choices field's `configuration` JSON: `{"choices": "key:Label\nkey2:Label 2"}`.
    static func choices(_ configuration: String?) -> [String: String] {
        guard let configuration, let object = try? JSONParser.parse(Array(configuration.utf8)),
            let text = object["choices"]?.scalarString
        else { return [:] }
        var choices: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let pair = line.split(separator: ":", maxSplits: 1)
            let key = pair[0].trimmingSpaces
            guard !key.isEmpty else { continue }
            choices[key] = pair.count == 2 ? pair[1].trimmingSpaces : key
        }
        return choices
    }

    /// Typed access to one row's cells, with errors that name the place.
    struct Cells {
        let table: String
        let index: Int
        let row: Row

        func missing(_ column: String) -> Failure {
            Failure(description: "\(table) row \(index + 1): column '\(column)' is missing or empty")
        }

        func text(_ column: String) throws(Failure) -> String {
            guard let value = optionalText(column), !value.isEmpty else { throw missing(column) }
            return value
        }

        func int(_ column: String) throws(Failure) -> Int {
            guard let value = optionalInt(column) else { throw missing(column) }
            return value
        }

        func optionalText(_ column: String) -> String? {
            guard let value = row[column], value != .null else { return nil }
            return value.scalarString
        }

        func optionalInt(_ column: String) -> Int? {
            optionalText(column).flatMap { Int($0.trimmingSpaces) }
        }
    }
}

/// What `swiftdesk osticket import` runs: reads the file over the face's current directory and
/// applies it in one transaction.
public struct OSTicketImporter: Sendable {
    let services: DeskServices

    public init(services: DeskServices) {
        self.services = services
    }

    /// Imports `bytes` (see `OSTicketImport`); returns one line per kind of object changed.
    /// Throws `OSTicketImport.Failure` for a malformed file, `DeskError` for data SwiftDesk refuses.
    public func run(_ bytes: [UInt8]) async throws -> [String] {
        let current = try await OSTicketMapping.load(services)
        let parsed = try OSTicketImport(json: bytes, over: current.directory)
        let data = try OSTicketImport.reference(parsed.directory, catalog: current.catalog, staff: parsed.staff, keys: parsed.keys)
        let report = try await services.referenceData.apply(data)
        var lines = ["tables: " + parsed.tables.sorted().joined(separator: ", ")]
        for kind in Set(report.created.keys).union(report.updated.keys).sorted() {
            lines.append("\(kind): \(report.created[kind] ?? 0) created, \(report.updated[kind] ?? 0) updated")
        }
        return lines
    }
}
