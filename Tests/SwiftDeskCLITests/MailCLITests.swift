import DeskStore
import DeskTestSupport
import Foundation
import Testing

@Suite("swiftdesk mail, system-address and the mail settings")
struct MailCLITests {
    @Test("system addresses, queues sending from them, hidden SMTP password, an empty outbox", arguments: TestDatabase.kinds)
    func mailCommands(kind: DatabaseKind) async throws {
        let (url, cleanup) = try await TestDatabase.create(kind)
        defer { Task { try? await cleanup() } }
        let cli = CLITests()
        #expect(try cli.run(["migrate"], databaseURL: url).status == 0)

        let added = try cli.run(["system-address", "add", "--email", "support@example.com", "--name", "Example Support"], databaseURL: url)
        #expect(added.status == 0, "\(added.error)")
        #expect(added.output.contains("Added system address \"Example Support\" <support@example.com> (id 2)."))
        let twice = try cli.run(["system-address", "add", "--email", "SUPPORT@example.com", "--name", "Again"], databaseURL: url)
        #expect(twice.status != 0)
        #expect(twice.error.contains("support@example.com") || twice.error.contains("SUPPORT@example.com"))
        #expect(try cli.run(["system-address", "add", "--email", "not an address", "--name", "X"], databaseURL: url).status != 0)

        let set = try cli.run(["queue", "set", "--name", "Misc", "--system-address", "support@example.com"], databaseURL: url)
        #expect(set.status == 0, "\(set.error)")
        let unknown = try cli.run(["queue", "set", "--name", "Misc", "--system-address", "nobody@example.com"], databaseURL: url)
        #expect(unknown.status != 0)
        let list = try cli.run(["system-address", "list"], databaseURL: url).output
        #expect(list.contains("1  \"Znuny System\" <znuny@localhost>  valid  queues: Postmaster, Raw, Junk"))
        #expect(list.contains("2  \"Example Support\" <support@example.com>  valid  queues: Misc"))
        #expect(try cli.run(["queue", "list"], databaseURL: url).output.contains("Misc  group users"))

        let signature = try cli.run(
            ["signature", "add", "--name", "Acme", "--text", "Regards,\n<OTRS_Agent_UserFullname>"], databaseURL: url)
        #expect(signature.output == "Added signature Acme (id 2).\n", "\(signature.error)")
        #expect(try cli.run(["signature", "add", "--name", "Acme", "--text", "again"], databaseURL: url).status != 0)
        #expect(
            try cli.run(["signature", "add", "--name", "Long", "--text", String(repeating: "x", count: 3_001)], databaseURL: url).status
                != 0)
        #expect(
            try cli.run(["queue", "set", "--name", "Misc", "--signature", "Acme"], databaseURL: url).output
                == "Queue Misc signs with Acme.\n")
        #expect(try cli.run(["queue", "set", "--name", "Junk", "--no-signature"], databaseURL: url).status == 0)
        #expect(try cli.run(["queue", "set", "--name", "Misc", "--signature", "Nope"], databaseURL: url).status != 0)
        let changed = try cli.run(["signature", "set", "--name", "system standard signature (en)", "--text", "Regards"], databaseURL: url)
        #expect(changed.output == "Signature system standard signature (en) changed.\n", "\(changed.error)")
        #expect(try cli.run(["signature", "set", "--name", "Nope", "--text", "x"], databaseURL: url).status != 0)
        #expect(try cli.run(["signature", "set", "--name", "Acme"], databaseURL: url).status != 0)
        let signatures = try cli.run(["signature", "list"], databaseURL: url).output
        #expect(
            signatures.contains(
                "1  system standard signature (en)  queues: Postmaster, Raw, Support, Sales, Maintenance, Sample Support Department"))
        #expect(signatures.contains("2  Acme  queues: Misc"))

        let password = try cli.run(["config", "set", "SendmailModule::AuthPassword", "s3cret"], databaseURL: url)
        #expect(password.output == "SendmailModule::AuthPassword = (set, hidden)\n")
        let config = try cli.run(["config", "list"], databaseURL: url).output
        #expect(config.contains("SendmailModule::AuthPassword = (set, hidden)"))
        #expect(!config.contains("s3cret"))
        #expect(try cli.run(["config", "set", "SendmailModule", "Postfix"], databaseURL: url).status != 0)
        #expect(try cli.run(["config", "set", "SendmailModule::Port", "70000"], databaseURL: url).status != 0)
        #expect(try cli.run(["config", "set", "Ticket::Hook", "a\nb"], databaseURL: url).status != 0)

        #expect(try cli.run(["mail", "queue"], databaseURL: url).output == "The outbox is empty.\n")
        let retry = try cli.run(["mail", "retry", "42"], databaseURL: url)
        #expect(retry.status != 0)
        #expect(retry.error.contains("42"))
    }
}
