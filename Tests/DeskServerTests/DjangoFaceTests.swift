import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import DeskTestSupport
import DjangoHelpdesk
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The django-helpdesk face in-process, with a queue and root's token.
struct DjangoFixture {
    let services: DeskServices

    init(_ handle: TestDatabase.Handle) {
        services = DeskServices(store: handle.store, hasher: TestDatabase.hasher)
    }

    func test(_ body: @escaping @Sendable (DjangoClient) async throws -> Void) async throws {
        for face in buildFaces(services: services, environment: FaceEnvironment()) { try await face.prepare() }
        _ = try await DjangoQueues(services: services).add(title: "Support", slug: "support", queue: nil)
        let token = try await DjangoTokens(services: services).create(login: "root@localhost")
        let app = Application(router: buildRouter(AppConfiguration(), services: services), logger: TestLogger.quiet)
        try await app.test(.router) { client in try await body(DjangoClient(client: client, token: token)) }
    }
}

struct DjangoClient {
    let client: any TestClientProtocol
    let token: String

    struct Reply {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String
        var json: JSONValue? { try? JSONParser.parse(Array(text.utf8)) }
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, body: String? = nil, type: String = "application/json", auth: String? = nil
    ) async throws -> Reply {
        try await send(method, path, bytes: body.map { Array($0.utf8) }, type: type, auth: auth)
    }

    func send(_ method: HTTPRequest.Method, _ path: String, bytes: [UInt8]?, type: String = "application/json", auth: String? = nil)
        async throws -> Reply
    {
        var headers: HTTPFields = [.authorization: auth ?? "Token \(token)"]
        if bytes != nil { headers[.contentType] = type }
        return try await client.execute(uri: path, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) }) {
            Reply(status: $0.status, headers: $0.headers, text: String(buffer: $0.body))
        }
    }
}

