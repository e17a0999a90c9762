import ArgumentParser
import DeskCore
import Foundation

/// `swiftdesk signature add|list`: the texts the Znuny face's `ArticleSend` appends (docs/mail.md).
struct SignatureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signature", abstract: "Queue signatures, appended to articles sent with Znuny's ArticleSend.",
        subcommands: [Add.self, Set.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a plain-text signature; `swiftdesk queue set --name Q --signature NAME` gives it to a queue.",
            discussion: """
                Znuny's tags are filled in when an article is sent: <OTRS_Agent_UserFirstname>, \
                <OTRS_Agent_UserLastname>, <OTRS_Agent_UserFullname>, <OTRS_Agent_UserEmail> (the sending agent; \
                also as OTRS_CURRENT_), the same under OTRS_OWNER_ and OTRS_RESPONSIBLE_, <OTRS_TICKET_TicketNumber>, \
                <OTRS_TICKET_Title>, <OTRS_TICKET_Queue>, <OTRS_CONFIG_FQDN>, the ticket's customer user's \
                <OTRS_CUSTOMER_UserFirstname> and other fields; other tags under these prefixes become "-" \
                (docs/mail.md).
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "A unique name.") var name: String
        @OptionGroup var text: SignatureText

        func run() async throws {
            let body = try text.read()
            try await CLI.withServices(database) { cli in
                let id = try await cli.services.admin.addSignature(name: name, text: body)
                print("Added signature \(name) (id \(id)).")
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a signature's text (e.g. Znuny's standard one, which a fresh database gives every queue).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The signature's name (see `swiftdesk signature list`).") var name: String
        @OptionGroup var text: SignatureText

        func run() async throws {
            let body = try text.read()
            try await CLI.withServices(database) { cli in
                try await cli.services.admin.setSignatureText(name: name, text: body)
                print("Signature \(name) changed.")
            }
        }
    }

    /// `--text` or `--text-file`, for `add` and `set`.
    struct SignatureText: ParsableArguments {
        @Option(help: "The text (at most 3,000 characters); `--text-file` reads it from a file instead.") var text: String?
        @Option(help: "A UTF-8 file holding the text.") var textFile: String?

        func validate() throws {
            guard (text == nil) != (textFile == nil) else { throw ValidationError("Give --text or --text-file.") }
        }

        func read() throws -> String {
            guard let textFile else { return text ?? "" }
            guard let data = FileManager.default.contents(atPath: textFile), let read = String(data: data, encoding: .utf8) else {
                throw ValidationError("Cannot read \(textFile) as UTF-8 text.")
            }
            return read
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the signatures and the queues that use each.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let catalog = try await cli.services.catalog()
                for signature in catalog.signatures.values.sorted(by: { $0.id < $1.id }) {
                    print("\(signature.id)  \(signature.name)  \(CLI.queueList(catalog) { $0.signatureID == signature.id })")
                }
            }
        }
    }
}
