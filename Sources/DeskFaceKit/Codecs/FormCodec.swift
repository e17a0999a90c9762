import DeskCore

/// `application/x-www-form-urlencoded` bodies and query strings, read into the parameter hash the
/// operations work on.
///
/// Two dialects of keys exist among the products SwiftDesk speaks:
/// - `.repeated` (Django, Perl's CGI): a key given several times becomes an array, in order;
/// - `.php` (osTicket, WHMCS): `key[]=…`, `key[0]=…` and `key[a][b]=…` build nested arrays and
///   hashes as PHP's `parse_str` does (a later plain key replaces an earlier one).
public enum FormCodec {
    public enum Keys: Sendable {
        case repeated
        case php
    }

    /// Upper bounds that keep a hostile form from costing unbounded work.
    public static let maxPairs = 10_000
    public static let maxBracketDepth = 32

    public enum Failure: Error, Equatable, Sendable {
        case tooManyPairs
        case tooDeep
    }

    /// Decodes `a=1&b=2` (`+` as space, `%XX` escapes, invalid UTF-8 replaced).
    public static func decode(_ text: String, keys: Keys = .repeated) throws(Failure) -> [String: JSONValue] {
        let pairs = try self.pairs(text)
        switch keys {
        case .repeated: return repeated(pairs)
        case .php: return try php(pairs)
        }
    }

    /// The decoded pairs in order.
    /// With a `charset` (a form's `Content-Type` parameter), `%XX` escapes are bytes in that charset.
    public static func pairs(_ text: String, charset: String? = nil) throws(Failure) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        for piece in text.pieces(separatedBy: UInt8(ascii: "&")) {
            guard result.count < maxPairs else { throw .tooManyPairs }
            let parts = piece.pieces(separatedBy: UInt8(ascii: "="), maxSplits: 1, omittingEmpty: false)
            let key = unescape(parts[0], charset: charset)
            guard !key.isEmpty else { continue }
            result.append((key, parts.count > 1 ? unescape(parts[1], charset: charset) : ""))
        }
        return result
    }

    /// `%XX` and `+` decoding with the escaped bytes read in `charset` (Python's `unquote` with an
    /// encoding: each run of escapes is decoded; other text stays). A run that is not valid in
    /// the charset is read as UTF-8 with replacement characters.
    public static func unescape<S: StringProtocol>(_ text: S, charset: String?) -> String {
        guard let charset, TextEncoding.decode([], charset: charset) != nil else { return unescape(text) }
        let bytes = Array(text.utf8)
        var out = ""
        var literal: [UInt8] = []
        var escaped: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                if !literal.isEmpty { out += String(decoding: literal, as: UTF8.self) }
                literal = []
                escaped.append(high << 4 | low)
                index += 3
                continue
            }
            if !escaped.isEmpty { out += TextEncoding.decodeLeniently(escaped, charset: charset) }
            escaped = []
            literal.append(bytes[index] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[index])
            index += 1
        }
        if !literal.isEmpty { out += String(decoding: literal, as: UTF8.self) }
        if !escaped.isEmpty { out += TextEncoding.decodeLeniently(escaped, charset: charset) }
        return out
    }

    /// `%XX` and `+` decoding of one component, as PHP's `urldecode`, Python's `unquote_plus` and
    /// Perl's `s/%([0-9A-Fa-f]{2})/chr(hex($1))/eg` read it: a `%` not followed by two hex digits
    /// stays, and the scan goes on at the next byte (`%%41` is `%A`, `%+1` is `% 1` with `+` as
    /// a space). Text with neither `%` nor a `+` to turn is returned as it is.
    public static func unescape<S: StringProtocol>(_ text: S, plusAsSpace: Bool = true) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(text)
        }
        let source = Array(utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "%"), index + 2 < source.count, let high = hexValue(source[index + 1]),
                let low = hexValue(source[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
                continue
            }
            bytes.append(byte == UInt8(ascii: "+") && plusAsSpace ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Encodes pairs as `a=1&b=2` with the characters of RFC 3986's unreserved set left as they are.
    public static func encode(_ pairs: [(key: String, value: String)]) -> String {
        pairs.map { escape($0.key) + "=" + escape($0.value) }.joined(separator: "&")
    }

    public static func escape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func repeated(_ pairs: [(key: String, value: String)]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in pairs {
            switch result[key] {
            case nil: result[key] = .string(value)
            case .array(var list)?:
                list.append(.string(value))
                result[key] = .array(list)
            case let single?: result[key] = .array([single, .string(value)])
            }
        }
        return result
    }

    /// PHP's `parse_str`: `a[b][c]=1` nests; `a[]=1&a[]=2` appends with integer keys. PHP arrays are
    /// ordered maps; here lists whose keys are 0…n-1 become JSON arrays, everything else objects.
    public static func php(_ pairs: [(key: String, value: String)]) throws(Failure) -> [String: JSONValue] {
        var root = PHPArray()
        for (key, value) in pairs {
            var path = try phpPath(key)
            let head = path.removeFirst()
            root.set(head, path: path, value: value)
        }
        return root.members()
    }

    /// `a[b][]` → `[a, b, ""]`. A key with an unbalanced `[` is taken literally up to it, as PHP does
    /// (`a[b` is the key `a_b`: PHP turns the first `[` into `_` when the brackets do not close).
    static func phpPath(_ key: String) throws(Failure) -> [String] {
        guard let open = key.firstIndex(of: "["), key[open...].contains("]") else {
            return [key.replacing("[", with: "_").replacing(" ", with: "_").replacing(".", with: "_")]
        }
        var path = [String(key[..<open]).replacing(" ", with: "_").replacing(".", with: "_")]
        var rest = key[open...]
        while rest.first == "[", let close = rest.firstIndex(of: "]") {
            guard path.count <= maxBracketDepth else { throw .tooDeep }
            path.append(String(rest[rest.index(after: rest.startIndex)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return path
    }

    /// An ordered PHP array under construction.
    struct PHPArray {
        var keys: [String] = []
        var values: [String: PHPValue] = [:]
        var nextIndex = 0

        indirect enum PHPValue {
            case string(String)
            case array(PHPArray)
        }

        mutating func set(_ key: String, path: [String], value: String) {
            var name = key
            if name.isEmpty {
                name = String(nextIndex)
            }
            // PHP's next free index. Past PHP_INT_MAX there is none: PHP drops a later `[]` value
            // with a warning, here it lands on that last index.
            if let number = Int(name), number >= nextIndex { nextIndex = number == Int.max ? Int.max : number + 1 }
            if values[name] == nil { keys.append(name) }
            guard let next = path.first else {
                values[name] = .string(value)
                return
            }
            var child: PHPArray
            if case .array(let existing)? = values[name] { child = existing } else { child = PHPArray() }
            child.set(next, path: Array(path.dropFirst()), value: value)
            values[name] = .array(child)
        }

        func members() -> [String: JSONValue] {
            values.mapValues(\.json)
        }

        var json: JSONValue {
            if keys.enumerated().allSatisfy({ String($0.offset) == $0.element }) {
                return .array(keys.map { values[$0]!.json })
            }
            return .object(members())
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension FormCodec.PHPArray.PHPValue {
    var json: JSONValue {
        switch self {
        case .string(let text): .string(text)
        case .array(let array): array.json
        }
    }
}
