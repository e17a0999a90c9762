import ArgumentParser
import DeskCore

/// `swiftdesk auto-response add|list`: texts sent to customers automatically (docs/mail.md).
struct AutoResponseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auto-response", abstract: "Texts sent to customers automatically (Znuny's auto responses).",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an auto response; `swiftdesk queue set --name Q --auto-response NAME` makes a queue send it.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "A unique name.") var name: String
        @Option(help: "auto reply (new tickets), auto follow up, auto reject, auto reply/new ticket or auto remove.") var type =
            "auto reply"
        @Option(help: "Subject, e.g. \"RE: <OTRS_CUSTOMER_SUBJECT[24]>\".") var subject: String
        @Option(help: "Text; <OTRS_CUSTOMER_REALNAME>, <OTRS_TICKET_TicketNumber> and the other tags of docs/mail.md are filled in.")
        var text: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let id = try await cli.services.admin.addAutoResponse(name: name, type: type, subject: subject, text: text)
                print("Added auto response \(name) (id \(id), \(type)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the auto responses.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let catalog = try await cli.services.catalog()
                let responses = try await cli.services.admin.autoResponses()
                if responses.isEmpty { print("No auto responses.") }
                for response in responses {
                    print(
                        "\(response.id)  \(response.name)  \(catalog.autoResponseTypes[response.typeID]?.name ?? "?")  subject: \(response.subject)"
                    )
                }
            }
        }
    }
}
