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

/// Sends `rpc.pl` calls shaped like SOAP::Lite's (RPC/encoded, `c-gensym` parameter names).
struct RPCTestClient {
    let client: any TestClientProtocol

    struct Reply {
        let status: HTTPResponse.Status
        let text: String

        var method: XMLTreeElement? { (try? SafeXMLParser().parse(Array(text.utf8)))?.child("Body")?.children.first }
        /// The returned list, as text values (structs and arrays as nil; `base64Binary` decoded, as
        /// SOAP::Lite's deserializer does).
        var values: [String?] { method?.children.map { $0.children.isEmpty ? RPCEnvelope.decode($0).scalarString : nil } ?? [] }
        /// A list of key, value, key, value… read back as a hash (as `my %H = $som->paramsall`).
        var hash: [String: String] {
            var result: [String: String] = [:]
            var iterator = values.makeIterator()
            while let key = iterator.next(), let value = iterator.next() { result[key ?? ""] = value ?? "" }
            return result
        }
        var faultString: String? { method?.localName == "Fault" ? method?.child("faultstring")?.text : nil }
    }

    static func argument(_ value: String, index: Int) -> String {
        let type = Int(value) != nil ? "xsd:int" : "xsd:string"
        return "<c-gensym\(index) xsi:type=\"\(type)\">\(XMLWriter.escape(value))</c-gensym\(index)>"
    }

