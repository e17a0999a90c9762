import DeskCore
import DeskFaceKit

/// osTicket's reference data as the face needs it: departments, help topics, priorities,
/// statuses and custom form fields, with their osTicket ids and names. Kept as the face document
/// `osticket/directory/default`; what each id means in SwiftDesk (queue, service, priority,
/// state, agent, dynamic field) is an external id of the face (`OSTicketMapping`).
struct OSTicketDirectory: Codable, Sendable, Equatable {
    struct Department: Codable, Sendable, Equatable {
        var id: Int
        var name: String
        var isPublic: Bool
    }

    struct Topic: Codable, Sendable, Equatable {
        var id: Int
        var parentID: Int
        /// The topic's own name (`Access Issue`); `fullName` adds its parents.
        var name: String
        var departmentID: Int
        var priorityID: Int
        var statusID: Int
        var staffID: Int
        var isActive: Bool
        var isPublic: Bool
        /// Custom forms attached to the topic, in order.
        var formIDs: [Int]
    }

    struct Priority: Codable, Sendable, Equatable {
        var id: Int
        /// `low`, `normal`, …
        var key: String
        /// `Low`, `Normal`, …
        var name: String
        var urgency: Int
    }

    struct Status: Codable, Sendable, Equatable {
        var id: Int
        var name: String
        /// `open`, `closed`, `archived` or `deleted`.
        var state: String
    }

    /// A field of a custom form, mapped to a dynamic field (`dynamicField`) unless it is one of
    /// the built-in fields (email, name, phone, notes, subject, message, priority).
    struct Field: Codable, Sendable, Equatable {
        var id: Int
        var formID: Int
        /// osTicket's field type: `text`, `memo`, `choices`, `bool`, `datetime`, `phone`, …
        var type: String
        var label: String
        /// The variable name the API takes (`ticket_ref`).
        var name: String
        var isRequired: Bool
        /// For `choices`: key → label.
        var choices: [String: String]
        var dynamicField: String?
    }

    struct Form: Codable, Sendable, Equatable {
        var id: Int
        /// `U` contact information, `T` ticket details, `G` custom, …
        var type: String
        var title: String
    }

    var departments: [Department]
    var topics: [Topic]
    var priorities: [Priority]
    var statuses: [Status]
    var forms: [Form]
    var fields: [Field]
    var defaultDepartmentID: Int
    var defaultPriorityID: Int
    var defaultStatusID: Int

    static let documentKind = "directory"
    static let documentKey = "default"

    func topic(_ id: Int) -> Topic? { topics.first { $0.id == id } }
    func department(_ id: Int) -> Department? { departments.first { $0.id == id } }
    func priority(_ id: Int) -> Priority? { priorities.first { $0.id == id } }
    func status(_ id: Int) -> Status? { statuses.first { $0.id == id } }

    /// `Report a Problem / Access Issue`: the topic with its parents, as osTicket shows it.
    func fullName(of topic: Topic) -> String {
        var names = [topic.name]
        var parentID = topic.parentID
        var seen: Set<Int> = [topic.id]
        while parentID != 0, let parent = self.topic(parentID), !seen.contains(parent.id) {
            names.insert(parent.name, at: 0)
            seen.insert(parent.id)
            parentID = parent.parentID
        }
        return names.joined(separator: " / ")
    }

    /// The service name a topic maps to: its full name with Znuny's `::` separator.
    func serviceName(of topic: Topic) -> String {
        fullName(of: topic).replacingOccurrences(of: " / ", with: "::")
    }

    /// The custom fields a create may fill: those of the contact and ticket forms and of the
    /// topic's own forms, by variable name.
    func customFields(topic: Topic?) -> [String: Field] {
        let formIDs = Set(forms.filter { $0.type == "U" || $0.type == "T" }.map(\.id)).union(topic?.formIDs ?? [])
        var fields: [String: Field] = [:]
        for field in self.fields where formIDs.contains(field.formID) && field.dynamicField != nil && !field.name.isEmpty {
            fields[field.name] = field
        }
        return fields
    }

    /// A fresh osTicket 1.18 (en_US install data, `include/i18n/en_US/*.yaml`).
    static let fresh = OSTicketDirectory(
        departments: [
            Department(id: 1, name: "Support", isPublic: true), Department(id: 2, name: "Sales", isPublic: true),
            Department(id: 3, name: "Maintenance", isPublic: false),
        ],
        topics: [
            Topic(
                id: 1, parentID: 0, name: "General Inquiry", departmentID: 0, priorityID: 2, statusID: 0, staffID: 0, isActive: true,
                isPublic: true, formIDs: []),
            Topic(
                id: 2, parentID: 0, name: "Feedback", departmentID: 0, priorityID: 1, statusID: 0, staffID: 0, isActive: true,
                isPublic: true, formIDs: []),
            Topic(
                id: 10, parentID: 0, name: "Report a Problem", departmentID: 3, priorityID: 2, statusID: 0, staffID: 0, isActive: true,
                isPublic: true, formIDs: []),
            Topic(
                id: 11, parentID: 10, name: "Access Issue", departmentID: 0, priorityID: 3, statusID: 0, staffID: 0, isActive: true,
                isPublic: true, formIDs: []),
        ],
        priorities: [
            Priority(id: 1, key: "low", name: "Low", urgency: 4), Priority(id: 2, key: "normal", name: "Normal", urgency: 3),
            Priority(id: 3, key: "high", name: "High", urgency: 2), Priority(id: 4, key: "emergency", name: "Emergency", urgency: 1),
        ],
        statuses: [
            Status(id: 1, name: "Open", state: "open"), Status(id: 2, name: "Resolved", state: "closed"),
            Status(id: 3, name: "Closed", state: "closed"), Status(id: 4, name: "Archived", state: "archived"),
            Status(id: 5, name: "Deleted", state: "deleted"),
        ],
        forms: [
            Form(id: 1, type: "U", title: "Contact Information"), Form(id: 2, type: "T", title: "Ticket Details"),
        ],
        fields: [],
        defaultDepartmentID: 1, defaultPriorityID: 2, defaultStatusID: 1)

    /// The SwiftDesk priority an osTicket priority maps to by default: the same name when one
    /// exists, else by urgency (1 most urgent → `5 very high`).
    static func corePriorityName(for priority: Priority, catalog: Catalog) -> String {
        if catalog.priorities[priority.name] != nil { return priority.name }
        switch priority.urgency {
        case ...1: return "5 very high"
        case 2: return "4 high"
        case 3: return "3 normal"
        case 4: return "2 low"
        default: return "1 very low"
        }
    }

    /// The SwiftDesk state an osTicket status maps to by default. Resolved and Closed need two
    /// different closed states so that a ticket reads back with the status it was given.
    static func coreStateName(for status: Status, catalog: Catalog) -> String {
        if catalog.states[status.name] != nil { return status.name }
        switch (status.id, status.state) {
        case (2, _): return "closed successful"
        case (3, _): return "closed unsuccessful"
        case (_, "open"): return "open"
        case (_, "closed"): return "closed successful"
        case (_, "archived"): return "merged"
        default: return "removed"
        }
    }
}
