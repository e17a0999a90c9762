import ArgumentParser
import DeskCore
import DeskServer
import DeskStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage agents.",
        subcommands: [Add.self, Password.self, Grant.self, Queues.self, Services.self, List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List agents with their group permissions.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                for listing in try await cli.services.admin.agentListings() {
                    let agent = listing.agent
                    let myQueues = listing.personalQueues.isEmpty ? "" : "  my queues: \(listing.personalQueues.joined(separator: ", "))"
                    let myServices =
                        listing.personalServices.isEmpty ? "" : "  my services: \(listing.personalServices.joined(separator: ", "))"
                    print(
                        "\(agent.id)  \(agent.login)  \(agent.fullName) <\(agent.email)>  \(agent.validity.name)  \(listing.grants.joined(separator: " "))\(myQueues)\(myServices)"
                    )
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an agent.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name.") var login: String
        @Option(help: "Password (at least 8 characters).") var password: String
        @Option(help: "First name.") var first: String
        @Option(help: "Last name.") var last: String
        @Option(help: "E-mail address.") var email: String
        @Option(
            name: .customLong("group"),
            help: "GROUP:PERMISSION grant, repeatable (permissions: ro, move_into, create, note, owner, priority, rw).")
        var groups: [String] = []

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let services = cli.services
                let grants = try groups.map { try AdminService.Grant(parsing: $0) }
                let id = try await services.admin.addAgent(
                    login: login, password: password, firstName: first, lastName: last, email: email, grants: grants)
                let granted = grants.isEmpty ? "no groups" : grants.map { "\($0.group):\($0.permission.rawValue)" }.joined(separator: ", ")
                print("Added agent \(login) (id \(id)) with \(granted).")
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an agent's password.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name.") var login: String
        @Option(help: "New password (at least 8 characters).") var password: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let services = cli.services
                try await services.admin.setAgentPassword(login: login, password: password)
                print("Password of \(login) changed.")
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grant an agent permissions in groups.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name.") var login: String
        @Option(name: .customLong("group"), help: "GROUP:PERMISSION grant, repeatable.") var groups: [String]

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let services = cli.services
                let grants = try groups.map { try AdminService.Grant(parsing: $0) }
                try await services.admin.grant(login: login, grants: grants)
                print("Granted \(login): \(grants.map { "\($0.group):\($0.permission.rawValue)" }.joined(separator: ", ")).")
            }
        }
    }
}

extension UserCommand {
    struct Queues: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set an agent's \"My Queues\" (Znuny's personal queues).",
            discussion: """
                The agent is then told by mail of new tickets and of tickets moved into these queues, of \
                follow-ups and pending reminders of their unlocked tickets, and of their escalations \
                (each switched by its Notification::… setting). The agent must have ro or rw in each \
                queue's group. The list replaces the agent's earlier one; without --queue it is cleared.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name.") var login: String
        @Option(name: .customLong("queue"), help: "Queue name, repeatable.") var queues: [String] = []

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.admin.setPersonalQueues(login: login, queues: queues)
                print(queues.isEmpty ? "\(login) has no My Queues." : "My Queues of \(login): \(queues.joined(separator: ", ")).")
            }
        }
    }
}

extension UserCommand {
    struct Services: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set an agent's \"My Services\" (Znuny's personal services).",
            discussion: """
                The agent is then told by mail of new tickets and follow-ups on unlocked tickets with \
                these services, and of tickets whose service becomes one of them (each switched by its \
                Notification::… setting), for tickets the agent may read. The list replaces the \
                agent's earlier one; without --service it is cleared.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name.") var login: String
        @Option(name: .customLong("service"), help: "Service name, repeatable.") var services: [String] = []

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.admin.setPersonalServices(login: login, services: services)
                print(services.isEmpty ? "\(login) has no My Services." : "My Services of \(login): \(services.joined(separator: ", ")).")
            }
        }
    }
}

struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer", abstract: "Manage customer users.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a customer user (and its company when new).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login name.") var login: String
        @Option(help: "Password (at least 8 characters).") var password: String
        @Option(help: "Customer id (company) the user belongs to.") var customerId: String
        @Option(help: "First name.") var first: String
        @Option(help: "Last name.") var last: String
        @Option(help: "E-mail address.") var email: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let services = cli.services
                let id = try await services.admin.addCustomerUser(
                    login: login, password: password, customerID: customerId, firstName: first, lastName: last, email: email)
                print("Added customer user \(login) (id \(id)) of customer \(customerId).")
            }
        }
    }
}

struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Manage queues.", subcommands: [Add.self, Set.self, List.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Change a queue: the system address its mail goes out from, its signature, the auto responses it sends, its escalation minutes, notify-before percentages and working calendar.",
            discussion: """
                Changed escalation minutes or a changed calendar apply to the queue's tickets once a running \
                server (or `swiftdesk ticket escalation-rebuild`) has rebuilt their deadlines.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Queue name.") var name: String
        @Option(help: "A system address (see `swiftdesk system-address list`).") var systemAddress: String?
        @Option(help: "An auto response to send for its type (see `swiftdesk auto-response list`).") var autoResponse: String?
        @Option(help: "Stop sending auto responses of this type (e.g. \"auto reply\").") var noAutoResponse: String?
        @Option(help: "The signature the Znuny face's ArticleSend appends (see `swiftdesk signature list`).") var signature: String?
        @Flag(help: "Append no signature.") var noSignature = false
        @Option(help: "First response time in working minutes (0 = none).") var firstResponseMinutes: Int?
        @Option(help: "Update time in working minutes (0 = none).") var updateMinutes: Int?
        @Option(help: "Solution time in working minutes (0 = none).") var solutionMinutes: Int?
        @OptionGroup var notify: NotifyOptions
        @OptionGroup var calendar: CalendarOption

        var minutes: AdminService.MinutesChange {
            calendar.applied(
                to: notify.applied(to: .init(firstResponse: firstResponseMinutes, update: updateMinutes, solution: solutionMinutes)))
        }

        func validate() throws {
            guard
                systemAddress != nil || autoResponse != nil || noAutoResponse != nil || signature != nil || noSignature || !minutes.isEmpty
            else {
                throw ValidationError(
                    "Give --system-address, --signature, --no-signature, --auto-response, --no-auto-response, escalation minutes, notify percentages or --calendar."
                )
            }
            if signature != nil && noSignature { throw ValidationError("Give --signature or --no-signature, not both.") }
        }

        func run() async throws {
            try await CLI.withServices(database) { cli in
                if let systemAddress {
                    try await cli.services.admin.setQueueSystemAddress(queue: name, email: systemAddress)
                    print("Queue \(name) sends from \(systemAddress).")
                }
                if signature != nil || noSignature {
                    try await cli.services.admin.setQueueSignature(queue: name, name: signature)
                    print(signature.map { "Queue \(name) signs with \($0)." } ?? "Queue \(name) appends no signature.")
                }
                if let autoResponse {
                    try await cli.services.admin.setQueueAutoResponse(queue: name, name: autoResponse)
                    print("Queue \(name) sends the auto response \(autoResponse).")
                }
                if let noAutoResponse {
                    try await cli.services.admin.setQueueAutoResponse(queue: name, name: nil, type: noAutoResponse)
                    print("Queue \(name) sends no \(noAutoResponse).")
                }
                if !minutes.isEmpty {
                    try await cli.services.admin.setQueueMinutes(queue: name, minutes)
                    print("Queue \(name)'s escalation minutes, percentages or calendar changed.")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List queues with their group, escalation minutes, notify-before percentages and working calendar.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let services = cli.services
                let catalog = try await services.catalog()
                for queue in catalog.queues.all {
                    let group = catalog.groups[queue.groupID]?.name ?? String(queue.groupID)
                    let address = catalog.systemAddresses[queue.systemAddressID]?.address ?? "-"
                    print(
                        "\(queue.id)  \(queue.name)  group \(group)  first response \(queue.firstResponseMinutes) min, update \(queue.updateMinutes) min, solution \(queue.solutionMinutes) min, \(queue.notify.listing), \(calendarListing(queue.calendar))  from \(address)  \(queue.validity.name)"
                    )
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a queue; Parent::Child adds a sub-queue.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Queue name.") var name: String
        @Option(help: "Group whose members may use the queue.") var group: String = "users"
        @Option(help: "First response time in working minutes (0 = none).") var firstResponseMinutes: Int = 0
        @Option(help: "Update time in working minutes (0 = none).") var updateMinutes: Int = 0
        @Option(help: "Solution time in working minutes (0 = none).") var solutionMinutes: Int = 0
        @OptionGroup var notify: NotifyOptions
        @OptionGroup var calendar: CalendarOption

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let services = cli.services
                let id = try await services.admin.addQueue(
                    name: name, group: group, firstResponseMinutes: firstResponseMinutes, updateMinutes: updateMinutes,
                    solutionMinutes: solutionMinutes, notify: notify.value, calendar: calendar.calendar ?? "")
                print("Added queue \(name) (id \(id)) in group \(group).")
            }
        }
    }
}

struct DynamicFieldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dynamic-field", abstract: "Manage dynamic fields.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a dynamic field.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Field name (letters and digits).") var name: String
        @Option(help: "Text, TextArea, Checkbox, Dropdown, Multiselect, Date or DateTime.") var type: String
        @Option(help: "Ticket or Article.") var object: String
        @Option(help: "Label shown to people (default: the name).") var label: String?
        @Option(help: "Possible values for Dropdown/Multiselect: key=Label,key=Label.") var values: String?
        @Flag(help: "Allow an empty value for Dropdown/Multiselect.") var possibleNone = false

        func run() async throws {
            guard let fieldType = DynamicFieldType(rawValue: type) else {
                throw CLI.fail("unknown type '\(type)' (use \(DynamicFieldType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let fieldObject = DynamicFieldObject(rawValue: object) else {
                throw CLI.fail("unknown object '\(object)' (use Ticket or Article)")
            }
            var possible: [DynamicField.PossibleValue] = []
            for pair in (values ?? "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard let key = parts.first, !key.isEmpty else { throw CLI.fail("bad --values entry '\(pair)' (use key=Label)") }
                possible.append(.init(key: key, label: parts.count > 1 ? parts[1] : key))
            }
            try await CLI.withServices(database) { cli in
                let services = cli.services
                let id = try await services.admin.addDynamicField(
                    name: name, label: label, type: fieldType, object: fieldObject, possibleValues: possible, possibleNone: possibleNone)
                print("Added \(fieldType.rawValue) dynamic field \(name) (id \(id)) on \(fieldObject.rawValue).")
            }
        }
    }
}

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Stored settings.", subcommands: [Set.self, List.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a stored setting (see `swiftdesk config list`).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Setting key, e.g. SystemID.") var key: String
        @Argument(help: "New value.") var value: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                if let setting = cli.faces.flatMap(\.settings).first(where: { $0.key == key }) {
                    try await setting.write(value)
                    print("\(key) = \(setting.isSecret ? "(set, hidden)" : value)")
                } else {
                    try await cli.services.admin.setSetting(key: key, value: value)
                    print("\(key) = \(Settings.secretKeys.contains(key) ? "(set, hidden)" : value)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the stored settings with their values.",
            discussion: "Calendars 1 to 9 whose four settings are the defaults are named in one line; --all lists their keys.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Also list the keys of calendars 1 to 9 that are as the defaults.") var all = false

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let settings = try await cli.services.catalog().settings
                var untouched: [String] = []
                for entry in Settings.known {
                    if !all, let calendar = settings.untouchedCalendar(ofKey: entry.key) {
                        if untouched.last != calendar { untouched.append(calendar) }
                        continue
                    }
                    let value = settings[entry.key]
                    let shown = Settings.secretKeys.contains(entry.key) && !value.isEmpty ? "(set, hidden)" : value
                    print("\(entry.key) = \(shown)    # \(entry.help)")
                }
                if !untouched.isEmpty {
                    print("# calendars \(untouched.joined(separator: ", ")) are as the defaults (config list --all shows their keys)")
                }
                for face in cli.faces {
                    for setting in face.settings {
                        let value = try await setting.read()
                        let shown = setting.isSecret && !value.isEmpty ? "(set, hidden)" : value
                        print("\(setting.key) = \(shown)    # \(setting.help) [\(face.name)]")
                    }
                }
            }
        }
    }
}
