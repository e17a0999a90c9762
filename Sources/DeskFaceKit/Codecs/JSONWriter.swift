/// Serialises `JSONValue` compactly. `.object` members are written with their keys sorted (as
/// Znuny's JSON encoder does with `SortKeys`), `.orderedObject` members in their order. The
/// escaping follows `Style`: by default UTF-8 is written as it is and only `"`, `\` and control
/// characters are escaped (Perl's JSON::XS, Python's json with `ensure_ascii=False`); PHP's
/// `json_encode` also escapes `/` and writes non-ASCII as `\uXXXX`.
public enum JSONWriter {
    public struct Style: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// `/` as `\/` (PHP's default).
        public static let escapeSlashes = Style(rawValue: 1)
        /// Non-ASCII characters as `\uXXXX` (surrogate pairs beyond the BMP), lower-case hex.
        public static let escapeUnicode = Style(rawValue: 2)
        /// `<`, `>`, `&`, `'` and `"` as `\u003C`, `\u003E`, `\u0026`, `\u0027` and `\u0022`
        /// (PHP's `JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT`).
        public static let hexSpecials = Style(rawValue: 4)

        /// U+2028 and U+2029 as `\u2028` and `\u2029` (Django REST Framework's renderer).
        public static let escapeLineSeparators = Style(rawValue: 8)

        /// Perl's and Python's compact output: nothing extra escaped.
        public static let sortedKeys: Style = []
        /// Django REST Framework's `JSONRenderer`: UTF-8 as it is, line separators escaped.
        public static let djangoRESTFramework: Style = [.escapeLineSeparators]
        /// PHP's `json_encode` without flags.
        public static let php: Style = [.escapeSlashes, .escapeUnicode]
    }

    public static func bytes(_ value: JSONValue, style: Style = .sortedKeys) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, style: style, into: &out)
        return out
    }

    public static func string(_ value: JSONValue, style: Style = .sortedKeys) -> String {
        String(decoding: bytes(value, style: style), as: UTF8.self)
    }

    public static func write(_ value: JSONValue, style: Style, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): writeString(text, style: style, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                write(element, style: style, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (offset, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                writeMember(member.key, member.value, first: offset == 0, style: style, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .source(let source): source.write(style: style, into: &out)
        case .orderedObject(let members):
            out.append(UInt8(ascii: "{"))
            for (offset, member) in members.enumerated() {
                writeMember(member.key, member.value, first: offset == 0, style: style, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeMember(_ key: String, _ value: JSONValue, first: Bool, style: Style, into out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        writeString(key, style: style, into: &out)
        out.append(UInt8(ascii: ":"))
        write(value, style: style, into: &out)
    }

    static let hex = Array("0123456789abcdef".utf8)

    public static func writeString(_ text: String, style: Style, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        // Native strings are contiguous UTF-8 already: this reads them in place.
        text.withUTF8 { bytes in
            if style.contains(.escapeUnicode) {
                writeEscapingUnicode(bytes, style: style, into: &out)
            } else {
                writeEscaped(bytes, style: style, into: &out)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Copies the runs of bytes that need no escape in one piece each, escaping the bytes
    /// between them (and U+2028/U+2029 when the style asks). Article bodies are most of a
    /// TicketGet's bytes, and most have a line break somewhere.
    private static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, style: Style, into out: inout [UInt8]) {
        var run = 0
        var index = firstToEscape(bytes, from: 0, style: style)
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                escapeASCII(byte, style: style, into: &out)
                index += 1
                run = index
            } else if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 {
                // Only reached when the style escapes line separators (other non-ASCII bytes stop
                // the scan then): E2 80 A8 is U+2028, E2 80 A9 U+2029.
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                unicodeEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, into: &out)
                index += 3
                run = index
            } else {
                index += 1
            }
            index = firstToEscape(bytes, from: index, style: style)
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
    }

    /// PHP's `\uXXXX` for every non-ASCII character: scalar by scalar.
    private static func writeEscapingUnicode(_ bytes: UnsafeBufferPointer<UInt8>, style: Style, into out: inout [UInt8]) {
        guard firstToEscape(bytes, from: 0, style: style) < bytes.count else { return out.append(contentsOf: bytes) }
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if scalar.value < 0x80 {
                escapeASCII(UInt8(scalar.value), style: style, into: &out)
            } else {
                for unit in String(scalar).utf16 { unicodeEscape(unit, into: &out) }
            }
        }
    }

    /// The index of the first byte at or after `start` that is written differently than itself
    /// under `style` (every non-ASCII byte when the style escapes some non-ASCII characters), or
    /// `bytes.count`. Looks at eight bytes at a time.
    private static func firstToEscape(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, style: Style) -> Int {
        guard let base = bytes.baseAddress else { return bytes.count }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        // Set in a byte's high bit exactly when some byte of `word` is below `limit` (≤ 0x80).
        func anyBelow(_ word: UInt64, _ limit: UInt8) -> Bool { (word &- ones &* UInt64(limit)) & ~word & highBits != 0 }
        func anyEqual(_ word: UInt64, _ byte: UInt8) -> Bool { anyBelow(word ^ (ones &* UInt64(byte)), 1) }
        let slashes = style.contains(.escapeSlashes)
        let specials = style.contains(.hexSpecials)
        let nonASCII = style.contains(.escapeUnicode) || style.contains(.escapeLineSeparators)
        var offset = start
        while offset + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            if anyBelow(word, 0x20) || anyEqual(word, 0x22) || anyEqual(word, 0x5C)
                || (slashes && anyEqual(word, 0x2F))
                || (specials && (anyEqual(word, 0x3C) || anyEqual(word, 0x3E) || anyEqual(word, 0x26) || anyEqual(word, 0x27)))
                || (nonASCII && word & highBits != 0)
            {
                break
            }
            offset += 8
        }
        while offset < bytes.count, !needsEscaping(bytes[offset], style: style) { offset += 1 }
        return offset
    }

    private static func needsEscaping(_ byte: UInt8, style: Style) -> Bool {
        switch byte {
        case 0x00..<0x20, 0x22, 0x5C: true
        case 0x2F: style.contains(.escapeSlashes)
        case 0x3C, 0x3E, 0x26, 0x27: style.contains(.hexSpecials)
        case 0x80...0xFF: style.contains(.escapeUnicode) || style.contains(.escapeLineSeparators)
        default: false
        }
    }

    private static func escapeASCII(_ byte: UInt8, style: Style, into out: inout [UInt8]) {
        switch byte {
        case 0x22 where style.contains(.hexSpecials): out.append(contentsOf: Array("\\u0022".utf8))
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x2F where style.contains(.escapeSlashes): out.append(contentsOf: [0x5C, 0x2F])
        // A `where` clause binds to the last pattern only, hence one case per character.
        // PHP writes these four in upper case.
        case 0x3C where style.contains(.hexSpecials): out.append(contentsOf: Array("\\u003C".utf8))
        case 0x3E where style.contains(.hexSpecials): out.append(contentsOf: Array("\\u003E".utf8))
        case 0x26 where style.contains(.hexSpecials): out.append(contentsOf: Array("\\u0026".utf8))
        case 0x27 where style.contains(.hexSpecials): out.append(contentsOf: Array("\\u0027".utf8))
        case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        case 0x00..<0x20: unicodeEscape(UInt16(byte), into: &out)
        default: out.append(byte)
        }
    }

    private static func unicodeEscape(_ unit: UInt16, into out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int(unit >> UInt16(shift) & 0xF)]) }
    }
}
