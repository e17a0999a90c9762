/// Header values of Internet messages (RFC 5322, RFC 2047, RFC 2231): encoded words, address
/// lists, parameters and message ids.
public enum MailHeaders {
    /// Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`); whitespace between
    /// two adjacent encoded words is dropped, as the RFC says. Unknown charsets and broken words
    /// stay as they were.
    public static func decodeWords(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var out = ""
        var rest = Substring(text)
        var pendingSpace = ""
        var lastWasWord = false
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let (decoded, after) = encodedWord(rest) {
                if !lastWasWord { out += pendingSpace }
                pendingSpace = ""
                out += decoded
                rest = after
                lastWasWord = true
                continue
            }
            let character = rest.removeFirst()
            if character == " " || character == "\t" {
                pendingSpace.append(character)
            } else {
                out += pendingSpace
                pendingSpace = ""
                out.append(character)
                lastWasWord = false
            }
        }
        return out + pendingSpace
    }

    /// One encoded word at the start of `text`, decoded, with the rest after it. Only the first
    /// 75 characters are looked at (RFC 2047's limit on a word), so a header full of `=?` costs
    /// linear time.
    static func encodedWord(_ text: Substring) -> (String, Substring)? {
        let window = text.prefix(75)
        let body = window.dropFirst(2)
        guard let q1 = body.firstIndex(of: "?") else { return nil }
        let charset = body[..<q1].split(separator: "*").first.map(String.init) ?? ""
        let afterCharset = body[body.index(after: q1)...]
        guard let q2 = afterCharset.firstIndex(of: "?") else { return nil }
        let encoding = afterCharset[..<q2].uppercased()
        let payloadStart = afterCharset.index(after: q2)
        guard let end = afterCharset[payloadStart...].firstRange(of: "?=") else { return nil }
        let payload = afterCharset[payloadStart..<end.lowerBound]
        guard !payload.contains(" ") else { return nil }
        let bytes: [UInt8]?
        switch encoding {
        case "B": bytes = Base64.decode(String(payload))
        case "Q": bytes = QuotedPrintable.decode(Array(payload.utf8), underscoreIsSpace: true)
        default: bytes = nil
        }
        guard let bytes, let decoded = TextEncoding.decode(bytes, charset: charset) else { return nil }
        return (decoded, text[end.upperBound...])
    }

    /// One mailbox of an address list: the display name (decoded, may be empty) and the address.
    public struct Mailbox: Sendable, Equatable {
        public var name: String
        public var address: String

        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }

        /// `Name <a@b>` as a header writes it: a name with RFC 5322 specials (a comma, say) is
        /// quoted, so that it reads back as one mailbox; the bare address when there is no name.
        public var headerText: String {
            guard !name.isEmpty else { return address }
            let specials: Set<Character> = ["(", ")", "<", ">", "[", "]", ":", ";", "@", "\\", ",", "\""]
            let shown =
                name.contains(where: specials.contains)
                ? "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" : name
            return shown + " <" + address + ">"
        }
    }

    /// The mailboxes of an address header (`From`, `To`, `Cc`): `Name <a@b>`, `a@b (Name)`,
    /// quoted names with commas, groups (`team: a@b, c@d;`). Entries without an `@` are left out.
    public static func mailboxes(_ value: String) -> [Mailbox] {
        var result: [Mailbox] = []
        for entry in splitAddressList(value) {
            var text = entry.trimmingSpaces
            if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("<"), !text[..<colon].contains("@") {
                text = String(text[text.index(after: colon)...]).trimmingSpaces
            }
            if text.hasSuffix(";") { text.removeLast() }
            var name = ""
            var address = ""
            if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
                address = String(text[text.index(after: open)..<close]).trimmingSpaces
                name = String(text[..<open]).trimmingSpaces
            } else if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
                address = String(text[..<open]).trimmingSpaces
                name = String(text[text.index(after: open)..<close]).trimmingSpaces
            } else {
                address = text
            }
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            }
            guard address.contains("@"), !address.contains(" ") else { continue }
            result.append(Mailbox(name: decodeWords(name), address: address))
        }
        return result
    }

    /// Splits at commas outside quotes, angle brackets and comments.
    static func splitAddressList(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var angle = 0
        var comment = 0
        var escaped = false
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\" where quoted:
                escaped = true
            case "\"" where comment == 0:
                quoted.toggle()
            case "<" where !quoted:
                angle += 1
            case ">" where !quoted:
                angle = max(0, angle - 1)
            case "(" where !quoted:
                comment += 1
            case ")" where !quoted:
                comment = max(0, comment - 1)
            case "," where !quoted && angle == 0 && comment == 0:
                parts.append(current)
                current = ""
                continue
            default:
                break
            }
            current.append(character)
        }
        parts.append(current)
        return parts.filter { !$0.trimmingSpaces.isEmpty }
    }

    /// The `<…>` ids of `Message-ID`, `In-Reply-To` and `References`, in order, with brackets.
    public static func messageIDs(_ value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[open...close]
            if id.count > 2 && !id.contains(" ") { ids.append(String(id)) }
            rest = rest[rest.index(after: close)...]
        }
        return ids
    }

    /// A structured header value (`Content-Type`, `Content-Disposition`): the lower-cased main
    /// value and the parameters by lower-cased name, with RFC 2231 continuations and charsets
    /// (`filename*0*=utf-8''a%20b`) put together and decoded.
    public static func parameters(_ value: String) -> (value: String, parameters: [String: String]) {
        let parts = splitParameters(value)
        let main = (parts.first ?? "").trimmingSpaces.lowercased()
        var plain: [String: String] = [:]
        var pieces: [String: [(index: Int, encoded: Bool, text: String)]] = [:]
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else { continue }
            var name = part[..<equals].trimmingSpaces.lowercased()
            var text = part[part.index(after: equals)...].trimmingSpaces
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
                text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            let encoded = name.hasSuffix("*")
            if encoded { name.removeLast() }
            if let star = name.firstIndex(of: "*"), let index = Int(name[name.index(after: star)...]) {
                pieces[String(name[..<star]), default: []].append((index, encoded, text))
            } else if encoded {
                pieces[name, default: []].append((0, true, text))
            } else {
                plain[name] = decodeWords(text)
            }
        }
        for (name, list) in pieces {
            var charset: String?
            var bytes: [UInt8] = []
            for piece in list.sorted(by: { $0.index < $1.index }) {
                guard piece.encoded else {
                    bytes += Array(piece.text.utf8)
                    continue
                }
                var text = Substring(piece.text)
                if piece.index == 0 {
                    let fields = piece.text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if fields.count == 3 {
                        charset = String(fields[0])
                        text = fields[2]
                    }
                }
                bytes += percentDecoded(text)
            }
            plain[name] = TextEncoding.decodeLeniently(bytes, charset: charset)
        }
        return (main, plain)
    }

    /// `%XX` escapes as bytes; other characters as their UTF-8.
    public static func percentDecoded(_ text: Substring) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count, let high = QuotedPrintable.hex(utf8[index + 1]),
                let low = QuotedPrintable.hex(utf8[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }

    /// Splits at semicolons outside quotes.
    static func splitParameters(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}

/// Quoted-printable (RFC 2045 §6.7), and the `Q` encoding of encoded words.
public enum QuotedPrintable {
    public static func decode(_ bytes: [UInt8], underscoreIsSpace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "=") {
                // A soft line break: `=` at the end of a line (trailing blanks allowed).
                var next = index + 1
                while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
                if next < bytes.count, bytes[next] == 0x0A {
                    index = next + 1
                    continue
                }
                if next + 1 < bytes.count, bytes[next] == 0x0D, bytes[next + 1] == 0x0A {
                    index = next + 2
                    continue
                }
                if next >= bytes.count {
                    index = next
                    continue
                }
                if index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
                out.append(byte)
            } else if byte == UInt8(ascii: "_") && underscoreIsSpace {
                out.append(0x20)
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
