/// The outbox of outgoing mail: articles sent as e-mail are queued here in their own transaction
/// (see `ArticleDraft.send`); mail senders claim what is due, deliver it and record the outcome.
///
/// Senders in several server processes share the queue through the database: a claim is a
/// lease, so a message goes to one sender at a time, and a sender that dies mid-delivery only
/// delays the message until its lease runs out (delivery is at least once: a sender that dies
/// after the server accepted a message, before recording it, sends it again). Operator-level,
/// like `AdminService`: the CLI and the server's sender use it, faces do not.
public struct MailOutboxService: Sendable {
    let store: any DeskStore
    let clock: DeskClock
    let retry: MailRetryPolicy

    public init(store: any DeskStore, clock: DeskClock = .system, retry: MailRetryPolicy = MailRetryPolicy()) {
        self.store = store
        self.clock = clock
        self.retry = retry
    }

    /// Entries with one of `statuses`, newest first.
    public func list(statuses: [OutboxStatus] = [.queued, .failed], limit: Int = 100) async throws -> [OutboxEntry] {
        try await store.read { try await $0.outbox(statuses: statuses, limit: min(max(limit, 1), 10_000)) }
    }

    /// Puts a failed message back in the queue, due now.
    public func retry(id: Int) async throws {
        let now = clock.now()
        guard try await store.write({ try await $0.requeueMail(id: id, at: now) }) else {
            throw DeskError.notFound(.outboxMessage, key: String(id))
        }
    }

