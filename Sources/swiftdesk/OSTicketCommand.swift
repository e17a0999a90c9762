import ArgumentParser
import DeskCore
import Foundation
import OSTicket

/// `swiftdesk osticket`: the osTicket face's API keys and reference data (docs/osticket.md).
struct OSTicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "osticket", abstract: "osTicket API keys and reference data (help topics, departments, staff, …).",
        subcommands: [APIKeyCommand.self, Import.self])

    struct APIKeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apikey", abstract: "API keys (X-API-Key), each bound to one client IP address.",
            subcommands: [Add.self, Import.self, List.self, Disable.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Issue a new key for one IP address; the key is shown once.")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "The IP address the key may be used from.") var ip: String
            @Option(help: "Free text shown in listings.") var notes: String = ""
            @Option(help: "The agent the key acts as.") var agent: String = OSTicketAPIKeys.defaultAgent

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    let key = try await OSTicketAPIKeys(services: cli.services).add(ip: ip, notes: notes, agent: agent)
                    print("Key: \(key)")
                    print("Send it as the X-API-Key header from \(ip). It is not shown again.")
                }
            }
        }

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Keep a key an integration already uses (updates it when it exists; keys match case-insensitively).")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "The key as osTicket issued it.") var key: String
            @Option(help: "The IP address the key may be used from.") var ip: String
            @Flag(help: "Import the key disabled.") var inactive = false
            @Flag(help: "The key may not create tickets (or reply).") var noCreate = false
            @Flag(help: "The key may not run tasks/cron.") var noCron = false
            @Option(help: "Free text shown in listings.") var notes: String = ""
            @Option(help: "The agent the key acts as.") var agent: String = OSTicketAPIKeys.defaultAgent

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    try await OSTicketAPIKeys(services: cli.services).keep(
                        key: key, ip: ip, active: !inactive, canCreate: !noCreate, canCron: !noCron, notes: notes, agent: agent)
                    print("Key \(key.prefix(8))… kept for \(ip).")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List keys: start of the key, IP address, state, rights, last use, notes.")
            @OptionGroup var database: DatabaseOptions

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    for key in try await OSTicketAPIKeys(services: cli.services).list() {
                        let rights = [
                            key.scopes.contains(.createTickets) ? "create" : nil, key.scopes.contains(.cron) ? "cron" : nil,
                        ].compactMap { $0 }
                        let used = key.lastUsedAt > 0 ? CivilDate(unixSeconds: key.lastUsedAt).timestampString : "never used"
                        print(
                            "\(key.hint)…  \(key.allowedAddresses.joined(separator: ","))  \(key.isActive ? "active" : "disabled")  "
                                + "\(rights.isEmpty ? "read" : rights.joined(separator: "+"))  \(used)  \(key.notes)")
                    }
                }
            }
        }

        struct Disable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Disable a key (it answers 401 from then on).")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "The key.") var key: String

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    guard try await OSTicketAPIKeys(services: cli.services).disable(key: key) else { throw CLI.fail("no such key") }
                    print("Key \(key.prefix(8))… disabled.")
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an osTicket installation's reference data from FILE.json (format: docs/osticket.md).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A JSON object of osTicket tables (api_key, help_topic, department, staff, …).") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLI.fail("cannot read \(file)") }
            try await CLI.withServices(database) { cli in
                for line in try await OSTicketImporter(services: cli.services).run(Array(data)) { print(line) }
            }
        }
    }
}
