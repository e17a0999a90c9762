import Foundation
import Testing

@testable import DeskCore
@testable import DeskMail

@Suite("Composing outgoing mail")
struct MailComposerTests {
    /// The server passes Znuny's HTML-to-ASCII; the composer only places what the function returns.
    static let composer = MailComposer(htmlToText: { $0.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression) })

    static func mail(
        subject: String = "Printer", body: String = "Hello", mimeType: String = "text/plain", attachments: [DeskCore.Attachment] = [],
        to: String = "Jo Doe <jo@example.com>", cc: String = "", bcc: String = "hidden@example.com"
    ) -> OutgoingMail {
        let article = Article(
            id: 7, ticketID: 3, senderTypeID: 1, channelID: 1, isVisibleForCustomer: true,
            from: "\"Help Desk\" <helpdesk@example.org>", to: to, cc: cc, bcc: bcc, replyTo: "", subject: subject, body: body,
            contentType: "\(mimeType); charset=utf-8", charset: "utf-8", mimeType: mimeType,
            messageID: "<1700000000.abc@desk.example.org>", inReplyTo: "<earlier@example.com>", references: "<earlier@example.com>",
            incomingTime: 1_700_000_000, createdAt: 1_700_000_000, createdBy: 1, changedAt: 1_700_000_000, changedBy: 1)
        let entry = OutboxEntry(
            id: 1, articleID: 7, ticketID: 3, status: .queued, attempts: 0, nextAttemptAt: 0, lastAnswer: "", createdAt: 0, sentAt: nil)
        return OutgoingMail(
            entry: entry, claim: "c", content: .article(article, attachments: attachments), ticketNumber: "2026112810000013",
            envelopeFrom: "helpdesk@example.org", headerFrom: article.from, recipients: ["jo@example.com", "hidden@example.com"],
            subject: "[Ticket#2026112810000013] \(subject)", settings: Settings())
    }

    static func headers(_ message: String) -> [String: String] {
        let head = message.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        var headers: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingSpaces
        }
        return headers
    }

    @Test("a plain message: RFC 5322 headers, threading, no Bcc, quoted-printable UTF-8")
    func plain() async throws {
        let message = try await MailComposerTests.composer.compose(Self.mail(body: "Grüße,\nline two "))
        let headers = Self.headers(message)
        #expect(headers["From"] == "\"Help Desk\" <helpdesk@example.org>")
        #expect(headers["To"] == "\"Jo Doe\" <jo@example.com>")
        #expect(headers["Bcc"] == nil)
        #expect(!message.contains("hidden@example.com"))
        #expect(headers["Subject"] == "[Ticket#2026112810000013] Printer")
        #expect(headers["Date"] == "Tue, 14 Nov 2023 22:13:20 +0000")
        #expect(headers["Message-ID"] == "<1700000000.abc@desk.example.org>")
        #expect(headers["In-Reply-To"] == "<earlier@example.com>")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(headers["Content-Transfer-Encoding"] == "quoted-printable")
        #expect(message.hasSuffix("\r\n\r\nGr=C3=BC=C3=9Fe,\r\nline two=20=\r\n"))
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("Date headers in RFC 5322 form, in UTC")
    func dates() {
        #expect(MailComposer.date(0) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailComposer.date(1_795_600_800) == "Wed, 25 Nov 2026 10:00:00 +0000")
        #expect(MailComposer.date(951_782_400) == "Tue, 29 Feb 2000 00:00:00 +0000")
        #expect(MailComposer.date(4_102_444_799) == "Thu, 31 Dec 2099 23:59:59 +0000")
    }

    @Test("non-ASCII subjects and names become encoded words; long headers fold")
    func encodedWords() async throws {
        let message = try await MailComposerTests.composer.compose(
            Self.mail(subject: "Drucker kaputt – bitte schnell", to: "Jörg Müller <jm@example.com>"))
        let headers = Self.headers(message)
        #expect(headers["Subject"]?.hasPrefix("=?utf-8?B?") == true)
        let decoded = headers["Subject"]!.split(separator: " ").map { word -> String in
            let text = word.dropFirst("=?utf-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(text))!, as: UTF8.self)
        }.joined()
        #expect(decoded == "[Ticket#2026112810000013] Drucker kaputt – bitte schnell")
        #expect(headers["To"] == "=?utf-8?B?SsO2cmcgTcO8bGxlcg==?= <jm@example.com>")
        for line in message.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78) }
    }

    @Test("HTML goes out as multipart/alternative, attachments as multipart/mixed with RFC 2231 names")
    func multipart() async throws {
        let file = DeskCore.Attachment(
            id: 1, articleID: 7, filename: "Übersicht.pdf", contentType: "application/pdf", contentID: "", disposition: "attachment",
            size: 3, content: [0x25, 0x50, 0x44])
        let message = try await MailComposerTests.composer.compose(
            Self.mail(body: "<p>Hello <b>you</b></p>", mimeType: "text/html", attachments: [file]), boundarySeed: "seed")
        let headers = Self.headers(message)
        #expect(headers["Content-Type"] == "multipart/mixed; boundary=\"=_SwiftDesk_seed\"")
        #expect(message.contains("--=_SwiftDesk_seed\r\nContent-Type: multipart/alternative; boundary=\"=_SwiftDesk_seed_alt\"\r\n"))
        #expect(message.contains("--=_SwiftDesk_seed_alt\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(message.contains("Hello you"))
        #expect(message.contains("--=_SwiftDesk_seed_alt\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(message.contains("Content-Disposition: attachment; filename*=utf-8''%C3%9Cbersicht.pdf\r\n"))
        #expect(message.contains("Content-Type: application/pdf; name=\"_bersicht.pdf\"\r\n"))
        #expect(message.contains("\r\n\r\nJVBE\r\n--=_SwiftDesk_seed--\r\n"))
        #expect(message.hasSuffix("--=_SwiftDesk_seed--\r\n"))
    }

    @Test("quoted-printable keeps lines at 76 characters with soft breaks")
    func quotedPrintable() {
        let encoded = QuotedPrintable.encode(String(repeating: "ä", count: 40) + "\n= end\t")
        for line in encoded.components(separatedBy: "\r\n") { #expect(line.count <= 76) }
        #expect(encoded.hasSuffix("=3D end=09=\r\n"))
        #expect(encoded.hasPrefix("=C3=A4=C3=A4"))
        #expect(encoded.contains("=\r\n"))
        // Line ends of every kind, escapes, a soft break before an escape that would not fit.
        #expect(
            QuotedPrintable.encode("Grüße, Jörg =\tok \r\nzweite Zeile\t\rdritte\n")
                == "Gr=C3=BC=C3=9Fe, J=C3=B6rg =3D\tok=20\r\nzweite Zeile=09\r\ndritte\r\n")
        #expect(
            QuotedPrintable.encode(String(repeating: "x", count: 74) + "é" + String(repeating: "y", count: 80) + " ")
                == String(repeating: "x", count: 74) + "=\r\n=C3=A9" + String(repeating: "y", count: 69) + "=\r\n"
                + String(repeating: "y", count: 11) + "=20=\r\n")
        #expect(QuotedPrintable.encode("") == "")
        // No line break at the end: none added (a soft break); one at the end: kept, not doubled.
        #expect(QuotedPrintable.encode("a\nb") == "a\r\nb=\r\n")
        #expect(QuotedPrintable.encode("a\n") == "a\r\n")
        #expect(QuotedPrintable.encode(String(repeating: "x", count: 75)) == String(repeating: "x", count: 75) + "=\r\n")
    }

    @Test("SMTP data is dot-stuffed")
    func dotStuffing() {
        #expect(SMTPClient.dotStuffed("a\r\n.b\r\n..c\r\n") == "a\r\n..b\r\n...c\r\n")
    }

    @Test("address lists split outside quotes and brackets")
    func addressLists() {
        #expect(
            MailAddress.list("a@example.com, \"Doe, Jo\" <jo@example.com>; b@example.com") == [
                "a@example.com", "\"Doe, Jo\" <jo@example.com>", "b@example.com",
            ])
        #expect(MailAddress.bare("\"Doe, Jo\" <jo@example.com>") == "jo@example.com")
        #expect(MailAddress.displayName("\"Doe, \\\"Jo\\\"\" <jo@example.com>") == "Doe, \"Jo\"")
        #expect(MailAddress.displayName("Jo Doe <jo@example.com>") == "Jo Doe")
        #expect(MailAddress.displayName("jo@example.com") == "")
    }

    @Test("retries back off by doubling up to the cap")
    func backoff() {
        let policy = MailRetryPolicy(base: 60, cap: 3600, maxAttempts: 10)
        #expect((1...8).map(policy.delay(afterAttempt:)) == [60, 120, 240, 480, 960, 1920, 3600, 3600])
    }
}

