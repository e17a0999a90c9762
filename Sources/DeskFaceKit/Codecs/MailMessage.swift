/// A received Internet message (RFC 5322 with MIME), parsed into what a helpdesk keeps: the
/// headers, the text and HTML bodies and the attachments.
///
/// Hostile input is bounded: nesting deeper than `Limits.maxDepth`, more than `maxParts` parts or
/// more than `maxHeaders` header lines are refused, and the input size is the caller's limit.
public struct MailMessage: Sendable {
    public struct Limits: Sendable {
        public var maxDepth: Int
        public var maxParts: Int
        public var maxHeaders: Int

        public init(maxDepth: Int = 10, maxParts: Int = 200, maxHeaders: Int = 1_000) {
            self.maxDepth = maxDepth
            self.maxParts = maxParts
            self.maxHeaders = maxHeaders
        }
    }

    public enum Failure: Error, Equatable, Sendable {
        /// No header section (not a message at all).
        case noHeaders
        case tooDeep
        case tooManyParts
        case tooManyHeaders
    }

    /// Header fields in order, names as written, values unfolded but not decoded.
    public var headers: [(name: String, value: String)]
    /// The first `text/plain` part that is not an attachment, decoded to a string.
    public var textBody: String?
    /// The first `text/html` part that is not an attachment, decoded to a string.
    public var htmlBody: String?
    public var attachments: [Attachment]

    public struct Attachment: Sendable, Equatable {
        public var filename: String
        /// Lower-cased, without parameters.
        public var contentType: String
        /// Without angle brackets; empty when none.
        public var contentID: String
        /// `attachment` or `inline`.
        public var disposition: String
        public var bytes: [UInt8]
    }

    /// The first value of a header (case-insensitive name), unfolded, not decoded.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// `Subject`, encoded words decoded.
    public var subject: String { MailHeaders.decodeWords(header("Subject") ?? "").trimmingSpaces }
    public var from: [MailHeaders.Mailbox] { MailHeaders.mailboxes(header("From") ?? "") }
    public var to: [MailHeaders.Mailbox] { MailHeaders.mailboxes(header("To") ?? "") }
    public var cc: [MailHeaders.Mailbox] { MailHeaders.mailboxes(header("Cc") ?? "") }
    public var replyTo: [MailHeaders.Mailbox] { MailHeaders.mailboxes(header("Reply-To") ?? "") }
    /// `<id@host>`, or empty.
    public var messageID: String { MailHeaders.messageIDs(header("Message-ID") ?? "").first ?? "" }
    public var inReplyTo: [String] { MailHeaders.messageIDs(header("In-Reply-To") ?? "") }
    public var references: [String] { MailHeaders.messageIDs(header("References") ?? "") }

    public init(parsing bytes: [UInt8], limits: Limits = Limits()) throws(Failure) {
        var parser = Parser(limits: limits)
        let entity = try parser.entity(bytes[...], depth: 0)
        guard !entity.headers.isEmpty else { throw .noHeaders }
        headers = entity.headers
        textBody = parser.textBody
        htmlBody = parser.htmlBody
        attachments = parser.attachments
    }
}

/// The recursive part of `MailMessage`'s parsing.
private struct Parser {
    let limits: MailMessage.Limits
    var parts = 0
    var textBody: String?
    var htmlBody: String?
    var attachments: [MailMessage.Attachment] = []

    init(limits: MailMessage.Limits) {
        self.limits = limits
    }

    struct Entity {
        var headers: [(name: String, value: String)]
    }

