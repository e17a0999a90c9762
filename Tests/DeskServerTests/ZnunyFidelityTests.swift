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

/// Behaviour pinned to Znuny 7.0.19's source (release tree, `Kernel/…` paths below), one test per
/// difference found by replaying recordings of the real product.
@Suite("Znuny 7.0.19 fidelity")
struct ZnunyFidelityTests {
    func ticket(_ client: ZnunyTestClient, _ fixture: ZnunyFixture, _ id: String, _ options: String = "") async throws -> JSONValue? {
        let reply = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)&\(options)")
        return reply.json?["Ticket"]?[0]
    }

    func articles(_ client: ZnunyTestClient, _ fixture: ZnunyFixture, _ id: String, _ options: String = "") async throws -> [JSONValue] {
        try await ticket(client, fixture, id, "AllArticles=1&" + options)?["Article"]?.arrayValue ?? []
    }

    func create(_ client: ZnunyTestClient, _ body: JSONValue) async throws -> String {
        let created = try await client.send(.post, "/Ticket", json: body)
        return try #require(created.json?["TicketID"]?.scalarString, "\(created.text)")
    }

    func note(
        _ client: ZnunyTestClient, _ id: String, _ credentials: [String: JSONValue], _ article: [String: JSONValue],
        ticket: [String: JSONValue]? = nil
    )
        async throws
    {
        var body = credentials
        var fields: [String: JSONValue] = [
            "Subject": .string("Note"), "Body": .string("Text"), "ContentType": .string("text/plain; charset=utf8"),
        ]
        // A null drops the default, so a test can leave a field out.
        for (key, value) in article { fields[key] = value == .null ? nil : value }
        body["Article"] = .object(fields)
        if let ticket { body["Ticket"] = .object(ticket) }
        let reply = try await client.send(.patch, "/Ticket/\(id)", json: .object(body))
        #expect(reply.json?["ArticleID"] != nil, "\(reply.text)")
    }

    /// MIMEBase.pm 750-894 (ArticleGet) plus TicketGet.pm 500-536 (TimeUnit, DynamicField):
    /// the meta keys carry only `CommunicationChannelID`, never the channel's name.
    @Test("an article has exactly the keys of Znuny's ArticleGet and TicketGet", arguments: TestDatabase.kinds)
    func articleKeys(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let id = try await create(client, ZnunyRESTTests.ticketBody(fixture.root))
                for channel in ["Email", "Phone", "Internal"] {
                    try await note(client, id, fixture.root, ["CommunicationChannel": .string(channel)])
                }
                let all = try await articles(client, fixture, id)
                #expect(all.count == 4)
                let expected = [
                    "ArticleID", "ArticleNumber", "Bcc", "Body", "Cc", "ChangeBy", "ChangeTime", "Charset", "CommunicationChannelID",
                    "ContentCharset", "ContentType", "CreateBy", "CreateTime", "From", "InReplyTo", "IncomingTime", "IsVisibleForCustomer",
                    "MessageID", "MimeType", "References", "ReplyTo", "SenderType", "SenderTypeID", "Subject", "TicketID", "TimeUnit", "To",
                ]
                for article in all { #expect(article.objectValue.map { $0.keys.sorted() } == expected) }
                #expect(all.compactMap { $0["ArticleNumber"] } == [.int(1), .int(2), .int(3), .int(4)])

                // On the wire each article lists its keys sorted and escapes what JSON must.
                let text = "Quote \" slash \\ tab \t line\nZoë </script> \u{2028}"
                try await note(client, id, fixture.root, ["Subject": .string("S \"q\""), "Body": .string(text)])
                let reply = try await client.send(
                    .get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)&AllArticles=1")
                let wire = try JSONParser.parse(Array(reply.text.utf8), keepingOrder: true)
                let listed = wire["Ticket"]?.arrayValue?.first?["Article"]?.arrayValue ?? []
                #expect(listed.count == 5)
                for article in listed {
                    guard case .orderedObject(let members) = article else {
                        Issue.record("not an object: \(article)")
                        continue
                    }
                    #expect(members.map(\.key) == expected)
                }
                #expect(listed.last?["Body"] == .string(text))
                #expect(listed.last?["Subject"] == .string("S \"q\""))
                #expect(reply.text.contains(#""Subject":"S \"q\"""#))
                // Kernel::System::JSON escapes U+2028 (and U+2029) after encoding.
                #expect(reply.text.contains(#"</script> \u2028""#))
            }
        }
    }

    /// TicketCreate.pm 1503-1553: `From` is the request's, else the customer user's `"Full name"
    /// <email>`, else the CustomerUser as sent; `To` is the queue's name and the article's
    /// To/Cc/Bcc count only with ArticleSend. TicketUpdate.pm 2045-2109: an agent's note comes
    /// from the agent's full name; `To` defaults only for the Email channel, to the request's
    /// Ticket.CustomerUser, else the ticket's customer login; a customer's note without
    /// Ticket.CustomerUser has an empty `From`.
    @Test("From and To default as in Znuny's TicketCreate and TicketUpdate", arguments: TestDatabase.kinds)
    func addressDefaults(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            _ = try await fixture.services.admin.addCustomerUser(
                login: "cora", password: "cora-password", customerID: "acme", firstName: "Cora", lastName: "Customer",
                email: "cora@acme.test")
            try await fixture.test { client in
                var body = fixture.root
                body["Ticket"] = .object([
                    "Title": .string("Printer"), "Queue": .string("Misc"), "State": .string("new"), "Priority": .string("3 normal"),
                    "CustomerUser": .string("cora"),
                ])
                body["Article"] = .object([
                    "Subject": .string("Help"), "Body": .string("It is burning."), "ContentType": .string("text/plain; charset=utf8"),
                    "To": .string("ignored@acme.test"), "Cc": .string("ignored@acme.test"),
                ])
                let id = try await create(client, .object(body))
                let raw = try await create(client, ZnunyRESTTests.ticketBody(fixture.root))

                try await note(client, id, fixture.root, [:])
                try await note(client, id, fixture.root, ["CommunicationChannel": .string("Email")])
                try await note(
                    client, id, fixture.root, ["CommunicationChannel": .string("Email")], ticket: ["CustomerUser": .string("cora")])
                try await note(client, raw, fixture.root, ["CommunicationChannel": .string("Email")])
                let cora: [String: JSONValue] = ["CustomerUserLogin": .string("cora"), "Password": .string("cora-password")]
                try await note(client, id, cora, [:])
                try await note(client, id, cora, [:], ticket: ["CustomerUser": .string("cora")])

                let all = try await articles(client, fixture, id)
                let pairs = all.map { [$0["From"]?.scalarString ?? "?", $0["To"]?.scalarString ?? "?", $0["Cc"]?.scalarString ?? "?"] }
                #expect(
                    pairs == [
                        ["\"Cora Customer\" <cora@acme.test>", "Misc", ""],
                        ["Admin OTRS", "", ""],
                        ["Admin OTRS", "cora", ""],
                        ["Admin OTRS", "\"Cora Customer\" <cora@acme.test>", ""],
                        ["", "", ""],
                        ["\"Cora Customer\" <cora@acme.test>", "", ""],
                    ])
                let unknown = try await articles(client, fixture, raw)
                #expect(unknown.map { $0["From"]?.scalarString } == ["customer@acme.test", "Admin OTRS"])
                #expect(unknown.last?["To"] == .string("customer@acme.test"))
            }
        }
    }

    /// MIMEBase.pm 244-263 (ArticleCreate): an HTML body is kept as attachment `file-2` and the
    /// article becomes `text/plain` with `HTMLUtils::ToAscii` of the body, breaks included.
    @Test("HTML articles read as Znuny's plain-text rendering; the HTML is the file-2 attachment", arguments: TestDatabase.kinds)
    func htmlArticles(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let body = ZnunyRESTTests.ticketBody(
                    fixture.root,
                    extra: [
                        "Article": .object([
                            "Subject": .string("Styled"), "Body": .string("<p>Hello <b>World</b></p><p>Second</p>"),
                            "ContentType": .string("text/html; charset=UTF-8"),
                        ])
                    ])
                let id = try await create(client, body)
                let article = try #require(try await articles(client, fixture, id, "Attachments=1&HTMLBodyAsAttachment=1").first)
                #expect(article["Body"] == .string("\nHello World\n\nSecond\n\n"))
                #expect(article["ContentType"] == .string("text/plain; charset=utf-8"))
                #expect(article["MimeType"] == .string("text/plain"))
                #expect(article["Charset"] == .string("utf-8"))
                let file = article["Attachment"]?[0]
                #expect(file?["Filename"] == .string("file-2"))
                #expect(file?["ContentType"] == .string("text/html; charset=\"utf-8\""))
                #expect(file?["Disposition"] == .string("inline"))
                let plain = try #require(try await articles(client, fixture, id, "Attachments=1").first)
                #expect(plain["Attachment"] == nil)
            }
        }
    }

    /// TicketCreate.pm 964-1005 and MIMEBase.pm 215-221/816-824: the charset is lower-cased and
    /// otherwise kept, so `utf8` stays `utf8`.
    @Test("the charset comes back as sent, lower-cased", arguments: TestDatabase.kinds)
    func charsetAsGiven(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let id = try await create(client, ZnunyRESTTests.ticketBody(fixture.root))
                try await note(client, id, fixture.root, ["ContentType": .string("text/plain; charset=UTF-8")])
                try await note(
                    client, id, fixture.root, ["ContentType": .null, "MimeType": .string("text/plain"), "Charset": .string("UTF8")])
                let all = try await articles(client, fixture, id)
                #expect(
                    all.map { $0["ContentType"]?.scalarString } == [
                        "text/plain; charset=utf8", "text/plain; charset=utf-8", "text/plain; charset=utf8",
                    ])
                #expect(all.map { $0["Charset"]?.scalarString } == ["utf8", "utf-8", "utf8"])
                #expect(all.map { $0["ContentCharset"]?.scalarString } == ["utf8", "utf-8", "utf8"])
            }
        }
    }

    /// MIMEBase.pm ArticleCreate: line breaks are removed from From, To, Cc, Bcc, Subject,
    /// MessageID, InReplyTo, References and ReplyTo; InReplyTo and References are cut to 3,800
    /// characters.
    /// TicketCreate and TicketUpdate hand ArticleCreate none of ReplyTo, MessageID, InReplyTo
    /// and References (seen side by side with a real Znuny 7.0.17).
    @Test("header fields lose their line breaks; ReplyTo, MessageID, InReplyTo and References are not taken", arguments: TestDatabase.kinds)
    func headerLineBreaks(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let id = try await create(client, ZnunyRESTTests.ticketBody(fixture.root))
                try await note(
                    client, id, fixture.root,
                    [
                        "Subject": .string("Folded\r\n subject"), "ReplyTo": .string("a@acme.test"),
                        "InReplyTo": .string("<1@acme.test>"), "References": .string("<1@acme.test> <2@acme.test>"),
                        "MessageID": .string("<3@acme.test>"),
                    ])
                let article = try #require(try await articles(client, fixture, id).last)
                #expect(article["Subject"] == .string("Folded subject"))
                for key in ["ReplyTo", "InReplyTo", "References", "MessageID"] {
                    #expect(article[key] == .string(""), "\(key)")
                }
            }
        }
    }

    /// Seen side by side with a real Znuny 7.0.17: the Date driver and the article storage.
    @Test("a Date field takes a day, its history shows the day; file names are cleaned as the storage does")
    func dateFieldsAndFileNames() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            _ = try await fixture.services.admin.addDynamicField(
                name: "DueDate", label: nil, type: .date, object: .ticket, possibleValues: [], possibleNone: false)
            try await fixture.test { client in
                func withDate(_ value: String) -> JSONValue {
                    ZnunyRESTTests.ticketBody(
                        fixture.root, extra: ["DynamicField": .object(["Name": .string("DueDate"), "Value": .string(value)])])
                }
                let refused = try await client.send(.post, "/Ticket", json: withDate("2027-01-15 10:00:00"))
                #expect(refused.json?.at("Error", "ErrorMessage") == .string("TicketCreate: DynamicField->Value parameter is invalid!"))
                let id = try await create(client, withDate("2027-01-15 00:00:00"))
                let history = try await client.send(.get, "/TicketHistory/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                let rows = history.json?["TicketHistory"]?[0]?["History"]?.arrayValue ?? []
                #expect(rows.contains { $0["Name"] == .string("%%FieldName%%DueDate%%Value%%2027-01-15%%OldValue%%") }, "\(rows)")
                let endOfDay = try await create(client, withDate("2027-01-16 23:59:59"))
                let fields = try await ticket(client, fixture, endOfDay, "DynamicFields=1")?["DynamicField"]?.arrayValue ?? []
                #expect(fields.contains { $0["Name"] == .string("DueDate") && $0["Value"] == .string("2027-01-16 23:59:59") })

                var files = ZnunyRESTTests.ticketBody(fixture.root).objectValue ?? [:]
                files["Attachment"] = .array(
                    ["../../etc/passwd", " report.txt\r\n", String(repeating: "n", count: 230) + ".pdf"].map {
                        .object(["Content": .string("aGk="), "ContentType": .string("text/plain"), "Filename": .string($0)])
                    })
                let filed = try await create(client, .object(files))
                let names = (try await articles(client, fixture, filed, "Attachments=1").first?["Attachment"]?.arrayValue ?? []).compactMap
                {
                    $0["Filename"]?.scalarString
                }
                #expect(Set(names) == ["/../etc/passwd", "report.txt", String(repeating: "n", count: 216) + ".pdf"])
            }
        }
    }

    /// Kernel::System::JSON encodes with `canonical`: a ticket's keys, the optional ones
    /// (escalations, `Extended`, articles, dynamic fields) included, come sorted.
    @Test("a busy ticket's keys come sorted on the wire", arguments: TestDatabase.kinds)
    func busyTicketKeyOrder(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            _ = try await fixture.services.admin.addQueue(name: "Hotline", firstResponseMinutes: 1, updateMinutes: 60, solutionMinutes: 120)
            try await fixture.test { client in
                var body = ZnunyRESTTests.ticketBody(fixture.root).objectValue ?? [:]
                body["Ticket"] = .object([
                    "Title": .string("Busy"), "Queue": .string("Hotline"), "State": .string("open"), "Priority": .string("3 normal"),
                    "CustomerUser": .string("customer@acme.test"),
                ])
                // A customer's message and an internal note: no first response yet, so it escalates.
                var article = body["Article"]?.objectValue ?? [:]
                article["SenderType"] = .string("customer")
                body["Article"] = .object(article)
                let id = try await create(client, .object(body))
                try await note(
                    client, id, fixture.root, ["CommunicationChannel": .string("Phone"), "IsVisibleForCustomer": .int(0)],
                    ticket: ["Lock": .string("lock")])
                let reply = try await client.send(
                    .get,
                    "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)&Extended=1&AllArticles=1&DynamicFields=1")
                let wire = try JSONParser.parse(Array(reply.text.utf8), keepingOrder: true)
                guard case .orderedObject(let members)? = wire["Ticket"]?.arrayValue?.first else {
                    Issue.record("no ticket in \(reply.text)")
                    return
                }
                let keys = members.map(\.key)
                #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
                #expect(Set(keys).count == keys.count)
                for key in ["Article", "DynamicField", "EscalationDestinationIn", "EscalationTimeWorkingTime", "FirstLock", "SolutionTime"]
                {
                    #expect(keys.contains(key), "\(key) missing from \(keys)")
                }
                // The nearest escalation (the first response's) replaces the stored deadline.
                let ticket = try #require(reply.json?["Ticket"]?[0])
                #expect(ticket["EscalationTime"] != nil && ticket["EscalationTime"] == ticket["FirstResponseTime"])
            }
        }
    }

    /// Ticket.pm 8002-8083 (_TicketGetExtended): the first response is the earliest article of
    /// sender type agent that the customer can see, on any channel; 8092-8186: `Closed` and
    /// `SolutionInMin` once a closed state was reached.
    @Test("Extended: the first response is the first visible agent article", arguments: TestDatabase.kinds)
    func firstResponse(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                var body = ZnunyRESTTests.ticketBody(fixture.root).objectValue ?? [:]
                body["Article"] = .object([
                    "Subject": .string("Help"), "Body": .string("It is burning."), "ContentType": .string("text/plain; charset=utf8"),
                    "SenderType": .string("customer"),
                ])
                let id = try await create(client, .object(body))
                #expect(try await ticket(client, fixture, id, "Extended=1")?["FirstResponse"] == nil)
                try await note(client, id, fixture.root, ["IsVisibleForCustomer": .int(0)])
                #expect(try await ticket(client, fixture, id, "Extended=1")?["FirstResponse"] == nil)
                try await note(
                    client, id, fixture.root, ["CommunicationChannel": .string("Phone")], ticket: ["State": .string("closed successful")])
                let extended = try #require(try await ticket(client, fixture, id, "Extended=1&AllArticles=1"))
                let answer = try #require(extended["Article"]?[2]?["CreateTime"])
                #expect(extended["FirstResponse"] == answer)
                // No escalation times on the queue: no minutes for the first response.
                #expect(extended["FirstResponseInMin"] == nil)
                #expect(extended["Closed"] != nil)
                #expect(extended["SolutionInMin"] != nil)
                #expect(extended["SolutionDiffInMin"] == nil)
            }
        }
    }

    /// DateTime.pm `Delta(ForWorkingTime => 1)` with the default calendar: Mon–Fri, hours 8..20
    /// counted in full, vacation days 01-01, 05-01, 12-24, 12-25, 12-26, 12-31, UTC.
    @Test("working time follows Znuny's default calendar")
    func workingTime() throws {
        func at(_ text: String) throws -> Int64 { try #require(CivilDate(timestamp: text)?.unixSeconds) }
        let calendar = WorkingCalendar.znunyDefault
        // Friday 20:00 to Monday 09:30: one hour on Friday, 1.5 on Monday.
        #expect(calendar.seconds(from: try at("2026-11-27 20:00:00"), to: try at("2026-11-30 09:30:00")) == 9000)
        // Within one day, before and after hours.
        #expect(calendar.seconds(from: try at("2026-11-25 06:00:00"), to: try at("2026-11-25 23:00:00")) == 13 * 3600)
        // 24–26 December 2026 (Thursday to Saturday) are vacation days; Wednesday and Monday count.
        #expect(calendar.seconds(from: try at("2026-12-23 00:00:00"), to: try at("2026-12-29 00:00:00")) == 2 * 13 * 3600)
        #expect(calendar.seconds(from: try at("2026-11-30 10:00:00"), to: try at("2026-11-30 09:00:00")) == 0)
    }

    /// Ticket.pm `TicketEscalationDateCalculation`: seconds left in calendar time, working
    /// seconds left (`-N` once passed, with `…TimeEscalation`), `EscalationDestinationIn` from
    /// the working seconds.
    @Test("escalation keys count working time to the deadline", arguments: TestDatabase.kinds)
    func escalationWorkingTime(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            func at(_ text: String) throws -> Int64 { try #require(CivilDate(timestamp: text)?.unixSeconds) }
            let friday = ZnunyFixture(db, clock: .fixed(try at("2026-11-27 20:30:00")))
            _ = try await friday.services.admin.addQueue(name: "Hotline", firstResponseMinutes: 60)
            let root = Principal.agent(try #require(try await friday.services.auth.agentPrincipal(id: 1)))
            let request = TicketCreateRequest(
                title: "Late", queue: .name("Hotline"), state: .name("open"), priority: .name("3 normal"),
                customerUser: "customer@acme.test", articles: [ArticleDraft(subject: "Help", body: "Down.", senderType: .name("customer"))])
            let id = try await friday.services.tickets.create(request, by: root).ticketID
            try await friday.test { client in
                let reply = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(friday.rootPassword)")
                let ticket = try #require(reply.json?["Ticket"]?[0])
                #expect(ticket["FirstResponseTimeDestinationDate"] == .string("2026-11-30 08:30:00"))
                #expect(ticket["FirstResponseTime"] == .int(60 * 3_600))
                #expect(ticket["FirstResponseTimeWorkingTime"] == .int(3_600))
                #expect(ticket["FirstResponseTimeEscalation"] == nil)
                #expect(ticket["EscalationDestinationIn"] == .string("1h 0m"))
            }
            let monday = ZnunyFixture(db, clock: .fixed(try at("2026-11-30 10:00:00")))
            try await monday.test { client in
                let reply = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(monday.rootPassword)")
                let ticket = try #require(reply.json?["Ticket"]?[0])
                #expect(ticket["FirstResponseTime"] == .int(-5_400))
                #expect(ticket["FirstResponseTimeWorkingTime"] == .string("-5400"))
                #expect(ticket["FirstResponseTimeEscalation"] == .int(1))
                #expect(ticket["EscalationTimeWorkingTime"] == .string("-5400"))
                #expect(ticket["EscalationDestinationIn"] == .string("1h 30m"))
            }
        }
    }

    /// Ticket.pm `TicketEscalationDateCalculation`: `…TimeNotification` once the queue's
    /// notify-before percentage of the minutes has passed in working time, until the deadline.
    @Test("a deadline is near once the queue's notify-before share of its working minutes has passed", arguments: TestDatabase.kinds)
    func escalationNotification(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            func at(_ text: String) throws -> Int64 { try #require(CivilDate(timestamp: text)?.unixSeconds) }
            let friday = ZnunyFixture(db, clock: .fixed(try at("2026-11-27 20:30:00")))
            _ = try await friday.services.admin.addQueue(
                name: "Hotline", firstResponseMinutes: 60, solutionMinutes: 600, notify: EscalationNotify(firstResponse: 50))
            let root = Principal.agent(try #require(try await friday.services.auth.agentPrincipal(id: 1)))
            let request = TicketCreateRequest(
                title: "Late", queue: .name("Hotline"), state: .name("open"), priority: .name("3 normal"),
                customerUser: "customer@acme.test", articles: [ArticleDraft(subject: "Help", body: "Down.", senderType: .name("customer"))])
            let id = try await friday.services.tickets.create(request, by: root).ticketID
            // The deadline is Monday 08:30: an hour of working time at first, half of it left
            // from 21:00 on (the weekend counts none), then reached.
            for (time, notification, escalation) in [
                ("2026-11-27 20:30:00", nil, nil), ("2026-11-27 20:59:59", nil, nil), ("2026-11-27 21:00:00", JSONValue.int(1), nil),
                ("2026-11-29 12:00:00", .int(1), nil), ("2026-11-30 08:29:59", .int(1), nil), ("2026-11-30 08:30:00", nil, .int(1)),
            ] as [(String, JSONValue?, JSONValue?)] {
                let fixture = ZnunyFixture(db, clock: .fixed(try at(time)))
                try await fixture.test { client in
                    let reply = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                    let ticket = try #require(reply.json?["Ticket"]?[0])
                    #expect(ticket["FirstResponseTimeNotification"] == notification, "\(time)")
                    #expect(ticket["FirstResponseTimeEscalation"] == escalation, "\(time)")
                    // The solution time notifies at no percentage.
                    #expect(ticket["SolutionTimeNotification"] == nil, "\(time)")
                }
            }
            // Percentages are 0 to 100.
            await #expect(throws: DeskError.self) {
                try await friday.services.admin.setQueueMinutes(queue: "Hotline", .init(solutionNotify: 101))
            }
        }
    }

    /// DateTime.pm `Add(AsWorkingTime => 1)`, which sets escalation deadlines: working hours
    /// only, and a deadline that uses up a day's hours ends at 21:00 that day.
    @Test("working time added: deadlines skip nights, weekends and vacation days")
    func workingTimeAdded() throws {
        func at(_ text: String) throws -> Int64 { try #require(CivilDate(timestamp: text)?.unixSeconds) }
        let calendar = WorkingCalendar.znunyDefault
        #expect(calendar.destination(from: try at("2026-11-27 20:30:00"), adding: 3_600) == (try at("2026-11-30 08:30:00")))
        #expect(calendar.destination(from: try at("2026-11-25 20:00:00"), adding: 3_600) == (try at("2026-11-25 21:00:00")))
        #expect(calendar.destination(from: try at("2026-11-28 10:00:00"), adding: 3_600) == (try at("2026-11-30 09:00:00")))
        // Wednesday 23 December 2026: one hour left; 24–26 are vacation days, 27 a Sunday.
        #expect(calendar.destination(from: try at("2026-12-23 20:00:00"), adding: 7_200) == (try at("2026-12-28 09:00:00")))
        #expect(calendar.destination(from: 1_000, adding: 0) == 1_000)
        // The earliest instant with that much working time behind it, over spans up to centuries.
        var generator = SystemRandomNumberGenerator()
        for span: Int64 in [600, 86_400, 86_400 * 30, 86_400 * 4_000, 86_400 * 200_000] {
            for _ in 0..<30 {
                let from = Int64.random(in: -80_000_000_000...60_000_000_000, using: &generator)
                let seconds = Int64.random(in: 1...span, using: &generator)
                let deadline = calendar.destination(from: from, adding: seconds)
                #expect(calendar.seconds(from: from, to: deadline) == seconds, "from \(from) adding \(seconds)")
                #expect(calendar.seconds(from: from, to: deadline - 1) < seconds, "from \(from) adding \(seconds)")
            }
        }
        #expect(calendar.destination(from: 0, adding: .max) == 3_000_000_000_000_000)
    }

    /// The count by weeks and 400-year cycles against Znuny's walk day by day, on random spans
    /// from hours to six centuries, and at the ends of Int64 (no trap, no negative time).
    @Test("working time counted by weeks and cycles equals the walk day by day")
    func workingTimeAgainstTheDailyWalk() throws {
        func walked(from: Int64, to: Int64) -> Int64 {
            guard to > from else { return 0 }
            var total: Int64 = 0
            var day = CivilDate.dayNumber(unixSeconds: from)
            while day <= CivilDate.dayNumber(unixSeconds: to - 1) {
                let date = CivilDate(unixSeconds: day * 86_400)
                let vacation = [(1, 1), (5, 1), (12, 24), (12, 25), (12, 26), (12, 31)].contains { $0 == (date.month, date.day) }
                if CivilDate.weekday(ofDay: day) < 5, !vacation {
                    total += max(0, min(to, day * 86_400 + 21 * 3600) - max(from, day * 86_400 + 8 * 3600))
                }
                day += 1
            }
            return total
        }
        var generator = SystemRandomNumberGenerator()
        let spans: [Int64] = [3_600, 86_400 * 3, 86_400 * 40, 86_400 * 800, 86_400 * 146_097 + 86_400 * 9_000]
        for span in spans {
            for _ in 0..<(span > 86_400 * 1_000 ? 8 : 40) {
                let from = Int64.random(in: -80_000_000_000...60_000_000_000, using: &generator)
                let to = from + Int64.random(in: 0...span, using: &generator)
                #expect(WorkingCalendar.znunyDefault.seconds(from: from, to: to) == walked(from: from, to: to), "from \(from) to \(to)")
            }
        }
        #expect(WorkingCalendar.znunyDefault.seconds(from: .min, to: .max) > 0)
        #expect(WorkingCalendar.znunyDefault.seconds(from: .max - 10, to: .max) == 0)
    }

    /// SessionGet.pm 108-156, AuthSession/DB.pm 227-262 and User.pm 393-405: the session's own
    /// keys, the agent's record and the ten preference defaults, in Perl's byte order.
    @Test("SessionGet: the session keys and the agent's default preferences, never a password", arguments: TestDatabase.kinds)
    func sessionGet(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            try await fixture.test { client in
                let created = try await client.send(
                    .post, "/Session", json: .object(fixture.root), headers: [.userAgent: "fidelity-test/1.0"])
                let sessionID = try #require(created.json?["SessionID"]?.scalarString)
                let info = try await client.send(.get, "/Session/\(sessionID)")
                let pairs = info.json?["SessionData"]?.arrayValue ?? []
                let keys = pairs.compactMap { $0["Key"]?.scalarString }
                #expect(
                    keys == [
                        "AdminCommunicationLogPageShown", "AdminDynamicFieldsOverviewPageShown", "ChangeTime", "CreateTime",
                        "SessionSource",
                        "UserActivityLinkTarget", "UserCreateNextMask", "UserEmail", "UserFirstname", "UserFullname", "UserID",
                        "UserLastLogin", "UserLastLoginTimestamp", "UserLastRequest", "UserLastViewsLimit", "UserLastViewsPosition",
                        "UserLastname", "UserLogin", "UserLoginFailed", "UserRefreshTime", "UserRemoteAddr", "UserRemoteUserAgent",
                        "UserSessionStart", "UserTicketOverviewMediumPageShown", "UserTicketOverviewPreviewPageShown",
                        "UserTicketOverviewSmallPageShown", "UserTitle", "UserType", "ValidID",
                    ])
                var values: [String: JSONValue] = [:]
                for pair in pairs { if let key = pair["Key"]?.scalarString { values[key] = pair["Value"] } }
                #expect(values["UserRemoteUserAgent"] == .string("fidelity-test/1.0"))
                #expect(values["UserFullname"] == .string("Admin OTRS"))
                #expect(values["UserLoginFailed"] == .string("0"))
                #expect(values["UserTitle"] == .null)
                #expect(values["UserTicketOverviewMediumPageShown"] == .string("20"))
                #expect(values["UserLastLoginTimestamp"]?.scalarString?.count == 19)
                #expect(!info.text.contains("Pw") && !info.text.contains("Password") && !info.text.contains("$2"))

                let bare = try await client.send(.post, "/Session", json: .object(fixture.root))
                let bareID = try #require(bare.json?["SessionID"]?.scalarString)
                let bareInfo = try await client.send(.get, "/Session/\(bareID)")
                let agent = bareInfo.json?["SessionData"]?.arrayValue?.first { $0["Key"] == .string("UserRemoteUserAgent") }
                #expect(agent?["Value"] == .string("none"))
            }
        }
    }
}
