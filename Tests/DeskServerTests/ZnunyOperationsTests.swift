import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import DeskTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OTRSCommon
import OTRSRPC
import Testing
import ZnunyGI

@Suite("Znuny operations beyond the sample routes")
struct ZnunyOperationsTests {
    func route(_ fixture: ZnunyFixture, _ method: String, _ path: String, _ operation: String) async throws {
        try await WebServiceAdmin(services: fixture.services).addRoute(
            webService: "GenericTicketConnectorREST", method: method, route: path, operationType: operation, operationName: nil)
    }

    @Test("TimeAccountingGet needs the timeaccounting_webservice group and lists accounted time", arguments: TestDatabase.kinds)
    func timeAccounting(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await route(fixture, "POST", "/TimeAccounting", "TimeAccountingGet")
            try await fixture.test { client in
                var create = ZnunyRESTTests.ticketBody(fixture.root).objectValue!
                var article = create["Article"]!.objectValue!
                article["TimeUnit"] = .string("1,5")
                create["Article"] = .object(article)
                let created = try await client.send(.post, "/Ticket", json: .object(create))
                #expect(created.json?["TicketNumber"] != nil, "\(created.text)")

                var query = fixture.root
                query["TimeAccountingUserLogin"] = .string("root@localhost")
                query["TimeAccountingStart"] = .string("2000-01-01 00:00:00")
                query["TimeAccountingEnd"] = .string("2100-01-01 00:00:00")
                let denied = try await client.send(.post, "/TimeAccounting", json: .object(query))
                #expect(denied.json?.at("Error", "ErrorCode") == .string("TimeAccountingGet.NoPermission"))

                try await fixture.services.admin.grant(
                    login: "root@localhost", grants: [.init(group: "timeaccounting_webservice", permission: .rw)])
                let listed = try await client.send(.post, "/TimeAccounting", json: .object(query))
                let row = try #require(listed.json?["TimeAccountingResult"]?[0])
                #expect(row["TimeUnit"] == .string("1.50"))
                #expect(row["Queue"] == .string("Misc"))
                #expect(row["TicketNumber"] == created.json?["TicketNumber"])

                // The queue is the one the ticket was in when the time was accounted (Znuny's
                // HistoryTicketGet at that second); the login is compared without case; the
                // database reads `T` and minutes-only times.
                try await Task.sleep(for: .milliseconds(1_100))
                var move = fixture.root
                move["Ticket"] = .object(["Queue": .string("Raw")])
                let ticketID = try #require(created.json?["TicketID"]?.scalarString)
                #expect(try await client.send(.patch, "/Ticket/\(ticketID)", json: .object(move)).json?["TicketID"] != nil)
                var later = query
                later["TimeAccountingUserLogin"] = .string("ROOT@localhost")
                later["TimeAccountingStart"] = .string("2000-01-01T00:00")
                let moved = try await client.send(.post, "/TimeAccounting", json: .object(later))
                #expect(moved.json?["TimeAccountingResult"]?[0]?["Queue"] == .string("Misc"), "\(moved.text)")

                query["TimeAccountingUserLogin"] = .string("nobody")
                #expect(try await client.send(.post, "/TimeAccounting", json: .object(query)).json == .object([:]))
                query.removeValue(forKey: "TimeAccountingEnd")
                let missing = try await client.send(.post, "/TimeAccounting", json: .object(query))
                #expect(missing.json?.at("Error", "ErrorMessage") == .string("TimeAccountingGet: TimeAccountingEnd parameter is missing!"))
            }
        }
    }

    @Test("User::OutOfOffice takes the CSV of Znuny's mapping; admins only")
    func outOfOffice() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await route(fixture, "POST", "/OutOfOffice", "OutOfOffice")
            try await fixture.addAgent("Olga", "Agent")
            try await fixture.test { client in
                var body = fixture.root
                body["OutOfOfficeEntriesCSVString"] = .string(
                    "UserLogin,StartDate,EndDate,OutOfOffice\nolga,01.12.2026 00:00:00,14.12.2026 23:59:59,yes\n"
                        + "ghost,2026-12-01,2026-12-02,1\n")
                let reply = try await client.send(.post, "/OutOfOffice", json: .object(body))
                #expect(reply.json == .object(["Success": .number("1")]), "\(reply.text)")
                let olga = try await db.store.read { try await $0.agent(login: "olga") }
                #expect(olga?.outOfOffice == true)
                #expect(olga?.outOfOfficeStart == "2026-12-01")
                #expect(olga?.outOfOfficeEnd == "2026-12-14")
                // The mapping converts only `dd.mm.yyyy hh:mm:ss`: a date alone is no date.
                var dateOnly = fixture.root
                dateOnly["OutOfOfficeEntriesCSVString"] = .string(
                    "UserLogin,StartDate,EndDate,OutOfOffice\nolga,05.01.2027,09.01.2027,yes\n")
                #expect(try await client.send(.post, "/OutOfOffice", json: .object(dateOnly)).json?["Success"] != nil)
                let unchanged = try await db.store.read { try await $0.agent(login: "olga") }
                #expect(unchanged?.outOfOfficeStart == "2026-12-01" && unchanged?.outOfOfficeEnd == "2026-12-14")
                // A list is a list whatever it holds: entries that are not objects are skipped.
                var odd = fixture.root
                odd["OutOfOfficeEntries"] = .array([.string("a"), .number("1"), .null])
                let skipped = try await client.send(.post, "/OutOfOffice", json: .object(odd))
                #expect(skipped.json == .object(["Success": .number("1")]), "\(skipped.text)")

                // Dates not given stay; a date is found anywhere in the text.
                var entries = fixture.root
                entries["OutOfOfficeEntries"] = .array([.object(["UserLogin": .string("olga"), "OutOfOffice": .string("0")])])
                #expect(try await client.send(.post, "/OutOfOffice", json: .object(entries)).json?["Success"] != nil)
                let kept = try await db.store.read { try await $0.agent(login: "olga") }
                #expect(kept?.outOfOffice == false && kept?.outOfOfficeStart == "2026-12-01")
                entries["OutOfOfficeEntries"] = .array([
                    .object([
                        "UserLogin": .string("olga"), "OutOfOffice": .string("1"), "StartDate": .string("from 2027-01-05 on"),
                        "EndDate": .string("2027-01-09 18:00:00"),
                    ])
                ])
                #expect(try await client.send(.post, "/OutOfOffice", json: .object(entries)).json?["Success"] != nil)
                let found = try await db.store.read { try await $0.agent(login: "olga") }
                #expect(found?.outOfOfficeStart == "2027-01-05" && found?.outOfOfficeEnd == "2027-01-09")

                var notAdmin = ZnunyTestClient.login("olga", "olga-password")
                notAdmin["OutOfOfficeEntries"] = .array([.object(["UserLogin": .string("olga"), "OutOfOffice": .string("0")])])
                let denied = try await client.send(.post, "/OutOfOffice", json: .object(notAdmin))
                #expect(denied.json?.at("Error", "ErrorMessage") == .string("OutOfOffice: User needs to be in group admin."))
                var empty = fixture.root
                empty["Something"] = .string("else")
                let fault = try await client.send(.post, "/OutOfOffice", json: .object(empty))
                #expect(fault.status == .internalServerError)
                // A scalar (an empty SOAP element arrives as "") is no list of entries either.
                var scalar = fixture.root
                scalar["OutOfOfficeEntries"] = .string("")
                #expect(try await client.send(.post, "/OutOfOffice", json: .object(scalar)).status == .internalServerError)
                #expect(fault.text.contains("Payload does not contain out-of-office entries"))
            }
        }
    }

    /// User.pm `GetUserData` (out-of-office keys, the message in `UserFullname`) and
    /// CustomerUser.pm `CustomerUserDataGet` (the DB map's fields, then the company's).
    @Test("SessionGet: an agent's out-of-office keys and message; a customer's record and company")
    func sessionGetRecords() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await route(fixture, "POST", "/OutOfOffice", "OutOfOffice")
            try await fixture.addAgent("Olga", "Agent")
            _ = try await fixture.services.admin.addCustomerUser(
                login: "cora", password: "cora-password", customerID: "ACME", firstName: "Cora", lastName: "Customer",
                email: "cora@acme.test")
            try await fixture.test { client in
                func session(_ login: [String: JSONValue]) async throws -> [String: JSONValue] {
                    let created = try await client.send(.post, "/Session", json: .object(login))
                    let id = try #require(created.json?["SessionID"]?.scalarString)
                    var values: [String: JSONValue] = [:]
                    for pair in try await client.send(.get, "/Session/\(id)").json?["SessionData"]?.arrayValue ?? [] {
                        if let key = pair["Key"]?.scalarString { values[key] = pair["Value"] }
                    }
                    return values
                }
                let today = CivilDate(unixSeconds: Int64(Date().timeIntervalSince1970))
                let start = CivilDate(unixSeconds: Int64(Date().timeIntervalSince1970) - 2 * 86_400)
                let end = CivilDate(unixSeconds: Int64(Date().timeIntervalSince1970) + 3 * 86_400)
                func day(_ date: CivilDate) -> String { String(date.timestampString.prefix(10)) }
                var body = fixture.root
                body["OutOfOfficeEntries"] = .array([
                    .object([
                        "UserLogin": .string("olga"), "OutOfOffice": .string("1"), "StartDate": .string(day(start)),
                        "EndDate": .string(day(end)),
                    ])
                ])
                #expect(try await client.send(.post, "/OutOfOffice", json: .object(body)).json?["Success"] != nil)
                let olga = try await session(ZnunyTestClient.login("olga", "olga-password"))
                let message = "*** out of office until \(day(end))/3 d ***"
                #expect(olga["OutOfOfficeMessage"] == .string(message), "\(today)")
                #expect(olga["OutOfOfficeDaysRemaining"] == .string("3"))
                #expect(olga["UserFullname"] == .string("Olga Agent " + message))
                #expect(olga["OutOfOfficeEndDay"]?.scalarString == String(day(end).suffix(2)))

                let cora = try await session(["CustomerUserLogin": .string("cora"), "Password": .string("cora-password")])
                #expect(cora["UserTitle"] == .string("") && cora["UserPhone"] == .string("") && cora["UserAuthBackend"] == .string(""))
                #expect(cora["CustomerID"] == .string("ACME") && cora["CustomerCompanyName"] == .string("ACME"))
                #expect(cora["CustomerCompanyValidID"] == .string("1") && cora["UserCity"] == .string(""))
                #expect(cora["UserCustomerID"] == .string("ACME") && cora["UserPassword"] == nil)
            }
        }
    }

    @Test("TicketUpdate checks permissions and pending times in Znuny's words", arguments: TestDatabase.kinds)
    func updateRules(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.addAgent("Rita", "Reader", permission: .ro)
            _ = try await fixture.services.admin.addCustomerUser(
                login: "cora", password: "cora-password", customerID: "ACME", firstName: "Cora", lastName: "Customer",
                email: "cora@acme.test")
            try await fixture.test { client in
                let created = try await client.send(.post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root))
                guard case .string(let id)? = created.json?["TicketID"] else {
                    Issue.record("create failed: \(created.text)")
                    return
                }
                var note = ZnunyTestClient.login("rita", "rita-password")
                note["Article"] = .object([
                    "Subject": .string("x"), "Body": .string("y"), "ContentType": .string("text/plain; charset=utf8"),
                ])
                let denied = try await client.send(.patch, "/Ticket/\(id)", json: .object(note))
                #expect(
                    denied.json?.at("Error", "ErrorMessage") == .string("TicketUpdate: Does not have permissions to create new articles!"))

                var pending = fixture.root
                pending["Ticket"] = .object(["State": .string("pending reminder")])
                let noTime = try await client.send(.patch, "/Ticket/\(id)", json: .object(pending))
                #expect(noTime.json?.at("Error", "ErrorMessage") == .string("Can't set a ticket on a pending state without pendig time!"))
                // A pending time after 9999 is one Znuny's DateTime cannot hold, however it is written.
                for far: JSONValue in [
                    .object(["Diff": .string("9223372036854775807")]), .object(["Diff": .string("5300000000")]),
                    .object([
                        "Year": .string("99999999999999999"), "Month": .string("1"), "Day": .string("1"), "Hour": .string("0"),
                        "Minute": .string("0"),
                    ]),
                    .object([
                        "Year": .string("10000"), "Month": .string("1"), "Day": .string("1"), "Hour": .string("0"), "Minute": .string("0"),
                    ]),
                ] {
                    pending["Ticket"] = .object(["State": .string("pending reminder"), "PendingTime": far])
                    let refused = try await client.send(.patch, "/Ticket/\(id)", json: .object(pending))
                    #expect(
                        refused.json?.at("Error", "ErrorMessage") == .string("TicketUpdate: Ticket->PendingTime parameter is invalid!"),
                        "\(far)")
                }
                pending["Ticket"] = .object(["State": .string("pending reminder"), "PendingTime": .object(["Diff": .string("90")])])
                let withTime = try await client.send(.patch, "/Ticket/\(id)", json: .object(pending))
                #expect(withTime.json?["TicketID"] == .string(id))
                // The same pending state again still needs a pending time, and sets it again.
                pending["Ticket"] = .object(["State": .string("pending reminder")])
                let again = try await client.send(.patch, "/Ticket/\(id)", json: .object(pending))
                #expect(again.json?.at("Error", "ErrorMessage") == .string("Can't set a ticket on a pending state without pendig time!"))
                pending["Ticket"] = .object(["State": .string("pending reminder"), "PendingTime": .object(["Diff": .string("90")])])
                #expect(try await client.send(.patch, "/Ticket/\(id)", json: .object(pending)).json?["TicketID"] == .string(id))
                // A pending time without a state is not used; a non-pending state resets it even when one is sent.
                pending["Ticket"] = .object(["PendingTime": .object(["Diff": .string("600")])])
                #expect(try await client.send(.patch, "/Ticket/\(id)", json: .object(pending)).json?["TicketID"] == .string(id))
                pending["Ticket"] = .object(["State": .string("open"), "PendingTime": .object(["Diff": .string("600")])])
                #expect(try await client.send(.patch, "/Ticket/\(id)", json: .object(pending)).json?["TicketID"] == .string(id))
                let history = try await client.send(.get, "/TicketHistory/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                let pendingRows = (history.json?["TicketHistory"]?[0]?["History"]?.arrayValue ?? []).filter {
                    $0["HistoryType"] == .string("SetPendingTime")
                }
                #expect(pendingRows.count == 3, "\(pendingRows)")
                #expect(pendingRows.last?["Name"] == .string("%%00-00-00 00:00"))
                let read = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                #expect(read.json?["Ticket"]?[0]?["UntilTime"] == .int(0))

                // ForceUnlockOnMove wins over a Lock=lock that the ticket already had.
                var lock = fixture.root
                lock["Ticket"] = .object(["Lock": .string("lock")])
                #expect(try await client.send(.patch, "/Ticket/\(id)", json: .object(lock)).json?["TicketID"] == .string(id))
                lock["Ticket"] = .object(["Lock": .string("lock"), "Queue": .string("Raw")])
                #expect(try await client.send(.patch, "/Ticket/\(id)", json: .object(lock)).json?["TicketID"] == .string(id))
                let moved = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                #expect(moved.json?["Ticket"]?[0]?["Lock"] == .string("unlock"), "\(moved.text)")

                // Customer fields as `_TicketUpdate` sets them: an address as sent with an empty
                // CustomerID; a CustomerID alone empties the customer user.
                var customer = fixture.root
                customer["Ticket"] = .object(["CustomerUser": .string("walk-in@acme.test")])
                #expect(try await client.send(.patch, "/Ticket/\(id)", json: .object(customer)).json?["TicketID"] == .string(id))
                let walkIn = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                #expect(walkIn.json?["Ticket"]?[0]?["CustomerUserID"] == .string("walk-in@acme.test"))
                #expect(walkIn.json?["Ticket"]?[0]?["CustomerID"] == .string(""))
                customer["Ticket"] = .object(["CustomerID": .string("ACME")])
                #expect(try await client.send(.patch, "/Ticket/\(id)", json: .object(customer)).json?["TicketID"] == .string(id))
                let company = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                #expect(company.json?["Ticket"]?[0]?["CustomerUserID"] == .string(""))
                #expect(company.json?["Ticket"]?[0]?["CustomerID"] == .string("ACME"))

                // A ticket field named in the article's DynamicField block is set on the ticket.
                var field = fixture.root
                field["Article"] = .object([
                    "Subject": .string("x"), "Body": .string("y"), "ContentType": .string("text/plain; charset=utf8"),
                    "DynamicField": .object(["Name": .string("ProcessManagementProcessID"), "Value": .string("P-1")]),
                ])
                let set = try await client.send(.patch, "/Ticket/\(id)", json: .object(field))
                #expect(set.json?["ArticleID"] != nil, "\(set.text)")
                let withField = try await client.send(
                    .get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)&DynamicFields=1")
                let values = withField.json?["Ticket"]?[0]?["DynamicField"]?.arrayValue ?? []
                #expect(values.contains { $0["Name"] == .string("ProcessManagementProcessID") && $0["Value"] == .string("P-1") })

                // NoAgentNotify 0 is false, not invalid.
                var quiet = fixture.root
                quiet["Article"] = .object([
                    "Subject": .string("x"), "Body": .string("y"), "ContentType": .string("text/plain; charset=utf8"),
                    "NoAgentNotify": .int(0),
                ])
                #expect(try await client.send(.patch, "/Ticket/\(id)", json: .object(quiet)).json?["ArticleID"] != nil)

                // By TicketNumber the answer's TicketID is the number Znuny looked up.
                var byNumber = fixture.root
                byNumber["TicketNumber"] = read.json?["Ticket"]?[0]?["TicketNumber"]
                byNumber["Ticket"] = .object(["Title": .string("Renamed by number")])
                #expect(try await client.send(.patch, "/Ticket/\(id)", json: .object(byNumber)).json?["TicketID"] == .int(Int(id)!))

                // Customers may reopen their own ticket (a state change), not rename it.
                var coraTicket = ZnunyRESTTests.ticketBody(fixture.root).objectValue ?? [:]
                coraTicket["Ticket"] = .object([
                    "Title": .string("Cora's"), "Queue": .string("Misc"), "State": .string("closed successful"),
                    "Priority": .string("3 normal"), "CustomerUser": .string("cora"),
                ])
                let coraCreated = try await client.send(.post, "/Ticket", json: .object(coraTicket))
                let coraID = try #require(coraCreated.json?["TicketID"], "\(coraCreated.text)")
                var reopen: [String: JSONValue] = ["CustomerUserLogin": .string("cora"), "Password": .string("cora-password")]
                reopen["Ticket"] = .object(["State": .string("open")])
                let reopened = try await client.send(.patch, "/Ticket/\(coraID.scalarString ?? "")", json: .object(reopen))
                #expect(reopened.json?["TicketID"] == coraID, "\(reopened.text)")
                reopen["Ticket"] = .object(["Title": .string("Mine now")])
                let renamed = try await client.send(.patch, "/Ticket/\(coraID.scalarString ?? "")", json: .object(reopen))
                #expect(renamed.json?.at("Error", "ErrorCode") == .string("TicketUpdate.AccessDenied"))

                var unknown = fixture.root
                unknown["TicketNumber"] = .string("does-not-exist")
                let noTicket = try await client.send(.patch, "/Ticket/\(id)", json: .object(unknown))
                #expect(noTicket.json?.at("Error", "ErrorMessage") == .string("TicketUpdate: User does not have access to the ticket!"))
                let empty = try await client.send(.patch, "/Ticket/\(id)", raw: "", headers: [.contentType: "application/json"])
                #expect(empty.json?.at("Error", "ErrorCode") == .string("TicketUpdate.MissingParameter"))
                // Perl truth: "0" is not given, as a TicketID, a login or a password.
                let zeroID = try await client.send(.patch, "/Ticket/0", json: .object(fixture.root))
                #expect(zeroID.json?.at("Error", "ErrorMessage") == .string("TicketUpdate: TicketID or TicketNumber is required!"))
                var zeroNumber = fixture.root
                zeroNumber["TicketNumber"] = .string("0")
                zeroNumber["Ticket"] = .object(["Title": .string("Still mine")])
                let byID = try await client.send(.patch, "/Ticket/\(id)", json: .object(zeroNumber))
                #expect(byID.json?["TicketID"] != nil, "\(byID.text)")
                let zeroLogin = try await client.send(
                    .patch, "/Ticket/\(id)", json: .object(["UserLogin": .string("0"), "Password": .string("x")]))
                #expect(
                    zeroLogin.json?.at("Error", "ErrorMessage")
                        == .string("TicketUpdate: UserLogin, CustomerUserLogin or SessionID is required!"))
                let zeroPassword = try await client.send(
                    .patch, "/Ticket/\(id)", json: .object(["UserLogin": .string("root@localhost"), "Password": .string("0")]))
                #expect(zeroPassword.json?.at("Error", "ErrorMessage") == .string("TicketUpdate: Password or SessionID is required!"))

                // Znuny's order: the ticket's values before the Article block's shape, and each
                // article's own dynamic fields before the next article.
                func error(_ changes: [String: JSONValue]) async throws -> JSONValue? {
                    try await client.send(.patch, "/Ticket/\(id)", json: .object(fixture.root.merging(changes) { $1 })).json?["Error"]
                }
                let badQueue = try await error(["Ticket": .object(["Queue": .string("Nowhere")])])
                #expect(badQueue?["ErrorCode"] == .string("TicketUpdate.InvalidParameter"))
                #expect(try await error(["Ticket": .object(["Queue": .string("Nowhere")]), "Article": .string("x")]) == badQueue)
                let badShape = try await error(["Article": .string("x")])
                #expect(badShape?["ErrorMessage"] == .string("TicketUpdate: Article parameter is not valid!"))
                let plain: [String: JSONValue] = [
                    "Subject": .string("x"), "Body": .string("y"), "ContentType": .string("text/plain; charset=utf8"),
                ]
                var withBadField = plain
                withBadField["DynamicField"] = .object(["Name": .string("NoSuchField"), "Value": .string("1")])
                let fieldError = try await error(["Article": .array([.object(withBadField)])])
                #expect(fieldError?["ErrorCode"] != nil && fieldError != badShape)
                let noSubject = plain.filter { $0.key != "Subject" }
                #expect(try await error(["Article": .array([.object(withBadField), .object(noSubject)])]) == fieldError)
                // A `null` in the list is an empty article to Perl (autovivified), not a bad shape.
                let nullEntry = try await error(["Article": .array([.object(plain), .null])])
                #expect(nullEntry?["ErrorMessage"] == .string("TicketUpdate: Article->Subject parameter is missing!"))
                #expect(try await error(["Article": .array([.object(plain), .string("x")])]) == badShape)
                var create = fixture.root
                let newTicket: [String: JSONValue] = [
                    "Title": .string("Null article"), "Queue": .string("Raw"), "State": .string("new"),
                    "Priority": .string("3 normal"), "CustomerUser": .string("cora"),
                ]
                create["Ticket"] = .object(newTicket)
                create["Article"] = .array([.null])
                let nullCreate: JSONValue? = try await client.send(.post, "/Ticket", json: .object(create)).json?["Error"]
                let nullMessage: JSONValue? = nullCreate?["ErrorMessage"]
                #expect(nullMessage == .string("TicketCreate: Article->Subject parameter is missing!"))
            }
        }
    }

    @Test("SessionRemove ends a session")
    func sessionRemove() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await route(fixture, "DELETE", "/Session/:SessionID", "SessionRemove")
            try await fixture.test { client in
                guard case .string(let session)? = try await client.send(.post, "/Session", json: .object(fixture.root)).json?["SessionID"]
                else {
                    Issue.record("no session")
                    return
                }
                #expect(try await client.send(.delete, "/Session/\(session)").json == .object(["Success": .number("1")]))
                // `RemoveSessionID` succeeds whenever its DELETE runs: a second removal too.
                let again = try await client.send(.delete, "/Session/\(session)")
                #expect(again.json == .object(["Success": .number("1")]))
                // Perl truth: a password "0" is a missing one.
                let zeroPassword: JSONValue = .object(["UserLogin": .string("root@localhost"), "Password": .string("0")])
                let zero = try await client.send(.post, "/Session", json: zeroPassword)
                #expect(zero.json?.at("Error", "ErrorMessage") == .string("SessionCreate: Password parameter is missing!"))
                let use = try await client.send(.get, "/Ticket/1?SessionID=\(session)")
                #expect(use.json?.at("Error", "ErrorCode") == .string("TicketGet.AuthFail"))
            }
        }
    }

    @Test("TicketGet article flags behave as in Znuny 7")
    func articleFlags() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let created = try await client.send(.post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root))
                guard case .string(let id)? = created.json?["TicketID"] else { return }
                var note = fixture.root
                note["Article"] = .object([
                    "Subject": .string("second"), "Body": .string("<p>Hello<br>there</p>"),
                    "ContentType": .string("text/html; charset=utf8"),
                ])
                _ = try await client.send(.patch, "/Ticket/\(id)", json: .object(note))
                let credentials = "UserLogin=root@localhost&Password=\(fixture.rootPassword)"
                let descOnly = try await client.send(.get, "/Ticket/\(id)?\(credentials)&AllArticles=1&ArticleOrder=DESC")
                #expect(descOnly.json?["Ticket"]?[0]?["Article"]?[0]?["Subject"] == .string("Help"))
                let limited = try await client.send(.get, "/Ticket/\(id)?\(credentials)&AllArticles=1&ArticleOrder=DESC&ArticleLimit=1")
                let articles = limited.json?["Ticket"]?[0]?["Article"]?.arrayValue ?? []
                #expect(articles.count == 1)
                #expect(articles.first?["Subject"] == .string("second"))
                // `@Articles[0 .. $ArticleLimit - 1]`: `1.5` keeps one, `-1` none (no Article key).
                let fraction = try await client.send(.get, "/Ticket/\(id)?\(credentials)&AllArticles=1&ArticleLimit=1.5")
                #expect(fraction.json?["Ticket"]?[0]?["Article"]?.arrayValue?.count == 1, "\(fraction.text)")
                let negative = try await client.send(.get, "/Ticket/\(id)?\(credentials)&AllArticles=1&ArticleLimit=-1")
                #expect(negative.json?["Ticket"]?[0]?["Article"] == nil, "\(negative.text)")
                // An empty sender type in a list is no filter: every article once more.
                let all = try await client.send(.get, "/Ticket/\(id)?\(credentials)&AllArticles=1").json?["Ticket"]?[0]?["Article"]
                let agents = try await client.send(.get, "/Ticket/\(id)?\(credentials)&AllArticles=1&ArticleSenderType=agent")
                let typed = try await client.send(
                    .get, "/Ticket/\(id)?\(credentials)&AllArticles=1&ArticleSenderType=&ArticleSenderType=agent")
                let lists = [all, agents.json?["Ticket"]?[0]?["Article"], typed.json?["Ticket"]?[0]?["Article"]]
                let counts = lists.map { $0?.arrayValue?.count ?? 0 }
                #expect(counts[2] == counts[0] + counts[1], "\(counts)")
                // `eq 'DESC'`: lower case is the default order; `1,` is one id (Perl's split).
                let lower = try await client.send(.get, "/Ticket/\(id),?\(credentials)&AllArticles=1&ArticleOrder=desc&ArticleLimit=1")
                #expect(lower.json?["Ticket"]?[0]?["Article"]?[0]?["Subject"] == .string("Help"), "\(lower.text)")
                // HTMLUtils::ToAscii keeps the newlines its <p> leaves (Kernel/System/HTMLUtils.pm, step 16 collapses only one).
                #expect(articles.first?["Body"] == .string("\nHello\nthere\n\n"))
                #expect(articles.first?["Attachment"] == nil)
                let html = try await client.send(
                    .get, "/Ticket/\(id)?\(credentials)&AllArticles=1&Attachments=1&HTMLBodyAsAttachment=1&ArticleLimit=1&ArticleOrder=DESC"
                )
                let file = html.json?["Ticket"]?[0]?["Article"]?[0]?["Attachment"]?[0]
                #expect(file?["Filename"] == .string("file-2"))
                let noArticles = try await client.send(.get, "/Ticket/\(id)?\(credentials)&Attachments=1")
                #expect(noArticles.json?["Ticket"]?[0]?["Article"] == nil)
                let list = try await client.send(.get, "/TicketList?\(credentials)&TicketID=\(id),1")
                #expect(list.json?["Ticket"]?.arrayValue?.count == 2)
                let oneBad = try await client.send(.get, "/TicketList?\(credentials)&TicketID=\(id),abc")
                #expect(oneBad.json?.at("Error", "ErrorCode") == .string("TicketGet.AccessDenied"))
            }
        }
    }

    @Test("ArticleSend needs a valid To; notification lists need valid agents")
    func articleSendAndNotifications() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                var body = ZnunyRESTTests.ticketBody(fixture.root).objectValue!
                var article = body["Article"]!.objectValue!
                article["ArticleSend"] = .number("1")
                article["To"] = .string("not an address")
                body["Article"] = .object(article)
                let badTo = try await client.send(.post, "/Ticket", json: .object(body))
                #expect(
                    badTo.json?.at("Error", "ErrorMessage")
                        == .string(
                            "TicketCreate: Article->To parameter must be a valid email address when Article->ArticleSend is set!"))
                // Mail::Address reads a quoted display name's comma as part of the name.
                article["To"] = .string("jo@acme.test, \"Smith, Ann\" <ann@acme.test>")
                body["Article"] = .object(article)
                let quotedComma = try await client.send(.post, "/Ticket", json: .object(body))
                #expect(quotedComma.json?["ArticleID"] != nil, "\(quotedComma.text)")
                article.removeValue(forKey: "ArticleSend")
                article["ForceNotificationToUserID"] = .array([.number("1"), .number("999")])
                body["Article"] = .object(article)
                let badUser = try await client.send(.post, "/Ticket", json: .object(body))
                #expect(
                    badUser.json?.at("Error", "ErrorMessage")
                        == .string("TicketCreate: Article->ForceNotificationToUserID UserID=999 parameter is invalid!"))
                article["ForceNotificationToUserID"] = .object(["x": .number("1")])
                body["Article"] = .object(article)
                let hash = try await client.send(.post, "/Ticket", json: .object(body))
                #expect(
                    hash.json?.at("Error", "ErrorMessage")
                        == .string("TicketCreate: Article->ForceNotificationToUserID parameter is invalid!"))
            }
        }
    }

    /// Znuny reads ids for Perl truth (`0` is none), TimeUnit by `\A \d+([.,]\d+)? \z`, dynamic
    /// field and attachment entries with `IsHashRefWithData`, charsets by `Encode::resolve_alias`.
    @Test("zero ids are none; TimeUnit, empty entries, empty names and charsets as Znuny checks them")
    func perlValues() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                func create(ticket: [String: JSONValue] = [:], article: [String: JSONValue] = [:], extra: [String: JSONValue] = [:])
                    async throws -> ZnunyTestClient.Reply
                {
                    var body = ZnunyRESTTests.ticketBody(fixture.root).objectValue!
                    var ticketFields = body["Ticket"]!.objectValue!
                    for (key, value) in ticket { ticketFields[key] = value }
                    var articleFields = body["Article"]!.objectValue!
                    for (key, value) in article { articleFields[key] = value }
                    body["Ticket"] = .object(ticketFields)
                    body["Article"] = .object(articleFields)
                    for (key, value) in extra { body[key] = value }
                    return try await client.send(.post, "/Ticket", json: .object(body))
                }
                let zeros = try await create(
                    ticket: ["QueueID": .int(0), "ServiceID": .int(0), "SLAID": .string("0"), "OwnerID": .int(0)],
                    article: ["SenderTypeID": .int(0), "CommunicationChannelID": .int(0)])
                let id = try #require(zeros.json?["TicketID"]?.scalarString, "\(zeros.text)")
                let ticket = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                #expect(ticket.json?["Ticket"]?[0]?["Queue"] == .string("Misc"))
                #expect(ticket.json?["Ticket"]?[0]?["Lock"] == .string("unlock"))
                for unit in ["1.25h", ".5", "5.", "1,2,3"] {
                    let reply = try await create(article: ["TimeUnit": .string(unit)])
                    let message = reply.json?.at("Error", "ErrorMessage")
                    #expect(message == .string("TicketCreate: Article->TimeUnit parameter is invalid!"), "\(unit)")
                }
                #expect(try await create(article: ["TimeUnit": .string("1,5")]).json?["TicketID"] != nil)
                let emptyEntry = try await create(extra: ["DynamicField": .array([.object([:])])])
                #expect(emptyEntry.status == .internalServerError && emptyEntry.text.contains("Ticket->DynamicField parameter is invalid!"))
                // Entries are checked in turn: an earlier entry's problem comes before a later non-object.
                let earlier = try await create(extra: ["DynamicField": .array([.object(["Name": .string("TF1")]), .string("x")])])
                #expect(earlier.json?.at("Error", "ErrorMessage") == .string("TicketCreate: DynamicField->Value  parameter is missing!"))
                // TF1 is no field here: the first entry's check answers before the second is looked at.
                let later = try await create(extra: [
                    "DynamicField": .array([.object(["Name": .string("TF1"), "Value": .string("a")]), .string("x")])
                ])
                #expect(later.json?.at("Error", "ErrorMessage") == .string("TicketCreate: DynamicField->Name parameter is invalid!"))
                let emptyFile = try await create(extra: ["Attachment": .array([.object([:])])])
                #expect(emptyFile.status == .internalServerError && emptyFile.text.contains("Ticket->Attachment parameter is invalid!"))
                let emptyName = try await create(extra: ["DynamicField": .object(["Name": .string(""), "Value": .string("x")])])
                #expect(emptyName.json?.at("Error", "ErrorMessage") == .string("TicketCreate: DynamicField->Name parameter is invalid!"))
                let noValue = try await create(extra: ["DynamicField": .object(["Name": .string("")])])
                #expect(noValue.json?.at("Error", "ErrorMessage") == .string("TicketCreate: DynamicField->Value  parameter is missing!"))
                let cyrillic = try await create(article: ["ContentType": .string("text/plain; charset=windows-1251")])
                #expect(cyrillic.json?["TicketID"] != nil, "\(cyrillic.text)")
            }
        }
    }

    /// TicketCreate/TicketUpdate with `ArticleSend` store the subject `TicketSubjectBuild` makes
    /// and append the queue's signature (`TemplateGenerator::Signature`), as Znuny 7.0.17 did
    /// side by side: the body trimmed, then the signature with the acting agent's name.
    @Test("ArticleSend stores the tagged subject and appends the queue's signature", arguments: TestDatabase.kinds)
    func articleSendSignature(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.addAgent("Sam", "Sender")
            try await fixture.test { client in
                let sam = ZnunyTestClient.login("sam", "sam-password")
                func send(_ article: [String: JSONValue], ticketID: String? = nil) async throws -> JSONValue? {
                    var body = ZnunyRESTTests.ticketBody(sam).objectValue!
                    var fields = body["Article"]!.objectValue!
                    fields["ArticleSend"] = .number("1")
                    fields["To"] = .string("jo@acme.test")
                    for (key, value) in article { fields[key] = value }
                    body["Article"] = .object(fields)
                    if let ticketID {
                        body.removeValue(forKey: "Ticket")
                        return try await client.send(.patch, "/Ticket/\(ticketID)", json: .object(body)).json
                    }
                    return try await client.send(.post, "/Ticket", json: .object(body)).json
                }
                func article(_ created: JSONValue?, index: Int = 0) async throws -> JSONValue? {
                    let id = created?["TicketID"]?.scalarString ?? ""
                    let got = try await client.send(
                        .get, "/Ticket/\(id)?UserLogin=sam&Password=sam-password&AllArticles=1&Attachments=1&HTMLBodyAsAttachment=1")
                    return got.json?["Ticket"]?[0]?["Article"]?[index]
                }
                let signed = Signature.standardText.replacing("<OTRS_Agent_UserFirstname> <OTRS_Agent_UserLastname>", with: "Sam Sender")
                let plain = try await send(["Body": .string("Line one\nLine two\n"), "Subject": .string("Re: Hello")])
                let number = plain?["TicketNumber"]?.scalarString ?? ""
                let stored = try await article(plain)
                #expect(stored?["Subject"] == .string("[Ticket#\(number)] Hello"))
                #expect(stored?["Body"] == .string("Line one\nLine two" + signed))

                let followUp = try await send(
                    ["Body": .string("More"), "Subject": .string("Update")], ticketID: plain?["TicketID"]?.scalarString)
                #expect(followUp?["ArticleID"] != nil)
                let second = try await article(plain, index: 1)
                #expect(second?["Subject"] == .string("[Ticket#\(number)] Update"))
                #expect(second?["Body"]?.scalarString?.hasSuffix("Sam Sender\n\n--\n Super Support - Waterford Business Park") == false)
                #expect(second?["Body"]?.scalarString?.hasPrefix("More\nYour Ticket-Team\n\n Sam Sender\n") == true)

                // Under an HTML body the signature is HTML: escaped, <br /> for line breaks, addresses as links.
                let html = try await send(["Body": .string("<p>Hi</p>"), "ContentType": .string("text/html; charset=utf8")])
                let htmlArticle = try await article(html)
                let markup = htmlArticle?["Attachment"]?.arrayValue?.first {
                    $0["ContentType"]?.scalarString?.hasPrefix("text/html") == true
                }
                let decoded = markup?["Content"]?.scalarString.flatMap { Data(base64Encoded: $0) }.flatMap {
                    String(data: $0, encoding: .utf8)
                }
                #expect(
                    decoded
                        == "<p>Hi</p><br />Your Ticket-Team<br /><br /> Sam Sender<br /><br />--<br /> Super Support - Waterford Business Park"
                        + "<br /> 5201 Blue Lagoon Drive - 8th Floor &amp; 9th Floor - Miami, 33126 USA<br /> Email: hot@example.com - Web: "
                        + "<a href=\"http://www.example.com/\" title=\"http://www.example.com/\">http://www.example.com/</a><br />--")
                #expect(htmlArticle?["Body"]?.scalarString?.contains("Web: [1]http://www.example.com/") == true)

                // Without ArticleSend nothing is added; a queue without a signature appends none.
                var note = ZnunyRESTTests.ticketBody(sam).objectValue!
                note["Article"] = .object([
                    "Subject": .string("Note"), "Body": .string("Plain"), "ContentType": .string("text/plain; charset=utf8"),
                ])
                let unsent = try await article(try await client.send(.post, "/Ticket", json: .object(note)).json)
                #expect(unsent?["Subject"] == .string("Note"))
                #expect(unsent?["Body"] == .string("Plain"))
                try await fixture.services.admin.setQueueSignature(queue: "Misc", name: nil)
                let bare = try await article(try await send(["Body": .string("Bare")]))
                #expect(bare?["Body"] == .string("Bare"))
            }
        }
    }
}
