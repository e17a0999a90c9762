import DeskCore
import Logging
import ServiceLifecycle

/// Delivers the outbox: claims due messages, composes and sends each with the transport the
/// settings name (`SendmailModule`), records the outcome. Runs in every server process (see
/// `MailOutboxService` for how they share the work). On graceful shutdown it stops claiming,
/// gives back what it claimed and has not begun, and finishes the messages on their way.
public struct MailSenderService: Service {
    let outbox: MailOutboxService
    let composer: MailComposer
    let logger: Logger
    /// How long to wait when nothing is due.
    let idle: Duration
    /// Messages delivered at once, each over its own SMTP connection (or sendmail process).
    let connections: Int
    /// How long a claim lasts: longer than any delivery (the SMTP timeout is 60 s) plus the
    /// wait of a message claimed ahead (`claimPerConnection`).
    static let leaseSeconds: Int64 = 300
    /// Messages held per connection, the one on its way included: enough that a claim serves
    /// many messages, few enough that none waits long for its lease to run out (about three
    /// deliveries of at most 60 s ahead of it, then its own: 240 s of the 300).
    static let claimPerConnection = 4

    public init(
        outbox: MailOutboxService, composer: MailComposer, logger: Logger, idle: Duration = .seconds(1),
        connections: Int = 4
    ) {
        self.outbox = outbox
        self.composer = composer
        self.logger = logger
        self.idle = idle
        self.connections = max(1, connections)
    }

    public func run() async throws {
        await deliver()
    }

    /// What ended a wait in `deliver`.
    private enum Event: Sendable {
        case delivered(OutgoingMail, DeliveryOutcome)
        case recorded
        case tick, shutdown
    }

    /// Keeps up to `connections` messages on their way until graceful shutdown.
    ///
    /// It holds up to `claimPerConnection` messages per connection, those on their way and
    /// those whose outcome is not recorded yet included, and claims more when fewer than one per
    /// connection wait: right after a message finished when the last claim found something,
    /// else once per `idle`. A claim holds at most one message per ticket and none of a ticket
    /// whose earlier message is on its way (`DeskStore.claimMail`), so one ticket's mail goes
    /// out in order; a slow message holds up only its own connection and its ticket's later
    /// mail, never the next claim.
    ///
    /// A delivered message frees its connection at once; its outcome is recorded with the
    /// others delivered meanwhile, in one transaction, one recording at a time. Recording each
    /// on its own held a connection for a commit per message: on PostgreSQL under a create load
    /// that bounded the outbox at about four messages per commit's wait, the queue grew, and
    /// each claim then read more of it, on the writer's connection (docs/performance-log.md,
    /// "The outbox's claim"). Until its outcome is recorded a message stays claimed, so no
    /// sender takes it or its ticket's next message.
    ///
    /// Shutdown is not cancellation: a cancelled SMTP conversation would be cut off and
    /// recorded as a failed attempt, so the messages on their way are left to finish and their
    /// outcomes are recorded.
    func deliver() async {
        await withTaskGroup(of: Event.self) { group in
            group.addTask {
                try? await gracefulShutdown()
                return .shutdown
            }
            var waiting: [OutgoingMail] = []
            var running = 0
            var delivered: [(mail: OutgoingMail, outcome: DeliveryOutcome)] = []
            var recording = 0
            var ticking = false
            var claimNow = true
            var stopping = false
            let capacity = connections * Self.claimPerConnection
            while true {
                // Topped up when fewer than one message per connection wait, so that a busy
                // sender claims many at a time; a claimed message waits at most about
                // `claimPerConnection - 1` deliveries per connection.
                let held = running + waiting.count + delivered.count + recording
                if !stopping, claimNow, waiting.count < connections, held < capacity {
                    let claimed = await claim(limit: capacity - held)
                    waiting += claimed
                    claimNow = !claimed.isEmpty
                }
                while !stopping, running < connections, !waiting.isEmpty {
                    let mail = waiting.removeFirst()
                    group.addTask { .delivered(mail, await self.send(mail)) }
                    running += 1
                }
                if recording == 0, !delivered.isEmpty {
                    let batch = delivered
                    delivered = []
                    recording = batch.count
                    group.addTask {
                        await self.record(batch)
                        return .recorded
                    }
                }
                if stopping, running == 0, recording == 0 {
                    group.cancelAll()
                    return
                }
                if !stopping, running < connections, !ticking {
                    group.addTask {
                        try? await Task.sleep(for: self.idle)
                        return .tick
                    }
                    ticking = true
                }
                switch await group.next() {
                case .delivered(let mail, let outcome):
                    running -= 1
                    delivered.append((mail, outcome))
                case .recorded: recording = 0
                case .tick:
                    ticking = false
                    claimNow = true
                case .shutdown:
                    stopping = true
                    await release(waiting)
                    waiting = []
                case nil: return
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

    /// Gives claimed messages back unsent (logged when the database cannot be reached: they
    /// are claimed again when their lease runs out).
    private func release(_ mails: [OutgoingMail]) async {
        guard !mails.isEmpty else { return }
        do {
            try await outbox.release(mails)
        } catch {
            logger.error("mail outbox: cannot give back claimed messages", metadata: ["error": "\(error)"])
        }
    }

    /// Composes and delivers one message, and logs how it went.
    private func send(_ mail: OutgoingMail) async -> DeliveryOutcome {
        let outcome: DeliveryOutcome
        do {
            let message = try await composer.compose(mail)
            outcome = await Self.transport(for: mail.settings).deliver(message, from: mail.envelopeFrom, to: mail.recipients)
        } catch {
            outcome = .permanentFailure(answer: "cannot sign or encrypt: \(error)")
        }
        switch outcome {
        case .sent(let answer): logger.info("mail sent", metadata: Self.metadata(mail).merging(["answer": "\(answer)"]) { $1 })
        case .permanentFailure(let answer), .transientFailure(let answer):
            logger.warning("mail not delivered", metadata: Self.metadata(mail).merging(["answer": "\(answer)"]) { $1 })
        }
        return outcome
    }

    /// Records the outcomes of delivered messages (logged when the database cannot be reached:
    /// the messages are claimed and sent again when their lease runs out).
    private func record(_ delivered: [(mail: OutgoingMail, outcome: DeliveryOutcome)]) async {
        do {
            for (attempt, held) in zip(delivered, try await outbox.finish(delivered)) where !held {
                logger.warning(
                    "mail outbox: the claim ran out before the attempt was recorded; another sender may send the message again",
                    metadata: Self.metadata(attempt.mail))
            }
        } catch {
            for attempt in delivered {
                logger.error(
                    "mail outbox: cannot record an attempt", metadata: Self.metadata(attempt.mail).merging(["error": "\(error)"]) { $1 })
            }
        }
    }

    private static func metadata(_ mail: OutgoingMail) -> Logger.Metadata {
        [
            "outbox_id": "\(mail.entry.id)", "ticket_id": "\(mail.entry.ticketID)",
            "message": "\(mail.entry.notification.map(\.templateName) ?? "article \(mail.entry.articleID)")",
        ]
    }

    /// The transport the settings name.
    static func transport(for settings: Settings) -> any MailTransport {
        let module = settings["SendmailModule"]
        if module == "Sendmail" { return SendmailTransport(command: settings["SendmailModule::CMD"]) }
        if module == "DoNotSendEmail" { return DiscardingTransport() }
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
