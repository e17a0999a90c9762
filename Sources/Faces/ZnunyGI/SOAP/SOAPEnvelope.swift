import DeskFaceKit

/// SOAP 1.1 envelopes as Znuny's transport (SOAP::Lite with auto-typing off and a default
/// namespace) writes them (§3.3–3.4 of the spec). There is never a `soap:Header`: python-otrs
/// takes the first child of the envelope as the body.
enum SOAPEnvelope {
    static let soap11 = SOAP.soap11
    static let soap12 = SOAP.soap12
    static let xsd = SOAP.xsd

    /// Carriage returns go out as they are: Znuny's `_SOAPOutputProcessString` escapes only
    /// `&`, `<` and `>`, so a client's XML parser reads a CR LF as LF.
    static func wrap(soap12: Bool = false, _ body: (inout XMLWriter) -> Void) -> String {
        SOAP.wrap(rawCarriageReturns: true, soap12: soap12, body)
    }

    /// `<OpResponse xmlns="ns">…</OpResponse>`; an empty Data hash gives a nil element, which is
    /// what Znuny 7 sends for a TicketSearch without hits. A SOAP 1.2 request gets a 1.2 envelope.
    static func response(_ name: String, namespace: String, data: [String: JSONValue], soap12: Bool = false) -> String {
        wrap(soap12: soap12) { writer in
            guard !data.isEmpty else { return writer.empty(name, ["xmlns": namespace, "xsi:nil": "true"]) }
            writer.open(name, ["xmlns": namespace])
            SOAPValueCodec.encode(data, into: &writer)
            writer.close(name)
        }
    }

    /// A business error: HTTP 200 with `Error` inside the response element.
    static func error(_ name: String, namespace: String, code: String, message: String, soap12: Bool = false) -> String {
        response(
            name, namespace: namespace,
            data: [
                "Error": .object([
                    "ErrorCode": .string(code), "ErrorMessage": .string(message),
                ])
            ], soap12: soap12)
    }

    /// Znuny's fault: an element `Fault` in the connector's namespace (not the SOAP namespace)
    /// with `faultcode` `Server`. Sent with HTTP 500 and `text/plain`, so strict SOAP clients
    /// report an HTTP error rather than a SOAP fault (quirk kept for python-otrs and Znuny parity).
    static func fault(namespace: String, message: String) -> String {
        wrap { writer in
            writer.open("Fault", ["xmlns": namespace])
            writer.leaf("faultcode", "Server")
            writer.leaf("faultstring", message)
            writer.close("Fault")
        }
    }
}
