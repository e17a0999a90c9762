/// PHP's `serialize()` format, read strictly for the values API clients send (WHMCS's
/// `customfields`): strings, integers, floats, booleans, null and nested arrays. Objects (`O:`,
/// `C:`), references (`r:`, `R:`) and enums are refused, as are trailing bytes, and the input
/// size, nesting depth and element count are capped, so a hostile value costs bounded time and
/// memory. String lengths count bytes, as PHP writes them.
public enum PHPSerialized {
    public struct Limits: Sendable {
        public var maxBytes: Int
        public var maxDepth: Int
        public var maxElements: Int

        public init(maxBytes: Int = 1_048_576, maxDepth: Int = 16, maxElements: Int = 10_000) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxElements = maxElements
        }
    }

    public enum Failure: Error, Equatable, Sendable {
        case malformed(offset: Int)
        case unsupported(offset: Int)
        case tooLarge
        case tooDeep
        case tooManyElements
    }

    /// A decoded value. Array keys are PHP's: integers or strings, in order.
    public indirect enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string([UInt8])
        case array([(key: Key, value: Value)])

        public static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): true
            case (.bool(let a), .bool(let b)): a == b
            case (.int(let a), .int(let b)): a == b
            case (.double(let a), .double(let b)): a == b
            case (.string(let a), .string(let b)): a == b
            case (.array(let a), .array(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            default: false
            }
        }

        /// A scalar as PHP would turn it into a string (`true` → `1`, `null`/`false` → empty).
        public var text: String? {
            switch self {
            case .null: ""
            case .bool(let flag): flag ? "1" : ""
            case .int(let value): String(value)
            case .double(let value): String(value)
            case .string(let bytes): String(decoding: bytes, as: UTF8.self)
            case .array: nil
            }
        }
    }

    public enum Key: Sendable, Equatable, Hashable {
        case int(Int)
        case string(String)

        public var text: String {
            switch self {
            case .int(let value): String(value)
            case .string(let value): value
            }
        }

        /// The key as PHP's arrays hold it: a decimal string without leading zeros is an integer.
        public var intValue: Int? {
            switch self {
            case .int(let value): value
            case .string(let text):
                Int(text).flatMap { String($0) == text ? $0 : nil }
            }
        }
    }

    public static func decode(_ bytes: [UInt8], limits: Limits = Limits()) throws(Failure) -> Value {
        guard bytes.count <= limits.maxBytes else { throw .tooLarge }
        var reader = Reader(bytes: bytes, limits: limits)
        let value = try reader.value(depth: 0)
        guard reader.index == bytes.count else { throw .malformed(offset: reader.index) }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        let limits: Limits
        var index = 0
        var elements = 0

        init(bytes: [UInt8], limits: Limits) {
            self.bytes = bytes
            self.limits = limits
        }

        mutating func expect(_ byte: UInt8) throws(Failure) {
            guard index < bytes.count, bytes[index] == byte else { throw .malformed(offset: index) }
            index += 1
        }

        /// Digits (with an optional minus) up to `terminator`, which is consumed.
        mutating func integer(until terminator: UInt8) throws(Failure) -> Int {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            let digitsStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, index - digitsStart < 20 { index += 1 }
            guard index > digitsStart, let value = Int(String(decoding: bytes[start..<index], as: UTF8.self)) else {
                throw .malformed(offset: start)
            }
            try expect(terminator)
            return value
        }

        mutating func value(depth: Int) throws(Failure) -> Value {
            guard index + 1 < bytes.count else { throw .malformed(offset: index) }
            elements += 1
            guard elements <= limits.maxElements else { throw .tooManyElements }
            let type = bytes[index]
            if type == UInt8(ascii: "N") {
                index += 1
                try expect(UInt8(ascii: ";"))
                return .null
            }
            guard bytes[index + 1] == UInt8(ascii: ":") else { throw .malformed(offset: index) }
            index += 2
            switch type {
            case UInt8(ascii: "b"):
                let value = try integer(until: UInt8(ascii: ";"))
                guard value == 0 || value == 1 else { throw .malformed(offset: index) }
                return .bool(value == 1)
            case UInt8(ascii: "i"):
                return .int(try integer(until: UInt8(ascii: ";")))
            case UInt8(ascii: "d"):
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: ";"), index - start < 64 { index += 1 }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                let value: Double? =
                    switch text {
                    case "INF": .infinity
                    case "-INF": -.infinity
                    case "NAN": .nan
                    default: Double(text)
                    }
                guard let value else { throw .malformed(offset: start) }
                try expect(UInt8(ascii: ";"))
                return .double(value)
            case UInt8(ascii: "s"):
                return .string(try string())
            case UInt8(ascii: "a"):
                guard depth < limits.maxDepth else { throw .tooDeep }
                let count = try integer(until: UInt8(ascii: ":"))
                guard count >= 0, count <= limits.maxElements - elements else { throw .tooManyElements }
                try expect(UInt8(ascii: "{"))
                var members: [(key: Key, value: Value)] = []
                members.reserveCapacity(count)
                for _ in 0..<count {
                    let key: Key
                    guard index < bytes.count else { throw .malformed(offset: index) }
                    if bytes[index] == UInt8(ascii: "i") {
                        index += 1
                        try expect(UInt8(ascii: ":"))
                        key = .int(try integer(until: UInt8(ascii: ";")))
                    } else if bytes[index] == UInt8(ascii: "s") {
                        index += 1
                        try expect(UInt8(ascii: ":"))
                        key = .string(String(decoding: try string(), as: UTF8.self))
                    } else {
                        throw .malformed(offset: index)
                    }
                    members.append((key, try value(depth: depth + 1)))
                }
                try expect(UInt8(ascii: "}"))
                return .array(members)
            case UInt8(ascii: "O"), UInt8(ascii: "C"), UInt8(ascii: "r"), UInt8(ascii: "R"), UInt8(ascii: "E"):
                throw .unsupported(offset: index - 2)
            default:
                throw .malformed(offset: index - 2)
            }
        }

        /// `<len>:"<bytes>";` after `s:`.
        mutating func string() throws(Failure) -> [UInt8] {
            let length = try integer(until: UInt8(ascii: ":"))
            try expect(UInt8(ascii: "\""))
            guard length >= 0, length <= bytes.count - index else { throw .malformed(offset: index) }
            let value = Array(bytes[index..<index + length])
            index += length
            try expect(UInt8(ascii: "\""))
            try expect(UInt8(ascii: ";"))
            return value
        }
    }
}
