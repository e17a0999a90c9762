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

    /// A parameter as SOAP::Lite hands it to rpc.pl (`SOAP.decodeEncoded`).
    static func decode(_ element: XMLTreeElement) -> JSONValue { SOAP.decodeEncoded(element) }

    /// `<<Method>Response xmlns="<namespace>">` with one element per returned value, as the
    /// SOAP::Lite 1.20 that Znuny 7 ships (`Kernel/cpan-lib`) writes it (its default namespace;
    /// older SOAP::Lite wrote a `namesp1:` prefix). Nothing returned is `xsi:nil`.
    static func response(method: String, namespace: String, values: [PerlValue]) -> String {
        SOAP.wrap { writer in
            let name = "\(method)Response"
            guard !values.isEmpty else { return writer.empty(name, ["xmlns": namespace, "xsi:nil": "true"]) }
            writer.open(name, ["xmlns": namespace])
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
