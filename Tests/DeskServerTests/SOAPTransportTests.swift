import DeskCore
import DeskServer
import DeskStore
import DeskTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DeskFaceKit
@testable import OTRSRPC
@testable import ZnunyGI

/// Drives the GenericInterface SOAP transport in-process with raw envelopes.
struct SOAPTestClient {
    let client: any TestClientProtocol
    var path = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorSOAP"
    static let namespace = "http://www.otrs.org/TicketConnector/"

    struct Reply {
        let status: HTTPResponse.Status
        let contentType: String?
        let text: String

        /// The first child of `soap:Body`.
        var element: XMLTreeElement? {
            (try? SafeXMLParser().parse(Array(text.utf8)))?.child("Body")?.children.first
        }

        /// The response element's children as a Data hash.
        var data: [String: JSONValue] { SOAPValueCodec.decode(children: element?.children ?? []) }
    }

    static func envelope(_ operation: String, _ inner: String, namespace: String = Self.namespace) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="\(namespace)">
        <soapenv:Header/><soapenv:Body><tns:\(operation)>\(inner)</tns:\(operation)></soapenv:Body></soapenv:Envelope>
        """
    }

    func post(
        _ body: String, soapAction: String? = nil, contentType: String = "text/xml; charset=utf-8",
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        try await post(bytes: Array(body.utf8), soapAction: soapAction, contentType: contentType, headers: extra)
    }

    func post(
        bytes body: [UInt8], soapAction: String? = nil, contentType: String = "text/xml; charset=utf-8",
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        headers[.contentType] = contentType
        if let soapAction { headers[SOAPTransport.soapActionHeader] = soapAction }
        let buffer = ByteBuffer(bytes: body)
        if headers[.contentLength] == nil { headers[.contentLength] = String(buffer.readableBytes) }
        return try await client.execute(uri: path, method: .post, headers: headers, body: buffer) { response in
            Reply(status: response.status, contentType: response.headers[.contentType], text: String(buffer: response.body))
        }
    }

    func call(_ operation: String, _ inner: String, soapAction: String? = nil) async throws -> Reply {
        try await post(Self.envelope(operation, inner), soapAction: soapAction)
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> Reply {
        try await client.execute(uri: uri, method: .get, headers: headers, body: nil) { response in
            Reply(status: response.status, contentType: response.headers[.contentType], text: String(buffer: response.body))
        }
    }
}

extension ZnunyFixture {
    func soap(_ body: @escaping @Sendable (SOAPTestClient) async throws -> Void) async throws {
        try await test { client in try await body(SOAPTestClient(client: client.client)) }
    }

    var rootXML: String { "<UserLogin>root@localhost</UserLogin><Password>\(rootPassword)</Password>" }
}

@Suite("Znuny GenericInterface SOAP transport")
struct SOAPTransportTests {
    static let ticketXML = """
        <Ticket><Title>Printer on fire</Title><Queue>Misc</Queue><State>new</State><Priority>3 normal</Priority>\
        <CustomerUser>customer@acme.test</CustomerUser></Ticket>\
        <Article><Subject>Help</Subject><Body>It is burning &amp; smoking.</Body><ContentType>text/plain; charset=utf8</ContentType></Article>
        """

    @Test("every operation of the sample connector works over SOAP", arguments: TestDatabase.kinds)
    func operations(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.soap { client in
                let session = try await client.call("SessionCreate", fixture.rootXML)
                #expect(session.status == .ok)
                #expect(session.contentType == "text/xml; charset=UTF-8")
                #expect(session.element?.localName == "SessionCreateResponse")
                #expect(session.element?.namespaceURI == SOAPTestClient.namespace)
                #expect(!session.text.contains("soap:Header"))
                let sessionID = try #require(session.data.string("SessionID"))

                let info = try await client.call("SessionGet", "<SessionID>\(sessionID)</SessionID>")
                let pairs = info.data["SessionData"]?.arrayValue ?? []
                #expect(pairs.contains(.object(["Key": .string("UserLogin"), "Value": .string("root@localhost")])))

                let created = try await client.call("TicketCreate", "<SessionID>\(sessionID)</SessionID>" + Self.ticketXML)
                #expect(created.element?.children.map(\.localName) == ["ArticleID", "TicketID", "TicketNumber"])
                let ticketID = try #require(created.data.string("TicketID"))
                let number = try #require(created.data.string("TicketNumber"))

                let updated = try await client.call(
                    "TicketUpdate",
                    """
                    <SessionID>\(sessionID)</SessionID><TicketID>\(ticketID)</TicketID><Ticket><State>open</State></Ticket>\
                    <Article><Subject>Note</Subject><Body>Out.</Body><ContentType>text/plain; charset=utf8</ContentType></Article>
                    """)
                #expect(updated.data.string("TicketNumber") == number)
                #expect(updated.data.string("ArticleID") != nil)

                let get = try await client.call(
                    "TicketGet",
                    """
                    <SessionID>\(sessionID)</SessionID><TicketID>\(ticketID)</TicketID><AllArticles>1</AllArticles>
                    """)
                let ticket = try #require(get.data["Ticket"]?.objectValue)
                #expect(ticket.string("State") == "open")
                let keys = get.element?.child("Ticket")?.children.map(\.localName) ?? []
                #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
                let articles = ticket["Article"]?.arrayValue ?? []
                #expect(articles.count == 2)
                #expect(articles.first?["Body"] == .string("It is burning & smoking."))

                let both = try await client.call(
                    "TicketGet", "<SessionID>\(sessionID)</SessionID><TicketID>1</TicketID><TicketID>\(ticketID)</TicketID>")
                #expect(both.data["Ticket"]?.arrayValue?.count == 2)

                let search = try await client.call(
                    "TicketSearch", "<SessionID>\(sessionID)</SessionID><TicketNumber>\(number)</TicketNumber>")
                #expect(search.data["TicketID"] == .string(ticketID))
                let all = try await client.call(
                    "TicketSearch", "<SessionID>\(sessionID)</SessionID><States>new</States><States>open</States>")
                #expect(all.data["TicketID"]?.arrayValue?.count == 2)
                let none = try await client.call("TicketSearch", "<SessionID>\(sessionID)</SessionID><Title>no such title</Title>")
                #expect(none.status == .ok)
                #expect(none.element?.localName == "TicketSearchResponse")
                #expect(none.element?.isNil == true)
                #expect(none.element?.children.isEmpty == true)
                // As SOAP::Lite writes it: attributes in name order, a space before `/>`.
                #expect(none.text.contains(#"<soap:Envelope soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soap="#))
                #expect(none.text.contains(#"<TicketSearchResponse xmlns="http://www.otrs.org/TicketConnector/" xsi:nil="true" />"#))
                // A SOAP 1.2 request is answered in SOAP 1.2's namespaces and media type.
                let soap12 = try await client.post(
                    #"<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>"#
                        + #"<TicketSearch xmlns="http://www.otrs.org/TicketConnector/"><SessionID>\#(sessionID)</SessionID>"#
                        + "<Title>no such title</Title></TicketSearch></env:Body></env:Envelope>",
                    contentType: "application/soap+xml; charset=UTF-8")
                #expect(soap12.contentType == "application/soap+xml; charset=UTF-8")
                #expect(
                    soap12.text.contains(
                        #"<soap:Envelope soap:encodingStyle="http://www.w3.org/2003/05/soap-encoding" xmlns:soap="http://www.w3.org/2003/05/soap-envelope""#
                    ), "\(soap12.text)")

                let history = try await client.call(
                    "TicketHistoryGet", "<SessionID>\(sessionID)</SessionID><TicketID>\(ticketID)</TicketID>")
                let entries = history.data["TicketHistory"]?["History"]?.arrayValue ?? []
                #expect(entries.first?["HistoryType"] == .string("NewTicket"))
                #expect(entries.contains { $0["HistoryType"] == .string("StateUpdate") })
            }
        }
    }

    @Test("business errors are 200 answers with Error inside the response element")
    func businessErrors() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.soap { client in
                let wrong = try await client.call("SessionCreate", "<UserLogin>root@localhost</UserLogin><Password>nope</Password>")
                #expect(wrong.status == .ok)
                #expect(wrong.element?.localName == "SessionCreateResponse")
                #expect(
                    wrong.data["Error"]
                        == .object([
                            "ErrorCode": .string("SessionCreate.AuthFail"),
                            "ErrorMessage": .string("SessionCreate: Authorization failing!"),
                        ]))
                let missing = try await client.call("TicketCreate", fixture.rootXML + "<Ticket><Title>x</Title></Ticket>")
                #expect(missing.data["Error"]?["ErrorMessage"] == .string("TicketCreate: Article parameter is missing or not valid!"))
                let denied = try await client.call("TicketGet", fixture.rootXML + "<TicketID>999</TicketID>")
                #expect(denied.data["Error"]?["ErrorCode"] == .string("TicketGet.AccessDenied"))
            }
        }
    }

    @Test("transport errors: 411, malformed XML, unknown operations, wrong envelopes")
    func transportErrors() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.soap { client in
                let empty = try await client.post("")
                #expect(empty.status == .lengthRequired)
                #expect(empty.contentType == "text/plain; charset=UTF-8")

                let malformed = try await client.post(
                    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><a><b></a>")
                #expect(malformed.status == .internalServerError)
                #expect(malformed.contentType == "text/plain; charset=UTF-8")
                #expect(malformed.text.hasPrefix("Error deserializing message:\n"))

                let unknown = try await client.call("TicketDelete", fixture.rootXML)
                #expect(unknown.status == .internalServerError)
                #expect(unknown.contentType == "text/plain; charset=UTF-8")
                let fault = try #require(unknown.element)
                #expect(fault.localName == "Fault")
                #expect(fault.namespaceURI == SOAPTestClient.namespace)
                #expect(fault.child("faultcode")?.text == "Server")
                #expect(fault.child("faultstring")?.text == "Got no OperationType!")

                let wrongEnvelope = try await client.post(#"<Envelope xmlns="urn:not-soap"><Body><SessionCreate/></Body></Envelope>"#)
                #expect(wrongEnvelope.status == .internalServerError)
                #expect(wrongEnvelope.text.hasPrefix("Error deserializing message:Wrong SOAP version specified. Supported versions:\n"))
                // A body in ISO-8859-1, said by the declaration or by the Content-Type, is read as such.
                let latin1 =
                    Array(#"<?xml version="1.0" encoding="ISO-8859-1"?>"#.utf8)
                    + [UInt8](
                        "<Envelope><Body><SessionCreate><UserLogin>Gr\u{FC}n</UserLogin><Password>x</Password></SessionCreate></Body></Envelope>"
                            .unicodeScalars.map { UInt8($0.value) })
                let declared = try await client.post(bytes: latin1)
                #expect(declared.element?.localName == "SessionCreateResponse", "\(declared.text)")
                // SOAP::Lite reads an envelope without a namespace.
                let bare = try await client.post(
                    "<Envelope><Body><SessionCreate><UserLogin>nobody</UserLogin><Password>x</Password></SessionCreate></Body></Envelope>")
                #expect(bare.element?.localName == "SessionCreateResponse", "\(bare.text)")
                let notEnvelope = try await client.post("<SessionCreate/>")
                #expect(notEnvelope.text == "Got no result body from deserialized content")
                let noBody = try await client.post(
                    #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>"#)
                #expect(noBody.status == .internalServerError)
                #expect(noBody.text == "Got no result body from deserialized content")

                // The request element's own namespace is not checked, as in Znuny.
                let otherNamespace = try await client.post(
                    SOAPTestClient.envelope("SessionCreate", fixture.rootXML, namespace: "urn:whatever"))
                #expect(otherNamespace.data.string("SessionID") != nil)
            }
        }
    }

    @Test("SOAPAction: the WSDL form, the # form, a bare name and none are accepted; others are faults")
    func soapAction() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.soap { client in
                for action in [
                    nil, "", "\"\"", "http://www.otrs.org/TicketConnector/SessionCreate",
                    "\"http://www.otrs.org/TicketConnector/#SessionCreate\"", "http://www.otrs.org/TicketConnector/SessionCreate",
                    "SessionCreate",
                ] {
                    let reply = try await client.call("SessionCreate", fixture.rootXML, soapAction: action)
                    #expect(reply.data.string("SessionID") != nil, "SOAPAction \(action ?? "(none)")")
                }
                let wrongNamespace = try await client.call("SessionCreate", fixture.rootXML, soapAction: "urn:other#SessionCreate")
                #expect(wrongNamespace.status == .internalServerError)
                #expect(
                    wrongNamespace.element?.child("faultstring")?.text
                        == "Namespace from SOAPAction 'urn:other' does not match namespace from configuration 'http://www.otrs.org/TicketConnector/'"
                )
                let mismatch = try await client.call(
                    "SessionCreate", fixture.rootXML, soapAction: "http://www.otrs.org/TicketConnector/#TicketGet")
                #expect(
                    mismatch.element?.child("faultstring")?.text
                        == "Operation from SOAP data 'SessionCreate' does not match operation from SOAPAction 'TicketGet'")
            }
        }
    }

    @Test("the response media type echoes the request's when it names a charset")
    func mediaType() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.soap { client in
                let soap12 = try await client.post(
                    SOAPTestClient.envelope("SessionCreate", fixture.rootXML),
                    contentType: "application/soap+xml; charset=utf-8")
                #expect(soap12.contentType == "application/soap+xml; charset=UTF-8")
                let bare = try await client.post(SOAPTestClient.envelope("SessionCreate", fixture.rootXML), contentType: "text/xml")
                #expect(bare.contentType == "text/xml; charset=UTF-8")
            }
        }
    }

    @Test("XXE, billion laughs, deep nesting and huge bodies are refused and nothing is written")
    func badInput() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            let before = try await fixture.services.tickets.search(
                TicketQuery(), by: .agent(try #require(await fixture.services.auth.agentPrincipal(id: 1))))
            try await fixture.soap { client in
                let xxe = """
                    <?xml version="1.0"?><!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                    <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><TicketCreate>\
                    \(fixture.rootXML)\(Self.ticketXML.replacingOccurrences(of: "Printer on fire", with: "&xxe;"))\
                    </TicketCreate></soap:Body></soap:Envelope>
                    """
                let refused = try await client.post(xxe)
                #expect(refused.status == .internalServerError)
                #expect(refused.text.contains("not allowed"))
                #expect(!refused.text.contains("root:"))

                var laughs = #"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">"#
                for level in 1...8 {
                    laughs += "<!ENTITY a\(level) \"" + String(repeating: level == 1 ? "&a;" : "&a\(level - 1);", count: 10) + "\">"
                }
                laughs +=
                    "]>"
                    + SOAPTestClient.envelope(
                        "TicketCreate", fixture.rootXML + Self.ticketXML.replacingOccurrences(of: "Help", with: "&a8;"))
                let laughed = try await client.post(laughs)
                #expect(laughed.status == .internalServerError)

                let deep = SOAPTestClient.envelope(
                    "TicketCreate",
                    fixture.rootXML + Self.ticketXML
                        + String(repeating: "<x>", count: 5000) + String(repeating: "</x>", count: 5000))
                let tooDeep = try await client.post(deep)
                #expect(tooDeep.status == .internalServerError)
                #expect(tooDeep.text.contains("deeper than"))

            }
            var small = AppConfiguration()
            small.maxBodySize = 4096
            let app = Application(router: buildRouter(small, services: fixture.services), logger: TestLogger.quiet)
            try await app.test(.router) { client in
                let huge = try await SOAPTestClient(client: client).call("SessionCreate", String(repeating: "<x>y</x>", count: 1000))
                #expect(huge.status == .contentTooLarge)
            }
            let after = try await fixture.services.tickets.search(
                TicketQuery(), by: .agent(try #require(await fixture.services.auth.agentPrincipal(id: 1))))
            #expect(after == before)
        }
    }

    @Test("the WSDL is served at ?wsdl and /wsdl, points at this server and lists the operations")
    func wsdl() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.soap { client in
                let reply = try await client.get(client.path + "?wsdl", headers: [HTTPField.Name("Host")!: "desk.example.com:8080"])
                #expect(reply.status == .ok)
                #expect(reply.contentType == "text/xml; charset=UTF-8")
                let root = try SafeXMLParser().parse(Array(reply.text.utf8))
                #expect(root.localName == "definitions")
                let address = root.child("service")?.child("port")?.child("address")?.attributes["location"]
                #expect(address == "http://desk.example.com:8080/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorSOAP")
                let operations = root.child("portType")?.children.compactMap { $0.attributes["name"] }
                #expect(
                    operations == [
                        "SessionCreate", "SessionGet", "TicketCreate", "TicketGet", "TicketGetList", "TicketHistoryGet", "TicketSearch",
                        "TicketUpdate",
                    ])
                let actions = root.child("binding")?.children.compactMap { $0.child("operation")?.attributes["soapAction"] }
                #expect(actions?.first == "http://www.otrs.org/TicketConnector/#SessionCreate")
                let schema = try #require(root.child("types")?.child("schema"))
                let typeNames = Set(schema.children.filter { $0.localName == "complexType" }.compactMap { $0.attributes["name"] })
                for element in schema.children where element.localName == "complexType" {
                    for field in element.child("sequence")?.children ?? [] {
                        let type = field.attributes["type"] ?? ""
                        #expect(type.hasPrefix("xsd:") || typeNames.contains(String(type.dropFirst(4))), "\(type)")
                    }
                }

                // Behind a TLS proxy: its scheme and host.
                for header in ["X-Forwarded-Proto": "https, http", "X-Forwarded-Ssl": "on"] {
                    let proxied = try await client.get(
                        client.path + "?wsdl",
                        headers: [HTTPField.Name(header.key)!: header.value, HTTPField.Name("X-Forwarded-Host")!: "desk.example.com"])
                    let location = try SafeXMLParser().parse(Array(proxied.text.utf8)).child("service")?.child("port")?.child("address")?
                        .attributes["location"]
                    #expect(location == "https://desk.example.com/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorSOAP")
                }

                let other = try await client.get(client.path + "/wsdl")
                #expect(other.text.contains("GenericTicketConnector_Binding"))
                let rest = try await client.get("/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST?wsdl")
                #expect(rest.status != .ok || !rest.text.contains("wsdl:definitions"))
            }
        }
    }

    @Test("a REST service and the SOAP service share operations and data")
    func sharedOperations() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { rest in
                let created = try await rest.send(.post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root))
                let id = try #require(created.json?["TicketID"]?.scalarString)
                let soap = SOAPTestClient(client: rest.client)
                let get = try await soap.call("TicketGet", fixture.rootXML + "<TicketID>\(id)</TicketID>")
                #expect(get.data["Ticket"]?["Title"] == .string("Printer on fire"))
            }
        }
    }
}
