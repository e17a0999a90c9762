import ArgumentParser
import DeskCore
import Foundation

/// `swiftdesk ticket …`: maintenance of stored tickets.
struct TicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket", abstract: "Maintenance of stored tickets.", subcommands: [EscalationRebuild.self, EscalationCheck.self])

    struct EscalationRebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "escalation-rebuild",
            abstract: "Recompute every ticket's escalation deadlines from its queue's or SLA's current minutes.",
            discussion: """
                Znuny's Maint::Ticket::EscalationIndexRebuild. A running server does this by itself after \
                a queue's or an SLA's minutes or Ticket::Service change and after an upgrade that needs it \
                (SWIFTDESK_ESCALATION_REBUILD_SECONDS); this runs it now. Tickets are rebuilt 500 per \
                transaction (on PostgreSQL their rows locked meanwhile); only those whose deadlines change \
                are written (change time: now, changed by agent 1). Safe to run while a server runs.
                """)
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let started = Date()
                let outcome = try await cli.services.escalationRebuild.run { outcome in
                    if outcome.visited % 50_000 == 0 { print("\(outcome.visited) tickets read, \(outcome.changed) changed…") }
                }
                print(
                    String(
                        format: "Escalation deadlines rebuilt: %d tickets read, %d changed, in %.1f s.", outcome.visited, outcome.changed,
                        Date().timeIntervalSince(started)))
            }
        }
    }

    struct EscalationCheck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "escalation-check",
            abstract:
                "Write Escalation…TimeStart (and …TimeNotifyBefore) events for tickets whose deadlines are reached (or near), and queue their escalation mails.",
            discussion: """
                Znuny's Maint::Ticket::EscalationCheck. A running server does this every \
                SWIFTDESK_ESCALATION_CHECK_SECONDS (300); this runs it now. An event is written again \
                only after OTRSEscalationEvents::DecayTime minutes (swiftdesk config set), and none while \
                the last ten minutes held no working time.
                """)
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                // Every escalated ticket, not a server run's ten seconds' worth.
                var check = cli.services.escalationCheck
                check.budget = .seconds(365 * 86_400)
                let events = try await check.run()
                print("Escalation check: \(events) events written.")
            }
        }
    }
}
