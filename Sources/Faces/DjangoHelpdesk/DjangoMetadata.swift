import DeskCore
import DeskFaceKit

/// DRF's `SimpleMetadata` answers to OPTIONS (`rest_framework/metadata.py`): name, description,
/// renders, parses and, where the caller may write, the fields of the POST (lists) or PUT
/// (details) action.
enum DjangoMetadata {
    static func describe(name: String, description: String, actions: JSONValue? = nil) -> JSONValue {
        var members: [JSONMember] = [
            .init(key: "name", value: .string(name)), .init(key: "description", value: .string(description)),
            .init(key: "renders", value: .array([.string("application/json"), .string("text/html")])),
            .init(
                key: "parses",
                value: .array([.string("application/json"), .string("application/x-www-form-urlencoded"), .string("multipart/form-data")])),
        ]
        if let actions { members.append(.init(key: "actions", value: actions)) }
        return .orderedObject(members)
    }

    /// One field's description, keys in DRF's order; nil values are left out.
    static func field(
        _ type: String, required: Bool = false, readOnly: Bool = false, label: String? = nil, help: String? = nil,
        maxLength: Int? = nil, minValue: Int? = nil, maxValue: Int? = nil, maxDigits: Int? = nil, decimalPlaces: Int? = nil,
        child: JSONValue? = nil, children: JSONValue? = nil, choices: [(Int, String)]? = nil, textChoices: [String]? = nil
    ) -> JSONValue {
        var members: [JSONMember] = [
            .init(key: "type", value: .string(type)), .init(key: "required", value: .bool(required)),
            .init(key: "read_only", value: .bool(readOnly)),
        ]
        if let label { members.append(.init(key: "label", value: .string(label))) }
        if let help { members.append(.init(key: "help_text", value: .string(help))) }
        if let maxLength { members.append(.init(key: "max_length", value: .int(maxLength))) }
        if let minValue { members.append(.init(key: "min_value", value: .int(minValue))) }
        if let maxValue { members.append(.init(key: "max_value", value: .int(maxValue))) }
        if let maxDigits { members.append(.init(key: "max_digits", value: .int(maxDigits))) }
        if let decimalPlaces { members.append(.init(key: "decimal_places", value: .int(decimalPlaces))) }
        if let child { members.append(.init(key: "child", value: child)) }
        if let children { members.append(.init(key: "children", value: children)) }
        if let choices {
            members.append(
                .init(
                    key: "choices",
                    value: .array(choices.map { .ordered(["value": .int($0.0), "display_name": .string($0.1)]) })))
        }
        if let textChoices {
            members.append(
                .init(
                    key: "choices", value: .array(textChoices.map { .ordered(["value": .string($0), "display_name": .string($0)]) })))
        }
        return .orderedObject(members)
    }

    static var statusChoices: [(Int, String)] { DjangoReference.statuses.map { ($0.id, $0.name) } }

    static var attachmentFields: JSONValue {
        .ordered([
            "id": field("integer", readOnly: true, label: "ID"),
            "followup": field("field", required: true, label: "Follow-up"),
            "file": field("file upload", required: true, label: "File", maxLength: 1000),
            "filename": field("string", label: "Filename", maxLength: 1000),
            "mime_type": field("string", label: "MIME Type", maxLength: 255),
            "size": field("integer", label: "Size", help: "Size of this file in bytes", minValue: Int.min, maxValue: Int.max),
        ])
    }

    static var followupFields: JSONValue {
        .ordered([
            "id": field("integer", readOnly: true, label: "ID"),
            "ticket": field("field", required: true, label: "Ticket"),
            "user": field("field", label: "User"),
            "title": field("string", label: "Title", maxLength: 200),
            "comment": field("string", label: "Comment"),
            "public": field(
                "boolean", label: "Public",
                help: "Public tickets are viewable by the submitter and all staff, but non-public tickets can only be seen by staff."),
            "new_status": field(
                "choice", label: "New Status", help: "If the status was changed, what was it changed to?", choices: statusChoices),
            "time_spent": field("duration", label: "Time spent", help: "Time spent on this follow up"),
            "attachments": field("list", label: "Attachments", child: field("file upload", required: true)),
            "followupattachment_set": field(
                "field", readOnly: true, label: "Followupattachment set",
                child: field("nested object", readOnly: true, children: attachmentFields)),
            "date": field("datetime", readOnly: true, label: "Date"),
            "message_id": field("string", readOnly: true, label: "E-Mail ID", help: "The Message ID of the submitter's email."),
            "email_recipients": field(
                "field", readOnly: true, label: "E-Mail Recipients",
                help: "Addresses successfully notified by e-mail about this follow-up. Null means recipients were not recorded."),
        ])
    }

