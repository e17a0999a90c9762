import DeskCore
import DeskStore
import DeskTestSupport
import Foundation
import Testing

@Suite("Face ids, face attributes, articles on their own, deletion and ticket imports")
struct FaceObjectsTests {
    static let face = "example"

    @Test("face id sequences and attributes are written with the ticket and its articles", arguments: TestDatabase.kinds)
    func idsAndAttributes(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            func create(_ title: String) async throws -> TicketCreateResult {
                var request = Desk.simpleTicket(title: title)
                request.faceID = FaceIDAllocation(face: Self.face, kind: "ticket")
                request.faceAttributes = FaceAttributes(face: Self.face, values: ["due": "2030-01-01", "gone": nil, "note": "first"])
                request.articles[0].faceID = FaceIDAllocation(face: Self.face, kind: "note")
                request.articles[0].faceAttributes = FaceAttributes(face: Self.face, values: ["minutes": "90"])
                return try await desk.tickets.create(request, by: root)
            }
            let first = try await create("one")
            let second = try await create("two")
            #expect(first.faceIDs.map(\.externalID) == ["1", "1"])
            #expect(second.faceIDs.map(\.kind) == ["ticket", "note"])
            #expect(second.faceIDs.map(\.externalID) == ["2", "2"])
            #expect(
                try await desk.services.externalIDs.coreIDs(face: Self.face, kind: "ticket", externalIDs: ["1", "2"])
                    == ["1": String(first.ticketID), "2": String(second.ticketID)])
            #expect(
                try await desk.services.externalIDs.externalIDs(face: Self.face, kind: "note", coreIDs: [String(second.articleIDs[0])])
                    == [String(second.articleIDs[0]): "2"])
            // Several kinds in one read: each kind asked for is there (empty when unmapped), no other.
            try await desk.services.externalIDs.set([ExternalID(face: "other", kind: "ticket", externalID: "9", coreID: "1")])
            let lists = try await desk.services.externalIDs.list(face: Self.face, kinds: ["note", "ticket", "queue", "note"])
            #expect(lists.keys.sorted() == ["note", "queue", "ticket"])
            #expect(lists["ticket"]?.map(\.externalID) == ["1", "2"] && lists["note"]?.map(\.externalID) == ["1", "2"])
            #expect(lists["queue"]?.isEmpty == true)

            var options = TicketReadOptions()
            options.faceAttributes = Self.face
            var details = try await desk.tickets.get(ticketID: first.ticketID, options: options, by: root)
            #expect(details.ticketAttributes == ["due": "2030-01-01", "note": "first"])
            #expect(details.articleAttributes[first.articleIDs[0]] == ["minutes": "90"])
            // An update adds, changes and removes several attributes in its transaction.
            var update = TicketUpdateRequest()
            update.faceAttributes = FaceAttributes(face: Self.face, values: ["due": nil, "note": nil, "resolution": "fixed", "stage": "2"])
            _ = try await desk.tickets.update(ticketID: first.ticketID, update, by: root)
            details = try await desk.tickets.get(ticketID: first.ticketID, options: options, by: root)
            #expect(details.ticketAttributes == ["resolution": "fixed", "stage": "2"])
            update.faceAttributes = FaceAttributes(face: Self.face, values: ["resolution": "reopened", "stage": "3", "gone": nil])
            _ = try await desk.tickets.update(ticketID: first.ticketID, update, by: root)
            details = try await desk.tickets.get(ticketID: first.ticketID, options: options, by: root)
            #expect(details.ticketAttributes == ["resolution": "reopened", "stage": "3"])
            #expect(try await desk.tickets.get(ticketID: second.ticketID, options: options, by: root).ticketAttributes["note"] == "first")
            // Another face sees none of them.
            options.faceAttributes = "other"
            #expect(try await desk.tickets.get(ticketID: first.ticketID, options: options, by: root).ticketAttributes.isEmpty)
        }
    }

    @Test("articles and attachments page, change and go; a deleted ticket takes everything with it", arguments: TestDatabase.kinds)
    func articlesAndDeletion(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let catalog = try await desk.services.catalog()
            let misc = try #require(catalog.queues["Misc"]).id
            let created = try await desk.tickets.create(Desk.simpleTicket(), by: root)
            let note = try await desk.tickets.addArticle(
                ticketID: created.ticketID,
                ArticleDraft(
                    subject: "Note", body: "text",
                    attachments: [AttachmentDraft(filename: "a.txt", contentType: "text/plain", content: [1])]),
                by: root)
            let page = try await desk.tickets.articlePage(queueIDs: [misc], offset: 0, limit: 10, by: root)
            #expect(page.total == 2)
            #expect(page.ids.map(\.article) == [created.articleIDs[0], note])
            let extra = try await desk.tickets.addAttachment(
                articleID: note, AttachmentDraft(filename: "b.txt", contentType: "text/plain", content: [2, 3]), by: root)
            let files = try await desk.tickets.attachmentPage(queueIDs: [misc], offset: 0, limit: 10, by: root)
            #expect(files.total == 2)
            #expect(files.ids.last?.attachment == extra)
            #expect(try await desk.tickets.location(ofAttachment: extra, by: root)?.article == note)

            try await desk.tickets.updateArticle(
                articleID: note, subject: "Changed", body: nil, isVisibleForCustomer: false,
                faceAttributes: FaceAttributes(face: Self.face, values: ["title": "1"]), by: root)
            var article = try await desk.tickets.get(ticketID: created.ticketID, by: root).articles[1]
            #expect(article.subject == "Changed" && article.body == "text" && !article.isVisibleForCustomer)
            try await desk.tickets.deleteAttachment(id: extra, by: root)
            #expect(try await desk.tickets.attachmentPage(queueIDs: [misc], offset: 0, limit: 10, by: root).total == 1)
            try await desk.tickets.deleteArticle(articleID: note, by: root)
            #expect(try await desk.tickets.get(ticketID: created.ticketID, by: root).articles.count == 1)
            article = try await desk.tickets.get(ticketID: created.ticketID, by: root).articles[0]
            #expect(article.id == created.articleIDs[0])

            let reader = try await desk.agent("rita", grants: ["users:ro"])
            await #expect(throws: DeskError.accessDenied(.deleteTicket)) {
                try await desk.tickets.delete(ticketID: created.ticketID, by: reader)
            }
            try await desk.tickets.delete(ticketID: created.ticketID, by: root)
            await #expect(throws: DeskError.notFound(.ticket, key: String(created.ticketID))) {
                try await desk.tickets.get(ticketID: created.ticketID, by: root)
            }
            #expect(try await desk.tickets.articlePage(queueIDs: [misc], offset: 0, limit: 10, by: root).total == 0)
            let counts = try await desk.tickets.queueStateCounts(by: root).filter { $0.queueID == misc }
            #expect(counts.reduce(0) { $0 + $1.count } == 0)
        }
    }

    @Test(
        "imports bring customers, tickets and articles with their times and ids; sequences continue after them",
        arguments: TestDatabase.kinds)
    func ticketImport(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            var data = ReferenceImport(face: Self.face)
            data.states = [.init(name: "reopened", type: "open")]
            data.queues = [.init(origin: .init(kind: "queue", id: "7"), name: "Imported")]
            data.customers = [
                .init(
                    origin: .init(kind: "user", id: "6"), login: "imp", email: "imp@example.org", firstName: "Imp", lastName: "Orted",
                    passwordHash: nil, coreIDPrefix: "customer:")
            ]
            let catalog = try await desk.services.catalog()
            data.tickets = [
                .init(
                    origin: .init(kind: "ticket", id: "42"), title: "Old ticket", queue: .init(kind: "queue", id: "7"),
                    stateID: try #require(catalog.states["open"]).id, priorityID: try #require(catalog.priorities["3 normal"]).id,
                    locked: false, owner: nil, customerUser: "imp@example.org", createdAt: 1_700_000_000, changedAt: 1_700_000_500,
                    attributes: FaceAttributes(face: Self.face, values: ["secret": "s"]))
            ]
            data.articles = [
                .init(
                    origin: .init(kind: "note", id: "99"), ticket: .init(kind: "ticket", id: "42"), subject: "Opened", body: "help",
                    isVisibleForCustomer: true, senderType: "customer", author: nil, messageID: "<m@x>", createdAt: 1_700_000_100,
                    timeUnit: 30, attributes: nil)
            ]
            let first = try await desk.services.referenceData.apply(data)
            #expect(first.created["ticket"] == 1 && first.created["article"] == 1 && first.created["customer user"] == 1)
            #expect(first.created["state"] == 1)
            let second = try await desk.services.referenceData.apply(data)
            #expect(second.created["ticket"] == nil && second.updated["ticket"] == 1 && second.updated["article"] == 1)

            let id = try #require(
                try await desk.services.externalIDs.coreID(face: Self.face, kind: "ticket", externalID: "42").flatMap { Int($0) })
            let details = try await desk.tickets.get(ticketID: id, by: root)
            #expect(details.ticket.createdAt == 1_700_000_000)
            #expect(details.ticket.customerUserID == "imp")
            #expect(details.articles.map(\.createdAt) == [1_700_000_100])
            #expect(details.totalTimeUnits == 30)
            #expect(try await desk.services.externalIDs.coreID(face: Self.face, kind: "user", externalID: "6") == "customer:imp")
            // New tickets of the face continue after the imported ids.
            var request = Desk.simpleTicket()
            request.faceID = FaceIDAllocation(face: Self.face, kind: "ticket")
            #expect(try await desk.tickets.create(request, by: root).faceIDs.first?.externalID == "43")
        }
    }

    @Test("API-created customer users need an administrator and get a face id", arguments: TestDatabase.kinds)
    func registration(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let allocation = FaceIDAllocation(face: Self.face, kind: "user")
            let mapped = try await desk.admin.registerCustomerUser(
                login: "dave", password: "x", email: "dave@example.org", firstName: "", lastName: "", faceID: allocation, by: root)
            #expect(mapped?.coreID == "customer:dave" && mapped?.externalID == "1")
            #expect(try await desk.customerLogin("dave", "x") != nil)
            await #expect(throws: DeskError.conflict(.exists(.customerUser, key: "dave"))) {
                try await desk.admin.registerCustomerUser(
                    login: "dave", password: "x", email: "", firstName: "", lastName: "", faceID: nil, by: root)
            }
            let agent = try await desk.agent("plain", grants: ["users:rw"])
            await #expect(throws: DeskError.accessDenied(.manageUsers)) {
                try await desk.admin.registerCustomerUser(
                    login: "eve", password: "x", email: "", firstName: "", lastName: "", faceID: nil, by: agent)
            }
        }
    }
}