    static func envelope(method: String, arguments: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
        xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" \
        soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\
        <soap:Body><\(method) xmlns="http://localhost/Core">\(arguments.joined())</\(method)></soap:Body></soap:Envelope>
        """
    }

    func post(_ body: String) async throws -> Reply {
        let buffer = ByteBuffer(string: body)
        return try await client.execute(
            uri: "/otrs/rpc.pl", method: .post,
            headers: [
                .contentType: "text/xml; charset=utf-8", SOAPTransport.soapActionHeader: "\"http://localhost/Core#Dispatch\"",
            ], body: buffer
        ) { response in Reply(status: response.status, text: String(buffer: response.body)) }
    }

    func dispatch(_ object: String, _ method: String, _ pairs: [(String, String)], user: String = "rpc", password: String = "secret")
        async throws -> Reply
    {
        let flat = [user, password, object, method] + pairs.flatMap { [$0.0, $0.1] }
        return try await post(Self.envelope(method: "Dispatch", arguments: flat.enumerated().map { Self.argument($1, index: $0 + 3) }))
    }
}

extension RPCTestClient {
    /// `DispatchMultipleTicketMethods(User, Password, 'TicketObject', [{Method, Parameter}, …])`.
    func multiple(_ calls: [(String, [(String, String)])], user: String = "rpc", password: String = "secret") async throws -> Reply {
        func item(_ name: String, _ value: String) -> String { "<\(name) xsi:type=\"xsd:string\">\(XMLWriter.escape(value))</\(name)>" }
        let items = calls.map { method, parameters in
            "<item>\(item("Method", method))<Parameter>\(parameters.map { item($0.0, $0.1) }.joined())</Parameter></item>"
        }
        let list = "<c-gensym9 xsi:type=\"soapenc:Array\" soapenc:arrayType=\"xsd:anyType[\(calls.count)]\">\(items.joined())</c-gensym9>"
        let arguments = [user, password, "TicketObject"].enumerated().map { Self.argument($1, index: $0 + 3) } + [list]
        return try await post(Self.envelope(method: "DispatchMultipleTicketMethods", arguments: arguments))
    }
}

extension ZnunyFixture {
    func rpc(configured: Bool = true, _ body: @escaping @Sendable (RPCTestClient) async throws -> Void) async throws {
        if configured {
            try await services.credentials.setSharedPair(face: RPCFace.faceName, identifier: "rpc", secret: "secret")
        }
        try await test { client in try await body(RPCTestClient(client: client.client)) }
    }
}

@Suite("OTRS rpc.pl face")
struct RPCFaceTests {
    static let ticket = [
        ("Title", "Printer on fire"), ("Queue", "Raw"), ("Lock", "unlock"), ("Priority", "3 normal"), ("State", "new"),
        ("CustomerUser", "customer@example.com"), ("OwnerID", "1"), ("UserID", "1"),
    ]
    static let firstArticle = [
        ("ArticleType", "webrequest"), ("SenderType", "customer"), ("From", "customer@example.com"), ("Subject", "Help"),
        ("Body", "It is burning."), ("ContentType", "text/plain; charset=utf-8"), ("HistoryType", "WebRequestCustomer"),
        ("HistoryComment", "created by rpc"), ("UserID", "1"),
    ]

    @Test("Dispatch TicketCreate, ArticleCreate, TicketGet, TicketSearch as seed 000 uses them", arguments: TestDatabase.kinds)
    func seedUsage(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.rpc { client in
                // Seed 000's pattern: TicketCreate alone, then ArticleCreate in a second call.
                let alone = try await client.dispatch("TicketObject", "TicketCreate", Self.ticket)
                #expect(alone.status == .ok)
                let aloneID = try #require(alone.values.first ?? nil)
                let firstOfAlone = try await client.dispatch("TicketObject", "ArticleCreate", [("TicketID", aloneID)] + Self.firstArticle)
                #expect(firstOfAlone.status == .ok)
                #expect((firstOfAlone.values.first ?? nil).flatMap { Int($0) } != nil)

                let created = try await client.multiple([("TicketCreate", Self.ticket), ("ArticleCreate", Self.firstArticle)])
                #expect(created.status == .ok)
                #expect(created.method?.localName == "DispatchMultipleTicketMethodsResponse")
                #expect(created.method?.namespaceURI == "http://localhost/Core")
                let ticketID = try #require(created.values.first ?? nil)

                let article = try await client.dispatch(
                    "TicketObject", "ArticleCreate",
                    [
                        ("TicketID", ticketID), ("ArticleType", "note-internal"), ("SenderType", "agent"),
                        ("From", "Agent <agent@example.com>"),
                        ("Subject", "Smoke"), ("Body", "Lots of it & more"), ("ContentType", "text/plain; charset=utf-8"),
                        ("HistoryType", "AddNote"), ("HistoryComment", "added by rpc"), ("UserID", "1"), ("NoAgentNotify", "1"),
                    ])
                #expect(article.method?.children.first?.attributes["xsi:type"] == "xsd:int")
                let articleID = try #require(article.values.first ?? nil)
                #expect(Int(articleID) != nil)

                let ticket = try await client.dispatch("TicketObject", "TicketGet", [("TicketID", ticketID), ("UserID", "1")]).hash
                #expect(ticket["Title"] == "Printer on fire")
                #expect(ticket["Queue"] == "Raw")
                #expect(ticket["Lock"] == "unlock")
                #expect(ticket["TimeUnit"] == nil, "Znuny's core TicketGet has no TimeUnit")
                #expect(ticket["TicketNumber"]?.count == 16)

                let articles = try await client.dispatch(
                    "TicketObject", "ArticleGet", [("TicketID", ticketID), ("ArticleID", articleID), ("UserID", "1")]
                ).hash
                #expect(articles["ArticleType"] == "note-internal")
                #expect(articles["Body"] == "Lots of it & more")
                #expect(articles["IsVisibleForCustomer"] == "0")

                // Newest first: the ticket of the multiple call, then the one created alone.
                let ids = try await client.dispatch(
                    "TicketObject", "TicketSearch", [("Title", "Printer on fire"), ("Result", "ARRAY"), ("UserID", "1")])
                #expect(ids.values == [ticketID, aloneID])
                let open = try await client.dispatch(
                    "TicketObject", "TicketSearch",
                    [("StateType", "Open"), ("Title", "Printer on fire"), ("Result", "ARRAY"), ("UserID", "1")])
                #expect(open.values == [ticketID, aloneID])
                // Without `Result` the core's default, `HASH`: ticket id → ticket number.
                let byDefault = try await client.dispatch(
                    "TicketObject", "TicketSearch", [("Title", "Printer on fire"), ("UserID", "1")]
                ).hash
                #expect(byDefault.keys.sorted() == [ticketID, aloneID].compactMap { $0 }.sorted())
                let closed = try await client.dispatch(
                    "TicketObject", "TicketSearch", [("StateType", "Closed"), ("Title", "Printer on fire"), ("UserID", "1")])
                #expect(closed.values.isEmpty)
                let count = try await client.dispatch("TicketObject", "TicketSearch", [("Result", "COUNT"), ("UserID", "1")])
                #expect(count.values == ["3"])
                let hash = try await client.dispatch(
                    "TicketObject", "TicketSearch", [("TicketID", ticketID), ("Result", "HASH"), ("UserID", "1")]
                ).hash
                #expect(hash[ticketID] == ticket["TicketNumber"])

                // TicketCreateNumber draws a number no ticket gets: the next ticket's follows it.
                let drawn = try await client.dispatch("TicketObject", "TicketCreateNumber", [])
                let drawnNumber = try #require(drawn.values.first ?? nil)
                let after = try await client.dispatch(
                    "TicketObject", "TicketCreate",
                    [("Title", "After the drawn number")] + Self.ticket.dropFirst())
                let afterID = try #require(after.values.first ?? nil)
                let afterNumber = try #require(
                    try await client.dispatch("TicketObject", "TicketNumberLookup", [("TicketID", afterID)]).values.first ?? nil)
                // DateChecksum: date, system id, a five-digit counter, a check digit.
                func counter(_ number: String) -> Int? { Int(number.dropLast().suffix(5)) }
                #expect(counter(afterNumber) == counter(drawnNumber).map { $0 + 1 }, "\(drawnNumber) then \(afterNumber)")
                let number = try await client.dispatch("TicketObject", "TicketNumberLookup", [("TicketID", ticketID), ("UserID", "1")])
                #expect(number.values == [ticket["TicketNumber"]])
                #expect(number.method?.children.first?.attributes["xsi:type"] == "xsd:long")
                let back = try await client.dispatch(
                    "TicketObject", "TicketIDLookup", [("TicketNumber", ticket["TicketNumber"] ?? ""), ("UserID", "1")])
                #expect(back.values == [ticketID])

                let moved = try await client.dispatch(
                    "TicketObject", "TicketStateSet", [("TicketID", ticketID), ("State", "open"), ("UserID", "1")])
                #expect(moved.values == ["1"])
                let accounted = try await client.dispatch(
                    "TicketObject", "TicketAccountTime",
                    [("TicketID", ticketID), ("ArticleID", articleID), ("TimeUnit", "1,5"), ("UserID", "1")])
                #expect(accounted.values == ["1"])
                let noArticle = try await client.dispatch(
                    "TicketObject", "TicketAccountTime",
                    [("TicketID", ticketID), ("ArticleID", "999999"), ("TimeUnit", "1"), ("UserID", "1")])
                #expect(noArticle.values.isEmpty)
                // Znuny's TicketCustomerSet changes only the part it is given, and its history says so.
                let customerBefore = ticket["CustomerUserID"]
                let customerSet = try await client.dispatch(
                    "TicketObject", "TicketCustomerSet", [("TicketID", ticketID), ("No", "newco"), ("UserID", "1")])
                #expect(customerSet.values == ["1"])
                let customerAfter = try await client.dispatch("TicketObject", "TicketGet", [("TicketID", ticketID), ("UserID", "1")]).hash
                #expect(customerAfter["CustomerID"] == "newco" && customerAfter["CustomerUserID"] == customerBefore, "\(customerAfter)")
                let history = try await client.dispatch("TicketObject", "HistoryGet", [("TicketID", ticketID), ("UserID", "1")])
                let names = history.method?.children.compactMap { $0.child("Name")?.text } ?? []
                #expect(names.contains("%%CustomerID=newco;"), "\(names)")
                // A part given empty is set empty (Perl's `defined`).
                let cleared = try await client.dispatch(
                    "TicketObject", "TicketCustomerSet", [("TicketID", ticketID), ("No", ""), ("UserID", "1")])
                #expect(cleared.values == ["1"])
                let afterClear = try await client.dispatch("TicketObject", "TicketGet", [("TicketID", ticketID), ("UserID", "1")]).hash
                #expect(afterClear["CustomerID"] ?? "" == "" && afterClear["CustomerUserID"] == customerBefore, "\(afterClear)")
                let types = history.method?.children.compactMap { $0.child("HistoryType")?.text } ?? []
                #expect(types.first == "NewTicket")
                #expect(types.contains("StateUpdate"))
                #expect(types.contains("TimeAccounting"))
                let index = try await client.dispatch("TicketObject", "ArticleIndex", [("TicketID", ticketID), ("UserID", "1")])
                #expect(index.values.count == 2)
                #expect(index.values.last == articleID)
                let first = try await client.dispatch("TicketObject", "ArticleGet", [("TicketID", ticketID), ("UserID", "1")])
                #expect(first.method?.children.first?.child("ArticleType")?.text == "webrequest")
            }
        }
    }

    @Test("typed values as SOAP::Lite's deserializer reads them: base64Binary text, booleans, PHP's Map")
    func typedValues() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.rpc { client in
                // SOAP::Lite sends any text with a non-ASCII character as base64Binary.
                var arguments = ["rpc", "secret", "TicketObject", "TicketCreate"].enumerated().map {
                    RPCTestClient.argument($1, index: $0 + 3)
                }
                for (key, value) in Self.ticket where key != "Title" {
                    arguments += [RPCTestClient.argument(key, index: 0), RPCTestClient.argument(value, index: 0)]
                }
                arguments += [
                    RPCTestClient.argument("Title", index: 0),
                    #"<c-gensym9 xsi:type="xsd:base64Binary">RHJ1Y2tlciBsw6R1ZnQgbmljaHQ=</c-gensym9>"#,
                ]
                let created = try await client.post(RPCTestClient.envelope(method: "Dispatch", arguments: arguments))
                let ticketID = try #require(created.values.first ?? nil)
                // Znuny's TicketGet needs no UserID.
                let ticket = try await client.dispatch("TicketObject", "TicketGet", [("TicketID", ticketID)]).hash
                #expect(ticket["Title"] == "Drucker läuft nicht")
            }
        }
        // PHP's SoapClient sends an associative array as an apache Map; booleans are 1 or 0.
        let map = """
            <c-gensym3 xsi:type="ns2:Map" xmlns:ns2="http://xml.apache.org/xml-soap"><item><key xsi:type="xsd:string">Method</key>\
            <value xsi:type="xsd:string">TicketGet</value></item></c-gensym3><c-gensym4 xsi:type="xsd:boolean">false</c-gensym4>
            """
        let call = try RPCEnvelope.read(Array(RPCTestClient.envelope(method: "Dispatch", arguments: [map]).utf8))
        #expect(call.parameters == [.object(["Method": .string("TicketGet")]), .string("0")])
    }

    @Test("lookups of users, customers and queues")
    func lookups() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            _ = try await fixture.services.admin.addCustomerUser(
                login: "cora", password: "cora-password", customerID: "ACME", firstName: "Cora", lastName: "Customer",
                email: "cora@example.org")
            try await fixture.rpc { client in
                let r1 = try await client.dispatch("UserObject", "UserLookup", [("UserLogin", "root@localhost")])
                #expect(r1.values == ["1"])
                let r2 = try await client.dispatch("UserObject", "UserLookup", [("UserID", "1")])
                #expect(r2.values == ["root@localhost"])
                let r3 = try await client.dispatch("UserObject", "GetUserData", [("UserID", "1")])
                #expect(r3.hash["UserLogin"] == "root@localhost")
                let r4 = try await client.dispatch("QueueObject", "QueueLookup", [("Queue", "Raw")])
                #expect(r4.values == ["2"])
                let r5 = try await client.dispatch("QueueObject", "QueueLookup", [("QueueID", "2")])
                #expect(r5.values == ["Raw"])
                let r6 = try await client.dispatch("QueueObject", "GetAllQueues", [])
                #expect(r6.hash["4"] == "Misc")
                let r7 = try await client.dispatch("CustomerUserObject", "CustomerName", [("UserLogin", "cora")])
                #expect(r7.values == ["Cora Customer"])
                let r8 = try await client.dispatch("CustomerUserObject", "CustomerUserDataGet", [("User", "cora")])
                #expect(r8.hash["UserCustomerID"] == "ACME")
                let r9 = try await client.dispatch("CustomerUserObject", "CustomerIDs", [("User", "cora")])
                #expect(r9.values == ["ACME"])
                let r10 = try await client.dispatch("CustomerUserObject", "CustomerSearch", [("Search", "*cor*")])
                #expect(r10.hash["cora"] == "\"Cora Customer\" <cora@example.org>")
                let r11 = try await client.dispatch("CustomerUserObject", "CustomerSearch", [("PostMasterSearch", "CORA@example.org")])
                #expect(r11.hash["cora"] == "\"Cora Customer\" <cora@example.org>")
                let r12 = try await client.dispatch("CustomerUserObject", "CustomerSearch", [("Search", "*nobody*")])
                #expect(r12.values.isEmpty)
                let r13 = try await client.dispatch("TicketObject", "ArticleGet", [("ArticleID", "1"), ("UserID", "1")])
                #expect(r13.hash["Subject"] == "Znuny says hi!")
            }
        }
    }

    @Test("the shared credential: unset or wrong gives an empty response and nothing happens")
    func credentials() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.rpc(configured: false) { client in
                let unset = try await client.dispatch("TicketObject", "TicketCreate", Self.ticket, user: "", password: "")
                #expect(unset.status == .ok)
                #expect(unset.method?.localName == "DispatchResponse")
                #expect(unset.method?.children.isEmpty == true)
                // Byte for byte as Znuny 7's bundled SOAP::Lite 1.20 writes it.
                let envelope = [
                    #"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope"#,
                    #" soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/""#,
                    #" xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/""#,
                    #" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/""#,
                    #" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
                ]
                let answer = #"<soap:Body><DispatchResponse xmlns="http://localhost/Core" xsi:nil="true" /></soap:Body></soap:Envelope>"#
                #expect(unset.text == envelope.joined() + answer)
            }
            try await fixture.rpc { client in
                let created = try await client.dispatch("TicketObject", "TicketCreate", Self.ticket)
                let opening = #"<soap:Body><DispatchResponse xmlns="http://localhost/Core"><s-gensym3 xsi:type="xsd:int">"#
                #expect(created.text.contains(opening))
                let wrong = try await client.dispatch("TicketObject", "TicketCreate", Self.ticket, password: "guess")
                #expect(wrong.status == .ok)
                #expect(wrong.method?.children.isEmpty == true)
            }
            let root = try #require(await fixture.services.auth.agentPrincipal(id: 1))
            #expect(try await fixture.services.tickets.search(TicketQuery(), by: .agent(root)).count == 2)
        }
    }

    @Test("only whitelisted Object->Method pairs run; the rest are faults that name them")
    func whitelist() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.rpc { client in
                let delete = try await client.dispatch("TicketObject", "TicketDelete", [("TicketID", "1"), ("UserID", "1")])
                #expect(delete.status == .internalServerError)
                #expect(delete.faultString == "SwiftDesk rpc.pl does not support TicketObject->TicketDelete")
                let config = try await client.dispatch("ConfigObject", "Get", [("Key", "DatabasePw")])
                #expect(config.faultString == "SwiftDesk rpc.pl does not support ConfigObject->Get")
                let configSet = try await client.dispatch("ConfigObject", "Set", [("Key", "SOAP::User"), ("Value", "x")])
                #expect(configSet.faultString == "SwiftDesk rpc.pl does not support ConfigObject->Set")
                // Znuny's rpc.pl has no DBObject (OTRS 3's had).
                let db = try await client.dispatch("DBObject", "Do", [("SQL", "DELETE FROM tickets")])
                #expect(db.values == ["No such Object DBObject!"])
                let unknown = try await client.dispatch("FooObject", "Bar", [])
                #expect(unknown.values == ["No such Object FooObject!"])
                let method = try await client.post(RPCTestClient.envelope(method: "Evil", arguments: []))
                #expect(method.faultString == "Failed to locate method (Evil) in class (Core)")
                // `Core->new` (OTRS's autodispatch examples) answers the class name, without credentials.
                let new = try await client.post(RPCTestClient.envelope(method: "new", arguments: []))
                #expect(new.method?.localName == "newResponse" && new.values == ["Core"], "\(new.text)")
                let broken = try await client.post("<soap:Envelope><a><b></a>")
                #expect(broken.status == .internalServerError)
                #expect(broken.faultString?.hasPrefix("Application failed during request deserialization") == true)
                let xxe = try await client.post(
                    #"<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>"# + RPCTestClient.envelope(method: "Dispatch", arguments: []))
                #expect(xxe.faultString?.contains("not allowed") == true)
            }
            let ticket = try await fixture.services.tickets.get(
                ticketID: 1, by: .agent(try #require(await fixture.services.auth.agentPrincipal(id: 1))))
            #expect(ticket.ticket.id == 1)
        }
    }

    @Test("missing parameters return nothing, as OTRS 3 methods do; DispatchMultipleTicketMethods passes the new TicketID on")
    func missingAndMultiple() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.rpc { client in
                let noTicket = try await client.dispatch("TicketObject", "ArticleCreate", Self.firstArticle)
                #expect(noTicket.status == .ok)
                #expect(noTicket.values.isEmpty)
                let noUser = try await client.dispatch("TicketObject", "ArticleIndex", [("TicketID", "1")])
                #expect(noUser.values.isEmpty)
                // `TicketCreate` needs a lock: "No LockID and no LockType!".
                let noLock = try await client.dispatch("TicketObject", "TicketCreate", Self.ticket.filter { $0.0 != "Lock" })
                #expect(noLock.values.isEmpty)
                let badQueue = try await client.multiple([
                    ("TicketCreate", Self.ticket.map { $0.0 == "Queue" ? ("Queue", "Nope") : $0 }), ("ArticleCreate", Self.firstArticle),
                ])
                #expect(badQueue.status == .ok)
                // rpc.pl returns its undef `$TicketID`: one element, `xsi:nil`.
                #expect(badQueue.values == [nil])
                #expect(badQueue.method?.children.first?.attributes["xsi:nil"] == "true")
                let noCreate = try await client.multiple([("TicketTitleUpdate", [("TicketID", "1"), ("Title", "t"), ("UserID", "1")])])
                #expect(noCreate.values == [nil])
                let noArticle = try await client.multiple([("TicketCreate", Self.ticket)])
                #expect(noArticle.status == .ok)
                #expect((noArticle.values.first ?? nil).flatMap { Int($0) } != nil)

                let multiple = try await client.multiple([
                    ("TicketCreate", Self.ticket), ("ArticleCreate", Self.firstArticle),
                    ("ArticleCreate", Self.firstArticle.map { $0.0 == "ArticleType" ? ("ArticleType", "note-internal") : $0 }),
                    ("TicketPrioritySet", [("Priority", "5 very high"), ("UserID", "1")]),
                ])
                let ticketID = try #require(multiple.values.first ?? nil)
                let index = try await client.dispatch("TicketObject", "ArticleIndex", [("TicketID", ticketID), ("UserID", "1")])
                #expect(index.values.count == 2)
                let ticket = try await client.dispatch("TicketObject", "TicketGet", [("TicketID", ticketID), ("UserID", "1")])
                #expect(ticket.hash["Priority"] == "5 very high")
            }
        }
    }

    /// Znuny's `Ticket::TicketCreate` takes any service; only its GenericInterface checks which
    /// customer users may use it.
    @Test("TicketCreate takes a service assigned to nobody, as Znuny's Ticket::TicketCreate does")
    func serviceOfAnyCustomer() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.services.admin.addService(name: "Email")
            try await fixture.rpc { client in
                let created = try await client.dispatch("TicketObject", "TicketCreate", Self.ticket + [("Service", "Email")])
                let id = try #require(created.values.first ?? nil)
                let ticket = try await client.dispatch("TicketObject", "TicketGet", [("TicketID", id), ("UserID", "1")])
                #expect(ticket.hash["Service"] == "Email")
            }
        }
    }
}
