import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import DeskTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OTRSCommon
import Testing

@Suite("Znuny's view of the history and of the order of checks")
struct ZnunyHistoryTests {
    func history(_ client: ZnunyTestClient, _ fixture: ZnunyFixture, _ ticketID: String) async throws -> [JSONValue] {
        let reply = try await client.send(.get, "/TicketHistory/\(ticketID)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
        return reply.json?["TicketHistory"]?[0]?["History"]?.arrayValue ?? []
    }

    /// TicketGet reads a missing type as 1 (`$Row[17] || 1`) and HistoryAdd copies it: a ticket
    /// created while no ticket type was valid has rows with `TypeID` 1.
    @Test("a ticket without a type has history rows of type id 1")
    func historyWithoutType() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            try await db.database.transaction { conn in try await conn.raw("UPDATE ticket_types SET valid_id = 2").run() }
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let created = try await client.send(.post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root))
                let ticketID = try #require(created.json?["TicketID"]?.scalarString, "\(created.text)")
                let root = Principal.agent(try #require(try await fixture.services.auth.agentPrincipal(id: 1)))
                #expect(try await fixture.services.tickets.get(ticketID: Int(ticketID)!, by: root).ticket.typeID == nil)
                let rows = try await history(client, fixture, ticketID)
                #expect(!rows.isEmpty && rows.allSatisfy { $0["TypeID"] == .int(1) }, "\(rows.map { $0["TypeID"] })")
            }
        }
    }

    @Test("history rows: Znuny's types and names, each row with the ticket as it was when written", arguments: TestDatabase.kinds)
    func names(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.addAgent("Olga", "Agent")
            try await fixture.test { client in
                let created = try await client.send(.post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root))
                let ticketID = try #require(created.json?["TicketID"]?.scalarString)
                let number = try #require(created.json?["TicketNumber"]?.scalarString)
                var update = fixture.root
                update["Ticket"] = .object([
                    "Title": .string("Printer fixed"), "State": .string("open"), "Priority": .string("4 high"), "Owner": .string("olga"),
                ])
                update["Article"] = .object([
                    "Subject": .string("Note"), "Body": .string("Replaced toner"), "ContentType": .string("text/plain; charset=utf8"),
                    "TimeUnit": .string("2"),
                ])
                let updated = try await client.send(.patch, "/Ticket/\(ticketID)", json: .object(update))
                #expect(updated.json?["ArticleID"] != nil, "\(updated.text)")
                // The create's agent article resets the unlock timer; the note does again only when
                // the clock moved on since the create, so those rows are set aside.
                let all = try await history(client, fixture, ticketID)
                #expect(all[3]["Name"] == .string("Reset of unlock time.") && all[3]["HistoryType"] == .string("Misc"))
                let rows = all.filter { $0["Name"] != .string("Reset of unlock time.") }
                let types = rows.compactMap { $0["HistoryType"]?.scalarString }
                #expect(
                    types == [
                        "NewTicket", "CustomerUpdate", "NewTicket", "TitleUpdate", "StateUpdate", "SetPendingTime",
                        "PriorityUpdate", "OwnerUpdate", "AddNote", "TimeAccounting", "SendAgentNotification", "SendAgentNotification",
                    ])
                let names = rows.compactMap { $0["Name"]?.scalarString }
                #expect(names[0] == "%%\(number)%%Misc%%3 normal%%new%%\(ticketID)")
                #expect(names[1].hasPrefix("%%CustomerID="))
                #expect(names[2] == "%%GenericInterface Create")
                #expect(names[3] == "%%Printer on fire%%Printer fixed")
                #expect(names[4] == "%%new%%open%%")
                #expect(names[5] == "%%00-00-00 00:00")
                #expect(names[6] == "%%3 normal%%3%%4 high%%4")
                #expect(names[7].hasPrefix("%%olga%%"))
                #expect(names[8] == "%%GenericInterface Note")
                #expect(names[9] == "%%2%%2")
                // Znuny's notification handler runs when the request's transaction ends: the new
                // owner hears of the owner change and of the note (AddNote).
                #expect(names[10] == "%%Ticket owner update notification%%olga%%Email")
                #expect(names[11] == "%%Ticket new note notification%%olga%%Email")
                #expect(rows.map { $0["HistoryTypeID"] } == types.map { .int(ZnunyHistory.typeID($0)) })
                // Znuny's HistoryAdd reads the ticket when it writes a row: the title row still
                // has the old state, the state row and everything after it the new one.
                let states = rows.compactMap { $0["StateID"] }
                #expect(states[3] == .int(1))
                #expect(states[4] == .int(4))
                #expect(rows[6]["PriorityID"] == .int(4) && rows[4]["PriorityID"] == .int(3))
                #expect(rows[7]["OwnerID"] != .int(1) && rows[6]["OwnerID"] == .int(1))
            }
        }
    }

    /// Ticket.pm `TicketLockSet` (a lock restarts the unlock timer), MIMEBase `ArticleCreate` (a
    /// customer's article does not, unless an agent wrote last), TicketCreate.pm (time is
    /// accounted after owner and responsible) and `TicketAccountTime` (two decimals, cut).
    @Test("create with a lock, an owner and accounted time: Znuny's order of rows", arguments: TestDatabase.kinds)
    func lockAndAccountingOrder(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.addAgent("Olga", "Agent")
            try await fixture.test { client in
                var ticket = [
                    "Title": JSONValue.string("Locked"), "Queue": .string("Misc"), "State": .string("open"),
                    "Priority": .string("3 normal"), "CustomerUser": .string("customer@acme.test"), "Lock": .string("lock"),
                    "Owner": .string("olga"),
                ]
                let article = JSONValue.object([
                    "Subject": .string("Help"), "Body": .string("It is burning."), "ContentType": .string("text/plain; charset=utf8"),
                    "SenderType": .string("customer"), "TimeUnit": .string("1.555"),
                ])
                let created = try await client.send(
                    .post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root, extra: ["Ticket": .object(ticket), "Article": article]))
                let ticketID = try #require(created.json?["TicketID"]?.scalarString, "\(created.text)")
                let rows = try await history(client, fixture, ticketID).filter { $0["HistoryType"] != .string("SendAgentNotification") }
                #expect(
                    rows.compactMap { $0["HistoryType"]?.scalarString } == [
                        "NewTicket", "CustomerUpdate", "Lock", "Misc", "NewTicket", "TimeAccounting", "OwnerUpdate",
                    ])
                #expect(rows[3]["Name"] == .string("Reset of unlock time."))
                // The article's time is accounted in its loop, before the owner is set (Znuny 7.0).
                #expect(rows[5]["Name"] == .string("%%1.55%%1.55"))

                // A lock asked for with a closing state: locked, then unlocked by the state.
                var closing = ticket
                closing["State"] = .string("closed successful")
                closing["Owner"] = nil
                let closed = try await client.send(
                    .post, "/Ticket",
                    json: ZnunyRESTTests.ticketBody(fixture.root, extra: ["Ticket": .object(closing), "Article": article]))
                let closedID = try #require(closed.json?["TicketID"]?.scalarString, "\(closed.text)")
                let closedRows = try await history(client, fixture, closedID).filter {
                    $0["HistoryType"] != .string("SendAgentNotification")
                }
                #expect(
                    closedRows.prefix(5).compactMap { $0["HistoryType"]?.scalarString } == [
                        "NewTicket", "CustomerUpdate", "Lock", "Misc", "Unlock",
                    ], "\(closedRows)")
                #expect(closedRows.count > 4 && closedRows[4]["Name"] == .string("%%unlock"))

                // Without an explicit lock the owner brings one, and the timer restarts after it.
                ticket["Lock"] = nil
                let owned = try await client.send(
                    .post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root, extra: ["Ticket": .object(ticket), "Article": article]))
                let ownedID = try #require(owned.json?["TicketID"]?.scalarString)
                let ownedRows = try await history(client, fixture, ownedID).filter {
                    $0["HistoryType"] != .string("SendAgentNotification")
                }
                #expect(
                    ownedRows.compactMap { $0["HistoryType"]?.scalarString } == [
                        "NewTicket", "CustomerUpdate", "NewTicket", "TimeAccounting", "OwnerUpdate", "Lock", "Misc",
                    ])

                // With an owner and no NoAgentNotify the article notifies nobody (an AddNote would);
                // the owner hears of being made owner.
                let noted = try await client.send(
                    .post, "/Ticket",
                    json: ZnunyRESTTests.ticketBody(
                        fixture.root,
                        extra: [
                            "Ticket": .object(ticket),
                            "Article": .object([
                                "Subject": .string("Note"), "Body": .string("b"), "ContentType": .string("text/plain; charset=utf8"),
                                "HistoryType": .string("AddNote"),
                            ]),
                        ]))
                let notedID = try #require(noted.json?["TicketID"]?.scalarString, "\(noted.text)")
                let notices = try await history(client, fixture, notedID).filter { $0["HistoryType"] == .string("SendAgentNotification") }
                #expect(notices.compactMap { $0["Name"]?.scalarString } == ["%%Ticket owner update notification%%olga%%Email"])

                // A TicketID of commas only names no ticket: Znuny answers NotTicketData.
                let login = "UserLogin=root@localhost&Password=\(fixture.rootPassword)"
                let noHistory = try await client.send(.get, "/TicketHistory/,?\(login)")
                #expect(noHistory.json?.at("Error", "ErrorCode") == .string("TicketHistoryGet.NotTicketData"), "\(noHistory.text)")
                let noTicket = try await client.send(.get, "/Ticket/,?\(login)")
                #expect(noTicket.json?.at("Error", "ErrorCode") == .string("TicketGet.NotTicketData"), "\(noTicket.text)")

                // A repeated id is answered again, up to 10,000 ids; more are a wrong structure.
                let twice = try await client.send(.get, "/Ticket/\(notedID),\(notedID)?\(login)")
                #expect(twice.json?["Ticket"]?.arrayValue?.count == 2, "\(twice.text)")
                let many = Array(repeating: notedID, count: 10_001).joined(separator: ",")
                let tooMany = try await client.send(.get, "/TicketList?TicketID=\(many)&\(login)")
                #expect(tooMany.json?.at("Error", "ErrorCode") == .string("TicketGet.WrongStructure"), "\(tooMany.text.prefix(200))")
                let tooManyHistories = try await client.send(.get, "/TicketHistory/\(many)?\(login)")
                #expect(
                    tooManyHistories.json?.at("Error", "ErrorCode") == .string("TicketHistoryGet.WrongStructure"),
                    "\(tooManyHistories.text.prefix(200))")
            }
        }
    }

    @Test("an escalation the check found, then the close that ended it: Znuny's Start and Stop rows", arguments: TestDatabase.kinds)
    func escalationStart(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let wednesday: Int64 = 1_795_600_800  // 10:00 UTC
            let fixture = ZnunyFixture(db, clock: .fixed(wednesday))
            try await fixture.services.admin.addQueue(name: "Support", firstResponseMinutes: 30)
            try await fixture.test { client in
                var body = fixture.root
                body["Ticket"] = .object([
                    "Title": .string("Printer on fire"), "Queue": .string("Support"), "State": .string("new"),
                    "Priority": .string("3 normal"), "CustomerUser": .string("customer@acme.test"),
                ])
                body["Article"] = .object([
                    "Subject": .string("Help"), "Body": .string("It is burning."), "ContentType": .string("text/plain; charset=utf8"),
                    "SenderType": .string("customer"),
                ])
                let created = try await client.send(.post, "/Ticket", json: .object(body))
                let ticketID = try #require(created.json?["TicketID"]?.scalarString, "\(created.text)")
                let later = DeskServices(store: db.store, hasher: TestDatabase.hasher, clock: .fixed(wednesday + 1_800))
                #expect(try await later.escalationCheck.run() == 1)
                let row = try #require(try await history(client, fixture, ticketID).last)
                #expect(row["HistoryType"] == .string("EscalationResponseTimeStart"))
                #expect(row["Name"] == .string("%%EscalationResponseTimeStart%%triggered"))
                #expect(row["CreateBy"] == .int(1))
                let olgaID = try await fixture.services.admin.addAgent(
                    login: "olga", password: "olga-password", firstName: "Olga", lastName: "Agent", email: "olga@example.com",
                    grants: [.init(group: "users", permission: .rw)])
                let olga = Principal.agent(try #require(try await later.auth.agentPrincipal(id: olgaID)))
                var close = TicketUpdateRequest()
                close.state = .name("closed successful")
                _ = try await later.tickets.update(ticketID: Int(ticketID)!, close, by: olga)
                let rows = try await history(client, fixture, ticketID).filter { $0["HistoryType"] != .string("SendAgentNotification") }
                // Znuny's 4300-EscalationStopEvents runs before its TicketPendingTimeReset handler.
                #expect(
                    rows.suffix(3).map { $0["HistoryType"] } == [
                        .string("StateUpdate"), .string("EscalationResponseTimeStop"), .string("SetPendingTime"),
                    ])
                let stop = try #require(rows.dropLast().last)
                #expect(stop["Name"] == .string("%%EscalationResponseTimeStop%%triggered"))
                #expect(stop["CreateBy"] == .int(olgaID))
            }
        }
    }

    @Test("a pending state: SetPendingTime is written before StateUpdate and carries the old state")
    func pendingOrder() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let created = try await client.send(.post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root))
                let ticketID = try #require(created.json?["TicketID"]?.scalarString)
                var update = fixture.root
                update["Ticket"] = .object([
                    "State": .string("pending reminder"),
                    "PendingTime": .object([
                        "Year": .string("2031"), "Month": .string("2"), "Day": .string("3"), "Hour": .string("4"), "Minute": .string("5"),
                    ]),
                ])
                let updated = try await client.send(.patch, "/Ticket/\(ticketID)", json: .object(update))
                #expect(updated.json?["TicketID"] != nil, "\(updated.text)")
                let rows = try await history(client, fixture, ticketID).suffix(2)
                #expect(rows.map { $0["HistoryType"] } == [.string("SetPendingTime"), .string("StateUpdate")])
                #expect(rows.first?["Name"] == .string("%%2031-02-03 04:05"))
                #expect(rows.first?["StateID"] == .int(1))
                #expect(rows.last?["StateID"] == .int(6))
            }
        }
    }

    @Test("several problems in one request: the one Znuny checks first is answered")
    func checkOrder() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                func create(ticket: [String: JSONValue], article: [String: JSONValue]) async throws -> String? {
                    var body = fixture.root
                    body["Ticket"] = .object(ticket)
                    body["Article"] = .object(article)
                    return try await client.send(.post, "/Ticket", json: .object(body)).json?.at("Error", "ErrorMessage")?.scalarString
                }
                let good: [String: JSONValue] = [
                    "Title": .string("t"), "Queue": .string("Misc"), "State": .string("new"), "Priority": .string("3 normal"),
                    "CustomerUser": .string("c@acme.test"),
                ]
                let article: [String: JSONValue] = [
                    "Subject": .string("s"), "Body": .string("b"), "ContentType": .string("text/plain; charset=utf8"),
                ]
                var ticket = good
                ticket["Queue"] = .string("Nowhere")
                // A value check of the ticket (core) comes before a missing article subject (face).
                let unknownQueue = try await create(
                    ticket: ticket, article: ["Body": .string("b"), "ContentType": .string("text/plain; charset=utf8")])
                #expect(unknownQueue == "TicketCreate: Ticket->QueueID or Ticket->Queue parameter is invalid!")
                // A missing title (core) comes before a missing customer user (face).
                ticket = good
                ticket["Title"] = nil
                ticket["CustomerUser"] = nil
                let noTitle = try await create(ticket: ticket, article: article)
                #expect(noTitle == "TicketCreate: Ticket->Title parameter is missing!")
                // An unknown priority (core) is checked before a malformed pending time (face).
                ticket = good
                ticket["Priority"] = .string("urgent")
                ticket["PendingTime"] = .string("tomorrow")
                let unknownPriority = try await create(ticket: ticket, article: article)
                #expect(unknownPriority == "TicketCreate: Ticket->PriorityID or Ticket->Priority parameter is invalid!")
                // The face's own check of the article (a bad TimeUnit) beats a later core check
                // (an unknown dynamic field).
                var body = fixture.root
                body["Ticket"] = .object(good)
                body["Article"] = .object([
                    "Subject": .string("s"), "Body": .string("b"), "ContentType": .string("text/plain; charset=utf8"),
                    "TimeUnit": .string("abc"),
                ])
                body["DynamicField"] = .object(["Name": .string("Nope"), "Value": .string("x")])
                let badTimeUnit = try await client.send(.post, "/Ticket", json: .object(body)).json?.at("Error", "ErrorMessage")
                #expect(badTimeUnit == .string("TicketCreate: Article->TimeUnit parameter is invalid!"))
                body["Article"] = .object([
                    "Subject": .string("s"), "Body": .string("b"), "ContentType": .string("text/plain; charset=utf8"),
                ])
                let unknownField = try await client.send(.post, "/Ticket", json: .object(body)).json?.at("Error", "ErrorMessage")
                #expect(unknownField == .string("TicketCreate: DynamicField->Name parameter is invalid!"))
                // An attachment's charset must be one Znuny knows (`_CheckAttachment`).
                body["DynamicField"] = nil
                body["Attachment"] = .object([
                    "Content": .string("aGk="), "ContentType": .string("text/plain; charset=nonexist"), "Filename": .string("a.txt"),
                ])
                let badCharset = try await client.send(.post, "/Ticket", json: .object(body)).json?.at("Error", "ErrorMessage")
                #expect(badCharset == .string("TicketCreate: Attachment->ContentType is invalid!"))
                body["Attachment"] = .object([
                    "Content": .string("aGk="), "ContentType": .string("text/plain; charset="), "Filename": .string("a.txt"),
                ])
                let emptyCharset = try await client.send(.post, "/Ticket", json: .object(body)).json?.at("Error", "ErrorMessage")
                #expect(emptyCharset == .string("TicketCreate: Attachment->ContentType is invalid!"))
            }
        }
    }
}
