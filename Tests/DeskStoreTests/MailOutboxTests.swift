import DeskCore
import DeskStore
import DeskTestSupport
import Synchronization
import Testing

@Suite("The outbox of outgoing mail")
struct MailOutboxTests {
    /// A clock the test moves forward.
    final class TestClock: Sendable {
        let time = Mutex<Int64>(Desk.now)
        var clock: DeskClock { DeskClock { self.time.withLock { $0 } } }
        func advance(_ seconds: Int64) { time.withLock { $0 += seconds } }
    }

    /// Services on a clock the test moves, and root acting.
    static func services(_ db: TestDatabase.Handle, clock: TestClock) async throws -> (DeskServices, Principal) {
        let services = DeskServices(store: db.store, hasher: TestDatabase.hasher, clock: clock.clock)
        return (services, Principal.agent(try await services.auth.agentPrincipal(id: 1)!))
    }

    static func sending(to: String = "Jo <jo@example.com>", cc: String = "", bcc: String = "", subject: String = "Answer") -> ArticleDraft {
        var draft = ArticleDraft(subject: subject, body: "Fixed.", channel: .name("Email"), to: to, cc: cc, bcc: bcc)
        draft.sending = .required
        return draft
    }

    @Test("a sent article is queued with it; claims, retries with backoff, failure and retry by id", arguments: TestDatabase.kinds)
    func lifecycle(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let time = TestClock()
            let services = DeskServices(
                store: db.store, hasher: TestDatabase.hasher, clock: time.clock,
                mailRetry: MailRetryPolicy(base: 10, cap: 40, maxAttempts: 3))
            let root = Principal.agent(try await services.auth.agentPrincipal(id: 1)!)
            var request = Desk.simpleTicket()
            request.articles = [
                ArticleDraft(subject: "Note", body: "internal"), Self.sending(cc: "cc@example.com", bcc: "audit@example.com"),
                ArticleDraft(subject: "Another note", body: "internal"),
            ]
            let created = try await services.tickets.create(request, by: root)

            var batch = try await services.outbox.claim(limit: 10, leaseSeconds: 300)
            #expect(batch.count == 1)
            let mail = try #require(batch.first)
            #expect(mail.article?.id == created.articleIDs[1])
            #expect(mail.recipients == ["jo@example.com", "cc@example.com", "audit@example.com"])
            #expect(mail.subject == "[Ticket#\(created.ticketNumber)] Answer")
            #expect(mail.envelopeFrom == "znuny@localhost")
            #expect(mail.article?.from == "Znuny System <znuny@localhost>")
            let messageID = try #require(mail.article?.messageID)
            #expect(messageID.hasPrefix("<\(Desk.now).") && messageID.hasSuffix("@localhost>"))
            // A claimed message is not handed out twice.
            #expect(try await services.outbox.claim(limit: 10, leaseSeconds: 300).isEmpty)

            try await services.outbox.finish(mail, .transientFailure(answer: "421 try later"))
            var entry = try #require(try await services.outbox.list().first)
            #expect((entry.status, entry.attempts, entry.nextAttemptAt, entry.lastAnswer) == (.queued, 1, Desk.now + 10, "421 try later"))
            #expect(try await services.outbox.claim(limit: 10, leaseSeconds: 300).isEmpty)
            time.advance(10)
            batch = try await services.outbox.claim(limit: 10, leaseSeconds: 300)
            try await services.outbox.finish(try #require(batch.first), .transientFailure(answer: "421 again"))
            entry = try #require(try await services.outbox.list().first)
            #expect((entry.attempts, entry.nextAttemptAt) == (2, Desk.now + 10 + 20))
            time.advance(20)
            batch = try await services.outbox.claim(limit: 10, leaseSeconds: 300)
            try await services.outbox.finish(try #require(batch.first), .transientFailure(answer: "421 still"))
            entry = try #require(try await services.outbox.list().first)
            #expect((entry.status, entry.attempts) == (.failed, 3))

            try await services.outbox.retry(id: entry.id)
            await #expect(throws: DeskError.notFound(.outboxMessage, key: String(entry.id))) {
                try await services.outbox.retry(id: entry.id)
            }
            batch = try await services.outbox.claim(limit: 10, leaseSeconds: 300)
            try await services.outbox.finish(try #require(batch.first), .sent(answer: "250 ok"))
            #expect(try await services.outbox.list().isEmpty)
            entry = try #require(try await services.outbox.list(statuses: [.sent]).first)
            #expect((entry.status, entry.sentAt, entry.lastAnswer) == (.sent, Desk.now + 30, "250 ok"))
        }
    }

    @Test(
        "10,000 notifications and events in one write: more values than one statement may bind, in several statements",
        arguments: TestDatabase.kinds)
    func manyRowsInOneWrite(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let id = try await desk.tickets.create(Desk.simpleTicket(), by: try await desk.root()).ticketID
            let ticket = try #require(try await db.store.read { try await $0.ticket(id: id) })
            let count = 10_000
            try await db.store.write { tx in
                try await tx.enqueueNotifications(
                    Array(
                        repeating: OutboxNotification(ticketID: id, articleID: nil, notification: .escalation, recipientID: 1, actorID: 1),
                        count: count), at: Desk.now)
                try await tx.insertEvents(
                    Array(
                        repeating: NewTicketEvent(
                            ticketID: id, change: .escalationStarted(.solution), snapshot: TicketSnapshot(ticket), actorID: 1,
                            createdAt: Desk.now),
                        count: count))
            }
            #expect(try await desk.services.outbox.list(limit: 20_000).count == count)
            let events = try await db.store.read { try await $0.events(ticketIDs: [id], kinds: ["EscalationStarted"]) }
            #expect(events.count == count)
        }
    }

