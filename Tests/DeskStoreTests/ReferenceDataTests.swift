import DeskCore
import DeskStore
import DeskTestSupport
import Testing

@Suite("Reference data imports, customers registered by e-mail, mail threads and follow-ups")
struct ReferenceDataTests {
    func sample() -> ReferenceImport {
        var data = ReferenceImport(face: "example")
        data.queues = [.init(origin: .init(kind: "department", id: "7"), name: "Billing", solutionMinutes: 60)]
        data.services = [.init(origin: .init(kind: "topic", id: "3"), name: "Invoices::Refunds")]
        data.agents = [
            .init(
                origin: .init(kind: "staff", id: "5"), login: "ines", firstName: "Ines", lastName: "Import", email: "ines@example.com",
                passwordHash: "$2y$04$Iz/TPuLVRmN8j1Oa.xwJ/utHhjSX.QJMaAFV/jmNu3r7x971d3So2")
        ]
        data.dynamicFields = [.init(origin: .init(kind: "field", id: "40"), name: "ExampleRef", label: "Reference", type: .text)]
        data.mappings = [.init(origin: .init(kind: "priority", id: "4"), target: .priority, name: "5 very high")]
        data.credentials = [
            .init(
                kind: .apiKey, secret: "KEY-ONE",
                options: .init(agentLogin: "root@localhost", scopes: [.readTickets], allowedAddresses: ["10.0.0.1"]))
        ]
        data.documents = [.init(kind: "directory", key: "default", json: "{\"v\":1}")]
        return data
    }

