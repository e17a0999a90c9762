import ArgumentParser
import DeskCore

/// `swiftdesk priority add|list`: priorities besides Znuny's five (Znuny's Admin → Priorities).
struct PriorityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "priority", abstract: "Ticket priorities (1 very low … 5 very high).",
        discussion: """
            Priorities rank by id, as in Znuny: an added one sorts above 5 very high. Znuny's five \
            keep their names: the osTicket, django-helpdesk and WHMCS faces map to them by name.
            """,
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a priority.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Priority name (unique, one line of at most 200 characters).") var name: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let id = try await cli.services.admin.addPriority(name: name)
                print("Added priority \(name) (id \(id)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the priorities: id, name, validity.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                for priority in try await cli.services.admin.priorities() {
                    print("\(priority.id)  \(priority.name)  \(priority.validity.name)")
                }
            }
        }
    }
}
