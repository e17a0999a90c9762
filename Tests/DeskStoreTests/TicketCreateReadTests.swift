import DeskCore
import DeskStore
import DeskTestSupport
import Testing

@Suite("A create answers with the new ticket as a read right after it would")
struct TicketCreateReadTests {
    static let face = "example"

    /// The read options faces use, and the ones that make the create read the ticket back.
    static var readOptions: [TicketReadOptions] {
        var faceView = TicketReadOptions(articles: true, attachments: true, attachmentContents: false, dynamicFields: true)
        faceView.faceAttributes = face
        faceView.articleDynamicFields = false
        faceView.timeAccounting = false
        faceView.agents = false
        var otherFace = TicketReadOptions()
        otherFace.faceAttributes = "other"
        var events = TicketReadOptions()
        events.events = true
        return [TicketReadOptions(), .bare, .articlesOnly, faceView, otherFace, events]
    }

    @Test("every part matches a read, for agents and customers, with and without what is read back", arguments: TestDatabase.kinds)
    func matchesRead(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let cora = try await desk.customer("cora", customerID: "ACME")
            _ = try await desk.agent("olga", grants: ["users:rw"])
            try await desk.admin.addDynamicField(
                name: "Mood", label: nil, type: .text, object: .article, possibleValues: [], possibleNone: false)
            try await desk.admin.addDynamicField(
                name: "Ref", label: nil, type: .text, object: .ticket, possibleValues: [], possibleNone: false)
            try await desk.admin.addAutoResponse(name: "reply", type: "auto reply", subject: "RE: <OTRS_CUSTOMER_SUBJECT>", text: "Thanks")
            try await desk.admin.setQueueAutoResponse(queue: "Misc", name: "reply")

            var rich = Desk.simpleTicket(title: "  Rich ticket  ", customer: "cora")
            rich.owner = .name("olga")
            rich.responsible = .name("olga")
            rich.state = .name("pending reminder")
            rich.pendingUntil = Desk.now + 86_400
            rich.dynamicFields = [DynamicFieldInput(name: "Ref", value: "REF-1"), DynamicFieldInput(name: "Mood", value: "calm")]
            // The second article also sets Mood itself: both values are stored, read back.
            var repeated = rich
            repeated.title = "Mood twice"
            rich.faceID = FaceIDAllocation(face: Self.face, kind: "ticket")
            rich.faceAttributes = FaceAttributes(face: Self.face, values: ["secret": "s3", "gone": nil])
            rich.articles = [
                ArticleDraft(
                    subject: "From the customer", body: "Help", senderType: .name("customer"), from: "cora@example.org",
                    timeUnit: 1.5, faceID: FaceIDAllocation(face: Self.face, kind: "note"),
                    faceAttributes: FaceAttributes(face: Self.face, values: ["minutes": "90", "none": nil]),
                    autoResponseType: .name("auto reply")),
                ArticleDraft(
                    subject: "Internal", body: "Looking", senderType: .name("agent"), isVisibleForCustomer: false, bcc: "boss@example.org",
                    timeUnit: 2.25,
                    faceAttributes: FaceAttributes(face: Self.face, values: ["only": nil])),
                ArticleDraft(subject: "Answer", body: "Done", isVisibleForCustomer: true, cc: "team@example.org", bcc: "boss@example.org"),
            ]
            var attached = Desk.simpleTicket(title: "With a file")
            attached.articles[0].attachments = [AttachmentDraft(filename: "a.txt", contentType: "text/plain", content: [1, 2, 3])]
            var registering = Desk.simpleTicket(title: "Walk-in")
            registering.registration = CustomerRegistration(email: "walk-in@example.net")
            repeated.articles = rich.articles
            repeated.articles[1].dynamicFields = [DynamicFieldInput(name: "Mood", value: "busy")]
            let requests = [
                ("simple", Desk.simpleTicket()), ("rich", rich), ("attached", attached), ("registering", registering),
                ("repeated", repeated),
            ]

            var compared = 0
            for (name, request) in requests {
                for options in Self.readOptions {
                    let (created, details) = try await desk.tickets.createAndRead(request, options: options, by: root)
                    let read = try await desk.tickets.get(ticketIDs: [created.ticketID], options: options, by: root)[0]
                    #expect(details == read, "\(name), events \(options.events), face \(options.faceAttributes ?? "-")")
                    compared += 1
                }
            }
            // A customer's own creates, seen as the customer sees them (internal articles and
            // blind copies hidden, numbers counting every article).
            var own = rich
            own.owner = nil
            own.responsible = nil
            own.state = .name("new")
            own.pendingUntil = nil
            for options in Self.readOptions {
                let (created, details) = try await desk.tickets.createAndRead(own, options: options, by: cora)
                let read = try await desk.tickets.get(ticketIDs: [created.ticketID], options: options, by: cora)[0]
                #expect(details == read, "customer, events \(options.events), face \(options.faceAttributes ?? "-")")
                compared += 1
            }
            #expect(compared == requests.count * Self.readOptions.count + Self.readOptions.count)

            // The rich create really had every part (the comparison above is not of empty values).
            var options = TicketReadOptions()
            options.faceAttributes = Self.face
            let (created, details) = try await desk.tickets.createAndRead(rich, options: options, by: root)
            #expect(details.articles.count == 4 && details.articles.last?.subject.hasPrefix("[Ticket#") == true)
            #expect(details.ticket.title == "Rich ticket" && details.ticket.pendingUntil == Desk.now + 86_400)
            #expect(details.dynamicFields.count == 1 && details.articleDynamicFields.count == 3)
            #expect(details.totalTimeUnits == 3.75 && details.articleTimeUnits[created.articleIDs[1]] == 2.25)
            #expect(details.ticketAttributes == ["secret": "s3"])
            #expect(details.articleAttributes == [created.articleIDs[0]: ["minutes": "90"]])
            #expect(details.agents.keys.sorted() == [1, try await desk.agentID("olga")])
        }
    }

    @Test("a create the caller may not read is written, and its read fails as a read would", arguments: TestDatabase.kinds)
    func unreadable(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let writer = try await desk.agent("walt", grants: ["users:create"])
            // Owned by root: walt may create tickets in the queue, not read them.
            var request = Desk.simpleTicket(title: "Unseen")
            request.owner = .id(1)
            await #expect(throws: DeskError.self) {
                try await desk.tickets.createAndRead(request, options: TicketReadOptions(), by: writer)
            }
            var query = TicketQuery()
            query.titles = ["Unseen"]
            let found = try await desk.tickets.search(query, by: root)
            #expect(found.count == 1)
            await #expect(throws: DeskError.notFound(.ticket, key: String(found[0]))) {
                try await desk.tickets.get(ticketIDs: found, options: TicketReadOptions(), by: writer)
            }
        }
    }
}