    @Test("a lease that ran out lets another sender take over; the first cannot record any more", arguments: TestDatabase.kinds)
    func leases(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let time = TestClock()
            let (services, root) = try await Self.services(db, clock: time)
            var request = Desk.simpleTicket()
            request.articles = [Self.sending()]
            _ = try await services.tickets.create(request, by: root)
            let first = try #require(try await services.outbox.claim(limit: 1, leaseSeconds: 60).first)
            time.advance(61)
            let second = try #require(try await services.outbox.claim(limit: 1, leaseSeconds: 60).first)
            #expect(first.entry.id == second.entry.id && first.claim != second.claim)
            #expect(try await !services.outbox.finish(first, .permanentFailure(answer: "550 late")))
            #expect(try await services.outbox.list().first?.status == .queued)
            try await services.outbox.finish(second, .sent(answer: "250 ok"))
            #expect(try await services.outbox.list(statuses: [.sent]).count == 1)
        }
    }

    @Test(
        "one ticket's messages are claimed one at a time, in order; one waiting for a retry does not hold back the next; a release gives one back",
        arguments: TestDatabase.kinds)
    func oneTicketInOrder(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let time = TestClock()
            let (services, root) = try await Self.services(db, clock: time)
            var thread = Desk.simpleTicket()
            thread.articles = ["A1", "A2", "A3"].map { Self.sending(subject: $0) }
            _ = try await services.tickets.create(thread, by: root)
            var other = Desk.simpleTicket()
            other.articles = [Self.sending(subject: "B1")]
            _ = try await services.tickets.create(other, by: root)
            func claim() async throws -> [OutgoingMail] { try await services.outbox.claim(limit: 10, leaseSeconds: 300) }
            func subjects(_ mails: [OutgoingMail]) -> [String] { mails.map { $0.article?.subject ?? "" } }

            let first = try await claim()
            #expect(subjects(first) == ["A1", "B1"])
            // A2 waits while A1 is on its way.
            #expect(try await claim().isEmpty)
            try await services.outbox.finish(first[0], .sent(answer: "250 ok"))
            let second = try await claim()
            #expect(subjects(second) == ["A2"])
            // A2 waits for a retry: A3 may go.
            try await services.outbox.finish(second[0], .transientFailure(answer: "421 later"))
            let third = try await claim()
            #expect(subjects(third) == ["A3"])
            try await services.outbox.release(third)
            let again = try await claim()
            #expect(subjects(again) == ["A3"] && again[0].claim != third[0].claim)
            #expect(try await !services.outbox.finish(third[0], .sent(answer: "250 late")))
            #expect(try await services.outbox.finish(again[0], .sent(answer: "250 ok")))
        }
    }

    @Test("bad recipients and line breaks in headers are refused and nothing is queued", arguments: TestDatabase.kinds)
    func refusals(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let cases: [(ArticleDraft, DeskError)] = [
                (Self.sending(to: "jo@example.com, broken@"), .invalid(.article(0, .to), .malformed(expected: "e-mail addresses"))),
                (Self.sending(cc: "x"), .invalid(.article(0, .cc), .malformed(expected: "e-mail addresses"))),
                (Self.sending(to: ""), .invalid(.article(0, .to), .missing)),
                (
                    Self.sending(subject: "Hi\r\nBcc: victim@example.com"),
                    .invalid(.article(0, .subject), .malformed(expected: "a single line"))
                ),
                (
                    Self.sending(to: "a@example.com\nBcc: victim@example.com"),
                    .invalid(.article(0, .to), .malformed(expected: "a single line"))
                ),
            ]
            for (draft, error) in cases {
                var request = Desk.simpleTicket()
                request.articles = [draft]
                await #expect(throws: error) { try await desk.tickets.create(request, by: root) }
            }
            #expect(try await desk.services.outbox.list(statuses: OutboxStatus.allCases).isEmpty)
        }
    }

    @Test("Bcc is kept for agents and hidden from customers", arguments: TestDatabase.kinds)
    func blindCopies(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let cora = try await desk.customer("cora", customerID: "ACME")
            var request = Desk.simpleTicket(customer: "cora")
            request.articles = [Self.sending(to: "cora@example.org", bcc: "audit@example.com")]
            let created = try await desk.tickets.create(request, by: root)
            #expect(try await desk.tickets.get(ticketID: created.ticketID, by: root).articles.first?.bcc == "audit@example.com")
            let seen = try await desk.tickets.get(ticketID: created.ticketID, by: cora).articles.first
            #expect(seen?.bcc == "" && seen?.to == "cora@example.org")
        }
    }

    @Test("deleting a ticket removes its queued messages; a merge takes them along", arguments: TestDatabase.kinds)
    func followsTheTicket(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            var request = Desk.simpleTicket()
            request.articles = [Self.sending()]
            let doomed = try await desk.tickets.create(request, by: root)
            let source = try await desk.tickets.create(request, by: root)
            let target = try await desk.tickets.create(Desk.simpleTicket(), by: root)
            try await desk.tickets.delete(ticketID: doomed.ticketID, by: root)
            try await desk.tickets.merge([source.ticketID], into: target.ticketID, by: root)
            let entries = try await desk.services.outbox.list()
            #expect(entries.map(\.ticketID) == [target.ticketID])
        }
    }
}

