import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import DeskTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OSTicket
import Testing

/// A live server (a real socket, so the client address is 127.0.0.1) with the osTicket face
/// prepared and an API key for that address.
struct OSTicketFixture {
    let services: DeskServices
    static let key = "BA00B76BAA30F62E1940B46CC1C3C73C"

    init(_ handle: TestDatabase.Handle) {
        services = DeskServices(store: handle.store, hasher: TestDatabase.hasher)
    }

    func test(_ body: @escaping @Sendable (OSTicketClient) async throws -> Void) async throws {
        for face in buildFaces(services: services, environment: FaceEnvironment()) { try await face.prepare() }
        try await OSTicketAPIKeys(services: services).keep(key: Self.key.lowercased(), ip: "127.0.0.1")
        let app = Application(router: buildRouter(AppConfiguration(), services: services), logger: TestLogger.quiet)
        try await app.test(.live) { client in try await body(OSTicketClient(client: client)) }
    }
}

struct OSTicketClient {
    let client: any TestClientProtocol

    struct Reply {
        let status: HTTPResponse.Status
        let contentType: String?
        let text: String
        /// osTicket's `Status:` header.
        var statusHeader: String? = nil
        var contentLength: String? = nil
        var json: JSONValue? { try? JSONParser.parse(Array(text.utf8)) }
    }

    func send(_ method: HTTPRequest.Method, _ path: String, body: String? = nil, key: String? = OSTicketFixture.key) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let key { headers[HTTPField.Name("X-API-Key")!] = key }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
            Reply(
                status: $0.status, contentType: $0.headers[.contentType], text: String(buffer: $0.body),
                statusHeader: $0.headers[HTTPField.Name("Status")!], contentLength: $0.headers[.contentLength])
        }
    }

    func create(_ json: String) async throws -> String {
        let reply = try await send(.post, "/api/tickets.json", body: json)
        #expect(reply.status == .created, "\(reply.text)")
        #expect(reply.statusHeader == "201 Created")
        return reply.text
    }

    func info(_ number: String) async throws -> JSONValue? {
        try await send(.get, "/api/http.php/tickets/ticketInfo?ticketNumber=\(number)").json?["ticket"]
    }
}

@Suite("osTicket face")
struct OSTicketFaceTests {
    /// `hours` of working time (Znuny's default calendar) after a ticketInfo timestamp, as one.
    static func due(from created: JSONValue?, hours: Int64) -> JSONValue? {
        guard case .string(let text) = created, let start = CivilDate(timestamp: text)?.unixSeconds else { return nil }
        return .string(CivilDate(unixSeconds: WorkingCalendar.znunyDefault.destination(from: start, adding: hours * 3_600)).timestampString)
    }

    static let coreType = "text/html; charset=UTF-8"

