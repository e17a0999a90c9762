import DeskFaceKit

/// Maps between SOAP elements and the `JSONValue` Data hash the operations work on, the way
/// Znuny's SOAP::Lite-based transport does (§3.2–3.3 of the spec).
enum SOAPValueCodec {
    /// The children of an element as a Data hash: a leaf element becomes its text, an element with
    /// children a nested hash, a name repeated among siblings an array (order kept). Attributes
    /// (`xsi:type`, `xsi:nil`, …) are ignored and an empty element is `""`, as in Znuny.
    static func decode(children: [XMLTreeElement]) -> [String: JSONValue] {
        members(of: children, decode: decode)
    }

    static func members(of children: [XMLTreeElement], decode: (XMLTreeElement) -> JSONValue) -> [String: JSONValue] {
        SOAP.members(of: children, decode: decode)
    }

    static func decode(_ element: XMLTreeElement) -> JSONValue {
        element.children.isEmpty ? .string(element.text) : .object(decode(children: element.children))
    }

    /// Writes `members` as child elements: keys in ascending byte order, arrays as repeated
    /// elements, hashes as nested elements, null and `{}` as empty elements. Names are keys the
    /// operations produce, so they are valid element names.
    static func encode(_ members: [String: JSONValue], into writer: inout XMLWriter) {
        for key in sortedKeys(members) {
            encode(key, members[key]!, into: &writer)
        }
    }

    static func encode(_ name: String, _ value: JSONValue, into writer: inout XMLWriter) {
        switch value {
        case .null: writer.empty(name)
        case .bool(let flag): writer.leaf(name, flag ? "1" : "")
        case .number(let text), .string(let text): writer.leaf(name, text)
        case .array(let elements):
            for element in elements { encode(name, element, into: &writer) }
        case .object, .orderedObject:
            let members = value.objectValue ?? [:]
            guard !members.isEmpty else { return writer.empty(name) }
            writer.open(name)
            encode(members, into: &writer)
            writer.close(name)
        }
    }

    /// Perl's `sort keys`: plain byte order, upper case before lower case.
    static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
