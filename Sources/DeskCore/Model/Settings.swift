/// The few settings kept in the database (`swiftdesk config set KEY VALUE`), typed.
/// Unknown keys are refused by `Settings.known`, so a typo cannot pass silently.
public struct Settings: Sendable, Equatable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// Every key `config set` accepts, with its default and a one-line help.
    public static let known: [(key: String, defaultValue: String, help: String)] =
        [
            ("SystemID", "10", "two-digit system id used in ticket numbers and session ids (0-99)"),
            ("FQDN", "localhost", "fully qualified host name of this system"),
            ("Ticket::NumberGenerator", "DateChecksum", "DateChecksum or AutoIncrement"),
            ("Ticket::NumberGenerator::MinCounterSize", "5", "zero-padding of the counter (1-20)"),
            ("Ticket::Type", "0", "1 when a ticket type is required (Znuny's Ticket::Type; tickets default to type 1)"),
            ("CustomerPanelUserID", "1", "agent id recorded for changes made by customer users"),
            ("Auth::MaxFailuresPerLogin", "10", "failed logins per login (or credential) within the window before it is refused"),
            ("Auth::MaxFailuresPerAddress", "100", "failed logins from one address within the window before it is refused"),
            ("Auth::FailureWindowMinutes", "15", "length of the window failed logins are counted in (minutes)"),
            (
                "SendmailModule", "SMTP",
                "how mail goes out: SMTP, SMTPS (implicit TLS), SMTPTLS (STARTTLS), Sendmail, or DoNotSendEmail (recorded as sent, sent nowhere)"
            ),
            ("SendmailModule::Host", "127.0.0.1", "the mail server (SMTP modules)"),
            ("SendmailModule::Port", "", "the mail server's port; empty: 25 (SMTP), 465 (SMTPS), 587 (SMTPTLS)"),
            ("SendmailModule::AuthUser", "", "user for SMTP AUTH (PLAIN or LOGIN); empty: no authentication"),
            ("SendmailModule::AuthPassword", "", "password for SMTP AUTH"),
            (
                "SendmailModule::CMD", "/usr/sbin/sendmail -i -f",
                "the sendmail command (Sendmail module); sender and recipients are appended"
            ),
            ("NotificationSenderEmail", "", "envelope sender when a queue has no valid system address; empty: otrs@<FQDN>"),
            ("NotificationSenderName", "Znuny Notifications", "display name of agent notifications' sender"),
            ("Ticket::Hook", "Ticket#", "the text before the ticket number in subjects of outgoing mail"),
            (
                "Ticket::Responsible", "0",
                "1: Znuny's responsible feature: responsible agents get notifications (updates, notes, follow-ups, reminders); 0: they do not"
            ),
            (
                "Ticket::Service", "0",
                "1: Znuny's service feature: a ticket with an SLA escalates by the SLA's times; 0: by its queue's, as Znuny's default"
            ),
            (
                "Notification::TicketCreate", "1",
                "1: mail the My Queues and My Services subscribers of a new ticket (Ticket create notification); 0: do not"
            ),
            ("Notification::QueueUpdate", "1", "1: mail the My Queues subscribers of the queue a ticket is moved into; 0: do not"),
            ("Notification::ServiceUpdate", "1", "1: mail the My Services subscribers of a ticket's new service; 0: do not"),
            ("Notification::OwnerUpdate", "1", "1: mail the new owner of a ticket (Ticket owner update notification); 0: do not"),
            ("Notification::ResponsibleUpdate", "1", "1: mail the new responsible agent; 0: do not"),
            ("Notification::NewNote", "1", "1: mail owner, responsible and watchers about a new note; 0: do not"),
            (
                "Notification::FollowUpLocked", "1",
                "1: mail owner, responsible and watchers about a follow-up on a locked ticket; 0: do not"
            ),
            (
                "Notification::FollowUpUnlocked", "1",
                "1: mail owner, watchers, My Queues and My Services subscribers about a follow-up on an unlocked ticket; 0: do not"
            ),
            (
                "Notification::PendingReminderLocked", "1",
                "1: remind owner and responsible of a locked ticket whose pending time came; 0: do not"
            ),
            ("Notification::PendingReminderUnlocked", "1", "1: the same for unlocked tickets, and their My Queues subscribers; 0: do not"),
            ("Notification::LockTimeout", "1", "1: tell the owner when another agent unlocks the ticket or closes it locked; 0: do not"),
            (
                "Notification::Escalation", "1",
                "1: tell the agents with rw on the queue and its My Queues subscribers when the escalation check finds a deadline reached; 0: do not"
            ),
            (
                "Notification::EscalationNotifyBefore", "1",
                "1: the same when the escalation check finds a deadline near; 0: do not"
            ),
            (
                "Ticket::StateAfterPending", "pending auto close+=closed successful;pending auto close-=closed unsuccessful",
                "the state a pending-auto state moves to when its time comes (state=next;…)"
            ),
            ("Ticket::HookDivider", "", "the text between Ticket::Hook and the number"),
            (
                "TimeWorkingHours", WorkingCalendar.defaultHoursText,
                "the working hours escalations count, per weekday (Mon-Sun), each hour in full (20: 20:00-21:00) on the TimeZone clock; e.g. Mon=8-11,13-16"
            ),
            ("TimeVacationDays", WorkingCalendar.defaultVacationDaysText, "yearly days without working time, MM-DD separated by ;"),
            ("TimeVacationDaysOneTime", WorkingCalendar.defaultOneTimeText, "single days without working time, YYYY-MM-DD separated by ;"),
            (
                "TimeZone", WorkingCalendar.defaultZoneText,
                "the time zone whose wall clock the working hours and days are on (e.g. Europe/Berlin); empty: UTC (timestamps stay UTC)"
            ),
            (
                "OTRSEscalationEvents::DecayTime", "1440",
                "minutes before the escalation check writes the same Escalation…TimeStart or …TimeNotifyBefore event on a ticket again (0: every check)"
            ),
        ] + numberedCalendarSettings

    /// Settings whose values `config list` never shows.
    public static let secretKeys: Set<String> = ["SendmailModule::AuthPassword"]
    /// The values of `SendmailModule` (the mail sender picks its transport by them).
    public static let sendmailModules = ["SMTP", "SMTPS", "SMTPTLS", "Sendmail", "DoNotSendEmail"]

    /// `known`'s defaults by key: settings are read on every request.
    private static let defaults = Dictionary(known.map { ($0.key, $0.defaultValue) }) { first, _ in first }

    public static func defaultValue(for key: String) -> String? {
        defaults[key]
    }

    public subscript(key: String) -> String {
        values[key] ?? Self.defaultValue(for: key) ?? ""
    }

    public var systemID: String { self["SystemID"] }
    public var customerPanelUserID: Int { Int(self["CustomerPanelUserID"]) ?? 1 }
    public var ticketTypeEnabled: Bool { self["Ticket::Type"] == "1" }
    /// Znuny's `Ticket::Responsible`: whether responsible agents are notified.
    public var responsibleEnabled: Bool { self["Ticket::Responsible"] == "1" }
    /// Znuny's `Ticket::Service`: whether an SLA's times set a ticket's escalations.
    public var serviceEnabled: Bool { self["Ticket::Service"] == "1" }

    /// The ticket's tag in subjects of outgoing mail: `[Ticket#2026…]` (`Ticket::Hook`, `Ticket::HookDivider`).
    public func ticketTag(_ number: String) -> String {
        "[\(self["Ticket::Hook"])\(self["Ticket::HookDivider"])\(number)]"
    }

    /// Znuny's `Ticket::StateAfterPending`: pending-auto state name → the state it becomes.
    public var stateAfterPending: [String: String] {
        var map: [String: String] = [:]
        for pair in self["Ticket::StateAfterPending"].split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty { map[parts[0]] = parts[1] }
        }
        return map
    }

    /// Znuny's `OTRSEscalationEvents::DecayTime` in seconds.
    public var escalationEventDecaySeconds: Int64 { Int64(Int(self["OTRSEscalationEvents::DecayTime"]) ?? 1_440) * 60 }

    /// `NotificationSenderEmail`, else `otrs@<FQDN>` as in Znuny.
    public var notificationSenderEmail: String {
        let configured = self["NotificationSenderEmail"]
        return configured.isEmpty ? "otrs@\(self["FQDN"])" : configured
    }

    public var authThrottle: AuthThrottlePolicy {
        AuthThrottlePolicy(
            maxFailuresPerLogin: Int(self["Auth::MaxFailuresPerLogin"]) ?? 10,
            maxFailuresPerAddress: Int(self["Auth::MaxFailuresPerAddress"]) ?? 100,
            windowSeconds: Int64(Int(self["Auth::FailureWindowMinutes"]) ?? 15) * 60)
    }

    /// Checks a value before it is stored. Unknown keys are `notFound(.setting, …)`.
    public static func validate(key: String, value: String) throws(DeskError) {
        guard known.contains(where: { $0.key == key }) else { throw .notFound(.setting, key: key) }
        if let base = calendarKey(key) { return try validateCalendar(key: key, base: base, value: value) }
        switch key {
        case "SystemID":
            guard let number = Int(value), (0...99).contains(number), value.allSatisfy(\.isASCII) else {
                throw .invalid(.other(key), .outOfRange("a number from 0 to 99"))
            }
        case "Ticket::NumberGenerator":
            guard TicketNumberGeneratorKind(rawValue: value) != nil else {
                throw .invalid(.other(key), .malformed(expected: "DateChecksum or AutoIncrement"))
            }
        case "Ticket::NumberGenerator::MinCounterSize":
            guard let size = Int(value), (1...20).contains(size) else {
                throw .invalid(.other(key), .outOfRange("a number from 1 to 20"))
            }
        case "Ticket::Type":
            guard value == "0" || value == "1" else { throw .invalid(.other(key), .malformed(expected: "0 or 1")) }
        case "Auth::MaxFailuresPerLogin", "Auth::MaxFailuresPerAddress", "Auth::FailureWindowMinutes":
            guard let number = Int(value), number > 0, number <= 1_000_000 else {
                throw .invalid(.other(key), .outOfRange("a number from 1 to 1000000"))
            }
        case "SendmailModule":
            guard Self.sendmailModules.contains(value) else {
                throw .invalid(
                    .other(key),
                    .malformed(expected: Self.sendmailModules.dropLast().joined(separator: ", ") + " or " + Self.sendmailModules.last!))
            }
        case "SendmailModule::Port":
            guard value.isEmpty || Int(value).map({ (1...65535).contains($0) }) == true else {
                throw .invalid(.other(key), .outOfRange("a port from 1 to 65535"))
            }
        case "NotificationSenderEmail":
            guard value.isEmpty || MailAddress.isBareAddress(value) else {
                throw .invalid(.other(key), .malformed(expected: "an e-mail address"))
            }
        case "Notification::OwnerUpdate", "Notification::ResponsibleUpdate", "Notification::NewNote", "Notification::FollowUpLocked",
            "Notification::FollowUpUnlocked", "Notification::PendingReminderLocked", "Notification::PendingReminderUnlocked",
            "Notification::LockTimeout", "Notification::Escalation", "Notification::EscalationNotifyBefore", "Ticket::Responsible",
            "Ticket::Service":
            guard value == "0" || value == "1" else { throw .invalid(.other(key), .malformed(expected: "0 or 1")) }
        case "Ticket::Hook", "Ticket::HookDivider", "NotificationSenderName", "SendmailModule::Host", "SendmailModule::AuthUser",
            "SendmailModule::AuthPassword",
            "SendmailModule::CMD":
            guard !value.contains(where: \.isNewline) else { throw .invalid(.other(key), .malformed(expected: "a single line")) }
        case "OTRSEscalationEvents::DecayTime":
            guard let minutes = Int(value), (0...525_600).contains(minutes), value.allSatisfy(\.isASCII) else {
                throw .invalid(.other(key), .outOfRange("minutes from 0 to 525600 (a year)"))
            }
        case "CustomerPanelUserID":
            guard let id = Int(value), id > 0 else { throw .invalid(.other(key), .malformed(expected: "an agent id")) }
        default:
            break
        }
    }
}

/// How many failed logins are tolerated before further attempts are refused unchecked.
public struct AuthThrottlePolicy: Sendable, Equatable {
    public var maxFailuresPerLogin: Int
    public var maxFailuresPerAddress: Int
    public var windowSeconds: Int64

    public init(maxFailuresPerLogin: Int, maxFailuresPerAddress: Int, windowSeconds: Int64) {
        self.maxFailuresPerLogin = maxFailuresPerLogin
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.windowSeconds = windowSeconds
    }
}