@Suite("django-helpdesk face")
struct DjangoFaceTests {
    @Test("REST: create, read, list, follow up with a status change, patch, delete", arguments: TestDatabase.kinds)
    func tickets(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await DjangoFixture(db).test { client in
                let created = try await client.send(
                    .post, "/api/tickets/",
                    body: #"{"queue":1,"title":"Printer","description":"It burns","submitter_email":"jo@example.com","priority":2}"#)
                #expect(created.status == .created, "\(created.text)")
                #expect(created.headers[.contentType] == "application/json")
                #expect(created.headers[.allow] == "GET, POST, HEAD, OPTIONS")
                let ticket = try #require(created.json)
                #expect(ticket["id"] == .int(1))
                #expect(
                    ticket["status"] == .int(1) && ticket["priority"] == .int(2) && ticket["submitter_email"] == .string("jo@example.com"))
                #expect(created.text.hasPrefix(#"{"id":1,"queue":1,"title":"Printer","description":"It burns","resolution":null,"#))
                #expect(ticket["followup_set"]?[0]?["title"] == .string("Ticket Opened"))

                let followup = try await client.send(
                    .post, "/api/followups/",
                    body: #"{"ticket":1,"comment":"Fixed it","public":true,"new_status":3,"time_spent":"1:30:00"}"#)
                #expect(followup.status == .created, "\(followup.text)")
                #expect(followup.json?["title"] == .string("Printer and Resolved"))
                #expect(followup.json?["time_spent"] == .string("01:30:00"))
                let read = try await client.send(.get, "/api/tickets/1/")
                #expect(read.json?["status"] == .int(3) && read.json?["resolution"] == .string("Fixed it"))

                let patched = try await client.send(
                    .patch, "/api/tickets/1/", body: #"{"on_hold":true,"status":4,"title":"Printer (old)"}"#)
                #expect(patched.json?["on_hold"] == .bool(true) && patched.json?["status"] == .int(4))
                #expect(patched.json?["title"] == .string("Printer (old)"))

                let list = try await client.send(.get, "/api/tickets/?status=4&page_size=1")
                #expect(list.json?["count"] == .int(1))
                #expect(list.json?["results"]?[0]?["id"] == .int(1))
                let invalid = try await client.send(.get, "/api/tickets/?page=9")
                #expect(invalid.status == .notFound && invalid.text == #"{"detail":"Invalid page."}"#)

                #expect(try await client.send(.delete, "/api/tickets/1/").status == .noContent)
                let gone = try await client.send(.get, "/api/tickets/1/")
                #expect(gone.status == .notFound && gone.text == #"{"detail":"No Ticket matches the given query."}"#)
            }
        }
    }

    @Test("REST: DRF's answers to bad credentials, bad bodies and unknown URLs", arguments: TestDatabase.kinds)
    func errors(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await DjangoFixture(db).test { client in
                let anonymous = try await client.send(.get, "/api/tickets/", auth: "Bearer x")
                #expect(anonymous.status == .unauthorized && anonymous.headers[.wwwAuthenticate] == "Token")
                #expect(anonymous.text == #"{"detail":"Authentication credentials were not provided."}"#)
                #expect(try await client.send(.get, "/api/tickets/", auth: "Token nope").text == #"{"detail":"Invalid token."}"#)
                let empty = try await client.send(.post, "/api/tickets/", body: "{}")
                #expect(empty.text == #"{"queue":["This field is required."],"title":["This field is required."]}"#)
                let noPriority = try await client.send(.post, "/api/tickets/", body: #"{"queue":1,"title":"t","description":"d"}"#)
                #expect(noPriority.text == #"{"priority":["This field is required."]}"#)
                let badQueue = try await client.send(
                    .post, "/api/tickets/", body: #"{"queue":99,"title":"t","description":"d","priority":3}"#)
                #expect(badQueue.text == #"{"queue":["Invalid pk \"99\" - object does not exist."]}"#)
                let malformed = try await client.send(.post, "/api/tickets/", body: #"{"a":1,}"#)
                #expect(
                    malformed.text
                        == #"{"detail":"JSON parse error - Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"}"#)
                // Nesting beyond 512 levels is refused with Python's words, not read recursively.
                let deep = try await client.send(.post, "/api/tickets/", body: String(repeating: "[", count: 100_000))
                #expect(
                    deep.text
                        == #"{"detail":"JSON parse error - maximum recursion depth exceeded while decoding a JSON array from a unicode string"}"#
                )
                let plain = try await client.send(.post, "/api/tickets/", body: "x", type: "text/plain")
                #expect(plain.status == .unsupportedMediaType)
                let redirect = try await client.send(.get, "/api/tickets?page=2")
                #expect(redirect.status == .movedPermanently && redirect.headers[.location] == "/api/tickets/?page=2")
                let unknown = try await client.send(.get, "/api/nothing/")
                #expect(unknown.status == .notFound && unknown.text.contains("<h1>Not Found</h1>"))
                #expect(try await client.send(.get, "/api/users/").status == .methodNotAllowed)
            }
        }
    }

    @Test("legacy API: create, hold, resolve, list_queues and its error order", arguments: TestDatabase.kinds)
    func legacy(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = DjangoFixture(db)
            try await fixture.test { client in
                let password = try await Self.rootPassword(db)
                func call(_ method: String, _ fields: String) async throws -> DjangoClient.Reply {
                    try await client.send(
                        .post, "/api/\(method)/", body: "user=root%40localhost&password=\(password)&" + fields,
                        type: "application/x-www-form-urlencoded", auth: "")
                }
                let created = try await call("create_ticket", "queue=1&title=Old+API&body=Hello&priority=4")
                #expect(created.status == .ok && created.text == "1", "\(created.text)")
                #expect(created.headers[.contentType] == "text/plain")
                let missing = try await call("create_ticket", "")
                #expect(
                    missing.text
                        == "* queue\n  * This field is required.\n* title\n  * This field is required.\n* body\n  * This field is required."
                )
                #expect(try await call("hold_ticket", "ticket=1").status == .ok)
                #expect(try await call("resolve", "ticket=1&resolution=").text == "Blank resolution")
                #expect(try await call("resolve", "ticket=abc&resolution=x").text == "Invalid ticket ID")
                // The id as `int()` reads it: other digits and white space, but not U+001C–1F.
                #expect(try await call("hold_ticket", "ticket=%EF%BC%91").status == .ok)
                #expect(try await call("hold_ticket", "ticket=%E2%80%83+1%0A").status == .ok)
                #expect(try await call("hold_ticket", "ticket=%1C1").text == "Invalid ticket ID")
                #expect(try await call("resolve", "ticket=1&resolution=Done").status == .ok)
                let rest = try await client.send(.get, "/api/tickets/1/")
                #expect(
                    rest.json?["status"] == .int(3) && rest.json?["resolution"] == .string("Done") && rest.json?["on_hold"] == .bool(true))
                let queues = try await call("list_queues", "")
                #expect(queues.text == #"[{"id": "1", "title": "Support"}]"# && queues.headers[.contentType] == "text/json")
                let wrong = try await client.send(
                    .post, "/api/list_queues/", body: "user=root%40localhost&password=wrong", type: "application/x-www-form-urlencoded",
                    auth: "")
                #expect(wrong.status == .forbidden && wrong.text.isEmpty)
                #expect(try await client.send(.get, "/api/hold_ticket/", auth: "").status == .methodNotAllowed)
            }
        }
    }

    @Test("REST: blank form values, nulls and custom fields as DRF reads them", arguments: TestDatabase.kinds)
    func blanksAndNulls(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = DjangoFixture(db)
            try await fixture.test { client in
                let field = """
                    [{"model": "helpdesk.customfield", "pk": 3, "fields": {"name": "ref", "label": "Ref", "help_text": "",
                      "data_type": "varchar", "max_length": 20, "decimal_places": null, "empty_selection_list": false,
                      "list_values": "", "ordering": 1, "required": false, "staff_only": false}},
                     {"model": "helpdesk.customfield", "pk": 4, "fields": {"name": "flag", "label": "Flag", "help_text": "",
                      "data_type": "boolean", "max_length": null, "decimal_places": null, "empty_selection_list": false,
                      "list_values": "", "ordering": 2, "required": false, "staff_only": false}}]
                    """
                _ = try await DjangoImporter(services: fixture.services).run(Array(field.utf8))
                let form = "application/x-www-form-urlencoded"
                // A form's "" for a field that is neither required nor nullable is not sent at all.
                let created = try await client.send(
                    .post, "/api/tickets/", body: "queue=1&title=T&description=d&priority=2&status=&on_hold=&custom_ref=", type: form)
                #expect(created.status == .created, "\(created.text)")
                #expect(created.json?["status"] == .int(1) && created.json?["on_hold"] == .bool(false))
                let patched = try await client.send(.patch, "/api/tickets/1/", body: "priority=&status=", type: form)
                #expect(patched.status == .ok && patched.json?["priority"] == .int(2), "\(patched.text)")
                let followup = try await client.send(.post, "/api/followups/", body: "ticket=1&comment=c&public=", type: form)
                #expect(followup.status == .created && followup.json?["public"] == .bool(false), "\(followup.text)")
                let noPriority = try await client.send(.post, "/api/tickets/", body: "queue=1&title=T&description=d&priority=", type: form)
                #expect(noPriority.text == #"{"priority":["This field is required."]}"#)
                // Null where the model has no null, and "" for a relation, are "may not be null".
                let nulls = try await client.send(
                    .post, "/api/tickets/", body: #"{"queue":null,"title":"T","description":"d","priority":null,"status":null}"#)
                let notNull = #"["This field may not be null."]"#
                #expect(nulls.text == #"{"queue":\#(notNull),"status":\#(notNull),"priority":\#(notNull)}"#)
                let blankQueue = try await client.send(.post, "/api/tickets/", body: "queue=&title=T&description=d&priority=2", type: form)
                #expect(blankQueue.text == #"{"queue":["This field may not be null."]}"#)
                let noTicket = try await client.send(.post, "/api/followups/", body: #"{"ticket":null,"comment":"c"}"#)
                #expect(noTicket.text == #"{"ticket":["This field may not be null."]}"#)
                // Custom fields allow neither blank text nor null.
                let custom = try await client.send(.patch, "/api/tickets/1/", body: #"{"custom_ref":"  "}"#)
                #expect(custom.text == #"{"custom_ref":["This field may not be blank."]}"#)
                let customNull = try await client.send(.patch, "/api/tickets/1/", body: #"{"custom_ref":null}"#)
                #expect(customNull.text == #"{"custom_ref":["This field may not be null."]}"#)
                // A form PUT that leaves a boolean out sets it false (`default_empty_html`).
                let flagged = try await client.send(.patch, "/api/tickets/1/", body: #"{"custom_flag":true}"#)
                #expect(flagged.json?["custom_flag"] == .bool(true), "\(flagged.text)")
                let put = try await client.send(.put, "/api/tickets/1/", body: "queue=1&title=T2", type: form)
                #expect(put.json?["custom_flag"] == .bool(false), "\(put.text)")
                let user = try await client.send(.post, "/api/users/", body: #"{"username":"u1","password":"p","email":null}"#)
                #expect(user.text == #"{"email":["This field may not be null."]}"#)
            }
        }
    }

    @Test("REST: an upload without a type is typed from its name; a follow-up's files are listed by name", arguments: TestDatabase.kinds)
    func uploads(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await DjangoFixture(db).test { client in
                let created = try await client.send(
                    .post, "/api/tickets/", body: #"{"queue":1,"title":"T","description":"d","priority":3}"#)
                #expect(created.status == .created)
                // As Python's requests writes files given without a type: no Content-Type in the part.
                let body = [
                    "--XyZ", #"Content-Disposition: form-data; name="ticket""#, "", "1",
                    "--XyZ", #"Content-Disposition: form-data; name="comment""#, "", "two files",
                    "--XyZ", #"Content-Disposition: form-data; name="attachments"; filename="b.txt""#, "", "bee",
                    "--XyZ", #"Content-Disposition: form-data; name="attachments"; filename="a.pdf""#, "", "%PDF",
                    "--XyZ", #"Content-Disposition: form-data; name="attachments"; filename="c.txt""#, "Content-Type: application/x-log",
                    "",
                    "sea", "--XyZ--", "",
                ].joined(separator: "\r\n")
                let followup = try await client.send(.post, "/api/followups/", body: body, type: "multipart/form-data; boundary=XyZ")
                #expect(followup.status == .created, "\(followup.text)")
                let files = followup.json?["followupattachment_set"]?.arrayValue ?? []
                #expect(files.map { $0["filename"] } == [.string("a.pdf"), .string("b.txt"), .string("c.txt")])
                #expect(files.map { $0["mime_type"] } == [.string("application/pdf"), .string("text/plain"), .string("application/x-log")])
            }
        }
    }

    /// Django's `MultiPartParser`: a part is a file only with a non-empty `filename` (RFC 2231
    /// `filename*` decoded, quotes and escapes undone), the name cleaned by `sanitize_file_name`;
    /// DRF refuses an empty file and text in a file field, and counts lengths in code points.
    @Test("REST: uploads and lengths as Django and DRF read them")
    func djangoParsing() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            try await DjangoFixture(db).test { client in
                func create(_ parts: [[String]]) async throws -> DjangoClient.Reply {
                    var lines: [String] = []
                    for (name, value) in [("queue", "1"), ("title", "T"), ("description", "d"), ("priority", "3")] {
                        lines += ["--XyZ", "Content-Disposition: form-data; name=\"\(name)\"", "", value]
                    }
                    for part in parts { lines += ["--XyZ"] + part }
                    lines += ["--XyZ--", ""]
                    return try await client.send(
                        .post, "/api/tickets/", body: lines.joined(separator: "\r\n"), type: "multipart/form-data; boundary=XyZ")
                }
                func storedName(_ disposition: String) async throws -> String? {
                    let reply = try await create([["Content-Disposition: form-data; name=\"attachment\"; " + disposition, "", "hello"]])
                    #expect(reply.status == .created, "\(disposition): \(reply.text)")
                    guard let id = reply.json?["id"]?.scalarString else { return nil }
                    let files = try await client.send(.get, "/api/followups-attachments/").json?["results"]?.arrayValue ?? []
                    let ticket = try await client.send(.get, "/api/tickets/\(id)/").json
                    let followup = ticket?["followup_set"]?[0]?["id"]
                    return files.first { $0["followup"] == followup }?["filename"]?.scalarString
                }
                #expect(try await storedName("filename*=UTF-8''r%C3%A9sum%C3%A9.pdf") == "résumé.pdf")
                #expect(try await storedName(#"filename="minutes; final.pdf""#) == "minutes; final.pdf")
                #expect(try await storedName(#"filename="quote\"d.txt""#) == "quote\"d.txt")
                #expect(try await storedName(#"filename="C:\\Users\\me\\scan.jpg""#) == "scan.jpg")
                #expect(try await storedName(#"filename="../../etc/Q&amp;A.txt""#) == "Q&A.txt")
                // A file input left empty is a plain field "": not sent.
                let empty = try await create([[#"Content-Disposition: form-data; name="attachment"; filename="""#, "", ""]])
                #expect(empty.status == .created, "\(empty.text)")
                let zero = try await create([[#"Content-Disposition: form-data; name="attachment"; filename="z.txt""#, "", ""]])
                #expect(zero.json == .object(["attachment": .array([.string("The submitted file is empty.")])]), "\(zero.text)")
                let text = try await create([[#"Content-Disposition: form-data; name="attachment""#, "", "not a file"]])
                #expect(
                    text.json?["attachment"]?[0] == .string("The submitted data was not a file. Check the encoding type on the form."),
                    "\(text.text)")
                // 101 decomposed é are 101 characters but 202 code points, Python's length.
                let decomposed = String(repeating: "e\u{301}", count: 101)
                let long = try await client.send(
                    .post, "/api/tickets/", body: #"{"queue":1,"description":"d","priority":3,"title":"\#(decomposed)"}"#)
                #expect(long.json?["title"]?[0] == .string("Ensure this field has no more than 200 characters."), "\(long.text)")
                // `submitter_email` reads back as written; "" clears it.
                let mixed = try await client.send(
                    .post, "/api/tickets/",
                    body: #"{"queue":1,"title":"T","description":"d","priority":3,"submitter_email":"Cust@Example.com"}"#)
                #expect(mixed.json?["submitter_email"] == .string("Cust@Example.com"), "\(mixed.text)")
                let lower = try await client.send(
                    .post, "/api/tickets/",
                    body: #"{"queue":1,"title":"T","description":"d","priority":3,"submitter_email":"cust@example.com"}"#)
                #expect(lower.json?["submitter_email"] == .string("cust@example.com"), "\(lower.text)")
                let mixedID = try #require(mixed.json?["id"]?.scalarString)
                let cleared = try await client.send(.patch, "/api/tickets/\(mixedID)/", body: #"{"submitter_email":""}"#)
                #expect(cleared.json?["submitter_email"] == .string(""), "\(cleared.text)")
                // Django's EmailValidator: no empty dot-atom parts, a letter TLD of two or more.
                for address in ["a..b@example.com", "a.@example.com", "a@-example.com", "a@example.c", "a@b.c0m"] {
                    let body = #"{"queue":1,"title":"T","description":"d","priority":3,"submitter_email":"\#(address)"}"#
                    let reply = try await client.send(.post, "/api/tickets/", body: body)
                    #expect(reply.json?["submitter_email"]?[0] == .string("Enter a valid email address."), "\(address): \(reply.text)")
                }
                let zeroWidth = try await client.send(
                    .post, "/api/tickets/", body: #"{"queue":1,"description":"d","priority":3,"title":"\u200b"}"#)
                #expect(zeroWidth.status == .created, "\(zeroWidth.text)")
            }
        }
    }

    /// `PrimaryKeyRelatedField` hands the value to `int()`; `UniqueValidator` looks at
    /// `auth_user` only; `user_tickets` goes by the submitter's address.
    @Test(
        "REST: keys as int() reads them, a follow-up's user checked, a ticket's address registered later, a patched address's customer",
        arguments: TestDatabase.kinds)
    func keysUsersAndAddresses(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await DjangoFixture(db).test { client in
                let ticket = #"{"queue":1,"title":"T","description":"d","priority":3,"submitter_email":"walkin@example.org"}"#
                let first = try await client.send(.post, "/api/tickets/", body: ticket)
                let id = try #require(first.json?["id"]?.scalarString)
                func followUp(_ fields: String) async throws -> DjangoClient.Reply {
                    try await client.send(.post, "/api/followups/", body: #"{"comment":"c",\#(fields)}"#)
                }
                #expect(try await followUp(#""ticket":\#(id).9"#).json?["ticket"] == .int(Int(id)!))
                #expect(try await followUp(#""ticket":"\u0662""#).status == .badRequest)
                #expect(try await followUp(#""ticket":" \#(id)\n""#).status == .created)
                let decimal = try await followUp(#""ticket":"\#(id).0""#)
                #expect(decimal.json?["ticket"]?[0] == .string("Incorrect type. Expected pk value, received str."), "\(decimal.text)")
                let huge = try await followUp(#""ticket":1e20"#)
                #expect(huge.json?["ticket"]?[0] == .string(#"Invalid pk "1e+20" - object does not exist."#), "\(huge.text)")
                let user = try await followUp(#""ticket":\#(id),"user":999"#)
                #expect(user.json == .object(["user": .array([.string(#"Invalid pk "999" - object does not exist."#)])]), "\(user.text)")
                #expect(
                    try await followUp(#""ticket":\#(id),"user":"abc""#).json?["user"]?[0]?.scalarString?.hasSuffix("received str.") == true
                )
                #expect(try await followUp(#""ticket":\#(id),"user":null"#).status == .created)
                let own = try await followUp(#""ticket":\#(id),"user":1000000001"#)
                #expect(own.status == .created, "\(own.text)")
                // The address a ticket registered becomes the account; then it sees its ticket.
                let user2 = try await client.send(
                    .post, "/api/users/", body: #"{"username":"walkin@example.org","password":"pw-walkin","email":"walkin@example.org"}"#)
                #expect(user2.status == .created, "\(user2.text)")
                let again = try await client.send(.post, "/api/users/", body: #"{"username":"walkin@example.org","password":"x"}"#)
                #expect(again.json?["username"]?[0] == .string("A user with that username already exists."), "\(again.text)")
                let basic = "Basic " + Base64.encode(Array("walkin@example.org:pw-walkin".utf8))
                let mine = try await client.send(.get, "/api/user_tickets/", auth: basic)
                #expect(mine.json?["count"] == .int(1), "\(mine.text)")
                // A patched address names the customer with that address, registered when new.
                let other = try await client.send(
                    .post, "/api/tickets/",
                    body: #"{"queue":1,"title":"U","description":"d","priority":3,"submitter_email":"x@example.org"}"#)
                let otherID = try #require(other.json?["id"]?.scalarString)
                _ = try await client.send(.patch, "/api/tickets/\(otherID)/", body: #"{"submitter_email":"WALKIN@example.org"}"#)
                #expect(try await client.send(.get, "/api/user_tickets/", auth: basic).json?["count"] == .int(2))
                // A registration without an address keeps the one the ticket gave.
                _ = try await client.send(
                    .post, "/api/tickets/",
                    body: #"{"queue":1,"title":"V","description":"d","priority":3,"submitter_email":"quiet@example.org"}"#)
                _ = try await client.send(.post, "/api/users/", body: #"{"username":"quiet@example.org","password":"pw-quiet"}"#)
                let quiet = "Basic " + Base64.encode(Array("quiet@example.org:pw-quiet".utf8))
                #expect(try await client.send(.get, "/api/user_tickets/", auth: quiet).json?["count"] == .int(1))
                // A form in Latin-1 says so in its type; Django reads the escapes in that charset.
                let latin = try await client.send(
                    .post, "/api/tickets/", body: "queue=1&title=Caf%E9&description=cr%E8me&priority=3",
                    type: "application/x-www-form-urlencoded; charset=ISO-8859-1")
                #expect(latin.json?["title"] == .string("Café") && latin.json?["description"] == .string("crème"), "\(latin.text)")
                let latinJSON = Array(#"{"queue":1,"title":"Caf"#.utf8) + [0xE9] + Array(#"","description":"d","priority":3}"#.utf8)
                let decoded = try await client.send(.post, "/api/tickets/", bytes: latinJSON, type: "application/json; charset=latin-1")
                #expect(decoded.json?["title"] == .string("Café"), "\(decoded.text)")
                // Follow-ups mail `submitter_email` as it was written (not the customer's own
                // address, registered in lower case by an earlier ticket).
                _ = try await client.send(
                    .post, "/api/tickets/",
                    body: #"{"queue":1,"title":"V","description":"d","priority":3,"submitter_email":"walk.in@example.org"}"#)
                let written = try await client.send(
                    .post, "/api/tickets/",
                    body: #"{"queue":1,"title":"W","description":"d","priority":3,"submitter_email":"Walk.In@Example.org"}"#)
                let writtenID = try #require(written.json?["id"]?.scalarString)
                let mailed = try await client.send(
                    .post, "/api/followups/", body: #"{"ticket":\#(writtenID),"comment":"c","public":true}"#)
                #expect(mailed.json?["email_recipients"] == .array([.string("Walk.In@Example.org")]), "\(mailed.text)")
                // A key beyond 64 bits is a number that names nothing; text is no key at all.
                #expect(
                    try await client.send(.get, "/api/tickets/99999999999999999999/").text
                        == #"{"detail":"No Ticket matches the given query."}"#)
                #expect(try await client.send(.get, "/api/followups/abc/").text == #"{"detail":"Not found."}"#)
                let array = try await client.send(.post, "/api/users/", body: "[1]")
                #expect(array.text == #"{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}"#)
            }
        }
    }

    @Test(
        "REST: another agent's ticket without assigned_to is unassigned; page links keep the requested path", arguments: TestDatabase.kinds)
    func ownerAndLinks(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = DjangoFixture(db)
            try await fixture.test { client in
                _ = try await fixture.services.admin.addAgent(
                    login: "olga", password: "olga-password-1", firstName: "Olga", lastName: "Owner", email: "olga@example.com",
                    grants: [.init(group: "users", permission: .rw)])
                let token = try await DjangoTokens(services: fixture.services).create(login: "olga")
                let created = try await client.send(
                    .post, "/api/tickets/", body: #"{"queue":1,"title":"T","description":"d","priority":3}"#, auth: "Token \(token)")
                #expect(created.status == .created, "\(created.text)")
                #expect(created.json?["assigned_to"] == .null && created.json?["on_hold"] == .bool(false))
                _ = try await client.send(.post, "/api/tickets/", body: #"{"queue":1,"title":"U","description":"d","priority":3}"#)
                let page = try await client.send(.get, "/api/tickets.json?page_size=1")
                #expect(page.json?["next"] == .string("http://localhost/api/tickets.json?page=2&page_size=1"), "\(page.text)")
                // `Paginator.validate_number` reads the page as `int()` does: white space around is fine.
                let spaced = try await client.send(.get, "/api/tickets/?page_size=1&page=%202")
                #expect(spaced.json?["previous"] == .string("http://localhost/api/tickets/?page_size=1"), "\(spaced.text)")
                // `_positive_int`: a negative size, however large, is the default page.
                let negative = try await client.send(.get, "/api/tickets/?page_size=-99999999999999999999")
                #expect(negative.json?["next"] == .null && negative.json?["results"]?.arrayValue?.count == 2, "\(negative.text)")
            }
        }
    }

    @Test("dumpdata import keeps primary keys, passwords and tokens", arguments: TestDatabase.kinds)
    func dumpdata(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = DjangoFixture(db)
            try await fixture.test { client in
                // Django's form of "secret" (Python: hashlib.pbkdf2_hmac("sha256", b"secret", b"salt", 1000)).
                let hash = "pbkdf2_sha256$1000$salt$qN+JnzxPIE2WfgrWPAkph8EAVeuwF7PZ0ordIY1Peq0="
                let file = """
                    [{"model": "auth.user", "pk": 5, "fields": {"password": "\(hash)", "username": "alice", "first_name": "Alice",
                      "last_name": "Admin", "email": "alice@example.org", "is_staff": true, "is_active": true, "is_superuser": true}},
                     {"model": "authtoken.token", "pk": "0123456789abcdef0123456789abcdef01234567", "fields": {"user": 5, "created": "2024-01-01T00:00:00Z"}},
                     {"model": "helpdesk.queue", "pk": 7, "fields": {"title": "Imported", "slug": "imported"}},
                     {"model": "helpdesk.ticket", "pk": 42, "fields": {"title": "Old", "queue": 7, "created": "2024-03-01T10:00:00Z",
                      "modified": "2024-03-01T10:00:00Z", "submitter_email": "bob@example.org", "assigned_to": 5, "status": 1,
                      "on_hold": false, "description": "help", "resolution": null, "priority": 3, "due_date": null,
                      "secret_key": "abc", "merged_to": null}},
                     {"model": "helpdesk.followup", "pk": 99, "fields": {"ticket": 42, "date": "2024-03-01T10:00:00Z", "title": "Ticket Opened",
                      "comment": "help", "public": true, "user": 5, "new_status": null, "message_id": null, "time_spent": null,
                      "email_recipients": []}},
                     {"model": "helpdesk.followup", "pk": 98, "fields": {"ticket": 42, "date": "2024-03-01T09:00:00Z", "title": "Mailed",
                      "comment": "by mail", "public": true, "user": null, "new_status": null, "message_id": null, "time_spent": null,
                      "email_recipients": []}},
                     {"model": "helpdesk.kbitem", "pk": 1, "fields": {}}]
                    """
                let lines = try await DjangoImporter(services: fixture.services).run(Array(file.utf8))
                #expect(lines.contains("helpdesk.ticket: 1 created, 0 updated"))
                #expect(lines.last == "skipped: helpdesk.kbitem")
                let token = "0123456789abcdef0123456789abcdef01234567"
                let ticket = try await client.send(.get, "/api/tickets/42/", auth: "Token \(token)")
                #expect(ticket.json?["assigned_to"] == .int(5), "\(ticket.text)")
                // In date order; a follow-up without a user (mail) reads back without one.
                #expect(ticket.json?["followup_set"]?[0]?["id"] == .int(98))
                #expect(ticket.json?["followup_set"]?[0]?["user"] == .null)
                #expect(ticket.json?["followup_set"]?[1]?["id"] == .int(99))
                #expect(ticket.json?["queue"] == .int(7))
                let basic = "Basic " + Base64.encode(Array("alice:secret".utf8))
                #expect(try await client.send(.get, "/api/tickets/42/", auth: basic).status == .ok)
                let next = try await client.send(.post, "/api/tickets/", body: #"{"queue":7,"title":"New","description":"d","priority":3}"#)
                #expect(next.json?["id"] == .int(43))
                let again = try await DjangoImporter(services: fixture.services).run(Array(file.utf8))
                #expect(again.contains("helpdesk.ticket: 0 created, 1 updated"))
            }
        }
    }

    @Test(
        "REST: edges as the 2.6.1 peer answers them (custom fields, lists, formats, ids, durations, dates, sizes)",
        arguments: TestDatabase.kinds)
    func peerEdges(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = DjangoFixture(db)
            try await fixture.test { client in
                func field(_ pk: Int, _ name: String, _ type: String, maxLength: String = "null", places: String = "null") -> String {
                    """
                    {"model": "helpdesk.customfield", "pk": \(pk), "fields": {"name": "\(name)", "label": "\(name)", "help_text": "",
                     "data_type": "\(type)", "max_length": \(maxLength), "decimal_places": \(places), "empty_selection_list": false,
                     "list_values": "", "ordering": \(pk), "required": false, "staff_only": false}}
                    """
                }
                let fields = [
                    field(1, "count", "integer"), field(2, "amount", "decimal", maxLength: "6", places: "2"), field(3, "sl", "slug"),
                    field(4, "tm", "time"), field(5, "when", "datetime"), field(6, "day", "date"),
                ]
                _ = try await DjangoImporter(services: fixture.services).run(Array(("[" + fields.joined(separator: ",") + "]").utf8))
                let base = #""queue":1,"title":"T","description":"d","priority":3"#
                func create(_ extra: String) async throws -> DjangoClient.Reply {
                    try await client.send(.post, "/api/tickets/", body: "{\(base),\(extra)}")
                }
                // IntegerField: `int()` of the text, so "1e3" is no integer, while the JSON number 1e3
                // is Python's 1000.0.
                #expect(try await create(#""custom_count":"1e3""#).text == #"{"custom_count":["A valid integer is required."]}"#)
                #expect(try await create(#""custom_count":1e3"#).json?["custom_count"] == .int(1000))
                // DecimalField: `Decimal()` syntax, total digits checked before places.
                let tooMany = try await create(#""custom_amount":"1234.567""#)
                #expect(tooMany.text == #"{"custom_amount":["Ensure that there are no more than 6 digits in total."]}"#)
                #expect(try await create(#""custom_amount":"1e2""#).json?["custom_amount"] == .string("100.00"))
                #expect(try await create(#""custom_amount":" 1_2.5 ""#).json?["custom_amount"] == .string("12.50"))
                #expect(try await create(#""custom_amount":"0.001""#).text.contains("no more than 2 decimal places"))
                #expect(try await create(#""custom_amount":"NaN""#).text == #"{"custom_amount":["A valid number is required."]}"#)
                // SlugField is ASCII; a time is stored as `%H:%M:%S`.
                let slug = try await create(#""custom_sl":"ü""#)
                #expect(slug.text.contains("consisting of letters, numbers, underscores or hyphens"), "\(slug.text)")
                #expect(try await create(#""custom_tm":"05:06:07.5""#).json?["custom_tm"] == .string("05:06:07"))
                // A date as Django's parse_date reads it.
                #expect(try await create(#""custom_day":"2024-2-3""#).json?["custom_day"] == .string("2024-02-03"))
                // An update answers with the values as it validated them (ModelSerializer.update
                // sets them on the instance it renders); the stored ones are read later.
                let dated = try #require(try await create(#""custom_day":"20240203""#).json?["id"]?.scalarString)
                let patched = try await client.send(
                    .patch, "/api/tickets/\(dated)/", body: #"{"custom_when":"2024-05-06T07:08:09.5+01:00","custom_tm":"10:11:12.5"}"#)
                #expect(patched.json?["custom_when"] == .string("2024-05-06T06:08:09.500000Z"), "\(patched.text)")
                #expect(patched.json?["custom_tm"] == .string("10:11:12.500000"))
                let reread = try await client.send(.get, "/api/tickets/\(dated)/")
                #expect(reread.json?["custom_when"] == .string("2024-05-06T06:08") && reread.json?["custom_tm"] == .string("10:11:12"))
                // A date whose offset moves it past year 9999 in UTC is out of range.
                let late = try await create(#""due_date":"9999-12-31T23:59:59-01:00""#)
                #expect(late.text == #"{"due_date":["Datetime value out of range."]}"#)

                // `attachments` in JSON must be a list.
                let notAList = try await client.send(.post, "/api/followups/", body: #"{"ticket":1,"comment":"c","attachments":"abc"}"#)
                #expect(notAList.text == #"{"attachments":["Expected a list of items but got type \"str\"."]}"#)
                let nullList = try await client.send(.post, "/api/followups/", body: #"{"ticket":1,"comment":"c","attachments":null}"#)
                #expect(nullList.text == #"{"attachments":["This field may not be null."]}"#)
                // Long durations as `timedelta` holds them; past its days, DRF's overflow text.
                for (sent, shown) in [("1000000 days", "1000000 00:00:00"), ("10000000000", "115740 17:46:40")] {
                    let spent = try await client.send(
                        .post, "/api/followups/", body: #"{"ticket":1,"comment":"c","time_spent":"\#(sent)"}"#)
                    #expect(spent.json?["time_spent"] == .string(shown), "\(spent.text)")
                }
                let overflow = try await client.send(
                    .post, "/api/followups/", body: #"{"ticket":1,"comment":"c","time_spent":"1000000000 days"}"#)
                #expect(overflow.text == #"{"time_spent":["The number of days must be between -999999999 and 999999999."]}"#)

                // An empty `?format=` is none; a key in the path is read once decoded, as `int()` does.
                #expect(try await client.send(.get, "/api/tickets/?format=").status == .ok)
                #expect(try await client.send(.get, "/api/tickets/%201/").json?["id"] == .int(1))
                // Django refuses a JSON body over 2.5 MiB with its plain 400 page.
                let big = try await create(#""custom_sl":"\#(String(repeating: "a", count: 2_700_000))""#)
                #expect(big.status == .badRequest && big.text.contains("<h1>Bad Request (400)</h1>"), "\(big.status)")
            }
        }
    }

    @Test("REST: a ticket another face merged names its target in merged_to, null once the target is gone", arguments: TestDatabase.kinds)
    func mergedElsewhere(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = DjangoFixture(db)
            try await fixture.test { client in
                var ids: [Int] = []
                for _ in 0..<2 {
                    let created = try await client.send(
                        .post, "/api/tickets/", body: #"{"queue":1,"title":"T","description":"d","priority":3}"#)
                    let id: Int? = if case .number(let text)? = created.json?["id"] { Int(text) } else { nil }
                    ids.append(try #require(id, "\(created.text)"))
                }
                let root = Principal.agent(try #require(try await fixture.services.auth.agentPrincipal(id: 1)))
                let numeric = FaceNumericIDs(externalIDs: fixture.services.externalIDs, face: DjangoFace.faceName)
                let source = try #require(try await numeric.core("ticket", ids[0]))
                let target = try #require(try await numeric.core("ticket", ids[1]))
                try await fixture.services.tickets.merge([source], into: target, by: root)
                let merged = try await client.send(.get, "/api/tickets/\(ids[0])/")
                #expect(merged.json?["merged_to"] == .int(ids[1]) && merged.json?["status"] == .int(5), "\(merged.text)")
                #expect(try await client.send(.get, "/api/tickets/\(ids[1])/").json?["merged_to"] == .null)
                try await fixture.services.tickets.delete(ticketID: target, by: root)
                #expect(try await client.send(.get, "/api/tickets/\(ids[0])/").json?["merged_to"] == .null)
            }
        }
    }

    static func rootPassword(_ db: TestDatabase.Handle) async throws -> String {
        try #require(db.report.rootPassword)
    }
}
