import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import DeskTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OTRSCommon
import OTRSRPC
import Testing
import ZnunyGI

@Suite("Znuny GenericInterface REST face")
struct ZnunyRESTTests {
    static func ticketBody(_ credentials: [String: JSONValue], title: String = "Printer on fire", extra: [String: JSONValue] = [:])
        -> JSONValue
    {
        var body = credentials
        body["Ticket"] = .object([
            "Title": .string(title), "Queue": .string("Misc"), "State": .string("new"), "Priority": .string("3 normal"),
            "CustomerUser": .string("customer@acme.test"),
        ])
        body["Article"] = .object([
            "Subject": .string("Help"), "Body": .string("It is burning."), "ContentType": .string("text/plain; charset=utf8"),
        ])
        for (key, value) in extra { body[key] = value }
        return .object(body)
    }

    @Test("session create, get and use; wrong passwords fail", arguments: TestDatabase.kinds)
    func sessions(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let created = try await client.send(.post, "/Session", json: .object(fixture.root))
                #expect(created.status == .ok)
                #expect(created.contentType == "application/json; charset=UTF-8")
                guard case .string(let sessionID)? = created.json?["SessionID"] else {
                    Issue.record("no SessionID in \(created.text)")
                    return
                }
                #expect(sessionID.count == 32)
                let info = try await client.send(.get, "/Session/\(sessionID)")
                let pairs = info.json?["SessionData"]?.arrayValue ?? []
                #expect(pairs.contains(.object(["Key": .string("UserLogin"), "Value": .string("root@localhost")])))
                #expect(pairs.contains(.object(["Key": .string("UserType"), "Value": .string("User")])))

                let ticket = try await client.send(.get, "/Ticket/1?SessionID=\(sessionID)")
                #expect(ticket.json?["Ticket"]?[0]?["TicketNumber"] == .string("2021012710123456"))

                let wrong = try await client.send(.post, "/Session", json: .object(ZnunyTestClient.login("root@localhost", "nope")))
                #expect(
                    wrong.json
                        == .object([
                            "Error": .object([
                                "ErrorCode": .string("SessionCreate.AuthFail"),
                                "ErrorMessage": .string("SessionCreate: Authorization failing!"),
                            ])
                        ]))
                let noPassword = try await client.send(.post, "/Session", json: .object(["UserLogin": .string("root@localhost")]))
                #expect(noPassword.json?.at("Error", "ErrorMessage") == .string("SessionCreate: Password parameter is missing!"))
                let invalid = try await client.send(.get, "/Session/nonsense")
                #expect(invalid.json?.at("Error", "ErrorCode") == .string("SessionGet.SessionInvalid"))
            }
        }
    }

    @Test("ticket create, get, update, search and history", arguments: TestDatabase.kinds)
    func ticketLifecycle(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.services.admin.addDynamicField(
                name: "Severity", label: nil, type: .dropdown, object: .ticket,
                possibleValues: [.init(key: "low", label: "Low"), .init(key: "high", label: "High")], possibleNone: false)
            try await fixture.services.admin.addDynamicField(
                name: "Mood", label: nil, type: .text, object: .article, possibleValues: [], possibleNone: false)
            try await fixture.test { client in
                let body = Self.ticketBody(
                    fixture.root,
                    extra: [
                        "DynamicField": .array([
                            .object(["Name": .string("Severity"), "Value": .string("high")]),
                            .object(["Name": .string("Mood"), "Value": .string("calm \"/\" <ok>")]),
                        ]),
                        "Attachment": .object([
                            "Content": .string("aGVsbG8gd29ybGQ="), "ContentType": .string("text/plain"), "Filename": .string("hello.txt"),
                        ]),
                    ])
                let created = try await client.send(.post, "/Ticket", json: body)
                let json = try #require(created.json)
                guard case .string(let ticketID)? = json["TicketID"], case .string(let number)? = json["TicketNumber"],
                    case .number? = json["ArticleID"]
                else {
                    Issue.record("unexpected create answer \(created.text)")
                    return
                }
                let get = try await client.send(
                    .get,
                    "/Ticket/\(ticketID)?UserLogin=root@localhost&Password=\(fixture.rootPassword)&AllArticles=1&Attachments=1&DynamicFields=1"
                )
                let ticket = try #require(get.json?["Ticket"]?[0])
                #expect(ticket["TicketNumber"] == .string(number))
                // Pairs split at `;` too, and on the bytes as Perl does: a separator followed by a
                // combining mark (one Swift Character) still separates.
                let split = try await client.send(
                    .get, "/Ticket/\(ticketID)?UserLogin=root@localhost;Password=\(fixture.rootPassword)&\u{301}X=1")
                #expect(split.json?["Ticket"]?[0]?["TicketNumber"] == .string(number))
                #expect(ticket["TicketID"] == .number(ticketID))
                #expect(ticket["Queue"] == .string("Misc"))
                #expect(ticket["QueueID"] == .number("4"))
                #expect(ticket["StateType"] == .string("new"))
                #expect(ticket["CustomerUserID"] == .string("customer@acme.test"))
                #expect(ticket["ServiceID"] == .string(""))
                #expect(ticket["Service"] == nil)
                #expect(ticket["ArchiveFlag"] == .string("n"))
                let fields = ticket["DynamicField"]?.arrayValue ?? []
                #expect(fields.contains(.object(["Name": .string("Severity"), "Value": .string("high")])))
                #expect(fields.contains(.object(["Name": .string("ProcessManagementProcessID"), "Value": .null])))
                let article = try #require(ticket["Article"]?[0])
                // Written straight to bytes, the article's keys still come sorted, optional ones in their place.
                let wire = try JSONParser.parse(Array(get.text.utf8), keepingOrder: true)
                if case .orderedObject(let members)? = wire["Ticket"]?.arrayValue?.first?["Article"]?.arrayValue?.first {
                    let keys = members.map(\.key)
                    #expect(keys.contains("Attachment") && keys.contains("DynamicField"))
                    #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
                } else {
                    Issue.record("no article object in \(get.text)")
                }
                // The articles written straight to bytes read as their tree would, in every style.
                let root = Principal.agent(try #require(try await fixture.services.auth.agentPrincipal(id: 1)))
                let renderer = ZnunyTicketRenderer(
                    catalog: try await fixture.services.catalog(), principal: root,
                    options: ZnunyTicketRenderer.Options([
                        "AllArticles": .string("1"), "Attachments": .string("1"), "DynamicFields": .string("1"),
                    ]), now: 0)
                let details = try await fixture.services.tickets.get(
                    ticketIDs: [try #require(Int(ticketID))], options: renderer.readOptions, by: root)
                let rendered = renderer.ticket(try #require(details.first))
                var tree = try #require(rendered.objectValue)
                tree["Article"] = .array(try #require(tree["Article"]?.arrayValue))
                for style: JSONWriter.Style in [.sortedKeys, .php, .djangoRESTFramework, [.hexSpecials]] {
                    #expect(JSONWriter.string(rendered, style: style) == JSONWriter.string(.object(tree), style: style))
                }
                #expect(article["Subject"] == .string("Help"))
                #expect(article["SenderTypeID"] == .string("1"))
                #expect(article["IsVisibleForCustomer"] == .number("1"))
                let file = try #require(article["Attachment"]?[0])
                #expect(file["Filename"] == .string("hello.txt"))
                #expect(file["Content"] == .string("aGVsbG8gd29ybGQ="))
                #expect(file["FileID"] == .string("1"))
                #expect(file["FilesizeRaw"] == .string("11"))

                var update = fixture.root
                update["Ticket"] = .object(["State": .string("open"), "Priority": .string("4 high")])
                update["Article"] = .object([
                    "Subject": .string("Note"), "Body": .string("Looking"), "MimeType": .string("text/plain"), "Charset": .string("UTF8"),
                ])
                let updated = try await client.send(.patch, "/Ticket/\(ticketID)", json: .object(update))
                #expect(updated.json?["TicketID"] == .string(ticketID))
                guard case .number? = updated.json?["ArticleID"] else {
                    Issue.record("an agent's article id is a number: \(updated.text)")
                    return
                }
                // A `customer` article's id comes back as text, as Znuny's ArticleCreate leaves it.
                var reply = fixture.root
                reply["Article"] = .object([
                    "Subject": .string("Re"), "Body": .string("Still burning"), "SenderType": .string("customer"),
                    "ContentType": .string("text/plain; charset=utf8"),
                ])
                let replied = try await client.send(.patch, "/Ticket/\(ticketID)", json: .object(reply))
                guard case .string(let replyID)? = replied.json?["ArticleID"], Int(replyID) != nil else {
                    Issue.record("a customer article's id is a string: \(replied.text)")
                    return
                }

                let search = try await client.send(
                    .get, "/Ticket?UserLogin=root@localhost&Password=\(fixture.rootPassword)&Title=Printer*&States=open")
                #expect(search.json == .object(["TicketID": .array([.string(ticketID)])]))
                let none = try await client.send(
                    .get, "/Ticket?UserLogin=root@localhost&Password=\(fixture.rootPassword)&States=nosuchstate")
                #expect(none.json == .object([:]))

                let history = try await client.send(
                    .get, "/TicketHistory/\(ticketID)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                let entries = history.json?["TicketHistory"]?[0]?["History"]?.arrayValue ?? []
                let types = entries.compactMap { $0["HistoryType"]?.scalarString }
                #expect(types.first == "NewTicket")
                #expect(types.contains("StateUpdate"))
                #expect(types.contains("PriorityUpdate"))
                #expect(history.json?["TicketHistory"]?[0]?["TicketID"] == .string(ticketID))
            }
        }
    }

    @Test("errors come in Znuny's words and status codes")
    func errors() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let noAuth = try await client.send(.post, "/Ticket", json: Self.ticketBody([:]))
                #expect(
                    noAuth.json?.at("Error", "ErrorMessage")
                        == .string("TicketCreate: UserLogin, CustomerUserLogin or SessionID is required!"))
                var body = Self.ticketBody(fixture.root)
                if case .object(var members) = body, case .object(var ticket)? = members["Ticket"] {
                    ticket["Queue"] = .string("Nowhere")
                    members["Ticket"] = .object(ticket)
                    body = .object(members)
                }
                let badQueue = try await client.send(.post, "/Ticket", json: body)
                #expect(badQueue.json?.at("Error", "ErrorCode") == .string("TicketCreate.InvalidParameter"))
                #expect(
                    badQueue.json?.at("Error", "ErrorMessage")
                        == .string("TicketCreate: Ticket->QueueID or Ticket->Queue parameter is invalid!"))

                // Znuny's default CheckEmailInvalidAddress refuses `example.` domains with a 2–3
                // letter ending: as an unregistered customer, as From, as ArticleSend's To.
                func create(customer: String, article: [String: JSONValue]) async throws -> JSONValue? {
                    var members = fixture.root
                    members["Ticket"] = .object([
                        "Title": .string("Reserved"), "Queue": .string("Misc"), "State": .string("new"),
                        "Priority": .string("3 normal"), "CustomerUser": .string(customer),
                    ])
                    var fields: [String: JSONValue] = [
                        "Subject": .string("Hi"), "Body": .string("Text"), "ContentType": .string("text/plain; charset=utf8"),
                    ]
                    for (key, value) in article { fields[key] = value }
                    members["Article"] = .object(fields)
                    return try await client.send(.post, "/Ticket", json: .object(members)).json
                }
                let customerMessage = JSONValue.string("TicketCreate: Ticket->CustomerUser parameter is invalid!")
                #expect(try await create(customer: "walk-in@Example.ORG", article: [:])?.at("Error", "ErrorMessage") == customerMessage)
                #expect(try await create(customer: "walk-in@example.info", article: [:])?["TicketID"] != nil)
                #expect(try await create(customer: "walk-in@mail.example.com", article: [:])?["TicketID"] != nil)
                let from = try await create(customer: "walk-in@acme.test", article: ["From": .string("Walk In <walk-in@example.net>")])
                #expect(from?.at("Error", "ErrorMessage") == .string("TicketCreate: Article->From parameter is invalid!"))
                // `ValidateMimeType` wants `word/word`: a hyphen is too much for a MimeType.
                let octet = try await create(
                    customer: "walk-in@acme.test",
                    article: ["ContentType": .null, "MimeType": .string("application/octet-stream"), "Charset": .string("utf-8")])
                #expect(octet?.at("Error", "ErrorMessage") == .string("TicketCreate: Article->MimeType is invalid!"))
                // MimeType and Charset come in pairs, even beside a ContentType.
                let charsetOnly = try await create(customer: "walk-in@acme.test", article: ["Charset": .string("utf-8")])
                #expect(charsetOnly?.at("Error", "ErrorMessage") == .string("TicketCreate: Article->MimeType is required!"))
                let mimeOnly = try await create(customer: "walk-in@acme.test", article: ["MimeType": .string("text/plain")])
                #expect(mimeOnly?.at("Error", "ErrorMessage") == .string("TicketCreate: Article->Charset is required!"))
                // The pairing is checked before the MimeType's form.
                let badMimeOnly = try await create(customer: "walk-in@acme.test", article: ["MimeType": .string("nonsense")])
                #expect(badMimeOnly?.at("Error", "ErrorMessage") == .string("TicketCreate: Article->Charset is required!"))
                let send = try await create(
                    customer: "walk-in@acme.test", article: ["ArticleSend": .int(1), "To": .string("x@acme.test, y@example.de")])
                #expect(
                    send?.at("Error", "ErrorMessage")
                        == .string("TicketCreate: Article->To parameter must be a valid email address when Article->ArticleSend is set!"))

                let badJSON = try await client.send(.post, "/Ticket", raw: "{not json", headers: [.contentType: "application/json"])
                #expect(badJSON.status == .internalServerError)
                #expect(badJSON.text == "Error while decoding request content.")
                #expect(badJSON.contentType == "text/plain; charset=UTF-8")
                let array = try await client.send(.post, "/Ticket", raw: "[1,2]", headers: [.contentType: "application/json"])
                #expect(array.text == "Unsupported request content structure.")
                let sessionFromList = try await client.send(.post, "/Session", raw: "[\"a\"]", headers: [.contentType: "application/json"])
                #expect(sessionFromList.status == .ok)
                #expect(
                    sessionFromList.json
                        == .object([
                            "Error": .object([
                                "ErrorCode": .string("SessionCreate.MissingParameter"),
                                "ErrorMessage": .string("SessionCreate: The request is empty!"),
                            ])
                        ]))
                let emptyList = try await client.send(.post, "/Session", raw: "[]", headers: [.contentType: "application/json"])
                #expect(emptyList.text == "Unsupported request content structure.")
                let deep = try await client.send(
                    .post, "/Ticket", raw: String(repeating: "[", count: 10_000), headers: [.contentType: "application/json"])
                #expect(deep.text == "Error while decoding request content.")
                let noRoute = try await client.send(.delete, "/Ticket/1")
                #expect(noRoute.status == .internalServerError)
                #expect(noRoute.text == "HTTP::REST Error while determine Operation for request URI '/Ticket/1'.")
                let unknownService = try await ZnunyTestClient(client: client.client, base: "/otrs/nph-genericinterface.pl/Webservice/Nope")
                    .send(.get, "/Ticket/1")
                #expect(unknownService.status == .internalServerError)

                let denied = try await client.send(.get, "/Ticket/99999?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                #expect(denied.json?.at("Error", "ErrorCode") == .string("TicketGet.AccessDenied"))
                let authFail = try await client.send(.get, "/Ticket/1")
                #expect(authFail.json?.at("Error", "ErrorMessage") == .string("TicketGet: Authorization failing!"))
                let empty = try await client.send(.post, "/Ticket", raw: "", headers: [.contentType: "application/json"])
                #expect(empty.status == .ok)
                #expect(empty.json?.at("Error", "ErrorCode") == .string("TicketCreate.MissingParameter"))
                // A byte order mark is dropped and another charset converted, as Znuny's REST transport does.
                let sessionBody = "{\"UserLogin\":\"root@localhost\",\"Password\":\"\(fixture.rootPassword)\"}"
                let withBOM = try await client.send(
                    .post, "/Session", raw: "\u{FEFF}" + sessionBody, headers: [.contentType: "application/json"])
                #expect(withBOM.json?["SessionID"] != nil, "\(withBOM.text)")
                // "café" in ISO-8859-1: the é is one byte that is not UTF-8.
                let latin1Body =
                    Array("{\"UserLogin\":\"root@localhost\",\"Password\":\"\(fixture.rootPassword)\",\"Note\":\"caf".utf8) + [0xE9]
                    + Array("\"}".utf8)
                let latin1 = try await client.send(
                    .post, "/Session", bytes: latin1Body, headers: [.contentType: "application/json; charset=ISO-8859-1"])
                #expect(latin1.json?["SessionID"] != nil, "\(latin1.text)")
                // Over REST a body-less request still carries RequestMethod: not "The request is empty!".
                let noBody = try await client.send(.post, "/Session", raw: "", headers: [:])
                #expect(noBody.json?.at("Error", "ErrorMessage") == .string("SessionCreate: Password parameter is missing!"))

                // Optional blocks: null is none; {} or a string is refused; a value must be a string or a list.
                let withNull = try await client.send(.post, "/Ticket", json: Self.ticketBody(fixture.root, extra: ["DynamicField": .null]))
                #expect(withNull.json?["TicketID"] != nil, "\(withNull.text)")
                for (block, value) in [("DynamicField", JSONValue.object([:])), ("Attachment", .string(""))] {
                    let refused = try await client.send(.post, "/Ticket", json: Self.ticketBody(fixture.root, extra: [block: value]))
                    #expect(
                        refused.json?.at("Error", "ErrorMessage") == .string("TicketCreate: \(block) parameter is missing or not valid!"))
                }
                for block in ["Ticket", "Article"] {
                    let emptyBlock = try await client.send(
                        .post, "/Ticket", json: Self.ticketBody(fixture.root, extra: [block: .object([:])]))
                    #expect(
                        emptyBlock.json?.at("Error", "ErrorMessage") == .string("TicketCreate: \(block) parameter is missing or not valid!")
                    )
                }
                let nullValue = try await client.send(
                    .post, "/Ticket",
                    json: Self.ticketBody(fixture.root, extra: ["DynamicField": .object(["Name": .string("X"), "Value": .null])]))
                #expect(nullValue.json?.at("Error", "ErrorMessage") == .string("TicketCreate: DynamicField->Value  parameter is missing!"))

                // Stored as Znuny stores them: LF line ends in a plain body, the attachment's type
                // lower-cased, its ContentID in angle brackets; without a disposition only an image
                // with a ContentID is inline.
                var article = [
                    "Subject": JSONValue.string("Lines"), "Body": .string("a\r\nb\n\rc"),
                    "ContentType": .string("text/plain; charset=utf8"),
                ]
                article["Attachment"] = .array([
                    .object([
                        "Content": .string("aGk="), "ContentType": .string("Text/Plain"), "Filename": .string("hi.txt"),
                        "ContentID": .string("hi@x"),
                    ]),
                    .object([
                        "Content": .string("aGk="), "ContentType": .string("image/png"), "Filename": .string("logo.png"),
                        "ContentID": .string("logo@x"),
                    ]),
                ])
                let lines = try await client.send(
                    .post, "/Ticket", json: Self.ticketBody(fixture.root, extra: ["Article": .object(article)]))
                let linesID = try #require(lines.json?["TicketID"]?.scalarString)
                let read = try await client.send(
                    .get, "/Ticket/\(linesID)?UserLogin=root@localhost&Password=\(fixture.rootPassword)&AllArticles=1&Attachments=1")
                let stored = try #require(read.json?["Ticket"]?[0]?["Article"]?[0])
                #expect(stored["Body"] == .string("a\nb\nc"))
                #expect(stored["Attachment"]?[0]?["ContentType"] == .string("text/plain"))
                #expect(stored["Attachment"]?[0]?["ContentID"] == .string("<hi@x>"))
                #expect(stored["Attachment"]?[0]?["Disposition"] == .string("attachment"))
                #expect(stored["Attachment"]?[1]?["Filename"] == .string("logo.png"))
                #expect(stored["Attachment"]?[1]?["Disposition"] == .string("inline"))

                // TicketUpdate asks for an article before it looks at a root attachment's fields.
                var update = fixture.root
                update["Attachment"] = .object(["Filename": .string("a.txt")])
                let noArticle = try await client.send(.patch, "/Ticket/1", json: .object(update))
                #expect(
                    noArticle.json?.at("Error", "ErrorMessage") == .string("TicketUpdate: To create an attachment an article is needed!"),
                    "\(noArticle.text)")

                // Sorting: a Perl-false SortBy/OrderBy is the default; each sort key needs its own order.
                let login = "UserLogin=root@localhost&Password=\(fixture.rootPassword)"
                let defaults = try await client.send(.get, "/Ticket?\(login)&SortBy=&OrderBy=0")
                #expect(defaults.json?["TicketID"]?.arrayValue?.isEmpty == false, "\(defaults.text)")
                let oneOrder = try await client.send(.get, "/Ticket?\(login)&SortBy=Priority&SortBy=Age&OrderBy=Up")
                #expect(oneOrder.json == .object([:]))
                let twoOrders = try await client.send(.get, "/Ticket?\(login)&SortBy=Priority&SortBy=Age&OrderBy=Up&OrderBy=Down")
                #expect(twoOrders.json?["TicketID"]?.arrayValue?.isEmpty == false)
            }
        }
    }

    @Test("X-OTRS-Header credentials work and win over the request's data; an empty header is none")
    func headerAuth() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let headers: HTTPFields = [
                    HTTPField.Name("X-OTRS-Header-UserLogin")!: "root@localhost",
                    HTTPField.Name("X-OTRS-Header-Password")!: fixture.rootPassword,
                ]
                let get = try await client.send(.get, "/Ticket/1", headers: headers)
                #expect(get.json?["Ticket"]?[0]?["TicketID"] == .number("1"))
                // REST.pm lays the headers over the data: the query's login is replaced.
                let contradicting = try await client.send(.get, "/Ticket/1?UserLogin=someone-else&Password=wrong", headers: headers)
                #expect(contradicting.json?["Ticket"]?[0]?["TicketID"] == .number("1"), "\(contradicting.text)")
                // An empty header is skipped: the query's credentials count.
                let empty: HTTPFields = [HTTPField.Name("X-OTRS-Header-UserLogin")!: ""]
                let fromQuery = try await client.send(
                    .get, "/Ticket/1?UserLogin=root@localhost&Password=\(fixture.rootPassword)", headers: empty)
                #expect(fromQuery.json?["Ticket"]?[0]?["TicketID"] == .number("1"), "\(fromQuery.text)")
                // A body that is a Perl-false JSON document did not decode; U+2028 is written escaped.
                let falseBody = try await client.send(.post, "/Ticket", raw: "0", headers: [.contentType: "application/json"])
                #expect(falseBody.text == "Error while decoding request content.")
                let created = try await client.send(.post, "/Ticket", json: Self.ticketBody(fixture.root, title: "line\u{2028}separator"))
                let id = try #require(created.json?["TicketID"]?.scalarString, "\(created.text)")
                let shown = try await client.send(.get, "/Ticket/\(id)", headers: headers)
                #expect(shown.text.contains(#""Title":"line\u2028separator""#), "\(shown.text)")
            }
        }
    }

    @Test("routes added at run time answer, under /znuny/ as well")
    func addedRoute() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.addSearchRoute()
            try await fixture.test { client in
                var body = fixture.root
                body["Title"] = .string("Znuny*")
                let search = try await ZnunyTestClient(
                    client: client.client, base: "/znuny/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"
                )
                .send(.post, "/search", json: .object(body))
                #expect(search.json == .object(["TicketID": .array([.string("1")])]))
            }
        }
    }
}
