import ArgumentParser
import DeskServer
import Logging
import NIOCore
import NIOPosix

/// `swiftdesk`: the server and its administration commands.
@main
struct SwiftDeskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftdesk",
        abstract: "SwiftDesk: a helpdesk server that speaks the APIs of Znuny/OTRS, osTicket, django-helpdesk and WHMCS.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UserCommand.self, CustomerCommand.self, QueueCommand.self,
            ServiceCommand.self, SLACommand.self, TicketTypeCommand.self, StateCommand.self, PriorityCommand.self,
            TicketCommand.self, DynamicFieldCommand.self, ConfigCommand.self, ExternalIDCommand.self, WebServiceCommand.self,
            ReindexCommand.self,
            MailCommand.self, SystemAddressCommand.self, SignatureCommand.self, AutoResponseCommand.self, PGPCommand.self,
            SMIMECommand.self, OSTicketCommand.self,
            DjangoCommand.self,
            WHMCSCommand.self, BenchCommand.self,
        ]
    )

    /// Runs Swift concurrency's tasks on NIO's event loop threads (as Vapor does), so that a
    /// request awaiting the network or the database does not hop between two thread pools; logs
    /// through `LogLineHandler`; then parses and runs the command as `AsyncParsableCommand.main()`
    /// does.
    static func main() async {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        LoggingSystem.bootstrap { LogLineHandler(label: $0) }
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
