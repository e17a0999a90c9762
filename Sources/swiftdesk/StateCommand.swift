import ArgumentParser
import DeskCore

/// `swiftdesk state add|list`: ticket states besides Znuny's defaults (Znuny's Admin → States).
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Ticket states (new, open, closed successful, …) and their types.",
        discussion: """
            A state's type decides what it means: new, open, closed, pending reminder, pending auto \
            (what it becomes when due: `swiftdesk config set Ticket::StateAfterPending`), removed, \
            merged. States keep their names: the faces and the settings name them.
            """,
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a state of one of the state types.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "State name (unique, one line of at most 200 characters).") var name: String
        @Option(help: "State type: new, open, closed, pending reminder, pending auto, removed or merged.") var type: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let id = try await cli.services.admin.addState(name: name, type: type)
                print("Added state \(name) (id \(id), type \(type)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the states: id, name, type, validity.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                for listing in try await cli.services.admin.stateListings() {
                    print("\(listing.state.id)  \(listing.state.name)  \(listing.typeName)  \(listing.state.validity.name)")
                }
            }
        }
    }
}
