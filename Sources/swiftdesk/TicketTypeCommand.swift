import ArgumentParser
import DeskCore

/// `swiftdesk ticket-type add|set|list`: the types a ticket can have (Znuny's Admin → Types;
/// the faces' `Type`/`TypeID`).
struct TicketTypeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket-type", abstract: "Ticket types (Unclassified, Incident, …).",
        discussion: """
            A new desk has one type, Unclassified, which a ticket gets when its request names none. \
            A ticket may be given any valid type; an invalid one stays on the tickets that have it.
            """,
        subcommands: [Add.self, Set.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a ticket type.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Type name (unique, one line of at most 200 characters).") var name: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let id = try await cli.services.admin.addTicketType(name: name)
                print("Added ticket type \(name) (id \(id)).")
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a ticket type or change its validity.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Type name.") var name: String
        @Option(help: "The new name.") var newName: String?
        @OptionGroup var validity: ValidityFlags

        func validate() throws {
            guard newName != nil || validity.chosen != nil else { throw ValidationError("Give --new-name, --valid or --invalid.") }
        }

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.admin.setTicketType(name: name, newName: newName, validity: validity.chosen)
                print("Ticket type \(newName ?? name) changed.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the ticket types: id, name, validity.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                for type in try await cli.services.admin.ticketTypes() {
                    print("\(type.id)  \(type.name)  \(type.validity.name)")
                }
            }
        }
    }
}