@Suite("Signing and encryption keys")
struct CryptoKeyTests {
    static func key(_ kind: CryptoKind, _ fingerprint: String, email: String, secret: Bool, expires: Int64 = 0) -> CryptoKey {
        CryptoKey(
            id: 0, kind: kind, keyID: String(fingerprint.suffix(16)), fingerprint: fingerprint, emails: [email], expiresAt: expires,
            publicData: "public \(fingerprint)", privateData: secret ? "secret \(fingerprint)" : "", createdAt: 0)
    }

    @Test(
        "keys are found by fingerprint, key id or address; unknown, expired and public-only signing keys are refused",
        arguments: TestDatabase.kinds)
    func checks(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let outbox = desk.services.outbox
            let signer = try await outbox.importKey(
                Self.key(.pgp, "AAAA1111BBBB2222CCCC3333DDDD4444EEEE5555", email: "desk@example.org", secret: false))
            // Importing the same key with its secret part adds it to the same row.
            #expect(
                try await outbox.importKey(
                    Self.key(.pgp, "AAAA1111BBBB2222CCCC3333DDDD4444EEEE5555", email: "desk@example.org", secret: true)) == signer)
            _ = try await outbox.importKey(
                Self.key(.pgp, "FFFF0000FFFF0000FFFF0000FFFF0000FFFF0000", email: "old@example.com", secret: true, expires: Desk.now - 1))
            let smime = try await outbox.importKey(
                Self.key(.smime, "0123456789ABCDEF0123456789ABCDEF01234567", email: "jo@example.com", secret: false))
            #expect(try await outbox.keys().count == 3)
            #expect(try await outbox.keys(kind: .smime).map(\.id) == [smime])