@Suite("Ticket numbers in subjects (Znuny's TicketSubjectBuild)")
struct SubjectTests {
    static let settings = Settings(["Ticket::Hook": "Ticket#"])

    @Test(
        "the tag goes first; old tags and reply prefixes go; long subjects are cut",
        arguments: [
            ("Printer", "[Ticket#2026112810000013] Printer"),
            ("Re: Printer", "[Ticket#2026112810000013] Printer"),
            ("RE[2]: re: Fwd: Printer", "[Ticket#2026112810000013] Printer"),
            ("Re:Printer", "[Ticket#2026112810000013] Re:Printer"),
            ("Re: [Ticket#2026112810000013] Printer", "[Ticket#2026112810000013] Printer"),
            ("[Ticket#2026112810000099] Other", "[Ticket#2026112810000013] [Ticket#2026112810000099] Other"),
            ("", "[Ticket#2026112810000013] "),
            (String(repeating: "x", count: 120), "[Ticket#2026112810000013] " + String(repeating: "x", count: 100) + " [...]"),
        ])
    func subjects(subject: String, expected: String) {
        #expect(MailOutboxService.subject(subject, number: "2026112810000013", settings: Self.settings) == expected)
    }
}

@Suite("Agent notification mail")
struct NotificationMailTests {
    static func mail(_ notification: AgentNotification) -> OutgoingMail {
        let olga = Agent(id: 2, login: "olga", firstName: "Olga", lastName: "Owner", email: "olga@example.com")
        let root = Agent(id: 1, login: "root@localhost", firstName: "Admin", lastName: "OTRS", email: "root@localhost")
        let ticket = Ticket(
            id: 3, number: "2026112810000013", title: "Printer <on> fire", queueID: 4, typeID: 1, serviceID: nil, slaID: nil, stateID: 1,
            priorityID: 3, lockID: 1, ownerID: 2, responsibleID: 1, customerUserID: "cora", customerID: "ACME", pendingUntil: 0,
            escalationTime: 0, escalationResponseTime: 0, escalationUpdateTime: 0, escalationSolutionTime: 0, unlockTimeout: 0,
            createdAt: 0, createdBy: 1, changedAt: 0, changedBy: 1)
        let about = NotificationMail(
            notification: notification, recipient: olga, actor: root, ticket: ticket, queue: "Misc", state: "new", priority: "3 normal",
            owner: olga, responsible: root, article: nil)
        let entry = OutboxEntry(
            id: 1, articleID: 0, ticketID: 3, notification: notification, recipientID: 2, actorID: 1, status: .queued, attempts: 0,
            nextAttemptAt: 0, lastAnswer: "", createdAt: 0, sentAt: nil)
        return OutgoingMail(
            entry: entry, claim: "c", content: .notification(about), ticketNumber: ticket.number, envelopeFrom: "otrs@localhost",
            headerFrom: "\"Znuny Notifications\" <otrs@localhost>", recipients: ["olga@example.com"], subject: "",
            settings: Settings(["FQDN": "desk.example.org"]))
    }