    @Test("an import creates, maps and, run again, updates instead of duplicating", arguments: TestDatabase.kinds)
    func importTwice(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let services = desk.services
            #expect(try await !services.referenceData.hasMappings(face: "example"))
            let first = try await services.referenceData.apply(sample())
            #expect(first.created == ["queue": 1, "service": 1, "agent": 1, "dynamic field": 1, "credential": 1])
            let catalog = try await services.catalog()
            let queue = try #require(catalog.queues["Billing"])
            #expect(queue.solutionMinutes == 60)
            #expect(try await services.externalIDs.coreID(face: "example", kind: "department", externalID: "7") == String(queue.id))
            let service = try #require(catalog.services["Invoices::Refunds"])
            #expect(try await services.externalIDs.coreID(face: "example", kind: "topic", externalID: "3") == String(service.id))
            #expect(try await services.externalIDs.coreID(face: "example", kind: "priority", externalID: "4") == "5")
            #expect(try await services.externalIDs.coreID(face: "example", kind: "field", externalID: "40") == "ExampleRef")
            // The imported bcrypt hash (PHP's password_hash of "secret") logs in.
            #expect(try await desk.agentLogin("ines", "secret") != nil)
            #expect(try await services.faceConfig.document(face: "example", kind: "directory", key: "default")?.json == "{\"v\":1}")

            var renamed = sample()
            renamed.queues[0].name = "Accounts"
            renamed.credentials[0].options.isActive = false
            let second = try await services.referenceData.apply(renamed)
            #expect(second.created.isEmpty)
            let after = try await services.catalog()
            #expect(after.queues["Billing"] == nil)
            #expect(after.queues["Accounts"]?.id == queue.id)
            #expect(try await services.credentials.list(face: "example").map(\.isActive) == [false])
            #expect(try await services.referenceData.hasMappings(face: "example"))
        }
    }

    @Test("an import that fails half-way writes nothing", arguments: TestDatabase.kinds)
    func atomic(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            var data = sample()
            data.mappings.append(.init(origin: .init(kind: "status", id: "9"), target: .state, name: "no such state"))
            await #expect(throws: DeskError.notFound(.state, key: "no such state")) { try await desk.services.referenceData.apply(data) }
            let catalog = try await desk.services.catalog()
            #expect(catalog.queues["Billing"] == nil)
            let mappings = try await desk.services.externalIDs.list(face: "example")
            #expect(mappings.isEmpty)
        }
    }

    @Test("a ticket for an e-mail address registers the customer once; a bad address is refused", arguments: TestDatabase.kinds)
    func registration(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            var request = Desk.simpleTicket()
            request.registration = CustomerRegistration(email: "Jo.Doe@Example.com", firstName: "Jo", lastName: "Doe", phone: "555")
            // A new customer user leaves the principals a process keeps valid; a change to an
            // existing one does not (`DeskStore.directoryGeneration`).
            let generation = try #require(desk.store.directoryGeneration())
            let first = try await desk.tickets.create(request, by: root)
            #expect(desk.store.directoryGeneration() == generation)
            let customer = try #require(try await desk.services.directory.customerUser(login: "jo.doe@example.com", by: root))
            #expect(customer.fullName == "Jo Doe")
            #expect(customer.phone == "555")
            #expect(try await desk.tickets.get(ticketID: first.ticketID, by: root).articles[0].from == "\"Jo Doe\" <Jo.Doe@Example.com>")
            // The same address again (any case) reuses the customer and keeps its name.
            request.registration = CustomerRegistration(email: "jo.doe@example.com", firstName: "Someone", lastName: "Else")
            let second = try await desk.tickets.create(request, by: root)
            #expect(try await desk.tickets.get(ticketID: second.ticketID, by: root).ticket.customerUserID == "jo.doe@example.com")
            #expect(try await desk.services.directory.customerUsers(email: "JO.DOE@example.com", by: root).map(\.firstName) == ["Jo"])
            // A name-less registration is named after the address.
            request.registration = CustomerRegistration(email: "anon@example.net")
            _ = try await desk.tickets.create(request, by: root)
            #expect(try await desk.services.directory.customerUser(login: "anon@example.net", by: root)?.firstName == "anon")
            #expect(desk.store.directoryGeneration() == generation)
            try await desk.services.admin.setCustomerPasswordHash(login: "anon@example.net", hash: String(repeating: "ab", count: 32))
            #expect(desk.store.directoryGeneration() != generation)
            for bad in ["", "not-an-address", "Jo <jo@example.com>"] {
                request.registration = CustomerRegistration(email: bad)
                await #expect(throws: DeskError.invalid(.customerUser, .malformed(expected: "an e-mail address"))) {
                    try await desk.tickets.create(request, by: root)
                }
            }
        }
    }

    @Test(
        "creates at the same time register each address once; a company is made only with its first user",
        arguments: TestDatabase.kinds)
    func concurrentRegistrations(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            // One address names a company that exists already: its user joins it, the company stays.
            try await desk.store.write { tx in
                try await tx.insertCustomerCompany(CustomerCompany(customerID: "c@example.org", name: "Company C"), at: Desk.now)
            }
            let addresses = ["a@example.org", "B@example.org", "c@example.org", "d@example.org"]
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        var request = Desk.simpleTicket(title: "Walk-in \(index)")
                        request.registration = CustomerRegistration(email: addresses[index % addresses.count], firstName: "N\(index)")
                        let created = try await desk.tickets.create(request, by: root)
                        return try await desk.tickets.get(ticketID: created.ticketID, by: root).ticket.customerUserID ?? ""
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(numbers.sorted() == addresses.flatMap { Array(repeating: $0.lowercased(), count: 16) })
            for address in addresses {
                let login = address.lowercased()
                let users = try await desk.services.directory.customerUsers(email: address, by: root)
                #expect(users.map(\.login) == [login])
                let company = try await desk.store.read { try await $0.customerCompany(id: login) }
                #expect(company?.name == (login == "c@example.org" ? "Company C" : login))
            }
        }
    }

    @Test(
        "writes at the same time that set one face attribute and one external id all commit; each write's value is kept whole",
        arguments: TestDatabase.kinds)
    func concurrentUpserts(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let ticket = try await desk.tickets.create(Desk.simpleTicket(), by: root)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<48 {
                    group.addTask {
                        var update = TicketUpdateRequest()
                        update.faceAttributes = FaceAttributes(face: "example", values: ["stage": "\(index)", "mark \(index)": "x"])
                        _ = try await desk.tickets.update(ticketID: ticket.ticketID, update, by: root)
                        try await desk.services.externalIDs.set([
                            ExternalID(face: "example", kind: "ticket", externalID: "shared", coreID: "\(index)")
                        ])
                    }
                }
                try await group.waitForAll()
            }
            var options = TicketReadOptions()
            options.faceAttributes = "example"
            let attributes = try await desk.tickets.get(ticketID: ticket.ticketID, options: options, by: root).ticketAttributes
            #expect(attributes.count == 49)
            #expect(Int(attributes["stage"] ?? "") != nil)
            let mapped = try await desk.services.externalIDs.coreIDs(face: "example", kind: "ticket", externalIDs: ["shared"])
            #expect(Int(mapped["shared"] ?? "").map { (0..<48).contains($0) } == true)
        }
    }

    @Test("message ids find their ticket; a follow-up reopens a closed ticket", arguments: TestDatabase.kinds)
    func threads(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            var request = Desk.simpleTicket()
            request.articles[0].messageID = "<first@example.com>"
            let created = try await desk.tickets.create(request, by: root)
            let found = try await desk.tickets.ticketIDs(messageIDs: ["<other@example.com>", "<first@example.com>"], by: root)
            #expect(found == ["<first@example.com>": created.ticketID])
            let long = "<" + String(repeating: "x", count: 300) + "@example.com>"
            var reply = ArticleDraft(subject: "Re: Help", body: "Thanks", senderType: .name("customer"))
            reply.messageID = long
            _ = try await desk.tickets.addArticle(ticketID: created.ticketID, reply, by: root)
            #expect(try await desk.tickets.ticketIDs(messageIDs: [long], by: root) == [long: created.ticketID])
            #expect(try await desk.tickets.ticketIDs(messageIDs: [String(long.prefix(250))], by: root).isEmpty)

            _ = try await desk.tickets.update(ticketID: created.ticketID, TicketUpdateRequest(state: .name("closed successful")), by: root)
            _ = try await desk.tickets.addFollowUp(
                ticketID: created.ticketID, ArticleDraft(subject: "Again", body: "Still broken", senderType: .name("customer")), by: root)
            let ticket = try await desk.tickets.get(ticketID: created.ticketID, by: root).ticket
            let catalog = try await desk.services.catalog()
            #expect(catalog.states[ticket.stateID]?.name == "open")
            // An open ticket stays as it is.
            _ = try await desk.tickets.update(
                ticketID: created.ticketID, TicketUpdateRequest(state: .name("pending reminder"), pendingUntil: Desk.now + 3600), by: root)
            _ = try await desk.tickets.addFollowUp(
                ticketID: created.ticketID, ArticleDraft(subject: "More", body: "More", senderType: .name("customer")), by: root)
            #expect(
                catalog.states[try await desk.tickets.get(ticketID: created.ticketID, by: root).ticket.stateID]?.name == "pending reminder")
            // A state named in the request wins over the reopening.
            var explicit = TicketUpdateRequest(state: .name("closed unsuccessful"))
            explicit.stateWhenClosed = .name("open")
            _ = try await desk.tickets.update(ticketID: created.ticketID, explicit, by: root)
            _ = try await desk.tickets.update(ticketID: created.ticketID, explicit, by: root)
            #expect(
                catalog.states[try await desk.tickets.get(ticketID: created.ticketID, by: root).ticket.stateID]?.name
                    == "closed unsuccessful")
        }
    }

    @Test("a follow-up to a merged ticket goes to the ticket it was merged into, up to ten merges deep", arguments: TestDatabase.kinds)
    func followUpToMergedTicket(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let catalog = try await desk.services.catalog()
            var chain: [TicketCreateResult] = []
            for _ in 0..<12 { chain.append(try await desk.tickets.create(Desk.simpleTicket(), by: root)) }
            // 0 into 1, then 1 into 2, …: ticket 0 is as many merges deep as its target's index.
            try await desk.tickets.merge([chain[0].ticketID], into: chain[1].ticketID, by: root)
            _ = try await desk.tickets.update(ticketID: chain[1].ticketID, TicketUpdateRequest(state: .name("closed successful")), by: root)
            let reply = ArticleDraft(subject: "Re", body: "Again", senderType: .name("customer"))
            let landed = try await desk.tickets.addFollowUp(ticketID: chain[0].ticketID, reply, by: root)
            #expect(landed.ticketID == chain[1].ticketID && landed.ticketNumber == chain[1].ticketNumber)
            let target = try await desk.tickets.get(ticketID: chain[1].ticketID, by: root)
            #expect(catalog.states[target.ticket.stateID]?.name == "open")
            #expect(target.articles.contains { $0.id == landed.articleIDs[0] })
            for index in 1..<10 { try await desk.tickets.merge([chain[index].ticketID], into: chain[index + 1].ticketID, by: root) }
            #expect(try await desk.tickets.addFollowUp(ticketID: chain[0].ticketID, reply, by: root).ticketID == chain[10].ticketID)
            try await desk.tickets.merge([chain[10].ticketID], into: chain[11].ticketID, by: root)
            #expect(try await desk.tickets.addFollowUp(ticketID: chain[1].ticketID, reply, by: root).ticketID == chain[11].ticketID)
            await #expect(throws: DeskError.notFound(.ticket, key: String(chain[0].ticketID))) {
                try await desk.tickets.addFollowUp(ticketID: chain[0].ticketID, reply, by: root)
            }
        }
    }

    @Test("a follow-up racing a close reopens the ticket whenever it lands after the close", arguments: TestDatabase.kinds)
    func followUpRacingClose(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            let catalog = try await desk.services.catalog()
            for _ in 0..<25 {
                let ticketID = try await desk.tickets.create(Desk.simpleTicket(), by: root).ticketID
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        _ = try await desk.tickets.update(
                            ticketID: ticketID, TicketUpdateRequest(state: .name("closed successful")), by: root)
                    }
                    group.addTask {
                        _ = try await desk.tickets.addFollowUp(
                            ticketID: ticketID, ArticleDraft(subject: "Re", body: "Still broken", senderType: .name("customer")), by: root)
                    }
                    try await group.waitForAll()
                }
                let events = try await desk.tickets.history(ticketID: ticketID, by: root)
                let closedAt = events.last { if case .state(_, let new) = $0.change { new.name == "closed successful" } else { false } }?.id
                let answeredAt = events.last { if case .articleAdded = $0.change { true } else { false } }?.id
                let state = catalog.states[try await desk.tickets.get(ticketID: ticketID, by: root).ticket.stateID]?.name
                if let closedAt, let answeredAt, answeredAt > closedAt {
                    #expect(state == "open")
                } else {
                    #expect(state == "closed successful")
                }
            }
        }
    }
}
