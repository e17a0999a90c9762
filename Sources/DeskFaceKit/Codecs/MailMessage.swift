/// A received Internet message (RFC 5322 with MIME), parsed into its headers and its tree of
/// parts, each part's content decoded from its transfer encoding. Which parts make the body and
/// which are files is the reader's rule (each product has its own), so the tree is kept whole.
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

    /// One MIME entity: the message itself, a part of a multipart, or a message carried whole.
    public struct Part: Sendable {
        /// Header fields in order, names as written, values unfolded but not decoded.
        public var headers: [(name: String, value: String)]
        /// Lower-cased, without parameters; `text/plain` when there is no Content-Type.
        public var type: String
        public var typeParameters: [String: String]
        /// Lower-cased disposition (`attachment`, `inline`); empty when there is none.
        public var disposition: String
        public var dispositionParameters: [String: String]
        /// Without angle brackets; empty when none.
        public var contentID: String
        /// The content, transfer encoding undone; empty for a multipart.
        public var content: [UInt8]
        /// A multipart's parts, or the one message a `message/rfc822` part carries.
        public var children: [Part]

        /// The first value of a header (case-insensitive name), unfolded, not decoded.
        public func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.first { $0.name.lowercased() == lower }?.value
        }

        /// The file name of `filename=` (or its RFC 2231 form), else of the type's `name=`.
        public var filename: String? { dispositionParameters["filename"] ?? typeParameters["name"] }

        /// The content as text in its charset, line ends as `\n`.
        public var text: String { decodedText.replacingOccurrences(of: "\r\n", with: "\n") }

        /// The content as text in its charset, line ends as sent; US-ASCII and unknown charsets
        /// are read as UTF-8 when valid, else as Latin-1 (what mail that lies about its charset
        /// usually is).
        public var decodedText: String {
            let charset = typeParameters["charset"]
            let decoded: String
            if let charset, !["us-ascii", "ascii"].contains(charset.lowercased()),
                let text = TextEncoding.decode(content, charset: charset)
            {
                decoded = text
            } else if let text = String(validating: content, as: UTF8.self) {
                decoded = text
            } else {
                decoded = TextEncoding.decodeLeniently(content, charset: "iso-8859-1")
            }
            return decoded
        }
    }

    /// The message as a whole: its headers and its parts.
    public var root: Part
    /// The message's header fields.
    public var headers: [(name: String, value: String)] { root.headers }

    /// The first value of a header (case-insensitive name), unfolded, not decoded.
    public func header(_ name: String) -> String? { root.header(name) }

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
        root = try parser.part(bytes[...], depth: 0)
        guard !root.headers.isEmpty else { throw .noHeaders }
    }
}

/// The recursive part of `MailMessage`'s parsing.
private struct Parser {
    let limits: MailMessage.Limits
    var parts = 0

    init(limits: MailMessage.Limits) {
        self.limits = limits
    }

    mutating func part(_ bytes: ArraySlice<UInt8>, depth: Int) throws(MailMessage.Failure) -> MailMessage.Part {
        parts += 1
        guard parts <= limits.maxParts else { throw .tooManyParts }
        guard depth <= limits.maxDepth else { throw .tooDeep }
        let (headers, body) = try split(bytes)
        let header = { (name: String) in headers.first { $0.name.lowercased() == name }?.value }
        let (type, typeParameters) = MailHeaders.parameters(header("content-type") ?? "text/plain")
        let (disposition, dispositionParameters) = MailHeaders.parameters(header("content-disposition") ?? "")
        let contentID = MailHeaders.messageIDs(header("content-id") ?? "").first.map { String($0.dropFirst().dropLast()) } ?? ""
        var result = MailMessage.Part(
            headers: headers, type: type, typeParameters: typeParameters, disposition: disposition,
            dispositionParameters: dispositionParameters, contentID: contentID, content: [], children: [])
        if type.hasPrefix("multipart/"), let boundary = typeParameters["boundary"], !boundary.isEmpty {
            for child in Self.parts(of: body, boundary: boundary) {
                result.children.append(try part(child, depth: depth + 1))
            }
            return result
        }
        let encoding = (header("content-transfer-encoding") ?? "").trimmingSpaces.lowercased()
        switch encoding {
        case "base64": result.content = Base64.decode(String(decoding: body, as: UTF8.self))
        case "quoted-printable": result.content = QuotedPrintable.decode(Array(body))
        default: result.content = Array(body)
        }
        if type == "message/rfc822" {
            let inner = try part(result.content[...], depth: depth + 1)
            if !inner.headers.isEmpty { result.children = [inner] }
        }
        return result
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
}
