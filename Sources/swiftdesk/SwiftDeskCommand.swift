import ArgumentParser

/// `swiftdesk`: the server and its administration commands.
@main
struct SwiftDeskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftdesk",
        abstract: "SwiftDesk: a helpdesk server that speaks the APIs of Znuny/OTRS, osTicket, django-helpdesk and WHMCS.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UserCommand.self, CustomerCommand.self, QueueCommand.self,
            DynamicFieldCommand.self, ConfigCommand.self, ExternalIDCommand.self, WebServiceCommand.self, ReindexCommand.self,
            MailCommand.self, SystemAddressCommand.self, AutoResponseCommand.self, PGPCommand.self, SMIMECommand.self, OSTicketCommand.self,
            DjangoCommand.self,
            WHMCSCommand.self, BenchCommand.self,
        ]
    )
}