    mutating func entity(_ bytes: ArraySlice<UInt8>, depth: Int) throws(MailMessage.Failure) -> Entity {
        parts += 1
        guard parts <= limits.maxParts else { throw .tooManyParts }
        guard depth <= limits.maxDepth else { throw .tooDeep }
        let (headers, body) = try split(bytes)
        let header = { (name: String) in headers.first { $0.name.lowercased() == name }?.value }
        let (type, typeParameters) = MailHeaders.parameters(header("content-type") ?? "text/plain")
        let (disposition, dispositionParameters) = MailHeaders.parameters(header("content-disposition") ?? "")
        if type.hasPrefix("multipart/"), let boundary = typeParameters["boundary"], !boundary.isEmpty {
            for part in Self.parts(of: body, boundary: boundary) {
                _ = try entity(part, depth: depth + 1)
            }
            return Entity(headers: headers)
        }
        let encoding = (header("content-transfer-encoding") ?? "").trimmingSpaces.lowercased()
        let content: [UInt8]
        switch encoding {
        case "base64": content = Base64.decode(String(decoding: body, as: UTF8.self))
        case "quoted-printable": content = QuotedPrintable.decode(Array(body))
        default: content = Array(body)
        }
        let filename = dispositionParameters["filename"] ?? typeParameters["name"]
        let isAttachment = disposition == "attachment" || (filename != nil && !(type.hasPrefix("text/") && disposition != "inline"))
        if type == "message/rfc822" && !isAttachment {
            attachments.append(.init(filename: "message.eml", contentType: type, contentID: "", disposition: "attachment", bytes: content))
        } else if !isAttachment && type == "text/plain" && textBody == nil {
            textBody = Self.text(content, charset: typeParameters["charset"])
        } else if !isAttachment && type == "text/html" && htmlBody == nil {
            htmlBody = Self.text(content, charset: typeParameters["charset"])
        } else if isAttachment || !type.hasPrefix("text/") {
            let contentID = MailHeaders.messageIDs(header("content-id") ?? "").first.map { String($0.dropFirst().dropLast()) } ?? ""
            attachments.append(
                .init(
                    filename: filename ?? "attachment", contentType: type, contentID: contentID,
                    disposition: disposition == "inline" ? "inline" : "attachment", bytes: content))
        }
        return Entity(headers: headers)
    }

    /// Header fields and the body after the first empty line (CRLF or LF line ends).
    func split(_ bytes: ArraySlice<UInt8>) throws(MailMessage.Failure) -> ([(name: String, value: String)], ArraySlice<UInt8>) {
        var headers: [(name: String, value: String)] = []
        var index = bytes.startIndex
        var lineCount = 0
        while index < bytes.endIndex {
            var end = index
            while end < bytes.endIndex && bytes[end] != 0x0A { end += 1 }
            var line = bytes[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            let next = end < bytes.endIndex ? end + 1 : end
            if line.isEmpty { return (headers, bytes[next...]) }
            lineCount += 1
            guard lineCount <= limits.maxHeaders else { throw .tooManyHeaders }
            let text = String(decoding: line, as: UTF8.self)
            if let first = line.first, first == 0x20 || first == 0x09 {
                if !headers.isEmpty { headers[headers.count - 1].value += " " + text.trimmingSpaces }
            } else if let colon = text.firstIndex(of: ":"), !text[..<colon].contains(" ") {
                headers.append((String(text[..<colon]), text[text.index(after: colon)...].trimmingSpaces))
            } else if headers.isEmpty {
                // Not a header line: a message without headers, all body.
                return ([], bytes)
            }
            index = next
        }
        return (headers, bytes[bytes.endIndex...])
    }

    /// The bodies of a multipart entity between `--boundary` lines (preamble and epilogue dropped).
    static func parts(of body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = body.startIndex
        while index < body.endIndex {
            var end = index
            while end < body.endIndex && body[end] != 0x0A { end += 1 }
            var line = body[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            // A delimiter line is the boundary alone, or with `--` (the last), then only blanks.
            let rest = line.dropFirst(delimiter.count)
            let closes = rest.starts(with: [0x2D, 0x2D])
            if line.starts(with: delimiter), (closes ? rest.dropFirst(2) : rest).allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                if let start {
                    // The line break before a delimiter belongs to the delimiter.
                    var partEnd = index
                    if partEnd > start, body[partEnd - 1] == 0x0A { partEnd -= 1 }
                    if partEnd > start, body[partEnd - 1] == 0x0D { partEnd -= 1 }
                    parts.append(body[start..<partEnd])
                }
                if closes { return parts }
                start = end < body.endIndex ? end + 1 : end
            }
            index = end < body.endIndex ? end + 1 : end
        }
        if let start, start < body.endIndex { parts.append(body[start...]) }
        return parts
    }

    /// A text part in its charset; US-ASCII and unknown charsets are read as UTF-8 when valid,
    /// else as Latin-1 (what mail that lies about its charset usually is). Line ends become `\n`.
    static func text(_ bytes: [UInt8], charset: String?) -> String {
        let text: String
        if let charset, !["us-ascii", "ascii"].contains(charset.lowercased()), let decoded = TextEncoding.decode(bytes, charset: charset) {
            text = decoded
        } else if let decoded = String(validating: bytes, as: UTF8.self) {
            text = decoded
        } else {
            text = TextEncoding.decodeLeniently(bytes, charset: "iso-8859-1")
        }
        return text.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