            func send(_ security: MailSecurity) async throws {
                var draft = ArticleDraft(subject: "Signed", body: "Fixed.", channel: .name("Email"), to: "jo@example.com")
                draft.sending = .required
                draft.security = security
                var request = Desk.simpleTicket()
                request.articles = [draft]
                _ = try await desk.tickets.create(request, by: root)
            }
            try await send(MailSecurity(sign: .init(kind: .pgp, key: "0xEEEE5555"), crypt: .init(kind: .smime, key: "JO@example.com")))
            let entry = try #require(try await outbox.list().first)
            #expect(entry.security?.sign?.keyRowID == signer && entry.security?.crypt?.keyRowID == smime)
            let claimed = try #require(try await outbox.claim(limit: 1, leaseSeconds: 60).first)
            #expect(Set(claimed.keys.keys) == [signer, smime])

            await #expect(throws: DeskError.invalid(.article(0, .sign), .unknownValue("12345678"))) {
                try await send(MailSecurity(sign: .init(kind: .pgp, key: "12345678")))
            }
            await #expect(throws: DeskError.invalid(.article(0, .sign), .unknownValue("jo@example.com"))) {
                try await send(MailSecurity(sign: .init(kind: .smime, key: "jo@example.com")))
            }
            await #expect(throws: DeskError.invalid(.article(0, .crypt), .outOfRange("a key that has not expired"))) {
                try await send(MailSecurity(crypt: .init(kind: .pgp, key: "old@example.com")))
            }
            #expect(try await outbox.list(statuses: OutboxStatus.allCases).count == 1)
        }
    }
}

@Suite("Auto responses")
struct AutoResponseTests {
    @Test("a queue's auto reply answers the customer's first article, once, from the queue's address", arguments: TestDatabase.kinds)
    func autoReply(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            _ = try await desk.customer("cora", customerID: "ACME")
            try await desk.admin.addAutoResponse(
                name: "default reply", type: "auto reply", subject: "RE: <OTRS_CUSTOMER_SUBJECT[10]>",
                text:
                    "Dear <OTRS_CUSTOMER_REALNAME>, ticket <OTRS_TICKET_TicketNumber> (<OTRS_TICKET_Queue>) is ours. <OTRS_AGENT_UserFirstname>"
            )
            await #expect(throws: DeskError.conflict(.exists(.autoResponse, key: "default reply"))) {
                try await desk.admin.addAutoResponse(name: "default reply", type: "auto reply", subject: "x", text: "y")
            }
            func create(from: String?, state: String = "new") async throws -> TicketCreateResult {
                var request = Desk.simpleTicket(customer: "cora")
                request.state = .name(state)
                request.articles = [
                    ArticleDraft(
                        subject: "Printer is broken again", body: "Help", senderType: .name("customer"), from: from,
                        autoResponseType: .name("auto reply"))
                ]
                return try await desk.tickets.create(request, by: root)
            }
            // Not linked to the queue yet: nothing.
            var created = try await create(from: "\"Cora Customer\" <cora@example.org>")
            #expect(try await desk.tickets.get(ticketID: created.ticketID, by: root).articles.count == 1)

