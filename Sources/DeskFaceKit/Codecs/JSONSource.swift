/// A JSON value that writes its own text. A renderer whose output is mostly written at once
/// (TicketGet's articles: most of its bytes) hands one over as `JSONValue.source`: JSON writers
/// call `write` and no tree is built; code that walks values (the SOAP and Perl encoders, tests)
/// sees `tree`. Both must describe the same value; a renderer gets that by listing its members
/// once, for any `JSONObjectSink`.
public protocol JSONSource: Sendable {
    /// Appends the value's JSON text, escaped as `style` asks.
    func write(style: JSONWriter.Style, into out: inout [UInt8])
    /// The same value as a tree, built anew on each access (a walker reads it once).
    var tree: JSONValue { get }
}

/// Receives one object's members, in the order they are to be written. Keys are plain
/// identifiers (letters and digits), written without escaping.
public protocol JSONObjectSink {
    mutating func add(_ key: StaticString, _ value: JSONValue)
    mutating func add(_ key: StaticString, string: String)
    /// A number given by its literal text.
    mutating func add(_ key: StaticString, number: String)
}

extension JSONObjectSink {
    public mutating func add(_ key: StaticString, int: Int) { add(key, number: String(int)) }
    public mutating func add(_ key: StaticString, int64: Int64) { add(key, number: String(int64)) }
}

/// Writes an object's members straight to JSON text.
public struct JSONObjectWriter: JSONObjectSink {
    private var out: [UInt8]
    private let style: JSONWriter.Style
    private var first = true

    /// Appends `{`, the members `body` adds, and `}` to `out`.
    public static func object(style: JSONWriter.Style, into out: inout [UInt8], _ body: (inout JSONObjectWriter) -> Void) {
        // The buffer moves into the writer and back, so appending never copies it.
        var writer = JSONObjectWriter(out: [], style: style)
        swap(&writer.out, &out)
        writer.out.append(UInt8(ascii: "{"))
        body(&writer)
        writer.out.append(UInt8(ascii: "}"))
        swap(&writer.out, &out)
    }

    private init(out: [UInt8], style: JSONWriter.Style) {
        self.out = out
        self.style = style
    }

    private mutating func key(_ key: StaticString) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    public mutating func add(_ key: StaticString, _ value: JSONValue) {
        self.key(key)
        JSONWriter.write(value, style: style, into: &out)
    }

    public mutating func add(_ key: StaticString, string: String) {
        self.key(key)
        JSONWriter.writeString(string, style: style, into: &out)
    }

    public mutating func add(_ key: StaticString, number: String) {
        self.key(key)
        out.append(contentsOf: number.utf8)
    }
}

/// Collects an object's members as a tree (`JSONValue.orderedObject`, in the order added).
public struct JSONMemberList: JSONObjectSink {
    public private(set) var members: [JSONMember] = []

    public init(capacity: Int = 32) {
        members.reserveCapacity(capacity)
    }

    public var value: JSONValue { .orderedObject(members) }

    public mutating func add(_ key: StaticString, _ value: JSONValue) {
        members.append(JSONMember(key.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }, value))
    }

    public mutating func add(_ key: StaticString, string: String) { add(key, .string(string)) }
    public mutating func add(_ key: StaticString, number: String) { add(key, .number(number)) }
}
