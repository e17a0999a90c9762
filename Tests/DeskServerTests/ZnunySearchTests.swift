import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import DeskTestSupport
import Testing
import ZnunyGI

/// TicketSearch's reading of its parameters, pinned to Znuny's GenericInterface operation
/// (`_GetParams`, `_GetDynamicFields`) and the core's `TicketSearch`.
@Suite("Znuny TicketSearch parameters")
struct ZnunySearchTests {
    func search(_ client: ZnunyTestClient, _ fixture: ZnunyFixture, _ filters: [String: JSONValue]) async throws -> [String] {
        var body = fixture.root
        for (key, value) in filters { body[key] = value }
        let reply = try await client.send(.post, "/search", json: .object(body))
        #expect(reply.status == .ok, "\(reply.text)")
        return reply.json?["TicketID"]?.arrayValue?.compactMap(\.scalarString) ?? []
    }

    /// Seen side by side with a real Znuny 7.0.17 on PostgreSQL.
    @Test("Limit goes into the SQL as written; a pending ticket without a pending time is older than any date")
    func limitAndUnsetPendingTime() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.addSearchRoute()
            try await fixture.test { client in
                var ids: [String] = []
                for _ in 0..<3 {
                    let created = try await client.send(.post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root, title: "Limited"))
                    ids.append(try #require(created.json?["TicketID"]?.scalarString))
                }
                func count(_ limit: JSONValue) async throws -> Int {
                    try await search(client, fixture, ["Title": .string("Limited"), "Limit": limit]).count
                }
                #expect(try await count(.string("1.5")) == 2)
                #expect(try await count(.string("1.4")) == 1)
                #expect(try await count(.string("0")) == 3)
                for refused: JSONValue in [.string("-1"), .string("abc"), .string("0.4")] {
                    #expect(try await count(refused) == 0, "\(refused)")
                }
                // TicketCreate takes a pending state without a pending time (until_time 0).
                var body = ZnunyRESTTests.ticketBody(fixture.root, title: "Limited").objectValue ?? [:]
                body["Ticket"] = .object([
                    "Title": .string("Timeless"), "Queue": .string("Misc"), "State": .string("pending reminder"),
                    "Priority": .string("3 normal"), "CustomerUser": .string("customer@acme.test"),
                ])
                let timeless = try #require(try await client.send(.post, "/Ticket", json: .object(body)).json?["TicketID"]?.scalarString)
                let older = try await search(
                    client, fixture, ["Title": .string("Timeless"), "TicketPendingTimeOlderDate": .string("2099-01-01 00:00:00")])
                #expect(older == [timeless])
                let newer = try await search(
                    client, fixture, ["Title": .string("Timeless"), "TicketPendingTimeNewerDate": .string("2000-01-01 00:00:00")])
                #expect(newer.isEmpty)
            }
        }
    }

    @Test(
        "dates need their time of day; filters on unknown fields drop out; ids, state types and sub-queues as Znuny reads them",
        arguments: TestDatabase.kinds)
    func parameters(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            // A JSON body needs a POST route (Znuny reads no body with GET).
            try await fixture.addSearchRoute()
            let admin = fixture.services.admin
            try await admin.addQueue(name: "Misc::Printers")
            _ = try await admin.addDynamicField(
                name: "Severity", label: nil, type: .text, object: .ticket, possibleValues: [], possibleNone: false)
            try await fixture.test { client in
                var extra: [String: JSONValue] = [:]
                extra["DynamicField"] = .array([.object(["Name": .string("Severity"), "Value": .string("high")])])
                let created = try await client.send(
                    .post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root, title: "Needle", extra: extra))
                let id = try #require(created.json?["TicketID"]?.scalarString, "\(created.text)")
                let title: [String: JSONValue] = ["Title": .string("Needle")]
                func found(_ filters: [String: JSONValue], _ sourceLocation: SourceLocation = #_sourceLocation) async throws -> Bool {
                    let ids = try await search(client, fixture, title.merging(filters) { $1 })
                    return ids.contains(id)
                }
                // `YYYY-M-D H:M:S` (one-digit parts too); a date alone is an invalid time format.
                #expect(try await found(["TicketCreateTimeNewerDate": .string("2000-1-5 3:4:5")]))
                #expect(try await found(["TicketCreateTimeNewerDate": .string(" 2000-01-05 03:04:05 ")]))
                #expect(try await !found(["TicketCreateTimeNewerDate": .string("2000-01-05")]))
                #expect(try await !found(["TicketCreateTimeOlderDate": .string("2999-01-05T10:00:00")]))
                #expect(try await !found(["TicketCreateTimeOlderDate": .string("2020-02-30 10:00:00")]))
                // Minutes beyond what a time can hold reach past every ticket (they trapped once).
                #expect(try await found(["TicketCreateTimeNewerMinutes": .string("9223372036854775807")]))
                #expect(try await !found(["TicketCreateTimeOlderMinutes": .string("9223372036854775807")]))
                #expect(try await found(["ArticleCreateTimeNewerMinutes": .string("9223372036854775807")]))
                #expect(try await found(["TicketCreateTimeOlderMinutes": .string("-9223372036854775808")]))
                #expect(
                    try await found([
                        "TicketCreateTimePoint": .string("9223372036854775807"), "TicketCreateTimePointFormat": .string("year"),
                    ]))
                // An escalation date in the future finds nothing, as every ticket time does.
                #expect(try await !found(["TicketEscalationTimeNewerDate": .string("2999-01-01 00:00:00")]))
                // A filter on a field that is not a valid ticket field is dropped, not refused.
                #expect(try await found(["DynamicField_Typo": .object(["Equals": .string("x")])]))
                #expect(try await found(["DynamicField_Severity": .object(["Equals": .string("high")])]))
                #expect(try await !found(["DynamicField_Severity": .object(["Equals": .string("low")])]))
                // Empty and `*`-only values are skipped; an operator left without any adds nothing.
                #expect(try await found(["DynamicField_Severity": .object(["Equals": .array([.string(""), .string("*")])])]))
                #expect(try await found(["DynamicField_Severity": .object(["Empty": .string("")])]))
                #expect(try await !found(["DynamicField_Severity": .object(["Empty": .int(1)])]))
                // Every entry of an id list must be a number, "" included; a lone "" is not sent.
                #expect(try await !found(["QueueIDs": .array([.string("2"), .string("")])]))
                #expect(try await found(["QueueIDs": .string("")]))
                // State types: unknown names drop out of a list; none known finds nothing.
                #expect(try await found(["StateType": .array([.string("new"), .string("bogus")])]))
                #expect(try await !found(["StateType": .array([.string("bogus")])]))
                // `AttachmentName` is not a parameter of the operation.
                #expect(try await found(["AttachmentName": .string("nothing-like-this.pdf")]))
                // Title values are `QueryCondition` expressions, ORed; white space around is trimmed.
                func titled(_ value: JSONValue) async throws -> Bool { try await search(client, fixture, ["Title": value]).contains(id) }
                #expect(try await titled(.string("  Needle ")))
                #expect(try await titled(.string("*eed*+!*hay*")))
                #expect(try await !titled(.string("*eed* AND *hay*")))
                #expect(try await titled(.string("Hay OR Needle")))
                #expect(try await titled(.array([.string("Hay"), .string("(Needle||x)&&!Pin")])))
                #expect(try await !titled(.string("Need_e")))
                #expect(try await !titled(.string("(Needle")))
                #expect(try await !titled(.array([.string("Needle"), .string("!")])))
            }
            // Sub-queues of the current queues, compared without case; not of `CreatedQueues`.
            try await fixture.test { client in
                let body = ZnunyRESTTests.ticketBody(fixture.root, title: "Jammed")
                var ticket = try #require(body["Ticket"]?.objectValue)
                ticket["Queue"] = .string("Misc::Printers")
                var request = try #require(body.objectValue)
                request["Ticket"] = .object(ticket)
                let created = try await client.send(.post, "/Ticket", json: .object(request))
                let id = try #require(created.json?["TicketID"]?.scalarString, "\(created.text)")
                let misc: [String: JSONValue] = ["Title": .string("Jammed"), "UseSubQueues": .int(1)]
                #expect(try await search(client, fixture, misc.merging(["Queues": .string("Misc")]) { $1 }) == [id])
                #expect(try await search(client, fixture, misc.merging(["CreatedQueues": .string("Misc")]) { $1 }) == [])
                // `State` sorts by state id, not name: new (1) before closed successful (2).
                var ids: [String] = []
                for state in ["closed successful", "new"] {
                    let body = ZnunyRESTTests.ticketBody(fixture.root, title: "Sorted")
                    var ticket = try #require(body["Ticket"]?.objectValue)
                    ticket["State"] = .string(state)
                    var request = try #require(body.objectValue)
                    request["Ticket"] = .object(ticket)
                    let reply = try await client.send(.post, "/Ticket", json: .object(request))
                    ids.append(try #require(reply.json?["TicketID"]?.scalarString, "\(reply.text)"))
                }
                let sorted: [String: JSONValue] = ["Title": .string("Sorted"), "SortBy": .string("State"), "OrderBy": .string("Up")]
                #expect(try await search(client, fixture, sorted) == [ids[1], ids[0]])
            }
        }
    }
}
