/// SOAP 1.1 pieces the SOAP faces share (Znuny's GenericInterface transport and OTRS's rpc.pl).
public enum SOAP {
    public static let soap11 = "http://schemas.xmlsoap.org/soap/envelope/"
    public static let soap12 = "http://www.w3.org/2003/05/soap-envelope"
    public static let encoding = "http://schemas.xmlsoap.org/soap/encoding/"
    public static let encoding12 = "http://www.w3.org/2003/05/soap-encoding"
    public static let xsd = "http://www.w3.org/2001/XMLSchema"
    public static let xsi = "http://www.w3.org/2001/XMLSchema-instance"

    /// An envelope around whatever `body` writes into `soap:Body`, written as SOAP::Lite writes
    /// it: attributes in name order (`soap:encodingStyle` first), empty elements as `<name />`.
    /// There is never a `soap:Header`: python-otrs takes the first child of the envelope as the body.
    /// `soap12` answers a SOAP 1.2 request in its own envelope and encoding namespaces.
    public static func wrap(rawCarriageReturns: Bool = false, soap12: Bool = false, _ body: (inout XMLWriter) -> Void) -> String {
        var writer = XMLWriter(rawCarriageReturns: rawCarriageReturns, emptyEnd: " />")
        let encoding = soap12 ? encoding12 : encoding
        writer.open(
            "soap:Envelope",
            [
                "soap:encodingStyle": encoding, "xmlns:soap": soap12 ? Self.soap12 : soap11, "xmlns:soapenc": encoding,
                "xmlns:xsd": xsd, "xmlns:xsi": xsi,
            ])
        writer.open("soap:Body")
        body(&writer)
        writer.close("soap:Body")
        writer.close("soap:Envelope")
        return writer.text
    }

    /// SOAP-encoded values as SOAP::Lite's deserializer hands them to Perl (rpc.pl and Znuny's
    /// GenericInterface both read requests with it): `xsi:nil` → null, `soapenc:Array` (or any
    /// element carrying `arrayType`) → array of its children, an apache `Map` (PHP's SoapClient
    /// sends associative arrays so) → struct by its `key`/`value` items, other elements with
    /// children → struct by child name (a repeated name becomes an array), leaves → text. Of the
    /// scalar types two change the value: `base64Binary` is decoded (SOAP::Lite clients send any
    /// text with non-ASCII characters so) and `boolean` becomes 1 or 0.
    public static func decodeEncoded(_ element: XMLTreeElement) -> JSONValue {
        if element.isNil { return .null }
        let type = element.attribute(localName: "type") ?? ""
        let localType = type.split(separator: ":").last.map(String.init) ?? type
        if localType == "Array" || element.attribute(localName: "arrayType") != nil {
            return .array(element.children.map(decodeEncoded))
        }
        if localType == "Map" {
            var members: [String: JSONValue] = [:]
            for item in element.children {
                guard let key = item.child("key").map(decodeEncoded)?.scalarString else { continue }
                members[key] = item.child("value").map(decodeEncoded) ?? .null
            }
            return .object(members)
        }
        guard element.children.isEmpty else { return .object(members(of: element.children, decode: decodeEncoded)) }
        switch localType {
        case "base64Binary", "base64":
            let bytes = Base64.decode(element.text)
            return .string(String(validating: bytes, as: UTF8.self) ?? TextEncoding.decodeLeniently(bytes, charset: "iso-8859-1"))
        case "boolean":
            let text = element.text.trimmingSpaces.lowercased()
            return .string(text == "false" || text == "0" ? "0" : "1")
        default:
            return .string(element.text)
        }
    }

    /// Child elements as members: a name repeated among siblings becomes an array (order kept).
    /// `decode` turns each child into its value; the SOAP faces decode differently.
    public static func members(of children: [XMLTreeElement], decode: (XMLTreeElement) -> JSONValue) -> [String: JSONValue] {
        // Lists grow in place: appending to an array read out of the result dictionary copied
        // it each time (quadratic in the siblings of one name).
        var lists: [String: [JSONValue]] = [:]
        for child in children { lists[child.localName, default: []].append(decode(child)) }
        return lists.mapValues { $0.count == 1 ? $0[0] : .array($0) }
    }
}
