import ArgumentParser
import DeskCore

/// `swiftdesk sla add|set|list`: service level agreements, whose times set a ticket's escalations.
struct SLACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla", abstract: "Service level agreements: escalation times for tickets of the services they cover.",
        subcommands: [Add.self, Set.self, List.self])

    /// The three escalation times, in minutes, their notify-before percentages and working calendar.
    struct Times: ParsableArguments {
        @Option(help: "Working minutes until the first response is due (0: none).") var firstResponse: Int?
        @Option(help: "Working minutes until an update is due after a customer's message (0: none).") var update: Int?
        @Option(help: "Working minutes until the solution is due (0: none).") var solution: Int?
        @OptionGroup var notify: NotifyOptions
        @OptionGroup var calendar: CalendarOption

        var value: AdminService.MinutesChange {
            calendar.applied(to: notify.applied(to: .init(firstResponse: firstResponse, update: update, solution: solution)))
        }
        var isEmpty: Bool { value.isEmpty }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an SLA covering one or more services.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "SLA name (unique).") var name: String
        @Option(name: .customLong("service"), help: "A service it covers (repeat for several).") var services: [String] = []
        @OptionGroup var times: Times

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let id = try await cli.services.admin.addSLA(name: name, services: services, times: times.value)
                print("Added SLA \(name) (id \(id)).")
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an SLA: name, services (all of them), times or validity.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "SLA name.") var name: String
        @Option(help: "The new name.") var newName: String?
        @Option(name: .customLong("service"), help: "The services it covers from now on (repeat for several).") var services: [String] = []
        @Flag(help: "It covers no service.") var noServices = false
        @OptionGroup var times: Times
        @OptionGroup var validity: ValidityFlags

        func validate() throws {
            if noServices && !services.isEmpty { throw ValidationError("Give --service or --no-services, not both.") }
            guard newName != nil || !services.isEmpty || noServices || !times.isEmpty || validity.chosen != nil else {
                throw ValidationError("Give something to change (see --help).")
            }
        }

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.admin.setSLA(
                    name: name, newName: newName, services: noServices ? [] : services.isEmpty ? nil : services, times: times.value,
                    validity: validity.chosen)
                print("SLA \(newName ?? name) changed.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the SLAs with their times and services.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let catalog = try await cli.services.catalog()
                for sla in catalog.slas.all {
                    let services = sla.serviceIDs.compactMap { catalog.services[$0]?.name }.sorted()
                    print(
                        "\(sla.id)  \(sla.name)  first response \(sla.firstResponseMinutes) min, update \(sla.updateMinutes) min, solution \(sla.solutionMinutes) min, \(sla.notify.listing), \(calendarListing(sla.calendar))  services: \(services.isEmpty ? "none" : services.joined(separator: ", "))  \(sla.validity.name)"
                    )
                }
            }
        }
    }
}