    /// `PhoneField::parse` keeps digits and `X`; `toString` formats 7 and 10 digits US style.
    /// The XML reader trims each text chunk, so a plain-text file loses its surrounding space.
    @Test("phones as osTicket's phone field keeps and shows them; an XML text file is trimmed")
    func phonesAndXMLFiles() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = OSTicketFixture(db)
            try await fixture.test { client in
                for (index, (given, shown)) in [
                    ("+1 (318) 555-8634", "13185558634"), ("5551234", "555-1234"), ("318.555.8634 ext. 5", "(318) 555-8634 x5"),
                    ("+49 30 1234567", "49301234567"),
                ].enumerated() {
                    let number = try await client.create(
                        #"{"name":"P","email":"p\#(index)@example.com","phone":"\#(given)","subject":"s","message":"m"}"#)
                    #expect(try await client.info(number)?["user_phone"] == .string(shown), "\(given)")
                }
                // A new user's name: `Format::htmldecode(Format::sanitize($name))` (run under PHP).
                for (index, (given, stored)) in [("Tom &amp; Jerry", "Tom & Jerry"), ("Jo Doe <jo@example.net>", "Jo Doe")].enumerated() {
                    let number = try await client.create(
                        #"{"name":"\#(given)","email":"n\#(index)@example.com","subject":"s","message":"m"}"#)
                    #expect(try await client.info(number)?["user_name"] == .string(stored), "\(given)")
                }
                let xml = """
                    <ticket><name>X</name><email>x@example.com</email><subject>file</subject><message>m</message>
                    <attachments><file name="file.txt" type="text/plain">
                        File content is here and is automatically trimmed
                    </file></attachments></ticket>
                    """
                let reply = try await client.send(.post, "/api/tickets.xml", body: xml)
                #expect(reply.status == .created, "\(reply.text)")
                let root = Principal.agent(try #require(try await fixture.services.auth.agentPrincipal(id: 1)))
                let id = try #require(try await fixture.services.tickets.ticketID(number: reply.text, by: root))
                let details = try await fixture.services.tickets.get(ticketID: id, by: root)
                let file = try #require(details.attachments.values.flatMap { $0 }.first)
                #expect(String(decoding: file.content, as: UTF8.self) == "File content is here and is automatically trimmed")
                // A type that is not `type/subtype` keeps the file, typed as bytes (osTicket stores
                // the text as given; it once failed the ticket with `unknown error`).
                let odd = try await client.send(
                    .post, "/api/tickets.xml",
                    body: #"<ticket><name>X</name><email>x@example.com</email><subject>odd</subject><message>m</message>"#
                        + #"<attachments><file name="b.png" type="image/" encoding="base64">aGVsbG8=</file>"#
                        + #"<file name="c.bin" type="xxxx">text</file></attachments></ticket>"#)
                #expect(odd.status == .created, "\(odd.text)")
                let oddID = try #require(try await fixture.services.tickets.ticketID(number: odd.text, by: root))
                let oddFiles = try await fixture.services.tickets.get(ticketID: oddID, by: root).attachments.values.flatMap { $0 }
                #expect(oddFiles.map(\.contentType) == ["application/octet-stream", "application/octet-stream"], "\(oddFiles)")
            }
        }
    }

    @Test("a JSON ticket answers its number and reads back through ticketInfo and the Znuny face", arguments: TestDatabase.kinds)
    func createJSON(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = OSTicketFixture(db)
            let services = fixture.services
            try await fixture.test { client in
                let reply = try await client.send(
                    .post, "/api/http.php/tickets.json",
                    body: """
                        {"name":"Jo Doe","email":"jo@example.com","phone":"3185558634X123","subject":"Printer <b>down</b>",
                         "message":"data:text/html,<p>It is <b>broken</b></p>","topicId":11,
                         "attachments":[{"log.txt":"data:text/plain;base64,aGVsbG8="},{"bad.bin":"data:;base64,%%%"},
                                        {"b.txt":"data:,two","a.txt":"data:,one"}]}
                        """)
                #expect(reply.status == .created)
                #expect(reply.contentType == Self.coreType)
                let number = reply.text
                #expect(number.count >= 6 && number.allSatisfy(\.isNumber))
                let info = try #require(try await client.info(number))
                #expect(info["subject"] == .string("Printer down"))
                #expect(info["help_topic"] == .string("Report a Problem / Access Issue"))
                #expect(info["priority"] == .string("High"))
                #expect(info["department"] == .string("Support"))
                #expect(info["ticket_status"] == .string("Open"))
                #expect(info["statusId"] == .int(1))
                #expect(info["user_name"] == .string("Jo Doe"))
                #expect(info["user_phone"] == .string("(318) 555-8634 x123"))
                #expect(info["user_email"]?["address"] == .string("\"Jo Doe\" <jo@example.com>"))
                #expect(info["source"] == .string("API"))
                #expect(info["assigned_to"] == .array([]))
                // Support's 18 hours (osTicket's default SLA) counted in working time from the creation.
                #expect(info["due_timestamp"] == Self.due(from: info["create_timestamp"], hours: 18))
                let entry = try #require(info["thread_entries"]?[0])
                #expect(entry["model"]?["type"] == .string("M"))
                #expect(entry["model"]?["format"] == .string("html"))
                #expect(entry["model"]?["body"] == .string("<p>It is <b>broken</b></p>"))
                // PHP's lenient `base64_decode` makes `%%%` an empty file, which osTicket cannot
                // store: the ticket gets a "File Import Error" note instead. Of an object with
                // two files, the first is read.
                #expect(entry["annotations"]?["has_attachments"] == .int(2))
                let note = try #require(info["thread_entries"]?[1]?["model"])
                #expect(note["type"] == .string("N") && note["poster"] == .string("SYSTEM") && note["staff_id"] == .int(0))
                #expect(note["title"] == .string("File Import Error") && note["body"] == .string("bad.bin: Unable to save file"))
                // PHP's strip_tags keeps a `<` before white space, after decoding entities.
                let alert = try await client.create(
                    #"{"email":"jo@example.com","subject":"Free disk space < 10% on &lt;i&gt;db01","message":"m"}"#)
                #expect(try await client.info(alert)?["subject"] == .string("Free disk space < 10% on db01"))

                // The same ticket through the core: its customer was registered, the topic is a service.
                let root = Principal.agent(try #require(try await services.auth.agentPrincipal(id: 1)))
                let id = try #require(try await services.tickets.ticketID(number: number, by: root))
                let details = try await services.tickets.get(ticketID: id, by: root)
                #expect(details.ticket.customerUserID == "jo@example.com")
                #expect(details.attachments.values.flatMap { $0 }.map(\.filename) == ["log.txt", "b.txt"])
                let catalog = try await services.catalog()
                #expect(details.ticket.serviceID.flatMap { catalog.services[$0]?.name } == "Report a Problem::Access Issue")
            }
        }
    }

    @Test("keys: unknown, from another address, disabled, without the right to create", arguments: TestDatabase.kinds)
    func keys(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = OSTicketFixture(db)
            let keys = OSTicketAPIKeys(services: fixture.services)
            try await fixture.test { client in
                try await keys.keep(key: "AAAA0000AAAA0000AAAA0000AAAA0000", ip: "10.9.9.9")
                try await keys.keep(key: "BBBB0000BBBB0000BBBB0000BBBB0000", ip: "127.0.0.1", active: false)
                try await keys.keep(key: "CCCC0000CCCC0000CCCC0000CCCC0000", ip: "127.0.0.1", canCreate: false)
                let ticket = #"{"name":"A","email":"a@example.com","subject":"s","message":"m"}"#
                let cases: [(String?, String)] = [
                    (nil, "Valid API key required"), ("0000", "Valid API key required"),
                    ("AAAA0000AAAA0000AAAA0000AAAA0000", "Valid API key required"),
                    ("BBBB0000BBBB0000BBBB0000BBBB0000", "API key not found/active or source IP not authorized"),
                    ("CCCC0000CCCC0000CCCC0000CCCC0000", "API key not authorized"),
                ]
                for (key, text) in cases {
                    let reply = try await client.send(.post, "/api/tickets.json", body: ticket, key: key)
                    #expect(reply.status == .unauthorized && reply.text == text, "\(key ?? "no key"): \(reply.text)")
                }
                // Routing comes before the key: a wrong method is 400 even without one.
                let wrong = try await client.send(.get, "/api/tickets.json", key: nil)
                #expect(wrong.status == .badRequest && wrong.text == "URL not supported")
                // `_method` overrides the method, the path is URL-decoded.
                let put = try await client.send(.put, "/api/tickets%2Ejson?_method=POST", body: ticket)
                #expect(put.status == .created, "\(put.text)")
            }
        }
    }

    @Test("bad input: osTicket's parser texts, and every validation error at once in its order", arguments: TestDatabase.kinds)
    func errors(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await OSTicketFixture(db).test { client in
                // HEAD matches none of the dispatcher's routes; `Http::response`'s headers arrive.
                for path in ["/api/tickets.json", "/api/http.php/tickets/ticketInfo?ticketNumber=1"] {
                    let head = try await client.send(.head, path)
                    #expect(head.status == .badRequest && head.text.isEmpty && head.contentType == Self.coreType, "\(path)")
                    #expect(head.statusHeader == "400 Bad Request" && head.contentLength == "17")
                }
                let cases: [(String, Int, String)] = [
                    ("{}", 400, "No errors"), ("[]", 400, "No errors"), ("{\"a\":", 400, "Syntax error, malformed JSON"),
                    // PHP's json_decode codes, as osTicket's JsonDataParser words them.
                    (#"{"a":1]"#, 400, "Underflow or the modes mismatch"), ("[1}", 400, "Underflow or the modes mismatch"),
                    (#"{"name":"J"#, 400, "Unexpected control character found"),
                    (#"{"a":"\ud800"}"#, 400, "Unknown error"), (#"{"a":"\udc00x"}"#, 400, "Unknown error"),
                    (String(repeating: "[", count: 512) + String(repeating: "]", count: 512), 400, "Maximum stack depth exceeded"),
                    (#"{"email":"x@example.com","name":"X","attachments":{"a":"b"}}"#, 400, "Unexpected or invalid data received"),
                    (
                        #"{"email":"bad","name":"X"}"#, 500,
                        "Unable to create new ticket :user\nIncomplete client information\n20\nIssue Summary is a required field\n21\nIssue Details is a required field"
                    ),
                    (
                        #"{"email":"a@example.com","subject":"=SUM(A1)","message":"m"}"#, 500,
                        "Unable to create new ticket :20\nContent cannot start with the following characters: = - + @"
                    ),
                    (
                        #"{"email":"a@example.com","subject":"s","message":"m","source":"Phone"}"#, 500,
                        "Unable to create new ticket :origin\nInvalid ticket origin given\nerr\nNo fields set up"
                    ),
                    // An unknown origin does not stop the ticket form's checks.
                    (
                        #"{"email":"a@example.com","source":"Phone"}"#, 500,
                        "Unable to create new ticket :origin\nInvalid ticket origin given\nerr\nNo fields set up\n20\nIssue Summary is a required field\n21\nIssue Details is a required field"
                    ),
                    (
                        #"{"email":"a@example.com","subject":"s","message":"m","source":"Email","emailId":"x"}"#, 500,
                        "Unable to create new ticket :emailId\nUnknown system email\nerr\nMissing or invalid data — Correct any errors below and try again"
                    ),
                    // A new client's name is checked; a known client's form is not.
                    (
                        #"{"email":"new@example.com","name":"-Jo-","subject":"s","message":"m"}"#, 500,
                        "Unable to create new ticket :user\nIncomplete client information"
                    ),
                ]
                for (body, status, text) in cases {
                    let reply = try await client.send(.post, "/api/tickets.json", body: body)
                    #expect(reply.status.code == status && reply.text == text, "\(body) → \(reply.status.code) \(reply.text)")
                    #expect(reply.contentType == Self.coreType)
                }
                let xml = try await client.send(.post, "/api/tickets.xml", body: "<ticket><name>a</b></ticket>")
                #expect(xml.status == .badRequest && xml.text.hasPrefix("XML error: Mismatched tag at line "), "\(xml.text)")
                let empty = try await client.send(.post, "/api/tickets.xml", body: "")
                #expect(empty.text == "XML error: No error at line 1:1")
                #expect(empty.statusHeader == "400 Bad Request")
                let zero = try await client.send(.post, "/api/tickets.xml", body: "0")
                #expect(zero.text == "XML error: No error at line 1:1")
                // An unclosed document is a validation failure (docs/osticket.md: read as empty), not junk.
                for unclosed in ["<ticket><name>x</name>", "<ticket>", "<ticket><subject>Ha"] {
                    let reply = try await client.send(.post, "/api/tickets.xml", body: unclosed)
                    #expect(reply.status.code == 500 && reply.text.hasPrefix("Unable to create new ticket"), "\(unclosed) → \(reply.text)")
                }
                let junk = try await client.send(.post, "/api/tickets.xml", body: "<ticket></ticket><x/>")
                #expect(junk.status == .badRequest && junk.text.hasPrefix("XML error: Junk after document element"), "\(junk.text)")
                // Lenient: an empty message, no name, an unknown topic; any numeric system e-mail id.
                _ = try await client.create(#"{"email":"lenient@example.com","subject":"s","message":"","topicId":999}"#)
                _ = try await client.create(#"{"email":"lenient@example.com","name":"@lenient","subject":"s","message":"m"}"#)
                _ = try await client.create(#"{"email":"lenient@example.com","subject":"s","message":"m","source":"Email","emailId":0}"#)
            }
        }
    }

    @Test("XML tickets: attributes or elements, CDATA, base64 files", arguments: TestDatabase.kinds)
    func createXML(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await OSTicketFixture(db).test { client in
                let reply = try await client.send(
                    .post, "/api/tickets.xml",
                    body: """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <ticket alert="false" source="API" priority="4">
                          <name>Xavier Ml</name><email>x@example.com</email><subject>Disk &amp; fan</subject>
                          <message type="text/plain"><![CDATA[Line one
                        Line two]]></message>
                          <attachments><file name="a.txt" type="text/plain" encoding="base64">aGVs
                        bG8=</file></attachments>
                        </ticket>
                        """)
                #expect(reply.status == .created, "\(reply.text)")
                let info = try #require(try await client.info(reply.text))
                #expect(info["subject"] == .string("Disk & fan"))
                #expect(info["priority"] == .string("Emergency"))
                #expect(info["thread_entries"]?[0]?["model"]?["body"] == .string("Line one\nLine two"))
                #expect(info["thread_entries"]?[0]?["annotations"]?["has_attachments"] == .int(1))
            }
        }
    }

    @Test("piped mail opens tickets and threads replies by Message-ID, In-Reply-To and subject number", arguments: TestDatabase.kinds)
    func mail(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = OSTicketFixture(db)
            _ = try await fixture.services.admin.addAgent(
                login: "olga", password: "olga-password", firstName: "Olga", lastName: "Owner", email: "olga@example.com",
                grants: [.init(group: "users", permission: .rw)])
            try await fixture.test { client in
                func mail(_ from: String, _ subject: String, id: String, extra: String = "", body: String = "Hello") -> String {
                    "From: \(from)\r\nTo: support@example.com\r\nSubject: \(subject)\r\nMessage-ID: \(id)\r\n\(extra)"
                        + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\(body)\r\n"
                }
                let first = try await client.send(
                    .post, "/api/tickets.email",
                    body: mail(
                        "Erika <erika@example.com>", "=?UTF-8?B?R3LDvMOfZQ==?=", id: "<m1@example.com>",
                        body: "Gr=FC=DFe"))
                #expect(first.status == .created, "\(first.text)")
                let number = first.text
                var info = try #require(try await client.info(number))
                #expect(info["subject"] == .string("Grüße"))
                #expect(info["source"] == .string("Email"))
                #expect(info["thread_entries"]?[0]?["model"]?["body"] == .string("Grüße"))

                let again = try await client.send(.post, "/api/tickets.email", body: mail("erika@example.com", "x", id: "<m1@example.com>"))
                #expect(again.text == number)
                let answer = try await client.send(
                    .post, "/api/tickets.email",
                    body: mail("erika@example.com", "Re: x", id: "<m2@example.com>", extra: "In-Reply-To: <m1@example.com>\r\n"))
                #expect(answer.text == number)
                let token = try await client.send(
                    .post, "/api/tickets.email", body: mail("Erika@Example.com", "[#\(number)] more", id: "<m3@example.com>"))
                #expect(token.text == number)
                let stranger = try await client.send(
                    .post, "/api/tickets.email", body: mail("eve@example.net", "[#\(number)] hi", id: "<m4@example.com>"))
                #expect(stranger.status == .created && stranger.text != number)
                info = try #require(try await client.info(number))
                #expect(info["thread_entries"]?.arrayValue?.count == 3)
                // An agent's mail is a note from `Email`, without a title (`postNote`).
                let agentMail = try await client.send(
                    .post, "/api/tickets.email",
                    body: mail("olga@example.com", "Re: x", id: "<m5@example.com>", extra: "In-Reply-To: <m1@example.com>\r\n"))
                #expect(agentMail.text == number)
                let note = try await client.info(number)?["thread_entries"]?[3]?["model"]
                #expect(
                    note?["type"] == .string("N") && note?["source"] == .string("Email") && note?["title"] == .null,
                    "\(String(describing: note))")
                // Only the opening message has a title.
                #expect(info["thread_entries"]?[0]?["model"]?["title"] == .string("Grüße"))
                #expect(info["thread_entries"]?[1]?["model"]?["title"] == .null)

                // A part whose type has no subtype is still a file (osTicket keeps it; it once
                // answered `unknown error` here).
                let typeless = try await client.send(
                    .post, "/api/tickets.email",
                    body: "From: jo@example.com\r\nTo: support@example.com\r\nSubject: Help\r\nMessage-ID: <t1@example.com>\r\n"
                        + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n--XX\r\nContent-Type: image/\r\nContent-ID: <img1>\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--XX--\r\n")
                #expect(typeless.status == .created, "\(typeless.text)")
                let typelessInfo = try #require(try await client.info(typeless.text))
                #expect(typelessInfo["thread_entries"]?[0]?["annotations"]?["has_attachments"] == .int(1), "\(typelessInfo)")

                // A reply naming a ticket merged since goes to the ticket it was merged into, and
                // reopens it (`Ticket::postMessage` posts to the parent).
                let root = Principal.agent(try #require(try await fixture.services.auth.agentPrincipal(id: 1)))
                let later = try await client.send(
                    .post, "/api/tickets.email", body: mail("erika@example.com", "Later", id: "<m6@example.com>"))
                let mergedID = try #require(try await fixture.services.tickets.ticketID(number: number, by: root))
                let targetID = try #require(try await fixture.services.tickets.ticketID(number: later.text, by: root))
                try await fixture.services.tickets.merge([mergedID], into: targetID, by: root)
                _ = try await fixture.services.tickets.update(
                    ticketID: targetID, TicketUpdateRequest(state: .name("closed successful")), by: root)
                let toMerged = try await client.send(
                    .post, "/api/tickets.email", body: mail("erika@example.com", "[#\(number)] still", id: "<m7@example.com>"))
                #expect(toMerged.status == .created && toMerged.text == later.text, "\(toMerged.text)")
                let parent = try #require(try await client.info(later.text))
                #expect(parent["ticket_status"] == .string("Open"), "\(parent)")
                #expect(parent["thread_entries"]?.arrayValue?.last?["model"]?["body"] == .string("Hello"))

                let nobody = try await client.send(.post, "/api/tickets.email", body: "Subject: no sender\r\n\r\nbody\r\n")
                #expect(
                    nobody.status == .internalServerError
                        && nobody.text == "Unable to create new ticket :user\nIncomplete client information")
            }
        }
    }

    @Test("the extension: reply with a status, staff and client lists, and its errors", arguments: TestDatabase.kinds)
    func extensionCalls(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = OSTicketFixture(db)
            _ = try await fixture.services.admin.addAgent(
                login: "olga", password: "olga-password", firstName: "Olga", lastName: "Owner", email: "olga@example.com",
                grants: [.init(group: "users", permission: .rw)])
            try await fixture.test { client in
                let number = try await client.create(#"{"name":"Kim Lee","email":"kim@example.com","subject":"Help","message":"Hi"}"#)
                let reply = try await client.send(
                    .post, "/api/http.php/tickets/reply.json",
                    body: #"{"ticketNumber":"\#(number)","staffUserName":"Olga","response":"<p>Done</p>","reply_status_id":"3"}"#)
                #expect(reply.status == .ok)
                #expect(reply.contentType == "application/json; charset=UTF-8")
                #expect(reply.text == #"{"status_code":"0","status_msg":"reply posted successfully"}"#)
                let info = try #require(try await client.info(number))
                #expect(info["ticket_status"] == .string("Closed"))
                #expect(info["close_timestamp"] != .null)
                // osTicket keeps the due date of a closed ticket.
                #expect(info["due_timestamp"] == Self.due(from: info["create_timestamp"], hours: 18), "\(info)")
                let response = try #require(info["thread_entries"]?[1]?["model"])
                #expect(response["type"] == .string("R"))
                #expect(response["poster"] == .string("Olga Owner"))
                #expect(response["title"] == .null)
                #expect(info["last_response_timestamp"] != .null)
                // `addResponse` answers the last message; staff names are `AgentsName`s.
                #expect(response["pid"] == info["thread_entries"]?[0]?["model"]?["id"])
                #expect(
                    response["staff_name"]
                        == .object([
                            "format": .string("full"), "parts": .object(["first": .string("Olga"), "last": .string("Owner")]),
                            "name": .string("Olga Owner"),
                        ]))
                let parts = info["thread_entries"]?[0]?["model"]?["user_name"]?["parts"]
                #expect(parts?["first"] == .string("Kim") && parts?["last"] == .string("Lee") && parts?["salutation"] == .string(""))
                // `PersonsName::splitName`: periods mark a salutation and a suffix; one word has no last name.
                func nameParts(of name: String) async throws -> JSONValue? {
                    let created = try await client.create(
                        #"{"name":"\#(name)","email":"p\#(name.count)@example.com","subject":"S","message":"m"}"#)
                    return try await client.info(created)?["thread_entries"]?[0]?["model"]?["user_name"]?["parts"]
                }
                let formal = try await nameParts(of: "Dr. Ann Marie Lee Jr.")
                #expect(
                    formal
                        == .object([
                            "salutation": .string("Dr."), "first": .string("Ann"), "suffix": .string("Jr."), "last": .string("Lee"),
                            "middle": .string("Marie"),
                        ]))
                #expect(try await nameParts(of: "Jo")?["last"] == .null)

                // PHP's `!$vars['response']`: "0" is no reply, white space is one (stored "-").
                let zero = try await client.send(
                    .post, "/api/http.php/tickets/reply.json",
                    body: #"{"ticketNumber":"\#(number)","staffUserName":"Olga","response":"0"}"#)
                #expect(zero.status.code == 500 && zero.text.hasPrefix("Unable to reply"), "\(zero.text)")
                let blank = try await client.send(
                    .post, "/api/http.php/tickets/reply.json",
                    body: #"{"ticketNumber":"\#(number)","staffUserName":"Olga","response":"  "}"#)
                #expect(blank.status == .ok, "\(blank.text)")
                // `Ticket::setStatus` acts on open and closed statuses only: a deleted one is ignored.
                let deleted = try await client.send(
                    .post, "/api/http.php/tickets/reply.json",
                    body: #"{"ticketNumber":"\#(number)","staffUserName":"Olga","response":"Gone?","reply_status_id":"5"}"#)
                #expect(deleted.status == .ok, "\(deleted.text)")
                let kept = try await client.info(number)
                #expect(kept?["ticket_status"] == .string("Closed") && kept?["thread_entries"]?.arrayValue?.count == 4)

                let clients = try await client.send(.get, "/api/tickets/clientTickets?clientUserMail=KIM@example.com")
                #expect(clients.json?["tickets"]?.arrayValue?.compactMap { $0["ticket_number"] } == [.string(number)])
                #expect(clients.json?["tickets"]?[0]?["status"] == .string("Closed"))
                #expect(clients.text.contains(#""subject":"Help","status":"Closed","ticket_status":"Closed""#))
                #expect(clients.text.hasSuffix(#""status_code":"0","status_msg":"success"}"#))
                let staff = try await client.send(.get, "/api/tickets/staffTickets?staffUserName=olga")
                #expect(staff.json?["tickets"]?.arrayValue?.isEmpty == true)
                // MySQL compares osTicket's usernames without case.
                let folded = try await client.send(.get, "/api/tickets/staffTickets?staffUserName=OLGA")
                #expect(folded.status == .ok && folded.json?["tickets"]?.arrayValue?.isEmpty == true)

                let missing = try await client.send(.get, "/api/tickets/ticketInfo")
                #expect(missing.status.code == 422 && missing.text == "missing ticketNumber parameter ")
                #expect(missing.contentType == "text/plain; charset=UTF-8")
                #expect(try await client.send(.get, "/api/tickets/ticketInfo?ticketNumber=abc").text == "Invalid ticket number")
                #expect(try await client.send(.get, "/api/tickets/ticketInfo?ticketNumber=123").text == "Ticket not found")
                let unknown = try await client.send(.get, "/api/tickets/staffTickets?staffUserName=ghost")
                #expect(unknown.status == .internalServerError)
                #expect(unknown.json?["status_code"] == .string("FAILURE"))
                #expect(unknown.text.hasPrefix(#"{"tickets":[],"status_code":"FAILURE""#))
            }
        }
    }

    /// `Ticket::setStatus` on reopening: the ticket's agent if available, else (unassigned) the
    /// author of the second-newest response (`getLastRespondent`, `limit('1,1')`), else nobody.
    @Test("a reply or a mail that reopens a ticket assigns it as osTicket's setStatus does", arguments: TestDatabase.kinds)
    func reopenAssignment(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = OSTicketFixture(db)
            for (login, first) in [("olga", "Olga"), ("pete", "Pete")] {
                _ = try await fixture.services.admin.addAgent(
                    login: login, password: "\(login)-password", firstName: first, lastName: "Agent", email: "\(login)@example.com",
                    grants: [.init(group: "users", permission: .rw)])
            }
            let root = Principal.agent(try #require(try await fixture.services.auth.agentPrincipal(id: 1)))
            try await fixture.test { client in
                func reply(_ number: String, by staff: String, status: Int) async throws {
                    let answer = try await client.send(
                        .post, "/api/http.php/tickets/reply.json",
                        body: #"{"ticketNumber":"\#(number)","staffUserName":"\#(staff)","response":"r","reply_status_id":"\#(status)"}"#)
                    #expect(answer.status == .ok, "\(answer.text)")
                }
                func assignee(_ number: String) async throws -> JSONValue? {
                    try await client.info(number)?["assigned_to"]?[0]?["name"]
                }
                let number = try await client.create(#"{"name":"Kim Lee","email":"kim@example.com","subject":"Help","message":"Hi"}"#)
                // Closing through the API assigns nobody (no `$thisstaff`).
                try await reply(number, by: "olga", status: 3)
                #expect(try await assignee(number) == nil)
                // Pete's reopening reply is the newest response: the second-newest is Olga's.
                try await reply(number, by: "pete", status: 1)
                #expect(try await assignee(number) == .string("Olga Agent"))
                // Olga assigned but out of office: the ticket goes back to the pool.
                try await reply(number, by: "pete", status: 3)
                let today = String(CivilDate(unixSeconds: DeskClock.system.now()).timestampString.prefix(10))
                try await fixture.services.admin.setOutOfOffice([.init(login: "olga", enabled: true, start: today, end: today)], by: root)
                try await reply(number, by: "pete", status: 1)
                #expect(try await assignee(number) == nil)
                // A client's mail reopens it too: unassigned, the second-newest response is Pete's
                // closing one (the newest is his reopening reply).
                try await reply(number, by: "pete", status: 3)
                let mail =
                    "From: kim@example.com\r\nTo: support@example.com\r\nSubject: Re: [#\(number)] Help\r\n"
                    + "Message-ID: <kim-2@example.com>\r\n\r\nStill broken\r\n"
                let followUp = try await client.send(.post, "/api/tickets.email", body: mail)
                #expect(followUp.text == number, "\(followUp.text)")
                let info = try #require(try await client.info(number))
                #expect(info["ticket_status"] == .string("Open"))
                #expect(info["assigned_to"]?[0]?["name"] == .string("Pete Agent"))
            }
        }
    }

    @Test(
        "import: an installation's tables become queues, services, agents, fields and keys; again, nothing doubles",
        arguments: TestDatabase.kinds)
    func importFile(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = OSTicketFixture(db)
            try await fixture.test { client in
                let file = """
                    {"department":[{"id":"1","name":"Support","ispublic":"1"},{"id":"4","name":"Billing","ispublic":"1"}],
                     "help_topic":[{"topic_id":"20","topic_pid":"0","topic":"Invoices","dept_id":"4","priority_id":"3","staff_id":"7",
                                    "status_id":"0","flags":"2","ispublic":"1"}],
                     "help_topic_form":[{"topic_id":"20","form_id":"9","sort":"1"}],
                     "form":[{"id":"1","type":"U","title":"Contact"},{"id":"2","type":"T","title":"Ticket Details"},
                             {"id":"9","type":"G","title":"Invoice"}],
                     "form_field":[{"id":"20","form_id":"2","type":"text","label":"Issue Summary","name":"subject","flags":"1024"},
                                   {"id":"21","form_id":"2","type":"thread","label":"Issue Details","name":"message","flags":"1024"},
                                   {"id":"50","form_id":"9","type":"choices","label":"Plan","name":"plan",
                                    "configuration":"{\\"choices\\":\\"basic:Basic\\\\npro:Professional\\"}"},
                                   {"id":"30","form_id":"1","type":"text","label":"Account","name":"account","flags":"1024"},
                                   {"id":"40","form_id":"2","type":"text","label":"Ref","name":"ref","flags":"1024"},
                                   {"id":"51","form_id":"9","type":"text","label":"PO","name":"po","flags":"1024"},
                                   {"id":"52","form_id":"9","type":"bool","label":"Urgent","name":"urgent"}],
                     "staff":[{"staff_id":"7","username":"bill","firstname":"Bill","lastname":"Payer","email":"bill@example.com",
                               "passwd":"$2y$04$Iz/TPuLVRmN8j1Oa.xwJ/utHhjSX.QJMaAFV/jmNu3r7x971d3So2","isactive":"1"}],
                     "api_key":[{"apikey":"dddd0000dddd0000dddd0000dddd0000","ipaddr":"127.0.0.1","isactive":"1","can_create_tickets":"1",
                                 "can_exec_cron":"0","notes":"billing"}]}
                    """
                let importer = OSTicketImporter(services: fixture.services)
                let report = try await importer.run(Array(file.utf8))
                #expect(report.contains("agent: 1 created, 0 updated"))
                #expect(try await importer.run(Array(file.utf8)).contains("agent: 0 created, 1 updated"))
                let number = try await client.create(
                    #"{"email":"p@example.com","subject":"Bill","message":"m","topicId":20,"plan":"Professional","account":"a","ref":"r","po":"7","urgent":"false"}"#
                )
                let info = try #require(try await client.info(number))
                #expect(info["department"] == .string("Billing"))
                #expect(info["help_topic"] == .string("Invoices"))
                #expect(info["priority"] == .string("High"))
                #expect(info["assigned_to"]?[0]?["name"] == .string("Bill Payer"))
                // The imported topic is a default service: Znuny clients may give it too.
                let invoices = try await fixture.services.admin.serviceListings().first { $0.service.name == "Invoices" }
                #expect(invoices?.logins == [ServiceAssignment.defaultLogin])
                let root = Principal.agent(try #require(try await fixture.services.auth.agentPrincipal(id: 1)))
                let id = try #require(try await fixture.services.tickets.ticketID(number: number, by: root))
                let details = try await fixture.services.tickets.get(ticketID: id, by: root)
                let catalog = try await fixture.services.catalog()
                let plan = try #require(catalog.dynamicFields["OSTicketPlan"])
                #expect(details.dynamicFields[plan.id] == ["pro"])
                // `BooleanField::to_database`: PHP truthiness, so the text "false" is true.
                let urgent = try #require(catalog.dynamicFields["OSTicketUrgent"])
                #expect(details.dynamicFields[urgent.id] == ["1"])
                // The imported key works; the bad file is refused with the place of the problem.
                let viaImported = try await client.send(
                    .post, "/api/tickets.json", body: #"{"email":"q@example.com","subject":"s","message":"m","account":"a","ref":"r"}"#,
                    key: "DDDD0000DDDD0000DDDD0000DDDD0000")
                #expect(viaImported.status == .created)
                // Required fields: the contact form's only for a new client (as `user`), the ticket
                // form's by field id, the topic's forms' renumbered from 0 with the rest.
                let cases: [(String, String)] = [
                    (#"{"email":"n@example.com","subject":"s","message":"m","ref":"r"}"#, ":user\nIncomplete client information"),
                    (#"{"email":"p@example.com","subject":"s","message":"m"}"#, ":40\nRef is a required field"),
                    (#"{"email":"p@example.com","subject":"s","message":"m","ref":"r","topicId":20}"#, ":0\nPO is a required field"),
                    (
                        #"{"email":"p@example.com","message":"m","topicId":20}"#,
                        ":0\nIssue Summary is a required field\n1\nRef is a required field\n2\nPO is a required field"
                    ),
                ]
                for (body, answer) in cases {
                    let reply = try await client.send(.post, "/api/tickets.json", body: body)
                    #expect(reply.status.code == 500 && reply.text == "Unable to create new ticket " + answer, "\(body) → \(reply.text)")
                }
                _ = try await client.create(#"{"email":"p@example.com","subject":"known client","message":"m","ref":"r"}"#)
                let refused = await #expect(throws: OSTicketImport.Failure.self) {
                    try await importer.run(Array(#"{"department":[{"id":"5"}]}"#.utf8))
                }
                #expect(refused?.description == "department row 1: column 'name' is missing or empty")
            }
        }
    }
}
