import DeskFaceKit

/// Maps between SOAP elements and the `JSONValue` Data hash the operations work on, the way
/// Znuny's SOAP::Lite-based transport does (§3.2–3.3 of the spec).
enum SOAPValueCodec {
    /// The children of an element as a Data hash, as Znuny's SOAP::Lite deserializer reads them
    /// (`SOAP.decodeEncoded`): a leaf element becomes its text (an empty one `""`), an element with
    /// children a nested hash, a name repeated among siblings an array (order kept); `xsi:nil` is
    /// null, `xsd:base64Binary` is decoded, `xsd:boolean` is 1 or 0, and SOAP arrays and PHP's
    /// apache `Map` become lists and hashes. (Spec §3.2 says these attributes are ignored;
    /// SOAP::Lite reads them, and SOAP::Lite and PHP SoapClient clients send them.)
    static func decode(children: [XMLTreeElement]) -> [String: JSONValue] {
        SOAP.members(of: children, decode: SOAP.decodeEncoded)
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
        case .source(let source): encode(name, source.tree, into: &writer)
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
