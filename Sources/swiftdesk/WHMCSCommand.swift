import ArgumentParser
import DeskCore
import Foundation
import WHMCS

/// `swiftdesk whmcs`: the WHMCS face's credentials, allow-list, clients, departments and
/// imports (docs/whmcs.md).
struct WHMCSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whmcs", abstract: "WHMCS API credentials, IP allow-list, clients, departments and imports.",
        subcommands: [
            CredentialCommand.self, AllowIPCommand.self, ClientCommand.self, DepartmentCommand.self, BlockedSenderCommand.self, Import.self,
        ])

    struct CredentialCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credential", abstract: "API credentials (identifier and secret) of agents.",
            subcommands: [Add.self, AdminLogin.self, List.self, Revoke.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create an identifier and secret for an agent; shown once.")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "The agent's login.") var agent: String

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    let pair = try await WHMCSAdmin(services: cli.services).addCredential(agent: agent)
                    print("Identifier: \(pair.identifier)")
                    print("Secret: \(pair.secret)")
                }
            }
        }

        struct AdminLogin: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "admin-login",
                abstract: "Let an agent log in the legacy way: username + MD5 hex of its password (weak; off by default).",
                discussion:
                    "The password is read from $SWIFTDESK_PASSWORD or standard input and checked against the agent's. Run it again after a password change."
            )
            @OptionGroup var database: DatabaseOptions
            @Option(help: "The agent's login.") var agent: String

            func run() async throws {
                let password = ProcessInfo.processInfo.environment["SWIFTDESK_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
                guard !password.isEmpty else { throw CLI.fail("no password given") }
                try await CLI.withServices(database) { cli in
                    try await WHMCSAdmin(services: cli.services).enableAdminLogin(agent: agent, password: password)
                    print("Agent \(agent) may log in with username \(agent) and the MD5 hex of its password.")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List credentials: identifier, agent, kind, last use.")
            @OptionGroup var database: DatabaseOptions

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    for item in try await WHMCSAdmin(services: cli.services).credentials() {
                        let used = item.lastUsedAt > 0 ? CivilDate(unixSeconds: item.lastUsedAt).timestampString : "never"
                        print(
                            "\(item.identifier)\tagent \(item.agent)\t\(item.isAdminLogin ? "admin login (MD5)" : "API credential")\tlast used \(used)"
                        )
                    }
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a credential by identifier (an admin login by agent login).")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The identifier.") var identifier: String

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    try await WHMCSAdmin(services: cli.services).revoke(identifier: identifier)
                    print("Revoked \(identifier).")
                }
            }
        }
    }

    struct AllowIPCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allow-ip", abstract: "Addresses allowed to call the API without the access key (default 127.0.0.1 and ::1).",
            subcommands: [Add.self, Remove.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Allow an address or CIDR block.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "An IP address or CIDR block.") var address: String

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    try await WHMCSAdmin(services: cli.services).allowIP(address)
                    print("Allowed \(address).")
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove an address or CIDR block.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "An entry of the list.") var address: String

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    guard try await WHMCSAdmin(services: cli.services).disallowIP(address) else {
                        throw CLI.fail("\(address) is not on the list")
                    }
                    print("Removed \(address).")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the allowed addresses.")
            @OptionGroup var database: DatabaseOptions

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    for address in try await WHMCSAdmin(services: cli.services).allowedIPs() { print(address) }
                }
            }
        }
    }

    struct ClientCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "client", abstract: "WHMCS clients: a customer company and its owner.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add (or update) a client with WHMCS's id.")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "The client's WHMCS id.") var id: Int
            @Option(help: "First name.") var first: String
            @Option(help: "Last name.") var last: String
            @Option(help: "E-mail address (the owner's login).") var email: String
            @Option(help: "Company name.") var company: String = ""

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    try await WHMCSAdmin(services: cli.services).addClient(
                        id: id, firstName: first, lastName: last, email: email, company: company)
                    print("Client \(id): \(first) \(last) <\(email)>")
                }
            }
        }
    }

    struct DepartmentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "department", abstract: "WHMCS departments: SwiftDesk queues with WHMCS's ids.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a department (or map an existing queue of that name).")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "The department's name (the SwiftDesk queue's name).") var name: String
            @Option(help: "Its WHMCS id (default: the next free one).") var id: Int?

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    let id = try await WHMCSAdmin(services: cli.services).addDepartment(name: name, id: id)
                    print("Department \(id): \(name)")
                }
            }
        }
    }

    struct BlockedSenderCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blocked-sender", abstract: "Addresses BlockTicketSender blocked (for the mail intake).",
            subcommands: [List.self, Remove.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the blocked addresses.")
            @OptionGroup var database: DatabaseOptions

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    for address in try await WHMCSBlockedSenders(services: cli.services).list() { print(address) }
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Lift the block of an address.")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The blocked address.") var address: String

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    guard try await WHMCSBlockedSenders(services: cli.services).remove(address) else {
                        throw CLI.fail("\(address) is not blocked")
                    }
                    print("Unblocked \(address).")
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import WHMCS tables (tblclients, tblcontacts, tblticketdepartments, tblticketstatuses, tbltickets, …) from a JSON file.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A JSON object keyed by table name, each a list of rows.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLI.fail("cannot read \(file)") }
            try await CLI.withServices(database) { cli in
                for line in try await WHMCSImporter(services: cli.services).run(Array(data)) { print(line) }
            }
        }
    }
}
