/// A strict RFC 8259 parser with a nesting limit, producing `JSONValue`.
/// The depth limit (512, as Perl's JSON::XS) bounds stack use for hostile input.
public struct JSONParser {
    public enum Failure: Error, Equatable {
        case invalid(offset: Int)
        case tooDeep
        /// A string holds bytes that are not UTF-8.
        case badUTF8(offset: Int)
        /// A string holds a raw control character (below U+0020).
        case controlCharacter(offset: Int)
        /// The input ends inside a string.
        case unterminatedString(offset: Int)
        /// A `\u` escape names half of a surrogate pair without the other half.
        case loneSurrogate(offset: Int)
        /// An object closed by `]` or an array by `}` (PHP's "state mismatch").
        case mismatchedClose(offset: Int)
    }

    private let bytes: [UInt8]
    private var index = 0
    private let maxDepth: Int
    private let keepsOrder: Bool

    /// With `keepingOrder`, objects are `.orderedObject` in document order, a repeated key where
    /// it first appears with its last value (PHP's `json_decode` into arrays).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512, keepingOrder: Bool = false) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth, keepsOrder: keepingOrder)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw .invalid(offset: parser.index) }
        return value
    }

    private init(bytes: [UInt8], maxDepth: Int, keepsOrder: Bool) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.keepsOrder = keepsOrder
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func expect(_ literal: String) throws(Failure) {
        for byte in literal.utf8 {
            guard peek() == byte else { throw .invalid(offset: index) }
            index += 1
        }
    }

    private mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard let byte = peek() else { throw .invalid(offset: index) }
        switch byte {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { throw .tooDeep }
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < maxDepth else { throw .tooDeep }
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default:
            return .number(try parseNumber())
        }
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        var ordered: [JSONMember] = []
        var positions: [String: Int] = [:]
        func result() -> JSONValue { keepsOrder ? .orderedObject(ordered) : .object(members) }
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return result()
        }
        if peek() == UInt8(ascii: "]") { throw .mismatchedClose(offset: index) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw .invalid(offset: index) }
            let key = try parseString()
            skipWhitespace()
            try expect(":")
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if keepsOrder, let position = positions[key] {
                ordered[position].value = value
            } else if keepsOrder {
                positions[key] = ordered.count
                ordered.append(JSONMember(key: key, value: value))
            } else {
                members[key] = value
            }
            skipWhitespace()
            guard let next = peek() else { throw .invalid(offset: index) }
            index += 1
            if next == UInt8(ascii: "}") { return result() }
            if next == UInt8(ascii: "]") { throw .mismatchedClose(offset: index - 1) }
            guard next == UInt8(ascii: ",") else { throw .invalid(offset: index - 1) }
        }
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        if peek() == UInt8(ascii: "}") { throw .mismatchedClose(offset: index) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard let next = peek() else { throw .invalid(offset: index) }
            index += 1
            if next == UInt8(ascii: "]") { return .array(elements) }
            if next == UInt8(ascii: "}") { throw .mismatchedClose(offset: index - 1) }
            guard next == UInt8(ascii: ",") else { throw .invalid(offset: index - 1) }
        }
    }

    private mutating func parseNumber() throws(Failure) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw .invalid(offset: index) }
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let byte = peek(), isDigit(byte) else { throw .invalid(offset: index) }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            index += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else { throw .invalid(offset: index) }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private mutating func parseString() throws(Failure) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw String(validating: out, as: UTF8.self) == nil ? .badUTF8(offset: index) : .unterminatedString(offset: index)
            }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else { throw .badUTF8(offset: index) }
                return text
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw .unterminatedString(offset: index) }
                index += 1
                switch escape {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    let start = index - 2
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard bytes[index...].starts(with: [0x5C, 0x75]) else { throw .loneSurrogate(offset: start) }
                        index += 2
                        guard let low = try? parseHex4(), (0xDC00...0xDFFF).contains(low) else { throw .loneSurrogate(offset: start) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw .loneSurrogate(offset: start) }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw .invalid(offset: index - 1)
                }
            default:
                guard byte >= 0x20 else { throw .controlCharacter(offset: index - 1) }
                out.append(byte)
            }
        }
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .invalid(offset: index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw .invalid(offset: index - 1)
            }
            value = value << 4 | digit
        }
        return value
    }
}
