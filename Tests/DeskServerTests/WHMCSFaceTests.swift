import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import DeskTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WHMCS

/// The WHMCS face in-process: an API credential for root, an access key (in-process requests
/// have no client address, so the allow-list never matches) and client 1.
struct WHMCSFixture {
    let services: DeskServices
    static let accessKey = "test-access.key"

    init(_ handle: TestDatabase.Handle) {
        services = DeskServices(store: handle.store, hasher: TestDatabase.hasher)
    }

    func test(_ body: @escaping @Sendable (WHMCSClient) async throws -> Void) async throws {
        let faces = buildFaces(services: services, environment: FaceEnvironment())
        for face in faces { try await face.prepare() }
        let setting = try #require(faces.flatMap(\.settings).first { $0.key == "WHMCS::AccessKey" })
        try await setting.write(Self.accessKey)
        let pair = try await WHMCSAdmin(services: services).addCredential(agent: "root@localhost")
        try await WHMCSAdmin(services: services).addClient(
            id: 1, firstName: "Cynthia", lastName: "Reilly", email: "testuser@whmcs.com", company: "")
        let app = Application(router: buildRouter(AppConfiguration(), services: services), logger: TestLogger.quiet)
        try await app.test(.router) { client in
            try await body(WHMCSClient(client: client, identifier: pair.identifier, secret: pair.secret))
        }
    }
}

struct WHMCSClient {
    let client: any TestClientProtocol
    let identifier: String
    let secret: String

    struct Reply {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String
        var json: JSONValue? { try? JSONParser.parse(Array(text.utf8)) }
    }

    /// POSTs a form with the credential and the access key (unless `auth` replaces them).
    func call(_ action: String, _ fields: [(String, String)] = [], format: String? = "json", auth: [(String, String)]? = nil) async throws
        -> Reply
    {
        var pairs = [("action", action)]
        if let format { pairs.append(("responsetype", format)) }
        pairs += auth ?? [("identifier", identifier), ("secret", secret), ("accesskey", WHMCSFixture.accessKey)]
        pairs += fields
        let body = FormCodec.encode(pairs.map { (key: $0.0, value: $0.1) })
        return try await client.execute(
            uri: "/includes/api.php", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        ) { Reply(status: $0.status, headers: $0.headers, text: String(buffer: $0.body)) }
    }

    /// Opens a ticket for client 1; its WHMCS id.
    func open(_ subject: String = "Server down", _ extra: [(String, String)] = []) async throws -> Int {
        let reply = try await call(
            "OpenTicket", [("deptid", "1"), ("subject", subject), ("message", "It is down."), ("clientid", "1")] + extra)
        guard case .number(let id)? = reply.json?["id"], let value = Int(id) else {
            Issue.record("OpenTicket: \(reply.text)")
            return 0
        }
        return value
    }
}

