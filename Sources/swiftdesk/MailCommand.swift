import ArgumentParser
import DeskCore
import Foundation

/// `swiftdesk mail queue|retry`: the outbox of outgoing mail (docs/mail.md).
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: "The outbox of outgoing mail.", subcommands: [Queue.self, Retry.self])

    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List messages that wait or failed (newest first): id, status, attempts, next attempt, article, ticket, last answer.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Include messages already sent.") var all = false
        @Option(help: "At most this many lines.") var limit = 100

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let statuses: [OutboxStatus] = all ? OutboxStatus.allCases : [.queued, .failed]
                let entries = try await cli.services.outbox.list(statuses: statuses, limit: limit)
                if entries.isEmpty { print("The outbox is empty.") }
                for entry in entries {
                    let next =
                        entry.status == .queued
                        ? "next \(Self.time(entry.nextAttemptAt))" : entry.sentAt.map { "sent \(Self.time($0))" } ?? "-"
                    let answer = entry.lastAnswer.isEmpty ? "" : "  \(entry.lastAnswer)"
                    print(
                        "\(entry.id)  \(entry.status.rawValue)  attempts \(entry.attempts)  \(next)  article \(entry.articleID)  ticket \(entry.ticketID)\(answer)"
                    )
                }
            }
        }

        static func time(_ seconds: Int64) -> String {
            let formatter = ISO8601DateFormatter()
            return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a failed message back in the queue, due now.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The message's id (see `swiftdesk mail queue`).") var id: Int

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.outbox.retry(id: id)
                print("Message \(id) is queued again.")
            }
        }
    }
}
