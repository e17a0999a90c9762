/// SOAP 1.1 pieces the SOAP faces share (Znuny's GenericInterface transport and OTRS's rpc.pl).
public enum SOAP {
    public static let soap11 = "http://schemas.xmlsoap.org/soap/envelope/"
    public static let soap12 = "http://www.w3.org/2003/05/soap-envelope"
    public static let encoding = "http://schemas.xmlsoap.org/soap/encoding/"
    public static let xsd = "http://www.w3.org/2001/XMLSchema"
    public static let xsi = "http://www.w3.org/2001/XMLSchema-instance"

    /// An envelope around whatever `body` writes into `soap:Body`, with the namespace
    /// declarations SOAP::Lite writes. There is never a `soap:Header`: python-otrs takes the first
    /// child of the envelope as the body.
    public static func wrap(_ body: (inout XMLWriter) -> Void) -> String {
        var writer = XMLWriter()
        writer.open(
            "soap:Envelope",
            [
                "xmlns:soap": soap11, "xmlns:soapenc": encoding, "xmlns:xsd": xsd, "xmlns:xsi": xsi,
                "soap:encodingStyle": encoding,
            ])
        writer.open("soap:Body")
        body(&writer)
        writer.close("soap:Body")
        writer.close("soap:Envelope")
        return writer.text
    }

    /// Child elements as members: a name repeated among siblings becomes an array (order kept).
    /// `decode` turns each child into its value; the SOAP faces decode differently.
    public static func members(of children: [XMLTreeElement], decode: (XMLTreeElement) -> JSONValue) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for child in children {
            let value = decode(child)
            switch members[child.localName] {
            case nil: members[child.localName] = value
            case .array(var list)?:
                list.append(value)
                members[child.localName] = .array(list)
            case let single?: members[child.localName] = .array([single, value])
            }
        }
        return members
    }
}