            try await desk.admin.setQueueAutoResponse(queue: "Misc", name: "default reply")
            created = try await create(from: "\"Cora Customer\" <cora@example.org>")
            let articles = try await desk.tickets.get(ticketID: created.ticketID, by: root).articles
            #expect(articles.count == 2)
            let reply = try #require(articles.last)
            // As Znuny's `SendAutoResponse`: `From` by Mail::Address, `To` the sender's whole entry,
            // the subject cleaned and cut with ` [...]`.
            #expect(reply.from == "Znuny System <znuny@localhost>" && reply.to == "\"Cora Customer\" <cora@example.org>")
            #expect(reply.cc.isEmpty)
            #expect(reply.subject == "[Ticket#\(created.ticketNumber)] RE: Printer is [...]")
            // <OTRS_AGENT_UserFirstname> is the acting agent's (root's) first name.
            #expect(reply.body == "Dear Cora Customer, ticket \(created.ticketNumber) (Misc) is ours. Admin")
            #expect(reply.createdBy == 1)
            let events = try await desk.tickets.history(ticketID: created.ticketID, by: root)
            #expect(
                events.contains {
                    $0.label == "SendAutoReply" && $0.note == "%%\"Cora Customer\" <cora@example.org>" && $0.articleID == reply.id
                })
            #expect(try await desk.services.outbox.list().map(\.articleID) == [reply.id])

            // An `auto follow up` is recorded as Znuny's SendAutoFollowUp.
            try await desk.admin.addAutoResponse(name: "follow-up", type: "auto follow up", subject: "Got it", text: "Thanks")
            try await desk.admin.setQueueAutoResponse(queue: "Misc", name: "follow-up")
            var update = TicketUpdateRequest()
            update.articles = [
                ArticleDraft(
                    subject: "More", body: "Still broken", senderType: .name("customer"), from: "cora@example.org",
                    autoResponseType: .name("auto follow up"))
            ]
            _ = try await desk.tickets.update(ticketID: created.ticketID, update, by: root)
            let followed = try await desk.tickets.history(ticketID: created.ticketID, by: root)
            #expect(followed.contains { $0.label == "SendAutoFollowUp" && $0.note == "%%cora@example.org" })

            // One of the system's own addresses gets no answer (no mail loops); the ticket's customer
            // user, who did not write, gets it in Cc.
            created = try await create(from: "znuny@localhost")
            let looped = try await desk.tickets.get(ticketID: created.ticketID, by: root).articles
            #expect(looped.count == 2 && looped.last?.to == "" && looped.last?.cc == "cora@example.org")
            // Someone else writes: answered, the customer user in Cc; bounce mailboxes and invalid
            // entries are left out with a Misc history row each.
            created = try await create(from: "Jo <jo@acme.test>, postmaster@acme.test, nobody")
            let other = try await desk.tickets.get(ticketID: created.ticketID, by: root).articles
            #expect(other.last?.to == "Jo <jo@acme.test>" && other.last?.cc == "cora@example.org")
            let skipped = try await desk.tickets.history(ticketID: created.ticketID, by: root).filter { $0.label == "Misc" }.compactMap(
                \.note)
            #expect(
                skipped == [
                    "Sent no auto response to 'postmaster@acme.test', SendNoAutoResponseRegExp matched.",
                    "Sent no auto response to 'nobody' - no valid email address.",
                ])
            // No auto reply on a closed ticket; a Misc row says why.
            created = try await create(from: "cora@example.org", state: "closed successful")
            #expect(try await desk.tickets.get(ticketID: created.ticketID, by: root).articles.count == 1)
            let closedNotes = try await desk.tickets.history(ticketID: created.ticketID, by: root).filter { $0.label == "Misc" }
            #expect(closedNotes.map(\.note) == ["Sent no auto response or agent notification because ticket is state-type 'closed'!"])
            try await desk.admin.setQueueAutoResponse(queue: "Misc", name: nil, type: "auto reply")
            created = try await create(from: "cora@example.org")
            #expect(try await desk.tickets.get(ticketID: created.ticketID, by: root).articles.count == 1)
        }
    }
}
