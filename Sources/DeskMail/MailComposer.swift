import DeskCore
import Foundation

/// Turns an outgoing article into an Internet message (RFC 5322, MIME per RFC 2045–2049).
///
/// - Headers: From, To, Cc (never Bcc: those recipients are only in the envelope), Reply-To,
///   Subject, Date, Message-ID, In-Reply-To, References, MIME-Version; non-ASCII header text as
///   RFC 2047 encoded words; long headers folded.
/// - Body: `text/plain` as quoted-printable UTF-8; `text/html` as `multipart/alternative` with a
///   plain-text rendering first; attachments make a `multipart/mixed` around it, each part base64
///   with `Content-Disposition` and an RFC 2231 file name when it is not plain ASCII.
public struct MailComposer: Sendable {
    /// Renders HTML as plain text for the alternative part (the server passes Znuny's
    /// HTML-to-ASCII, the one conversion the product has).
    public var htmlToText: @Sendable (String) -> String
    /// The agent notifications' subjects and bodies.
    public var templates: NotificationTemplates

    public init(
        htmlToText: @escaping @Sendable (String) -> String,
        templates: NotificationTemplates = NotificationTemplates()
    ) {
        self.htmlToText = htmlToText
        self.templates = templates
    }

    /// The message for `mail`, lines ending in CRLF; signed and encrypted as `mail.entry.security`
    /// asks (throws `KeyError` when that fails: nothing goes out unprotected).
    public func compose(_ mail: OutgoingMail, boundarySeed: String = UUID().uuidString, now: Int64? = nil) async throws -> String {
        switch mail.content {
        case .article(var article, let attachments):
            guard let security = mail.entry.security, !security.isEmpty else {
                return compose(mail, article: article, attachments: attachments, boundarySeed: boundarySeed)
            }
            let protection = MailProtection(security: security, keys: mail.keys)
            if protection.isInline(for: article, attachments: attachments) {
                article.body = try await protection.inlineText(article.body)
                return compose(mail, article: article, attachments: attachments, boundarySeed: boundarySeed)
            }
            return try await compose(
                mail, article: article, attachments: attachments, boundarySeed: boundarySeed,
                protect: { try await protection.protect($0, boundary: $1) })
        case .notification(let notification):
            return compose(mail, notification: notification, now: now ?? Int64(Date().timeIntervalSince1970))
        }
    }

    func compose(_ mail: OutgoingMail, article: Article, attachments: [Attachment], boundarySeed: String) -> String {
        let (headers, body) = parts(mail, article: article, attachments: attachments, boundarySeed: boundarySeed)
        return Self.message(headers: headers, body: body)
    }

    /// The message with its body entity replaced by what `protect` makes of it.
    func compose(
        _ mail: OutgoingMail, article: Article, attachments: [Attachment], boundarySeed: String,
        protect: (MIMEPart, String) async throws -> MIMEPart
    ) async throws -> String {
        let (headers, body) = parts(mail, article: article, attachments: attachments, boundarySeed: boundarySeed)
        let boundary = "=_SwiftDesk_" + boundarySeed.filter { $0.isLetter || $0.isNumber }
        return Self.message(headers: headers, body: try await protect(body, boundary))
    }

    /// The message's headers and its body entity.
    func parts(_ mail: OutgoingMail, article: Article, attachments: [Attachment], boundarySeed: String) -> ([(String, String)], MIMEPart) {
        var headers: [(String, String)] = []
        headers.append(("From", Self.addressHeader(mail.headerFrom)))
        if !article.to.isEmpty { headers.append(("To", Self.addressHeader(article.to))) }
        if !article.cc.isEmpty { headers.append(("Cc", Self.addressHeader(article.cc))) }
        if !article.replyTo.isEmpty { headers.append(("Reply-To", Self.addressHeader(article.replyTo))) }
        headers.append(("Subject", Self.encodedWords(mail.subject)))
        headers.append(("Date", Self.date(article.createdAt)))
        if !article.messageID.isEmpty { headers.append(("Message-ID", article.messageID)) }
        if !article.inReplyTo.isEmpty { headers.append(("In-Reply-To", article.inReplyTo)) }
        if !article.references.isEmpty { headers.append(("References", article.references)) }
        headers.append(("MIME-Version", "1.0"))
        headers.append(("X-SwiftDesk-TicketNumber", mail.ticketNumber))

        let boundary = "=_SwiftDesk_" + boundarySeed.filter { $0.isLetter || $0.isNumber }
        var body = textPart(article, boundary: boundary + "_alt")
        if !attachments.isEmpty {
            body = MIMEPart(
                headers: [("Content-Type", "multipart/mixed; boundary=\"\(boundary)\"")],
                body: Self.multipart([body] + attachments.map(Self.attachmentPart), boundary: boundary))
        }
        return (headers, body)
    }

