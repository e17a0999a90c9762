import ArgumentParser
import DeskCore
import DjangoHelpdesk
import Foundation

/// `swiftdesk djhd`: the django-helpdesk face's tokens, queues and imports (docs/django-helpdesk.md).
struct DjangoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "djhd", abstract: "django-helpdesk API tokens, queues and dumpdata imports.",
        subcommands: [TokenCommand.self, QueueCommand.self, Import.self])

    struct TokenCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token", abstract: "DRF tokens (Authorization: Token …) for agents and customer users.",
            subcommands: [Create.self, Revoke.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a token for a login; it is shown once.")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "An agent's or a customer user's login.") var login: String

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    let token = try await DjangoTokens(services: cli.services).create(login: login)
                    print("Token: \(token)")
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke every token of a login.")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "An agent's or a customer user's login.") var login: String

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    let count = try await DjangoTokens(services: cli.services).revoke(login: login)
                    print("Revoked \(count) token\(count == 1 ? "" : "s") of \(login).")
                }
            }
        }
    }

    struct QueueCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queue", abstract: "django-helpdesk queues: SwiftDesk queues with a slug.", subcommands: [Add.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a queue (or map an existing SwiftDesk queue with --queue).")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "The queue's title (the SwiftDesk queue's name).") var title: String
            @Option(help: "The queue's slug (letters, digits, - and _).") var slug: String
            @Option(help: "An existing SwiftDesk queue to map instead of creating one.") var queue: String?

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    let id = try await DjangoQueues(services: cli.services).add(title: title, slug: slug, queue: queue)
                    print("Queue \(id): \(queue ?? title) (\(slug))")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the queues: id, title, slug.")
            @OptionGroup var database: DatabaseOptions

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    for queue in try await DjangoQueues(services: cli.services).list() {
                        print("Queue \(queue.id): \(queue.title) (\(queue.slug))")
                    }
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import django-helpdesk's `manage.py dumpdata` output (users, tokens, queues, custom fields, tickets, follow-ups).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The dumpdata JSON file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLI.fail("cannot read \(file)") }
            try await CLI.withServices(database) { cli in
                for line in try await DjangoImporter(services: cli.services).run(Array(data)) { print(line) }
            }
        }
    }
}
