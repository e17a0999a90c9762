import DeskFaceKit

/// Reads and writes the SOAP 1.1 RPC/encoded messages of OTRS's `rpc.pl` (§8 of the spec).
enum RPCEnvelope {
    /// A decoded call: the method element's name and namespace, and its positional parameters.
    struct Call: Equatable {
        var method: String
        /// Echoed on the response element (SOAP::Lite clients use `http://localhost/Core`).
        var namespace: String
        var parameters: [JSONValue]
    }

    enum Failure: Error, Equatable {
        /// Not a SOAP message we can read: answered with a client fault.
        case unreadable(String)
    }

    static func read(_ bytes: [UInt8], parser: SafeXMLParser = SafeXMLParser()) throws(Failure) -> Call {
        let root: XMLTreeElement
        do {
            root = try parser.parse(bytes)
        } catch let failure as XMLParseFailure {
            throw .unreadable("Application failed during request deserialization: \(failure.description)")
        } catch {
            throw .unreadable("Application failed during request deserialization: \(error)")
        }
        guard root.localName == "Envelope", root.namespaceURI == SOAP.soap11 || root.namespaceURI == SOAP.soap12 else {
            throw .unreadable("Application failed during request deserialization: Wrong SOAP version specified.")
        }
        guard let body = root.child("Body"), let method = body.children.first else {
            throw .unreadable("Application failed during request deserialization: no method element in the SOAP Body")
        }
        return Call(method: method.localName, namespace: method.namespaceURI, parameters: method.children.map(decode))
    }

    /// SOAP-encoded values as SOAP::Lite's deserializer hands them to Perl: `xsi:nil` → null,
    /// `soapenc:Array` (or any element carrying `arrayType`) → array of its children, an apache
    /// `Map` (PHP's SoapClient sends associative arrays so) → struct by its `key`/`value` items,
    /// other elements with children → struct by child name (a repeated name becomes an array),
    /// leaves → text. Of the scalar types two change the value: `base64Binary` is decoded (SOAP::Lite
    /// clients send any text with non-ASCII characters so) and `boolean` becomes 1 or 0.
    static func decode(_ element: XMLTreeElement) -> JSONValue {
        if element.isNil { return .null }
        let type = element.attribute(localName: "type") ?? ""
        let localType = type.split(separator: ":").last.map(String.init) ?? type
        if localType == "Array" || element.attribute(localName: "arrayType") != nil {
            return .array(element.children.map(decode))
        }
        if localType == "Map" {
            var members: [String: JSONValue] = [:]
            for item in element.children {
                guard let key = item.child("key").map(decode)?.scalarString else { continue }
                members[key] = item.child("value").map(decode) ?? .null
            }
            return .object(members)
        }
        guard element.children.isEmpty else { return .object(SOAP.members(of: element.children, decode: decode)) }
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

    /// `<namesp1:<Method>Response xmlns:namesp1="<namespace>">` with one element per returned value.
    static func response(method: String, namespace: String, values: [PerlValue]) -> String {
        SOAP.wrap { writer in
            let name = "namesp1:\(method)Response"
            guard !values.isEmpty else { return writer.empty(name, ["xmlns:namesp1": namespace]) }
            writer.open(name, ["xmlns:namesp1": namespace])
            SOAPLiteEncoder.encode(values, into: &writer)
            writer.close(name)
        }
    }

    /// A standard SOAP 1.1 fault, as SOAP::Lite sends when the method dies.
    static func fault(code: String = "soap:Server", _ message: String) -> String {
        SOAP.wrap { writer in
            writer.open("soap:Fault")
            writer.leaf("faultcode", code)
            writer.leaf("faultstring", message)
            writer.close("soap:Fault")
        }
    }
}
