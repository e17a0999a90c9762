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
    /// How long a claim lasts: longer than any delivery (the SMTP timeout is 60 s).
    static let leaseSeconds: Int64 = 300

    public init(outbox: MailOutboxService, composer: MailComposer = MailComposer(), logger: Logger, idle: Duration = .seconds(1)) {
        self.outbox = outbox
        self.composer = composer
        self.logger = logger
        self.idle = idle
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
    @discardableResult
    public func sendDue() async -> Int {
        let batch: [OutgoingMail]
        do {
            batch = try await outbox.claim(limit: 20, leaseSeconds: Self.leaseSeconds)
        } catch {
            logger.error("mail outbox: cannot claim messages", metadata: ["error": "\(error)"])
            return 0
        }
        // Each outcome is recorded as soon as its message is delivered, while the next one is
        // composed and sent: the records of a batch then share write transactions instead of
        // committing one by one.
        await withTaskGroup(of: Void.self) { records in
            for mail in batch {
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
                records.addTask {
                    do {
                        try await outbox.finish(mail, outcome)
                    } catch {
                        logger.error("mail outbox: cannot record an attempt", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                    }
                }
            }
        }
        return batch.count
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
