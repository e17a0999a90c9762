import DeskCore
import Foundation
import Mustache

/// The subjects and bodies of agent notifications: Mustache templates, one per notification
/// (`ticket-create.mustache`, `queue-update`, `service-update`, `owner-update`, `responsible-update`, `new-note`, `follow-up-locked`,
/// `follow-up-unlocked`, `pending-reminder-locked`, `pending-reminder-unlocked`, `lock-timeout`,
/// `escalation`, `escalation-warning`). A template's first line is `Subject: …`, then an empty line, then the
/// body. The built-in ones can be replaced by files of the same names in the directory named by
/// `SWIFTDESK_MAIL_TEMPLATES` (docs/mail.md lists the values a template can use). Values are
/// inserted as they are (plain-text mail): write `{{name}}`.
public struct NotificationTemplates: Sendable {
    let templates: [AgentNotification: (subject: MustacheTemplate, body: MustacheTemplate)]

    /// The built-in templates.
    public init() {
        var templates: [AgentNotification: (MustacheTemplate, MustacheTemplate)] = [:]
        for notification in AgentNotification.allCases {
            // The built-in texts are constants, checked by the tests: they parse.
            templates[notification] = try! Self.parse(Self.builtIn(notification))
        }
        self.templates = templates
    }

    /// The built-in templates, replaced by the `<name>.mustache` files found in `directory`.
    public init(directory: String) throws {
        var templates = NotificationTemplates().templates
        for notification in AgentNotification.allCases {
            let path = (directory as NSString).appendingPathComponent(notification.templateName + ".mustache")
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw TemplateError("\(path): not readable as UTF-8")
            }
            do {
                templates[notification] = try Self.parse(text)
            } catch let error as TemplateError {
                throw TemplateError("\(path): \(error.message)")
            } catch {
                throw TemplateError("\(path): \(error)")
            }
        }
        self.templates = templates
    }

    /// Subject and body for `mail`.
    public func render(_ mail: NotificationMail, settings: Settings) -> (subject: String, body: String) {
        guard let template = templates[mail.notification] else { return (mail.notification.rawValue, "") }
        let values = Self.values(mail, settings: settings)
        let subject = template.subject.render(values).filter { !$0.isNewline }
        return (subject, template.body.render(values))
    }

    static func parse(_ text: String) throws -> (subject: MustacheTemplate, body: MustacheTemplate) {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        guard normalized.hasPrefix("Subject:"), let lineEnd = normalized.firstIndex(of: "\n") else {
            throw TemplateError("the first line must be `Subject: …`")
        }
        let subject = normalized[normalized.index(normalized.startIndex, offsetBy: 8)..<lineEnd].trimmingSpaces
        var body = normalized[normalized.index(after: lineEnd)...]
        if body.hasPrefix("\n") { body = body.dropFirst() }
        // Plain-text mail: values go in as they are, not HTML-escaped.
        let pragma = "{{% CONTENT_TYPE: TEXT}}"
        return (try MustacheTemplate(string: pragma + subject), try MustacheTemplate(string: pragma + String(body)))
    }

    /// The values a template can use.
    static func values(_ mail: NotificationMail, settings: Settings) -> [String: Any] {
        let agent = { (agent: Agent?) -> [String: Any] in
            guard let agent else { return [:] }
            return ["login": agent.login, "firstName": agent.firstName, "lastName": agent.lastName, "fullName": agent.fullName]
        }
        var values: [String: Any] = [
            "notification": mail.notification.rawValue,
            "recipient": agent(mail.recipient), "actor": agent(mail.actor), "owner": agent(mail.owner),
            "responsible": agent(mail.responsible),
            "ticket": [
                "id": mail.ticket.id, "number": mail.ticket.number, "title": mail.ticket.title, "queue": mail.queue,
                "service": mail.service, "state": mail.state,
                "priority": mail.priority, "customerUser": mail.ticket.customerUserID ?? "", "customerID": mail.ticket.customerID ?? "",
                "escalationDate": mail.ticket.escalationTime > 0 ? CivilDate(unixSeconds: mail.ticket.escalationTime).timestampString : "",
            ] as [String: Any],
            "hook": settings["Ticket::Hook"] + settings["Ticket::HookDivider"],
            "fqdn": settings["FQDN"],
            "senderName": settings["NotificationSenderName"],
        ]
        if let article = mail.article {
            let lines = article.body.fileLines.prefix(30)
            values["article"] = ["subject": article.subject, "from": article.from, "body": lines.joined(separator: "\n")]
        }
        return values
    }

    static func builtIn(_ notification: AgentNotification) -> String {
        let link = "Ticket {{hook}}{{ticket.number}} in queue {{ticket.queue}}, state {{ticket.state}}, priority {{ticket.priority}}."
        let signature = "-- {{senderName}}\n"
        switch notification {
        case .ticketCreate:
            return """
                Subject: New Ticket: {{ticket.title}}

                Hi {{recipient.firstName}},

                ticket [{{hook}}{{ticket.number}}] was created in {{ticket.queue}}, one of your queues.

                {{article.from}} wrote:
                {{article.body}}

                \(link)

                \(signature)
                """
        case .queueUpdate:
            return """
                Subject: Ticket Moved to {{ticket.queue}}: {{ticket.title}}

                Hi {{recipient.firstName}},

                {{actor.fullName}} moved ticket [{{hook}}{{ticket.number}}] into {{ticket.queue}}, one of your queues.

                \(link)

                \(signature)
                """
        case .serviceUpdate:
            return """
                Subject: Ticket Service Updated to {{ticket.service}}: {{ticket.title}}

                Hi {{recipient.firstName}},

                {{actor.fullName}} set the service of ticket [{{hook}}{{ticket.number}}] to {{ticket.service}}, one of your services.

                \(link)

                \(signature)
                """
        case .ownerUpdate:
            return """
                Subject: Ticket Owner Update to {{owner.fullName}}: {{ticket.title}}

                Hi {{recipient.firstName}},

                the owner of ticket [{{hook}}{{ticket.number}}] has been updated to {{owner.fullName}} by {{actor.fullName}}.

                \(link)

                \(signature)
                """
        case .responsibleUpdate:
            return """
                Subject: Ticket Responsible Update to {{responsible.fullName}}: {{ticket.title}}

                Hi {{recipient.firstName}},

                {{actor.fullName}} made {{responsible.fullName}} responsible for ticket [{{hook}}{{ticket.number}}].

                \(link)

                \(signature)
                """
        case .newNote:
            return """
                Subject: Ticket Note: {{article.subject}}

                Hi {{recipient.firstName}},

                {{actor.fullName}} wrote a note on ticket [{{hook}}{{ticket.number}}]:

                {{article.body}}

                \(link)

                \(signature)
                """
        case .pendingReminderLocked, .pendingReminderUnlocked:
            return """
                Subject: Ticket Reminder Reached: {{ticket.title}}

                Hi {{recipient.firstName}},

                the pending reminder time of ticket [{{hook}}{{ticket.number}}] has been reached.

                \(link)

                \(signature)
                """
        case .lockTimeout:
            return """
                Subject: Ticket Lock Timeout: {{ticket.title}}

                Hi {{recipient.firstName}},

                ticket [{{hook}}{{ticket.number}}] has been unlocked by {{actor.fullName}}.

                \(link)

                \(signature)
                """
        case .followUpLocked, .followUpUnlocked:
            return """
                Subject: Ticket Follow-Up: {{ticket.title}}

                Hi {{recipient.firstName}},

                you got a follow-up on ticket [{{hook}}{{ticket.number}}]:

                {{article.from}} wrote:
                {{article.body}}

                \(link)

                \(signature)
                """
        case .escalation:
            return """
                Subject: Ticket Escalation! {{ticket.title}}

                Hi {{recipient.firstName}},

                ticket [{{hook}}{{ticket.number}}] is escalated!

                Escalated at: {{ticket.escalationDate}} (UTC)

                \(link)

                \(signature)
                """
        case .escalationWarning:
            return """
                Subject: Ticket Escalation Warning! {{ticket.title}}

                Hi {{recipient.firstName}},

                ticket [{{hook}}{{ticket.number}}] will escalate!

                Escalation at: {{ticket.escalationDate}} (UTC)

                \(link)

                \(signature)
                """
        }
    }
}

/// A notification template that cannot be used.
public struct TemplateError: Error, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
