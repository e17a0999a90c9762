/// Builds XML text. Element and attribute names are the caller's (trusted) vocabulary; text and
/// attribute values are escaped, and characters XML 1.0 cannot carry are removed.
public struct XMLWriter {
    public private(set) var text = ""
    /// Whether a carriage return in text is written as it is (a reader's XML parser turns a CR LF
    /// into LF, as SOAP::Lite without auto-typing leaves it) instead of as `&#13;` (kept).
    public var rawCarriageReturns = false
    /// How an empty element ends: `/>`, or ` />` as SOAP::Lite's serializer writes it.
    public var emptyEnd = "/>"

    public init(declaration: Bool = true, rawCarriageReturns: Bool = false, emptyEnd: String = "/>") {
        if declaration { text = #"<?xml version="1.0" encoding="UTF-8"?>"# }
        self.rawCarriageReturns = rawCarriageReturns
        self.emptyEnd = emptyEnd
    }

    public mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += "<" + name
        appendAttributes(attributes)
        text += ">"
    }

    public mutating func close(_ name: String) {
        text += "</" + name + ">"
    }

    /// `<name/>` (or `<name />`, see `emptyEnd`) with optional attributes.
    public mutating func empty(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += "<" + name
        appendAttributes(attributes)
        text += emptyEnd
    }

    /// `<name>text</name>`, or `<name/>` for empty text.
    public mutating func leaf(_ name: String, _ value: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        guard !value.isEmpty else { return empty(name, attributes) }
        open(name, attributes)
        text += Self.escape(value, rawCarriageReturns: rawCarriageReturns)
        close(name)
    }

    /// Appends already well-formed markup (for fragments built by another writer).
    public mutating func raw(_ markup: String) {
        text += markup
    }

    private mutating func appendAttributes(_ attributes: KeyValuePairs<String, String>) {
        for (key, value) in attributes {
            text += " " + key + "=\"" + Self.escape(value, attribute: true) + "\""
        }
    }

    /// Escapes `&`, `<`, `>` (and `"` in attributes) and drops the control characters that SOAP::Lite
    /// drops (U+0001–U+0008, U+000B, U+000C, U+000E–U+001F, U+007F–U+0084, U+0086–U+009F).
    /// U+0000 is dropped too: XML cannot carry it at all.
    public static func escape(_ value: String, attribute: Bool = false, rawCarriageReturns: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\r" where !rawCarriageReturns || attribute: out += "&#13;"
            default:
                if isDropped(scalar) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F...0x84, 0x86...0x9F, 0xFFFE, 0xFFFF: true
        default: false
        }
    }
}
