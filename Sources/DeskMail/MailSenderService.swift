import DeskCore
import Logging
import ServiceLifecycle

/// Delivers the outbox: claims due messages, composes and sends each with the transport the
/// settings name (`SendmailModule`), records the outcome. Runs in every server process (see
/// `MailOutboxService` for how they share the work) and stops on graceful shutdown; a message
/// being sent then is finished first.
public struct MailSenderService: Service {
    let outbox: MailOutboxService
    let composer: MailComposer
    let logger: Logger
    /// How long to wait when nothing is due.
    let idle: Duration
    /// Messages delivered at once, each over its own SMTP connection (or sendmail process).
    let connections: Int
    /// How long a claim lasts: longer than any delivery (the SMTP timeout is 60 s).
    static let leaseSeconds: Int64 = 300
    /// Messages claimed at a time per connection.
    static let claimPerConnection = 5

    public init(
        outbox: MailOutboxService, composer: MailComposer = MailComposer(), logger: Logger, idle: Duration = .seconds(1),
        connections: Int = 4
    ) {
        self.outbox = outbox
        self.composer = composer
        self.logger = logger
        self.idle = idle
        self.connections = max(1, connections)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let sent = await self.sendDue()
                if sent == 0 { try? await Task.sleep(for: self.idle) }
            }
        }
    }

    /// Sends what is due now; the number of messages attempted.
    ///
    /// The messages of one ticket go out one after another, in the order they were queued (a
    /// reply never overtakes the message it answers); those of different tickets go out side by
    /// side, up to `connections` at once. Each outcome is recorded as soon as its message is
    /// delivered, while others are still being sent.
    @discardableResult
    public func sendDue() async -> Int {
        let batch: [OutgoingMail]
        do {
            batch = try await outbox.claim(limit: connections * Self.claimPerConnection, leaseSeconds: Self.leaseSeconds)
        } catch {
            logger.error("mail outbox: cannot claim messages", metadata: ["error": "\(error)"])
            return 0
        }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for chain in Self.chains(batch) {
                if running == connections {
                    await group.next()
                    running -= 1
                }
                group.addTask {
                    for mail in chain { await send(mail) }
                }
                running += 1
            }
        }
        return batch.count
    }

    /// `batch` split by ticket, each ticket's messages in their order, tickets in the order of
    /// their first message.
    static func chains(_ batch: [OutgoingMail]) -> [[OutgoingMail]] {
        var chains: [[OutgoingMail]] = []
        var chainOfTicket: [Int: Int] = [:]
        for mail in batch {
            if let index = chainOfTicket[mail.entry.ticketID] {
                chains[index].append(mail)
            } else {
                chainOfTicket[mail.entry.ticketID] = chains.count
                chains.append([mail])
            }
        }
        return chains
    }

    /// Composes, delivers and records one message.
    private func send(_ mail: OutgoingMail) async {
        let outcome: DeliveryOutcome
        do {
            let message = try await composer.compose(mail)
            outcome = await Self.transport(for: mail.settings).deliver(message, from: mail.envelopeFrom, to: mail.recipients)
        } catch {
            outcome = .permanentFailure(answer: "cannot sign or encrypt: \(error)")
        }
        let metadata: Logger.Metadata = [
            "outbox_id": "\(mail.entry.id)", "ticket_id": "\(mail.entry.ticketID)",
            "message": "\(mail.entry.notification.map(\.templateName) ?? "article \(mail.entry.articleID)")",
        ]
        switch outcome {
        case .sent(let answer): logger.info("mail sent", metadata: metadata.merging(["answer": "\(answer)"]) { $1 })
        case .permanentFailure(let answer), .transientFailure(let answer):
            logger.warning("mail not delivered", metadata: metadata.merging(["answer": "\(answer)"]) { $1 })
        }
        do {
            try await outbox.finish(mail, outcome)
        } catch {
            logger.error("mail outbox: cannot record an attempt", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }

    /// The transport the settings name.
    static func transport(for settings: Settings) -> any MailTransport {
        let module = settings["SendmailModule"]
        if module == "Sendmail" { return SendmailTransport(command: settings["SendmailModule::CMD"]) }
        let security: SMTPConfiguration.Security =
            switch module {
            case "SMTPS": .implicitTLS
            case "SMTPTLS": .startTLS
            default: .none
            }
        let defaultPort = security == .implicitTLS ? 465 : security == .startTLS ? 587 : 25
        return SMTPClient(
            SMTPConfiguration(
                host: settings["SendmailModule::Host"], port: Int(settings["SendmailModule::Port"]) ?? defaultPort, security: security,
                user: settings["SendmailModule::AuthUser"], password: settings["SendmailModule::AuthPassword"],
                heloName: settings["FQDN"]))
    }
}

/// Something that delivers a composed message to its envelope recipients.
public protocol MailTransport: Sendable {
    func deliver(_ message: String, from sender: String, to recipients: [String]) async -> DeliveryOutcome
}

extension SMTPClient: MailTransport {}
extension SendmailTransport: MailTransport {}
