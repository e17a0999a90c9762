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
    /// Messages claimed per free connection; those not sent at once wait in the sender's
    /// `DeliveryQueue` (under their lease) until a connection frees.
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
        await cancelWhenGracefulShutdown { await self.deliver() }
    }

    /// Keeps up to `connections` messages on their way until cancelled, then finishes what it
    /// has claimed.
    ///
    /// It claims when a connection is free and nothing claimed is waiting: right after a message
    /// finished when the last claim found something, else once per `idle`. The messages of one
    /// ticket go out one after another, in the order they were queued (`DeliveryQueue`); those
    /// of different tickets side by side. A slow message holds up only its own connection (and
    /// its ticket's later messages), never the next claim. Each outcome is recorded as soon as
    /// its message is delivered.
    func deliver() async {
        await withTaskGroup(of: Int?.self) { group in
            var queue = DeliveryQueue<OutgoingMail>(ticketOf: \.entry.ticketID)
            var running = 0
            var ticking = false
            var claimNow = true
            func start(_ mail: OutgoingMail) {
                group.addTask {
                    await self.send(mail)
                    return mail.entry.ticketID
                }
                running += 1
            }
            while true {
                let stopping = Task.isCancelled
                if !stopping, claimNow, !queue.hasWaiting, running < connections {
                    let batch = await claim(limit: (connections - running) * Self.claimPerConnection)
                    queue.add(batch)
                    claimNow = !batch.isEmpty
                }
                while running < connections, let mail = queue.start() { start(mail) }
                if !stopping, running < connections, !ticking {
                    group.addTask {
                        try? await Task.sleep(for: self.idle)
                        return nil
                    }
                    ticking = true
                }
                guard let done = await group.next() else { return }
                if let ticket = done {
                    running -= 1
                    if let next = queue.finished(ticket: ticket) { start(next) }
                } else {
                    ticking = false
                    claimNow = true
                }
            }
        }
    }

    /// Claims up to `limit` due messages; none when the database cannot be reached (logged).
    private func claim(limit: Int) async -> [OutgoingMail] {
        do {
            return try await outbox.claim(limit: limit, leaseSeconds: Self.leaseSeconds)
        } catch {
            logger.error("mail outbox: cannot claim messages", metadata: ["error": "\(error)"])
            return []
        }
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