    /// An agent notification: plain text from its template, marked as automatic (RFC 3834).
    func compose(_ mail: OutgoingMail, notification: NotificationMail, now: Int64) -> String {
        let rendered = templates.render(notification, settings: mail.settings)
        let subject = MailOutboxService.subject(rendered.subject, number: mail.ticketNumber, settings: mail.settings)
        let recipient = notification.recipient
        let headers: [(String, String)] = [
            ("From", Self.addressHeader(mail.headerFrom)),
            ("To", Self.addressHeader(MailAddress.mailbox(name: recipient.fullName, address: recipient.email))),
            ("Subject", Self.encodedWords(subject)), ("Date", Self.date(now)),
            ("Message-ID", MessageID.make(at: now, fqdn: mail.settings["FQDN"])), ("MIME-Version", "1.0"),
            ("Auto-Submitted", "auto-generated"), ("X-SwiftDesk-TicketNumber", mail.ticketNumber),
        ]
        let body = MIMEPart(
            headers: [("Content-Type", "text/plain; charset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable")],
            body: QuotedPrintable.encode(rendered.body))
        return Self.message(headers: headers, body: body)
    }

    static func message(headers: [(String, String)], body: MIMEPart) -> String {
        var lines = (headers + body.headers).map { Self.fold("\($0.0): \($0.1)") }
        lines.append("")
        return lines.joined(separator: "\r\n") + "\r\n" + body.body
    }

    /// One MIME entity: its headers and its encoded body (CRLF line ends).
    struct MIMEPart {
        var headers: [(String, String)]
        var body: String
    }

    func textPart(_ article: Article, boundary: String) -> MIMEPart {
        let plain = { (text: String) in
            MIMEPart(
                headers: [("Content-Type", "text/plain; charset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable")],
                body: QuotedPrintable.encode(text))
        }
        guard article.mimeType == "text/html" else { return plain(article.body) }
        let html = MIMEPart(
            headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Transfer-Encoding", "quoted-printable")],
            body: QuotedPrintable.encode(article.body))
        return MIMEPart(
            headers: [("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")],
            body: Self.multipart([plain(htmlToText(article.body)), html], boundary: boundary))
    }

    static func attachmentPart(_ file: Attachment) -> MIMEPart {
        let type = file.contentType.isEmpty ? "application/octet-stream" : file.contentType.filter { !$0.isNewline }
        let disposition = file.disposition == "inline" ? "inline" : "attachment"
        var headers: [(String, String)] = [
            ("Content-Type", "\(type); name=\(quoted(asciiFallback(file.filename)))"),
            ("Content-Transfer-Encoding", "base64"),
            ("Content-Disposition", "\(disposition); \(fileNameParameter(file.filename))"),
        ]
        if !file.contentID.isEmpty {
            headers.append(("Content-ID", "<\(file.contentID.filter { !$0.isNewline && $0 != "<" && $0 != ">" })>"))
        }
        return MIMEPart(headers: headers, body: base64Lines(file.content))
    }

    static func multipart(_ parts: [MIMEPart], boundary: String) -> String {
        var out = ""
        for part in parts {
            out += "--\(boundary)\r\n"
            out += part.headers.map { fold("\($0.0): \($0.1)") + "\r\n" }.joined()
            out += "\r\n" + part.body
            if !part.body.hasSuffix("\r\n") { out += "\r\n" }
        }
        return out + "--\(boundary)--\r\n"
    }

    // MARK: Header values

    /// An address list with each display name as an encoded word where it is not ASCII.
    static func addressHeader(_ list: String) -> String {
        MailAddress.list(list).map { entry in
            let address = MailAddress.bare(entry)
            let name = MailAddress.displayName(entry)
            guard !name.isEmpty else { return address }
            if name.allSatisfy({ $0.isASCII }) { return "\(MailAddress.mailbox(name: name, address: address))" }
            return "\(encodedWords(name)) <\(address)>"
        }.joined(separator: ", ")
    }

    /// RFC 2047 `=?utf-8?B?…?=` words for text that is not plain printable ASCII; ASCII as is.
    static func encodedWords(_ text: String) -> String {
        let single = text.filter { !$0.isNewline }
        guard single.unicodeScalars.contains(where: { $0.value > 126 || $0.value < 32 }) else { return single }
        // An encoded word of 39 bytes is 64 characters: with a header name it fits one line.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in single {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39 {
                words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: " ")
    }

    /// `filename="a.pdf"`, or RFC 2231 `filename*=utf-8''%C3%A4.pdf` for other names.
    static func fileNameParameter(_ name: String) -> String {
        let clean = name.filter { !$0.isNewline }
        if clean.allSatisfy({ $0.isASCII && $0 != "\"" && $0 != "\\" }) { return "filename=\(quoted(clean))" }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
        let encoded = clean.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
        return "filename*=utf-8''\(encoded)"
    }

    static func asciiFallback(_ name: String) -> String {
        String(name.map { $0.isASCII && !$0.isNewline && $0 != "\"" && $0 != "\\" ? $0 : "_" })
    }

    static func quoted(_ text: String) -> String { "\"\(text)\"" }

    /// RFC 5322 date in UTC: `Sat, 28 Nov 2026 11:30:00 +0000`.
    ///
    /// Computed directly (a `DateFormatter` per message showed in the mail sender's profile).
    static func date(_ time: Int64) -> String {
        CivilDate(unixSeconds: time).rfc5322String
    }

    /// Folds a header line longer than 78 characters at spaces (continuation lines start with a space).
    static func fold(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var lines: [String] = []
        var current = ""
        for (index, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index == 0 {
                current = String(word)
            } else if index == 1 {
                // The value starts on the header name's line.
                current += " " + word
            } else if !current.isEmpty && current.count + 1 + word.count > 78 {
                lines.append(current)
                current = String(word)
            } else {
                current += " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }

    static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return encoded.isEmpty ? "" : encoded + "\r\n"
    }
}
