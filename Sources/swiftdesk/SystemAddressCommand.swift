import ArgumentParser
import DeskCore

/// `swiftdesk system-address add|list`: the addresses queues send mail from (docs/mail.md).
struct SystemAddressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system-address", abstract: "Addresses the queues' mail goes out from.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a system address; `swiftdesk queue set --name Q --system-address E` makes a queue send from it.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The address, e.g. support@example.com.") var email: String
        @Option(help: "The display name, e.g. \"Example Support\".") var name: String
        @Option(help: "The queue mail to this address will arrive in.") var queue = "Postmaster"

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let id = try await cli.services.admin.addSystemAddress(email: email, name: name, queue: queue)
                print("Added system address \(MailAddress.mailbox(name: name, address: email)) (id \(id)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the system addresses and the queues that send from each.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let catalog = try await cli.services.catalog()
                for address in catalog.systemAddresses.values.sorted(by: { $0.id < $1.id }) {
                    print(
                        "\(address.id)  \(MailAddress.mailbox(name: address.realName, address: address.address))  \(address.validity.name)  \(CLI.queueList(catalog) { $0.systemAddressID == address.id })"
                    )
                }
            }
        }
    }
}