    static func ticketFields(_ mapping: DjangoMapping) -> JSONValue {
        var members: [JSONMember] = [
            .init(key: "id", value: field("integer", readOnly: true, label: "ID")),
            .init(key: "queue", value: field("field", required: true, label: "Queue")),
            .init(key: "title", value: field("string", required: true, label: "Title", maxLength: 200)),
            .init(key: "description", value: field("string", label: "Description", help: "The content of the customers query.")),
            .init(
                key: "resolution",
                value: field("string", label: "Resolution", help: "The resolution provided to the customer by our staff.")),
            .init(
                key: "submitter_email",
                value: field(
                    "email", label: "Submitter E-Mail",
                    help: "The submitter will receive an email for all public follow-ups left for this task.", maxLength: 254)),
            .init(key: "assigned_to", value: field("field", label: "Assigned to")),
            .init(key: "status", value: field("choice", label: "Status", choices: statusChoices)),
            .init(
                key: "on_hold",
                value: field("boolean", label: "On Hold", help: "If a ticket is on hold, it will not automatically be escalated.")),
            .init(
                key: "priority",
                value: field(
                    "choice", label: "Priority", help: "1 = Highest Priority, 5 = Low Priority",
                    choices: DjangoReference.priorities.map { ($0.id, $0.name) })),
            .init(key: "due_date", value: field("datetime", label: "Due on")),
            .init(key: "merged_to", value: field("field", label: "Merged to")),
            .init(key: "attachment", value: field("file upload", label: "Attachment")),
            .init(
                key: "followup_set",
                value: field(
                    "field", readOnly: true, label: "Followup set", child: field("nested object", readOnly: true, children: followupFields))
            ),
        ]
        for custom in mapping.directory.orderedCustomFields {
            let help = custom.helpText.isEmpty ? nil : custom.helpText
            let info: JSONValue =
                switch custom.dataType {
                case "integer": field("integer", required: custom.required, label: custom.label, help: help)
                case "decimal":
                    field(
                        "decimal", required: custom.required, label: custom.label, help: help, maxDigits: custom.maxLength,
                        decimalPlaces: custom.decimalPlaces)
                case "list":
                    field(
                        "choice", required: custom.required, label: custom.label, help: help,
                        textChoices: (custom.emptySelectionList ? [""] : []) + custom.listValues)
                case "boolean": field("boolean", required: custom.required, label: custom.label, help: help)
                case "date", "time", "datetime", "email", "url", "slug":
                    field(custom.dataType, required: custom.required, label: custom.label, help: help)
                default: field("string", required: custom.required, label: custom.label, help: help, maxLength: custom.maxLength)
                }
            members.append(.init(key: "custom_" + custom.name, value: info))
        }
        return .orderedObject(members)
    }

    static var userFields: JSONValue {
        .ordered([
            "first_name": field("string", label: "First name", maxLength: 150),
            "last_name": field("string", label: "Last name", maxLength: 150),
            "username": field(
                "string", required: true, label: "Username",
                help: "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.", maxLength: 150),
            "email": field("email", label: "Email address", maxLength: 254),
            "password": field("string", required: true, label: "Password"),
        ])
    }

    /// The writable fields of a route's create (lists) or update (details) action, when the
    /// caller may use it.
    static func actions(_ resource: DjangoResource, detail: Bool, api: DjangoAPI, isAdmin: Bool) -> JSONValue? {
        let fields: JSONValue
        switch resource {
        case .tickets: fields = ticketFields(api.mapping)
        case .followups: fields = followupFields
        case .followupsAttachments: fields = attachmentFields
        case .users:
            guard isAdmin else { return nil }
            fields = userFields
        case .userTickets: return nil
        }
        return .orderedObject([.init(key: detail ? "PUT" : "POST", value: fields)])
    }
}
