import DeskFaceKit

/// Reads a GenericInterface SOAP request: the envelope, the operation element in the body and
/// the `SOAPAction` header (§3.2 of the spec).
struct SOAPRequestReader {
    /// The configured namespace of the web service, e.g. `http://www.otrs.org/TicketConnector/`.
    let namespace: String
    var parser = SafeXMLParser()

    /// What went wrong, in Znuny's two shapes.
    enum Failure: Error, Equatable {
        /// HTTP 500 with this plain-text summary (the transport could not read the message).
        case transport(String)
        /// HTTP 500 with a fault envelope carrying this faultstring.
        case fault(String)
    }

    struct Call: Equatable {
        /// The local name of the body's operation element.
        var operation: String
        var data: [String: JSONValue]
        /// The request came in a SOAP 1.2 envelope (answered in one).
        var soap12 = false
    }

    /// The operation named by a `SOAPAction` header, after Znuny's namespace check made lenient:
    /// `<ns>#Op`, `<ns>/Op`, `<ns without its trailing slash>/Op` (what the WSDL and zeep send) and
    /// a bare `Op` are accepted; empty, `""` and `''` mean no header. Any other namespace is refused.
    /// A web service without a namespace (Znuny's `NoNameSpace`) ignores the header, as Znuny does.
    func operation(fromSOAPAction header: String?) throws(Failure) -> String? {
        guard !namespace.isEmpty, var action = header?.trimmingWhitespace() else { return nil }
        if action.count >= 2, let first = action.first, first == "\"" || first == "'", action.last == first {
            action = String(action.dropFirst().dropLast())
        }
        guard !action.isEmpty else { return nil }
        guard let separator = action.lastIndex(where: { $0 == "#" || $0 == "/" }) else { return action }
        let head = String(action[..<separator])
        let operation = String(action[action.index(after: separator)...])
        guard !operation.isEmpty, !head.isEmpty else { return nil }
        let accepted = [namespace, namespace.hasSuffix("/") ? String(namespace.dropLast()) : namespace]
        guard accepted.contains(head) else {
            throw .fault("Namespace from SOAPAction '\(head)' does not match namespace from configuration '\(namespace)'")
        }
        return operation
    }

    func read(_ bytes: [UInt8], soapAction: String?) throws(Failure) -> Call {
        let fromHeader = try operation(fromSOAPAction: soapAction)
        let root: XMLTreeElement
        do {
            root = try parser.parse(bytes)
        } catch let failure as XMLParseFailure {
            throw .transport(Self.deserializingError("\n\(failure.description)\n"))
        } catch {
            throw .transport(Self.deserializingError("\n\(error)\n"))
        }
        // SOAP::Lite reads any well-formed document; one that is not an envelope has no body.
        guard root.localName == "Envelope" else { throw .transport("Got no result body from deserialized content") }
        // SOAP::Lite takes an envelope without a namespace, and a Body in any namespace.
        guard [SOAPEnvelope.soap11, SOAPEnvelope.soap12, ""].contains(root.namespaceURI) else {
            throw .transport(Self.deserializingError(Self.wrongVersion))
        }
        guard let body = root.child("Body"),
            let element = body.children.min(by: { $0.localName.utf8.lexicographicallyPrecedes($1.localName.utf8) })
        else { throw .transport("Got no result body from deserialized content") }
        if let fromHeader, fromHeader != element.localName {
            throw .fault("Operation from SOAP data '\(element.localName)' does not match operation from SOAPAction '\(fromHeader)'")
        }
        return Call(
            operation: element.localName, data: SOAPValueCodec.decode(children: element.children),
            soap12: root.namespaceURI == SOAPEnvelope.soap12)
    }
}

extension SOAPRequestReader {
    /// Znuny's transport writes `'Error deserializing message:' . $@` (SOAP.pm 257-263): no
    /// space, then the deserializer's message, which for XML::Parser's errors starts on a new
    /// line. The parser's own wording differs (libxml2 here, Expat in Znuny).
    static func deserializingError(_ message: String) -> String {
        "Error deserializing message:" + message
    }

    /// SOAP::Lite's `soapversion` error for an envelope in another namespace (the versions in a
    /// fixed order; Perl lists them in its hash order).
    static let wrongVersion = """
        Wrong SOAP version specified. Supported versions:
          1.1 (http://schemas.xmlsoap.org/soap/envelope/)
          1.2 (http://www.w3.org/2003/05/soap-envelope)

        """
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