    /// Claims up to `limit` due messages for `leaseSeconds` and reads what composing them needs.
    public func claim(limit: Int, leaseSeconds: Int64) async throws -> [OutgoingMail] {
        let claim = Self.newClaim()
        let now = clock.now()
        // Chosen on a reader: the choice reads the queue, the writer's transaction only claims.
        let due = try await store.read { try await $0.claimableMail(limit: limit, at: now) }
        guard !due.isEmpty else { return [] }
        let entries = try await store.write { try await $0.claimMail(ids: due, claim: claim, now: now, leaseSeconds: leaseSeconds) }
        guard !entries.isEmpty else { return [] }
        return try await store.read { reader in
            let catalog = try await reader.catalog()
            let tickets = Dictionary(
                uniqueKeysWithValues: try await reader.tickets(ids: Array(Set(entries.map(\.ticketID)))).map { ($0.id, $0) })
            let files = Dictionary(
                grouping: try await reader.attachments(articleIDs: entries.map(\.articleID), withContent: true), by: \.articleID)
            var agentIDs = Set(entries.flatMap { [$0.recipientID, $0.actorID] })
            for ticket in tickets.values { agentIDs.formUnion([ticket.ownerID, ticket.responsibleID]) }
            let agents = Dictionary(uniqueKeysWithValues: try await reader.agents(ids: agentIDs.sorted()).map { ($0.id, $0) })
            let keyIDs = Set(entries.flatMap { [$0.security?.sign?.keyRowID, $0.security?.crypt?.keyRowID].compactMap { $0 } })
            let keys = keyIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await reader.cryptoKeys(kind: nil).map { ($0.id, $0) })
            let articles = Dictionary(
                uniqueKeysWithValues: try await reader.articles(ids: Set(entries.map(\.articleID)).sorted()).map { ($0.id, $0) })
            var mails: [OutgoingMail] = []
            for entry in entries {
                guard let ticket = tickets[entry.ticketID] else { continue }
                let article = articles[entry.articleID].flatMap { $0.ticketID == ticket.id ? $0 : nil }
                if let notification = entry.notification {
                    guard let recipient = agents[entry.recipientID] else { continue }
                    let about = NotificationMail(
                        notification: notification, recipient: recipient, actor: agents[entry.actorID], ticket: ticket,
                        queue: catalog.queues[ticket.queueID]?.name ?? "", state: catalog.states[ticket.stateID]?.name ?? "",
                        priority: catalog.priorities[ticket.priorityID]?.name ?? "",
                        service: ticket.serviceID.flatMap { catalog.services[$0]?.name } ?? "", owner: agents[ticket.ownerID],
                        responsible: agents[ticket.responsibleID], article: article)
                    mails.append(Self.outgoing(entry, claim: claim, notification: about, catalog: catalog))
                } else if let article {
                    var mail = Self.outgoing(
                        entry, claim: claim, article: article, attachments: files[article.id] ?? [], ticket: ticket, catalog: catalog)
                    mail.keys = keys.filter { keyIDs.contains($0.key) }
                    mails.append(mail)
                }
            }
            return mails
        }
    }

    /// Records how an attempt at `mail` ended: sent, failed for good, or due again after the
    /// policy's backoff (failed once the attempts are used up). False when the claim had run
    /// out and another sender holds the message now: nothing was recorded.
    @discardableResult
    public func finish(_ mail: OutgoingMail, _ outcome: DeliveryOutcome) async throws -> Bool {
        try await finish([(mail, outcome)])[0]
    }

    /// Records several attempts in one transaction; for each, whether its claim still held.
    public func finish(_ attempts: [(mail: OutgoingMail, outcome: DeliveryOutcome)]) async throws -> [Bool] {
        guard !attempts.isEmpty else { return [] }
        let now = clock.now()
        let records = attempts.map { mail, outcome in
            let count = mail.entry.attempts + 1
            let (status, next, answer, sentAt): (OutboxStatus, Int64, String, Int64?) =
                switch outcome {
                case .sent(let answer): (.sent, now, answer, now)
                case .permanentFailure(let answer): (.failed, now, answer, nil)
                case .transientFailure(let answer):
                    count >= retry.maxAttempts
                        ? (.failed, now, answer, nil) : (.queued, now + retry.delay(afterAttempt: count), answer, nil)
                }
            return (mail: mail, status: status, attempts: count, next: next, answer: String(answer.prefix(1000)), sentAt: sentAt)
        }
        return try await store.write { tx in
            var held: [Bool] = []
            for record in records {
                held.append(
                    try await tx.finishMail(
                        id: record.mail.entry.id, claim: record.mail.claim, status: record.status, attempts: record.attempts,
                        nextAttemptAt: record.next, answer: record.answer, sentAt: record.sentAt))
            }
            return held
        }
    }

    /// Gives claimed messages back unsent (a sender stopping before it got to them): due as
    /// before, for any sender to claim at once.
    public func release(_ mails: [OutgoingMail]) async throws {
        for (claim, group) in Dictionary(grouping: mails, by: \.claim) {
            try await store.write { try await $0.releaseMail(ids: group.map(\.entry.id), claim: claim) }
        }
    }

    /// The message as it goes out: subject with the ticket hook, envelope sender and recipients.
    static func outgoing(
        _ entry: OutboxEntry, claim: String, article: Article, attachments: [Attachment], ticket: Ticket, catalog: Catalog
    ) -> OutgoingMail {
        let settings = catalog.settings
        let recipients = [article.to, article.cc, article.bcc].flatMap(MailAddress.list).map(MailAddress.bare)
        let fromAddress = MailAddress.list(article.from).first.map(MailAddress.bare) ?? ""
        let system = catalog.queues[ticket.queueID].flatMap { catalog.systemAddresses[$0.systemAddressID] }
        let envelopeFrom =
            [fromAddress, system?.address ?? "", settings.notificationSenderEmail].first(where: MailAddress.isEnvelopeAddress) ?? ""
        let headerFrom =
            MailAddress.isEnvelopeAddress(fromAddress)
            ? article.from : system.map { MailAddress.mailbox(name: $0.realName, address: $0.address) } ?? envelopeFrom
        return OutgoingMail(
            entry: entry, claim: claim, content: .article(article, attachments: attachments), ticketNumber: ticket.number,
            envelopeFrom: envelopeFrom, headerFrom: headerFrom, recipients: recipients,
            subject: mailSubject(article, ticket: ticket, catalog: catalog),
            settings: settings)
    }

    /// The subject an article goes out with: built as `subject(_:number:settings:)` does, except
    /// for a subject that already starts with the ticket's tag: the system's own articles (auto
    /// responses, built without the clean-up, Znuny's `NoCleanup`, so an auto reply keeps its
    /// `RE:`) and articles stored as sent (`ArticleDraft.storedAsSent`) go out as stored.
    static func mailSubject(_ article: Article, ticket: Ticket, catalog: Catalog) -> String {
        let tag = catalog.settings.ticketTag(ticket.number) + " "
        if article.subject.hasPrefix(tag) { return article.subject }
        return subject(article.subject.isEmpty ? ticket.title : article.subject, number: ticket.number, settings: catalog.settings)
    }

    /// A notification to its agent, from `NotificationSenderName <NotificationSenderEmail>`.
    static func outgoing(_ entry: OutboxEntry, claim: String, notification: NotificationMail, catalog: Catalog) -> OutgoingMail {
        let settings = catalog.settings
        let sender = settings.notificationSenderEmail
        return OutgoingMail(
            entry: entry, claim: claim, content: .notification(notification), ticketNumber: notification.ticket.number,
            envelopeFrom: sender, headerFrom: MailAddress.mailbox(name: settings["NotificationSenderName"], address: sender),
            recipients: [notification.recipient.email], subject: "", settings: settings)
    }

    /// Znuny's `TicketSubjectBuild` for a new message (subject format Left, `Type => 'New'`):
    /// `[<hook><divider><number>] <subject>` after `TicketSubjectClean`.
    public static func subject(_ subject: String, number: String, settings: Settings) -> String {
        settings.ticketTag(number) + " " + cleanSubject(subject, hook: settings["Ticket::Hook"], number: number)
    }

    /// Znuny's `TicketSubjectClean` with its defaults: this ticket's tag removed (`[Ticket#N]`,
    /// `[Ticket#: N]`, `Ticket#N`), leading `Re: `/`Re[2]: ` and then `Fwd: ` prefixes removed
    /// (case-insensitively), ends trimmed, and more than 100 characters cut to 100 plus ` [...]`.
    static func cleanSubject(_ subject: String, hook: String, number: String) -> String {
        var text = subject
        for tag in [
            "[\(hook): \(number)]", "[\(hook):\(number)]", "[\(hook)\(number)]", "\(hook): \(number)", "\(hook):\(number)",
            "\(hook)\(number)",
        ] {
            text = text.replacing(tag, with: "")
        }
        text = text.trimmingSpaces
        for prefix in ["re", "fwd"] {
            while let stripped = strippingReplyPrefix(text, prefix) { text = stripped }
        }
        text = text.trimmingSpaces
        return text.count > 100 ? String(text.prefix(100)) + " [...]" : text
    }

    /// `text` without a leading `<prefix>: ` or `<prefix>[n]: ` (case-insensitive), nil when it has none.
    static func strippingReplyPrefix(_ text: String, _ prefix: String) -> String? {
        guard text.lowercased().hasPrefix(prefix) else { return nil }
        var rest = text.dropFirst(prefix.count)
        if rest.first == "[" {
            let digits = rest.dropFirst().prefix(while: \.isNumber)
            guard !digits.isEmpty, rest.dropFirst(1 + digits.count).first == "]" else { return nil }
            rest = rest.dropFirst(2 + digits.count)
        }
        guard rest.first == ":", let space = rest.dropFirst().first, space == " " || space == "\t" else { return nil }
        return String(rest.dropFirst(2))
    }

    static func newClaim() -> String {
        (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined(separator: "-")
    }
}

/// When a message that could not be delivered is tried again: after `base` seconds, doubling
/// with each attempt up to `cap`; after `maxAttempts` attempts it is marked failed.
public struct MailRetryPolicy: Sendable, Equatable {
    public var base: Int64
    public var cap: Int64
    public var maxAttempts: Int

    public init(base: Int64 = 60, cap: Int64 = 3600, maxAttempts: Int = 10) {
        self.base = max(1, base)
        self.cap = max(self.base, cap)
        self.maxAttempts = max(1, maxAttempts)
    }

    public func delay(afterAttempt attempt: Int) -> Int64 {
        let doublings = min(max(attempt - 1, 0), 20)
        return min(cap, base << Int64(doublings))
    }
}