@Suite("WHMCS face")
struct WHMCSFaceTests {
    /// A ticket another face left in a state no WHMCS status names shows by its state's type
    /// (`new` as Open), and GetTickets' status filter finds it under that status.
    @Test("the status filter finds tickets in states of other faces under the status they show")
    func statusOfOtherStates() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = WHMCSFixture(db)
            try await fixture.test { client in
                let id = try await client.open("Became new")
                let root = Principal.agent(try #require(try await fixture.services.auth.agentPrincipal(id: 1)))
                var query = TicketQuery()
                query.titles = ["Became new"]
                let coreID = try #require(try await fixture.services.tickets.search(query, by: root).first)
                var update = TicketUpdateRequest()
                update.state = .name("new")
                _ = try await fixture.services.tickets.update(ticketID: coreID, update, by: root)
                #expect(try await client.call("GetTicket", [("ticketid", String(id))]).json?["status"] == .string("Open"))
                let open = try await client.call("GetTickets", [("status", "Open")]).json?["tickets"]?["ticket"]?.arrayValue ?? []
                #expect(open.contains { $0["subject"] == .string("Became new") })
                // UpdateTicket reads each field as PHP tests it: "0" is not given.
                let zeros = try await client.call(
                    "UpdateTicket", [("ticketid", String(id)), ("subject", "0"), ("priority", "0"), ("status", "0"), ("created", "0")])
                #expect(zeros.json?["result"] == .string("success"), "\(zeros.text)")
                // Unix seconds outside the years 1–9999 are no date (Int64.min once stored a ticket
                // whose Znuny TicketGet then trapped computing its age).
                for far in ["@-9223372036854775808", "@253402300800", "@-62135596801"] {
                    let refused = try await client.call("UpdateTicket", [("ticketid", String(id)), ("created", far)])
                    #expect(refused.json?["message"] == .string("Invalid Date Format"), "\(far): \(refused.text)")
                }
                #expect(try await client.call("GetTicket", [("ticketid", String(id))]).json?["subject"] == .string("Became new"))
                // `!$replyid` on the raw text: `abc` is given, and then not found.
                let reply = try await client.call("DeleteTicketReply", [("ticketid", String(id)), ("replyid", "abc")])
                #expect(reply.json?["message"] == .string("Reply ID Not Found"), "\(reply.text)")
            }
        }
    }

    /// `mergeOtherTicketsInToThis` copies the latest ticket's status column: a ticket merged
    /// before reads `Closed` there, so the target closes instead of becoming a merged ticket.
    @Test("merging a merged ticket with the latest reply closes the target, never merges it")
    func mergeOfMerged() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            try await WHMCSFixture(db).test { client in
                let old = try await client.open("Old target", [("created", "2024-01-01 00:00:00")])
                let source = try await client.open("Source", [("created", "2024-01-02 00:00:00")])
                let first = try await client.open("First target", [("created", "2024-01-03 00:00:00")])
                _ = try await client.call("AddTicketReply", [("ticketid", String(source)), ("message", "Latest"), ("clientid", "1")])
                let merged = try await client.call("MergeTicket", [("ticketid", String(first)), ("mergeticketids", String(source))])
                #expect(merged.json?["result"] == .string("success"), "\(merged.text)")
                let again = try await client.call("MergeTicket", [("ticketid", String(old)), ("mergeticketids", String(source))])
                #expect(again.json?["result"] == .string("success"), "\(again.text)")
                #expect(try await client.call("GetTicket", [("ticketid", String(old))]).json?["status"] == .string("Closed"))
                let listed = try await client.call("GetTickets", [("status", "Closed")]).json?["tickets"]?["ticket"]?.arrayValue ?? []
                #expect(listed.contains { $0["id"] == .string(String(old)) })
            }
        }
    }

    /// `mergeOtherTicketsInToThis` saves each merged ticket's message as a new reply of the
    /// target (next reply id, the target's client), and GetTicket lists replies by id.
    @Test("a merged ticket's message becomes the target's newest reply: its own id, the target's client or the guest")
    func mergedMessageBecomesReply() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            try await WHMCSFixture(db).test { client in
                func guest(_ subject: String) async throws -> String {
                    let opened = try await client.call(
                        "OpenTicket",
                        [
                            ("deptid", "1"), ("subject", subject), ("message", "Guest text"), ("name", "Gail Guest"),
                            ("email", "gail@example.net"),
                        ])
                    return opened.json?["id"]?.scalarString ?? ""
                }
                func replies(_ id: String) async throws -> [JSONValue] {
                    try await client.call("GetTicket", [("ticketid", id)]).json?["replies"]?["reply"]?.arrayValue ?? []
                }
                let target = String(try await client.open("Target"))
                let source = try await guest("Guest source")
                let before = try await client.call("AddTicketReply", [("ticketid", target), ("message", "Before"), ("clientid", "1")])
                #expect(before.json?["result"] == .string("success"), "\(before.text)")
                _ = try await client.call("MergeTicket", [("ticketid", target), ("mergeticketids", "\(source),\(source)")])
                let rows = try await replies(target)
                #expect(rows.map { $0["message"]?.scalarString ?? "" } == ["It is down.", "Before", "Guest text"])
                #expect(rows.map { $0["replyid"]?.scalarString ?? "" } == ["0", "1", "2"])
                let moved = rows.last
                #expect(moved?["userid"] == .string("1") && moved?["contactid"] == .string("0"))
                #expect(moved?["name"] == .string("Cynthia Reilly") && moved?["email"] == .string("testuser@whmcs.com"))
                // The merged ticket keeps its guest's name; the merge cleared its address.
                let emptied = try await client.call("GetTicket", [("ticketid", source)]).json
                #expect(emptied?["status"] == .string("Closed") && emptied?["email"] == .string(""), "\(String(describing: emptied))")
                #expect(emptied?["name"] == .string("Gail Guest") && emptied?["requestor_type"] == .string("Guest"))
                // Into a guest's ticket, a client's message keeps no name or address.
                let guestTarget = try await guest("Guest target")
                let clients = String(try await client.open("Client source"))
                _ = try await client.call("MergeTicket", [("ticketid", guestTarget), ("mergeticketids", clients)])
                let last = try await replies(guestTarget).last
                #expect(last?["replyid"] == .string("3") && last?["message"] == .string("It is down."))
                #expect(last?["name"] == .string("Undefined") && last?["email"] == .string(""))
                #expect(last?["requestor_type"] == .string("Guest") && last?["userid"] == .string("0"))
            }
        }
    }

    /// `openticket.php` passes `cc` on (trimmed, split at commas, `FILTER_VALIDATE_EMAIL`);
    /// `gettickets.php` hands `limitnum` to Laravel's `limit()` after `empty()` gave 25.
    @Test("OpenTicket keeps the valid entries of cc and cuts emoji; GetTickets reads limitnum as PHP and Laravel do")
    func ccAndLimits() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            try await WHMCSFixture(db).test { client in
                let given = " a@example.com,not an address,a@example.com, b@example.com,c@example.org "
                let id = try await client.open("Copied", [("cc", given)])
                let ticket = try await client.call("GetTicket", [("ticketid", String(id))])
                #expect(ticket.json?["cc"] == .string("a@example.com,c@example.org"), "\(ticket.text)")
                // `processUtf8Mb4` (CutUtf8Mb4 on): smileys as text, other emoji removed.
                let smiling = try await client.open("Great 😀 thanks 👍 ☀")
                let shown = try await client.call("GetTicket", [("ticketid", String(smiling))]).json
                // (WHMCS keeps the two spaces at the end; SwiftDesk trims subjects: docs/whmcs.md.)
                #expect(shown?["subject"] == .string("Great :) thanks"))
                func count(_ limit: String) async throws -> JSONValue? {
                    try await client.call("GetTickets", [("limitnum", limit)]).json?["numreturned"]
                }
                #expect(try await count("1") == .number("1"))
                // A guest using the client's address opens a ticket of no client (`userid` 0).
                let guest = try await client.call(
                    "OpenTicket",
                    [
                        ("deptid", "1"), ("subject", "From the contact form"), ("message", "Hi"), ("name", "Cyn"),
                        ("email", "testuser@whmcs.com"),
                    ])
                #expect(guest.json?["result"] == .string("success"), "\(guest.text)")
                let own = try await client.call("GetTickets", [("clientid", "1")]).json?["tickets"]?["ticket"]?.arrayValue ?? []
                #expect(!own.contains { $0["subject"] == .string("From the contact form") })
                #expect(try await client.call("GetTickets", [("limitnum", "-1")]).json?["numreturned"] == .number("3"))
                #expect(try await count("0") == .number("3"))
                #expect(try await count("-1") == .number("3"))
                #expect(try await count("abc") == .number("0"))
            }
        }
    }

    /// GetTickets' `email` is `email = X OR userid = <the client with address X>`: a guest's
    /// tickets with that address and, for a client's address, the client's tickets too.
    @Test("GetTickets by e-mail finds guest tickets and the client's; an admin reply keeps its clientid", arguments: TestDatabase.kinds)
    func emailFilterAndAdminReplyClient(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await WHMCSFixture(db).test { client in
                let own = try await client.open("Client's own")
                func guest(_ subject: String, _ email: String) async throws -> Int {
                    let reply = try await client.call(
                        "OpenTicket", [("deptid", "1"), ("subject", subject), ("message", "Hi"), ("name", "Gwen"), ("email", email)])
                    return try #require(reply.json?["id"]?.scalarString.flatMap { Int($0) }, "\(reply.text)")
                }
                let sameAddress = try await guest("Contact form", "testuser@whmcs.com")
                let other = try await guest("Other guest", "gwen@example.com")
                func ids(_ fields: [(String, String)]) async throws -> Set<Int> {
                    let list = try await client.call("GetTickets", fields).json?["tickets"]?["ticket"]?.arrayValue ?? []
                    return Set(list.compactMap { $0["id"]?.scalarString.flatMap { Int($0) } })
                }
                #expect(try await ids([("email", "testuser@whmcs.com")]) == [own, sameAddress])
                #expect(try await ids([("email", "TestUser@WHMCS.com")]) == [own, sameAddress])
                #expect(try await ids([("email", "testuser@whmcs.com"), ("clientid", "1")]) == [own])
                #expect(try await ids([("email", "gwen@example.com")]) == [other])
                #expect(try await ids([("email", "gwen@example.com"), ("clientid", "1")]) == [])
                #expect(try await ids([("email", "nobody@example.com")]) == [])

                // WHMCS stores the `clientid` given with an admin's reply in the reply's row.
                let reply = try await client.call(
                    "AddTicketReply",
                    [("ticketid", String(other)), ("message", "On it"), ("adminusername", "Olga Admin"), ("clientid", "1")])
                #expect(reply.text == #"{"result":"success"}"#)
                let ticket = try await client.call("GetTicket", [("ticketid", String(other))]).json
                let row = try #require(ticket?["replies"]?["reply"]?.arrayValue?.last)
                #expect(row["userid"] == .string("1") && row["contactid"] == .string("0"), "\(row)")
                #expect(row["name"] == .string("Olga Admin") && row["email"] == .string(""))
                #expect(row["requestor_type"] == .string("Operator") && row["admin"] == .string("Olga Admin"))
                #expect(ticket?["userid"] == .string("0"))
            }
        }
    }

    /// GetTickets lists by `lastreply`, newest first: opening and replies count, notes and
    /// updates do not.
    @Test("GetTickets lists the last replied first; notes and updates leave a ticket in its place", arguments: TestDatabase.kinds)
    func lastReplyOrder(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await WHMCSFixture(db).test { client in
                func order() async throws -> [String] {
                    let list = try await client.call("GetTickets").json?["tickets"]?["ticket"]?.arrayValue ?? []
                    return list.compactMap { $0["subject"]?.scalarString }
                }
                let older = try await client.open("Older", [("created", "2026-01-01 10:00:00")])
                _ = try await client.open("Newer", [("created", "2026-01-02 10:00:00")])
                #expect(try await order() == ["Newer", "Older"])
                _ = try await client.call("AddTicketNote", [("ticketid", String(older)), ("message", "Internal")])
                _ = try await client.call("UpdateTicket", [("ticketid", String(older)), ("priority", "High")])
                #expect(try await order() == ["Newer", "Older"])
                let one = try await client.call("GetTickets", [("limitnum", "1")]).json?["tickets"]?["ticket"]?[0]
                #expect(one?["subject"] == .string("Newer"))
                _ = try await client.call(
                    "AddTicketReply", [("ticketid", String(older)), ("message", "Any news?"), ("clientid", "1")])
                #expect(try await order() == ["Older", "Newer"])
            }
        }
    }

    @Test("OpenTicket answers id, tid and c; GetTicket shows the ticket in WHMCS's shape", arguments: TestDatabase.kinds)
    func openAndGet(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await WHMCSFixture(db).test { client in
                let opened = try await client.call(
                    "OpenTicket",
                    [("deptid", "1"), ("subject", #"A & "B""#), ("message", "Help <now>"), ("clientid", "1"), ("priority", "High")])
                #expect(opened.status == .ok)
                #expect(opened.headers[.contentType] == "application/json")
                let tid = try #require(opened.json?["tid"]?.scalarString)
                let code = try #require(opened.json?["c"]?.scalarString)
                #expect(opened.text == #"{"result":"success","id":1,"tid":"\#(tid)","c":"\#(code)"}"#)
                #expect(tid.wholeMatch(of: /[A-Z]{3}-[0-9]{6}/) != nil)
                #expect(code.wholeMatch(of: /[0-9a-zA-Z]{8}/) != nil)

                let ticket = try await client.call("GetTicket", [("ticketid", "1")])
                let json = try #require(ticket.json)
                #expect(ticket.text.hasPrefix(#"{"result":"success","id":"1","ticketid":"1","tid":"\#(tid)","c":"\#(code)","deptid":"1","#))
                #expect(json["subject"] == .string("A &amp; &quot;B&quot;"))
                #expect(ticket.text.contains(#""subject":"A \u0026amp; \u0026quot;B\u0026quot;""#))
                #expect(json["status"] == .string("Open") && json["priority"] == .string("High"))
                #expect(json["requestor_type"] == .string("Owner") && json["userid"] == .string("1"))
                #expect(json["replies"]?["reply"]?[0]?["replyid"] == .string("0"))
                #expect(json["replies"]?["reply"]?[0]?["message"] == .string("Help &lt;now&gt;"))
                #expect(ticket.text.hasSuffix(#""notes":[]}"#))

                // By public number, and XML by default for GetTicket.
                let xml = try await client.call("GetTicket", [("ticketnum", tid)], format: nil)
                #expect(xml.headers[.contentType] == "application/xml; charset=utf-8")
                #expect(
                    xml.text.hasPrefix(
                        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<whmcsapi version=\"8.7.2\">\n<action>getticket</action>\n"))
                #expect(xml.text.contains("<subject><![CDATA[A & \"B\"]]></subject>\n"))
                #expect(xml.text.hasSuffix("</replies>\n</whmcsapi>"))

                // NVP by default for OpenTicket; the priority falls back to Low.
                let nvp = try await client.call(
                    "OpenTicket",
                    [("deptid", "1"), ("subject", "Second"), ("message", "x"), ("name", "Guest"), ("email", "g@example.com")],
                    format: nil)
                #expect(nvp.headers[.contentType] == "text/plain; charset=utf-8")
                #expect(nvp.text.hasPrefix("result=success;id=2;tid="), "\(nvp.text)")
                let second = try await client.call("GetTicket", [("ticketid", "2")])
                #expect(second.json?["priority"] == .string("Low") && second.json?["requestor_type"] == .string("Guest"))
                #expect(second.json?["userid"] == .string("0") && second.json?["email"] == .string("g@example.com"))
            }
        }
    }

    @Test("Access and credential errors are WHMCS's, with HTTP 403", arguments: TestDatabase.kinds)
    func authentication(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = WHMCSFixture(db)
            try await fixture.test { client in
                let noKey = try await client.call(
                    "GetTicket", [("ticketid", "1")], auth: [("identifier", client.identifier), ("secret", client.secret)])
                #expect(noKey.status == .forbidden && noKey.text == #"{"result":"error","message":"Invalid IP "}"#)
                let badKey = try await client.call("GetTickets", auth: [("accesskey", "wrong")])
                #expect(badKey.status == .forbidden && badKey.json?["message"] == .string("Invalid Access Key"))
                let nothing = try await client.call("GetTickets", format: nil, auth: [("accesskey", WHMCSFixture.accessKey)])
                #expect(nothing.status == .forbidden && nothing.text == "result=error;message=Authentication Failed")
                let unknown = try await client.call(
                    "GetTickets", auth: [("identifier", "nobody"), ("secret", "x"), ("accesskey", WHMCSFixture.accessKey)])
                #expect(unknown.json?["message"] == .string("Invalid or missing credentials"))
                let wrong = try await client.call(
                    "GetTickets", auth: [("identifier", client.identifier), ("secret", "wrong"), ("accesskey", WHMCSFixture.accessKey)])
                #expect(wrong.status == .forbidden && wrong.json?["message"] == .string("Authentication Failed"))
                let invalidAction = try await client.call("NoSuchThing")
                #expect(invalidAction.status == .forbidden)
                #expect(invalidAction.json?["message"] == .string(#"Invalid API Action: "nosuchthing" is not a valid API action"#))
                let empty = try await client.call("")
                #expect(empty.status == .badRequest && empty.json?["message"] == .string("Empty action request"))
                let badFormat = try await client.call("GetTickets", format: "yaml")
                #expect(
                    badFormat.text
                        == #"result=error;message=Unsupported API response type format "yaml". Supported formats include: json, xml, nvp"#)
                let nvpList = try await client.call("GetTickets", format: "nvp")
                #expect(nvpList.text == "result=error;message=This API action only supports the XML or JSON response type formats")

                // The legacy admin login: username and the MD5 hex of the password, once enabled.
                try await fixture.services.admin.setAgentPassword(login: "root@localhost", password: "Root-Pass-1")
                let md5 = LegacyDigest.md5Hex("Root-Pass-1")
                let before = try await client.call(
                    "GetTickets", auth: [("username", "root@localhost"), ("password", md5), ("accesskey", WHMCSFixture.accessKey)])
                #expect(before.json?["message"] == .string("Authentication Failed"))
                try await WHMCSAdmin(services: fixture.services).enableAdminLogin(agent: "root@localhost", password: "Root-Pass-1")
                let legacy = try await client.call(
                    "GetTickets",
                    auth: [("username", "root@localhost"), ("password", md5.uppercased()), ("accesskey", WHMCSFixture.accessKey)])
                #expect(legacy.json?["result"] == .string("success"), "\(legacy.text)")
                let plain = try await client.call(
                    "GetTickets",
                    auth: [("username", "root@localhost"), ("password", "Root-Pass-1"), ("accesskey", WHMCSFixture.accessKey)])
                #expect(plain.json?["message"] == .string("Invalid password provided"))
                let notFound = try await client.call(
                    "Frobnicate", auth: [("username", "root@localhost"), ("password", md5), ("accesskey", WHMCSFixture.accessKey)])
                #expect(notFound.status == .ok && notFound.json?["message"] == .string("API Function Not Found"))
                // A non-MD5 password counts as a failed attempt: after ten the login is throttled
                // and the answer no longer tells that it is an admin login.
                for _ in 0..<9 {
                    _ = try await client.call(
                        "GetTickets", auth: [("username", "root@localhost"), ("password", "x"), ("accesskey", WHMCSFixture.accessKey)])
                }
                let throttled = try await client.call(
                    "GetTickets", auth: [("username", "root@localhost"), ("password", "x"), ("accesskey", WHMCSFixture.accessKey)])
                #expect(throttled.json?["message"] == .string("Authentication Failed"))
            }
        }
    }

    @Test("Replies, notes, updates and a merge", arguments: TestDatabase.kinds)
    func conversation(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await WHMCSFixture(db).test { client in
                let first = try await client.open("First")
                let second = try await client.open("Second")
                let reply = try await client.call(
                    "AddTicketReply", [("ticketid", String(first)), ("message", "We are on it."), ("adminusername", "Olga Admin")])
                #expect(reply.text == #"{"result":"success"}"#)
                let customer = try await client.call(
                    "AddTicketReply", [("ticketid", String(first)), ("message", "Thanks"), ("clientid", "1")])
                #expect(customer.text == #"{"result":"success"}"#)
                let note = try await client.call("AddTicketNote", [("ticketid", String(first)), ("message", "Internal")])
                #expect(note.text == #"{"result":"success"}"#)
                var ticket = try #require(try await client.call("GetTicket", [("ticketid", String(first))]).json)
                #expect(ticket["status"] == .string("Customer-Reply"))
                let replies = try #require(ticket["replies"]?["reply"]?.arrayValue)
                #expect(replies.count == 3)
                #expect(replies[1]["replyid"] == .string("1") && replies[1]["admin"] == .string("Olga Admin"))
                #expect(replies[1]["requestor_type"] == .string("Operator") && replies[1]["rating"] == .string("0"))
                #expect(replies[2]["replyid"] == .string("2") && replies[2]["requestor_type"] == .string("Owner"))
                #expect(ticket["notes"]?["note"]?[0]?["noteid"] == .string("1"))
                #expect(ticket["notes"]?["note"]?[0]?["admin"] == .string("Admin OTRS"))

                let errors: [([(String, String)], String)] = [
                    ([("ticketid", "99")], "Ticket ID Not Found"),
                    (
                        [("ticketid", String(first)), ("priority", "Urgent")],
                        "Invalid Ticket Priority. Valid priorities are: Low,Medium,High"
                    ),
                    (
                        [("ticketid", String(first)), ("status", "Gone")],
                        "Invalid Ticket Status. Valid statuses are: Open,Answered,Customer-Reply,On Hold,In Progress,Closed"
                    ),
                    ([("ticketid", String(first)), ("deptid", "7")], "Department ID Not Found"),
                    ([("ticketid", String(first)), ("flag", "999")], "Invalid Admin ID for Flag"),
                ]
                for (fields, message) in errors {
                    #expect(try await client.call("UpdateTicket", fields).json?["message"] == .string(message))
                }
                let updated = try await client.call(
                    "UpdateTicket",
                    [("ticketid", String(first)), ("status", "In Progress"), ("priority", "High"), ("flag", "1"), ("cc", "a@example.com")])
                #expect(updated.text == #"{"result":"success","ticketid":\#(first)}"#)
                ticket = try #require(try await client.call("GetTicket", [("ticketid", String(first))]).json)
                #expect(ticket["status"] == .string("In Progress") && ticket["priority"] == .string("High"))
                #expect(ticket["flag"] == .string("0") && ticket["cc"] == .string("a@example.com"))

                let edited = try await client.call("UpdateTicketReply", [("replyid", "1"), ("message", "Edited")])
                #expect(edited.text == #"{"result":"success","replyid":1}"#)
                #expect(
                    try await client.call("UpdateTicketReply", [("replyid", "42"), ("message", "x")]).json?["message"]
                        == .string("Reply ID Not Found"))

                let merged = try await client.call("MergeTicket", [("ticketid", String(first)), ("mergeticketids", "\(second),77")])
                #expect(merged.json?["message"] == .string("Invalid Merge Ticket IDs: 77"))
                let merge = try await client.call("MergeTicket", [("ticketid", String(first)), ("mergeticketids", String(second))])
                #expect(merge.text == #"{"result":"success","ticketid":\#(first)}"#)
                ticket = try #require(try await client.call("GetTicket", [("ticketid", String(first))]).json)
                #expect(ticket["subject"] == .string("First [MERGED]"))
                #expect(ticket["replies"]?["reply"]?.arrayValue?.count == 4)
                let list = try await client.call("GetTickets")
                #expect(list.json?["totalresults"] == .int(1), "\(list.text)")
                #expect(
                    try await client.call("MergeTicket", [("ticketid", String(second)), ("mergeticketids", String(first))]).json?["message"]
                        == .string("Ticket ID Invalid"))

                let deleted = try await client.call("DeleteTicketNote", [("noteid", "1")])
                #expect(deleted.text == #"{"result":"success","noteid":"1"}"#)
                #expect(
                    try await client.call("DeleteTicketReply", [("ticketid", String(first)), ("replyid", "2")]).text
                        == #"{"result":"success"}"#)
                #expect(try await client.call("DeleteTicket", [("ticketid", String(first))]).text == #"{"result":"success"}"#)
                #expect(
                    try await client.call("DeleteTicket", [("ticketid", String(first))]).json?["message"] == .string("Ticket ID not found"))
            }
        }
    }

    @Test("Attachments, custom fields and counts", arguments: TestDatabase.kinds)
    func attachmentsAndCounts(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await WHMCSFixture(db).test { client in
                let files = #"[{"name":"notes.txt","data":"aGVsbG8="},{"name":"evil.php","data":"PD9waHA="}]"#
                let id = try await client.open(
                    "With files", [("attachments", Base64.encode(Array(files.utf8))), ("customfields", "not base64!")])
                let ticket = try #require(try await client.call("GetTicket", [("ticketid", String(id))]).json)
                #expect(ticket["attachments"] == .array([.object(["filename": .string("notes.txt"), "index": .int(0)])]))
                #expect(ticket["attachment"]?.scalarString?.wholeMatch(of: /[0-9]{6}_notes\.txt/) != nil)
                let file = try await client.call("GetTicketAttachment", [("relatedid", String(id)), ("type", "ticket"), ("index", "0")])
                #expect(file.text == #"{"result":"success","filename":"notes.txt","data":"aGVsbG8="}"#)
                #expect(
                    try await client.call("GetTicketAttachment", [("relatedid", String(id)), ("type", "ticket"), ("index", "3")]).json?[
                        "message"]
                        == .string("Invalid Attachment Index"))
                #expect(
                    try await client.call("GetTicketAttachment", [("relatedid", String(id)), ("type", "Ticket"), ("index", "0")]).json?[
                        "message"]
                        == .string("Invalid Type. Must be one of ticket, reply, note"))

                let counts = try await client.call("GetTicketCounts", [("includeCountsByStatus", "1")])
                #expect(
                    counts.text.hasPrefix(
                        #"{"result":"success","filteredDepartments":[1],"allActive":1,"awaitingReply":1,"flaggedTickets":0,"#),
                    "\(counts.text)")
                #expect(counts.json?["status"]?["customerreply"]?["title"] == .string("Customer-Reply"))
                let statuses = try await client.call("GetSupportStatuses")
                #expect(
                    statuses.text.contains(##"{"status":[{"title":"Open","count":1,"color":"#779500"},{"title":"Answered","count":0,"##))
                let departments = try await client.call("GetSupportDepartments")
                #expect(
                    departments.text
                        == #"{"result":"success","totalresults":1,"departments":{"department":[{"id":"1","name":"Sample Support Department","awaitingreply":"1","opentickets":"1"}]}}"#
                )
                let none = try await client.call("GetTickets", [("status", "Closed")])
                #expect(none.text == #"{"result":"success","totalresults":0,"startnumber":0,"numreturned":0}"#)
                let cats = try await client.call("GetTicketPredefinedCats")
                #expect(cats.text == #"{"result":"success","totalresults":0}"#)
            }
        }
    }

    @Test("Import keeps ids, tid and c", arguments: TestDatabase.kinds)
    func importTables(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = WHMCSFixture(db)
            try await fixture.test { client in
                let tables = #"""
                    {"tblticketdepartments":[{"id":3,"name":"Billing"}],
                     "tblclients":[{"id":7,"firstname":"Ann","lastname":"Lee","companyname":"Lee &amp; Co","email":"ann@example.com"}],
                     "tblcontacts":[{"id":4,"userid":7,"firstname":"Bo","lastname":"Lee","email":"bo@example.com"}],
                     "tblcustomfields":[{"id":9,"type":"support","relid":3,"fieldname":"Domain"}],
                     "tbltickets":[{"id":40,"tid":"ABC-123456","did":3,"userid":7,"contactid":4,"c":"KPqH7yG3","date":"2016-01-01 06:26:29",
                       "title":"Invoice","message":"Wrong &amp; late","status":"Answered","urgency":"Medium","admin":"","lastreply":"2016-01-01 06:30:16","flag":0},
                      {"id":39,"tid":"ABC-123455","did":3,"userid":0,"contactid":0,"name":"Ann at home","email":"Ann@Example.com","c":"KPqH7yG2",
                       "date":"2015-12-31 09:00:00","title":"From home","message":"Hello","status":"Open","urgency":"Low","admin":""}],
                     "tblticketreplies":[{"id":12,"tid":40,"userid":0,"name":"","email":"","date":"2016-01-01 06:30:16","message":"Fixed","admin":"Admin User","rating":4}],
                     "tblticketnotes":[{"id":5,"ticketid":40,"admin":"Admin User","date":"2016-01-01 06:28:00","message":"check"}],
                     "tblsomething":[]}
                    """#
                let lines = try await WHMCSImporter(services: fixture.services).run(Array(tables.utf8))
                #expect(lines.last == "skipped: tblsomething")
                let again = try await WHMCSImporter(services: fixture.services).run(Array(tables.utf8))
                #expect(again.contains("tbltickets: 0 created, 2 updated"), "\(again)")

                let ticket = try #require(try await client.call("GetTicket", [("ticketnum", "ABC-123456")]).json)
                #expect(ticket["id"] == .string("40") && ticket["c"] == .string("KPqH7yG3") && ticket["deptid"] == .string("3"))
                #expect(
                    ticket["userid"] == .string("7") && ticket["contactid"] == .string("4")
                        && ticket["requestor_type"] == .string("Sub-account"))
                #expect(ticket["date"] == .string("2016-01-01 06:26:29") && ticket["status"] == .string("Answered"))
                #expect(ticket["replies"]?["reply"]?[0]?["message"] == .string("Wrong &amp; late"))
                #expect(ticket["replies"]?["reply"]?[1]?["replyid"] == .string("12"))
                #expect(ticket["replies"]?["reply"]?[1]?["rating"] == .string("4"))
                #expect(ticket["notes"]?["note"]?[0]?["noteid"] == .string("5"))
                let next = try await client.call(
                    "OpenTicket", [("deptid", "3"), ("subject", "New"), ("message", "m"), ("clientid", "7"), ("contactid", "4")])
                #expect(next.json?["id"] == .int(41), "\(next.text)")
                // A guest ticket with a client's address is no client's; `email` finds it with the
                // client's, and a contact's address (no client's) only guest tickets with it.
                func ids(_ fields: [(String, String)]) async throws -> [String] {
                    let list = try await client.call("GetTickets", fields).json?["tickets"]?["ticket"]?.arrayValue ?? []
                    return list.compactMap { $0["id"]?.scalarString }.sorted()
                }
                #expect(try await ids([("clientid", "7")]) == ["40", "41"])
                #expect(try await ids([("email", "ann@example.com")]) == ["39", "40", "41"])
                #expect(try await ids([("email", "bo@example.com")]) == [])

                let broken = #"{"tbltickets":[{"id":1,"did":99,"status":"Open","title":"x"}]}"#
                await #expect(throws: (any Error).self) { _ = try await WHMCSImporter(services: fixture.services).run(Array(broken.utf8)) }
                do {
                    _ = try await WHMCSImporter(services: fixture.services).run(Array(broken.utf8))
                } catch {
                    #expect("\(error)" == "tbltickets id 1: column 'did': no department with id 99")
                }
            }
        }
    }

    @Test(
        "Guests with clientid=0, email changes on client tickets, merging an older ticket into a newer one", arguments: TestDatabase.kinds)
    func requestersAndMerges(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await WHMCSFixture(db).test { client in
                let older = try await client.call(
                    "OpenTicket",
                    [
                        ("deptid", "1"), ("subject", "Older"), ("message", "older text"), ("clientid", "0"), ("name", "Gus Guest"),
                        ("email", "gus@example.com"),
                    ])
                #expect(older.json?["id"] == .int(1), "\(older.text)")
                let newer = try await client.open("Newer")
                var ticket = try #require(try await client.call("GetTicket", [("ticketid", "1")]).json)
                #expect(ticket["requestor_type"] == .string("Guest") && ticket["name"] == .string("Gus Guest"))

                // An address on a client's ticket changes the address, not the client.
                _ = try await client.call("UpdateTicket", [("ticketid", String(newer)), ("email", "other@example.com")])
                ticket = try #require(try await client.call("GetTicket", [("ticketid", String(newer))]).json)
                #expect(ticket["userid"] == .string("1"))
                #expect(try await client.call("GetTickets", [("clientid", "1")]).json?["totalresults"] == .int(1))

                // The older ticket's message becomes a reply; the newer one keeps its own.
                let merged = try await client.call("MergeTicket", [("ticketid", String(newer)), ("mergeticketids", "1")])
                #expect(merged.text == #"{"result":"success","ticketid":\#(newer)}"#)
                ticket = try #require(try await client.call("GetTicket", [("ticketid", String(newer))]).json)
                let replies = try #require(ticket["replies"]?["reply"]?.arrayValue)
                #expect(replies.first?["message"] == .string("It is down.") && replies.first?["replyid"] == .string("0"))
                #expect(replies.count == 2 && replies[1]["message"] == .string("older text"))
                _ = try await client.call("UpdateTicket", [("ticketid", String(newer)), ("message", "Rewritten")])
                ticket = try #require(try await client.call("GetTicket", [("ticketid", String(newer))]).json)
                #expect(ticket["replies"]?["reply"]?[0]?["message"] == .string("Rewritten"))
                #expect(ticket["replies"]?["reply"]?[1]?["message"] == .string("older text"))
                #expect(
                    try await client.call("MergeTicket", [("ticketid", "1"), ("mergeticketids", String(newer))]).json?["message"]
                        == .string("Ticket ID Invalid"))

                let blocked = try await client.call(
                    "OpenTicket", [("deptid", "1"), ("subject", "Spam"), ("message", "x"), ("name", "S"), ("email", "spam@example.com")])
                let spam = try #require(blocked.json?["id"]?.scalarString)
                #expect(
                    try await client.call("BlockTicketSender", [("ticketid", String(newer))]).json?["message"]
                        == .string("A Client Cannot Be Blocked"))
                let block = try await client.call("BlockTicketSender", [("ticketid", spam), ("delete", "1")])
                #expect(block.text == #"{"result":"success","deleted":true}"#)
                #expect(try await client.call("GetTicket", [("ticketid", spam)]).json?["message"] == .string("Ticket ID Not Found"))
            }
        }
    }

    @Test("A bad import writes nothing, not even the states of new statuses", arguments: TestDatabase.kinds)
    func importIsOneTransaction(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = WHMCSFixture(db)
            try await fixture.test { client in
                let tables = #"""
                    {"tblticketstatuses":[{"id":1,"title":"Open","showactive":1,"showawaiting":1,"sortorder":1},
                                          {"id":7,"title":"Waiting on Vendor","showactive":1,"showawaiting":0,"sortorder":7}],
                     "tblclients":[{"id":2,"firstname":"A","lastname":"B","email":"dup@example.com"}],
                     "tblcontacts":[{"id":3,"userid":2,"firstname":"C","lastname":"D","email":"DUP@example.com"}]}
                    """#
                do {
                    _ = try await WHMCSImporter(services: fixture.services).run(Array(tables.utf8))
                    Issue.record("the import should fail")
                } catch {
                    #expect("\(error)" == "tblcontacts id 3: column 'email': DUP@example.com is also the address of tblclients id 2")
                }
                #expect(try await fixture.services.catalog().states["waiting on vendor"] == nil)
                let statuses = try await client.call("GetSupportStatuses")
                #expect(statuses.json?["totalresults"] == .int(6))

                let merged = #"""
                    {"tbltickets":[{"id":5,"tid":"XYZ-000001","did":1,"userid":0,"name":"N","email":"n@example.com","c":"abcdefgh",
                      "date":"2020-01-01 00:00:00","title":"Old","message":"m","status":"Closed","urgency":"Low","merged_ticket_id":6},
                      {"id":6,"tid":"XYZ-000002","did":1,"userid":0,"name":"N","email":"n@example.com","c":"abcdefgi",
                      "date":"2020-01-02 00:00:00","title":"Kept","message":"m","status":"Open","urgency":"Low","merged_ticket_id":0}]}
                    """#
                _ = try await WHMCSImporter(services: fixture.services).run(Array(merged.utf8))
                let list = try await client.call("GetTickets")
                #expect(list.json?["totalresults"] == .int(1) && list.json?["tickets"]?["ticket"]?[0]?["id"] == .string("6"))
            }
        }
    }
}