    @Test("the built-in owner-update template, unescaped, with the ticket tag in the subject")
    func builtIn() async throws {
        let message = try await MailComposerTests.composer.compose(Self.mail(.ownerUpdate), now: 1_700_000_000)
        let headers = MailComposerTests.headers(message)
        #expect(headers["Subject"] == "[Ticket#2026112810000013] Ticket Owner Update to Olga Owner: Printer <on> fire")
        #expect(headers["To"] == "\"Olga Owner\" <olga@example.com>")
        #expect(headers["From"] == "\"Znuny Notifications\" <otrs@localhost>")
        #expect(headers["Auto-Submitted"] == "auto-generated")
        #expect(headers["Message-ID"]?.hasSuffix("@desk.example.org>") == true)
        #expect(message.contains("\r\n\r\nHi Olga,\r\n"))
        // The body is quoted-printable; unfolded, it reads:
        let body = message.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
            .replacingOccurrences(of: "=\r\n", with: "")
        #expect(body.contains("the owner of ticket [Ticket#2026112810000013] has been updated to Olga Owner by Admin OTRS."))
    }

    @Test("an article is quoted by its first 30 lines, whatever ends them", arguments: ["\n", "\r\n", "\r"])
    func quotedLines(lineEnd: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "Subject: {{article.subject}}\n\n{{article.body}}".write(
            to: directory.appendingPathComponent("new-note.mustache"), atomically: true, encoding: .utf8)
        let body = (1...40).map { "line \($0)" }.joined(separator: lineEnd)
        guard case .notification(var about) = Self.mail(.newNote).content else { fatalError() }
        about.article = MailComposerTests.mail(subject: "Toner", body: body).article
        let rendered = try NotificationTemplates(directory: directory.path).render(about, settings: Settings())
        #expect(rendered.subject == "Toner")
        #expect(rendered.body == (1...30).map { "line \($0)" }.joined(separator: "\n"))
    }

    @Test("templates from a directory replace the built-in ones; a broken one names its file")
    func overrides() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "Subject: {{ticket.title}} is yours\n\nDear {{recipient.fullName}}, see {{ticket.number}}.\n".write(
            to: directory.appendingPathComponent("owner-update.mustache"), atomically: true, encoding: .utf8)
        let templates = try NotificationTemplates(directory: directory.path)
        let rendered = templates.render(
            { if case .notification(let about) = Self.mail(.ownerUpdate).content { return about } else { fatalError() } }(),
            settings: Settings())
        #expect(rendered.subject == "Printer <on> fire is yours")
        #expect(rendered.body == "Dear Olga Owner, see 2026112810000013.\n")

        try "no subject line".write(to: directory.appendingPathComponent("new-note.mustache"), atomically: true, encoding: .utf8)
        #expect(throws: TemplateError.self) { try NotificationTemplates(directory: directory.path) }
        do {
            _ = try NotificationTemplates(directory: directory.path)
        } catch {
            #expect("\(error)".contains("new-note.mustache: the first line must be `Subject: …`"))
        }
    }
}
