import DeskCore
import DeskStore
import DeskTestSupport
import Testing

@Suite("Services, SLAs and the customer users who may use them")
struct ServiceTests {
    /// A desk with cora (ACME) and dora (BETA), services Email, Email::Outage and Phone, and the
    /// SLA Gold on Email (60 minutes to the first response, 480 to the solution).
    private static func withServices(_ kind: DatabaseKind, _ body: (Desk) async throws -> Void) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            _ = try await desk.customer("cora", customerID: "ACME")
            _ = try await desk.customer("dora", customerID: "BETA")
            try await desk.admin.addService(name: "Email")
            try await desk.admin.addService(name: "Email::Outage")
            try await desk.admin.addService(name: "Phone")
            try await desk.admin.addSLA(name: "Gold", services: ["Email"], times: .init(firstResponse: 60, solution: 480))
            try await body(desk)
        }
    }

    private static func create(_ desk: Desk, customer: String?, service: String, sla: String? = nil) async throws -> Int {
        var request = Desk.simpleTicket(customer: customer)
        request.articles[0].senderType = .name("customer")
        request.service = .name(service)
        request.sla = sla.map { .name($0) }
        return try await desk.tickets.create(request, by: try await desk.root()).ticketID
    }

    @Test("a service is for the customer users it is assigned to; the default services for those with none", arguments: TestDatabase.kinds)
    func assignment(kind: DatabaseKind) async throws {
        try await Self.withServices(kind) { desk in
            let notAssigned = DeskError.invalid(.service, .notAssigned)
            // A new service is nobody's.
            #expect(await Desk.refusal { _ = try await Self.create(desk, customer: "cora", service: "Email") } == notAssigned)
            try await desk.admin.assignService(name: "Email", customer: "cora")
            // As in Znuny, the SLA's times apply only with the service feature on (`Ticket::Service`).
            let queueTimes = try await Self.create(desk, customer: "cora", service: "Email", sla: "Gold")
            let unescalated = try #require(try await desk.store.read { try await $0.ticket(id: queueTimes) })
            #expect(unescalated.serviceID != nil && unescalated.slaID != nil)
            #expect(unescalated.escalationResponseTime == 0 && unescalated.escalationSolutionTime == 0)
            try await desk.admin.setSetting(key: "Ticket::Service", value: "1")
            let id = try await Self.create(desk, customer: "cora", service: "Email", sla: "Gold")
            let ticket = try #require(try await desk.store.read { try await $0.ticket(id: id) })
            #expect(ticket.escalationResponseTime == Desk.now + 3_600)
            #expect(ticket.escalationSolutionTime == Desk.now + 28_800)
            // The customer user as the request writes it: `CORA` has no service of its own.
            #expect(await Desk.refusal { _ = try await Self.create(desk, customer: "CORA", service: "Email") } == notAssigned)
            #expect(await Desk.refusal { _ = try await Self.create(desk, customer: "dora", service: "Email") } == notAssigned)

            // Default services are for customer users without a service of their own, and for addresses.
            try await desk.admin.assignService(name: "Phone", customer: nil)
            _ = try await Self.create(desk, customer: "dora", service: "Phone")
            _ = try await Self.create(desk, customer: "someone@example.net", service: "Phone")
            _ = try await Self.create(desk, customer: "CORA", service: "Phone")
            #expect(await Desk.refusal { _ = try await Self.create(desk, customer: "cora", service: "Phone") } == notAssigned)
            #expect(await Desk.refusal { _ = try await Self.create(desk, customer: nil, service: "Phone") } == notAssigned)

            // An invalid service of their own does not count: cora falls back on the defaults.
            try await desk.admin.setService(name: "Email", validity: .invalid)
            #expect(
                await Desk.refusal { _ = try await Self.create(desk, customer: "cora", service: "Email") } == .invalid(.service, .unknown))
            _ = try await Self.create(desk, customer: "cora", service: "Phone")
            try await desk.admin.setService(name: "Email", validity: .valid)

            try await desk.admin.assignService(name: "Email", customer: "cora", assigned: false)
            try await desk.admin.assignService(name: "Phone", customer: nil, assigned: false)
            #expect(await Desk.refusal { _ = try await Self.create(desk, customer: "cora", service: "Email") } == notAssigned)
            let listings = try await desk.admin.serviceListings()
            #expect(listings.map(\.service.name) == ["Email", "Email::Outage", "Phone"])
            #expect(listings.allSatisfy { $0.logins.isEmpty })
        }
    }

    @Test("an update checks the service against the customer user it names, else the ticket's", arguments: TestDatabase.kinds)
    func update(kind: DatabaseKind) async throws {
        try await Self.withServices(kind) { desk in
            try await desk.admin.assignService(name: "Email", customer: "cora")
            try await desk.admin.assignService(name: "Phone", customer: "dora")
            let root = try await desk.root()
            let coras = try await desk.tickets.create(Desk.simpleTicket(customer: "cora"), by: root).ticketID
            let nobodys = try await desk.tickets.create(Desk.simpleTicket(), by: root).ticketID
            func update(_ id: Int, _ request: TicketUpdateRequest) async -> DeskError? {
                await Desk.refusal { _ = try await desk.tickets.update(ticketID: id, request, by: root) }
            }
            #expect(await update(coras, TicketUpdateRequest(service: .name("Phone"))) == .invalid(.service, .notAssigned))
            #expect(await update(coras, TicketUpdateRequest(service: .name("Email"))) == nil)
            #expect(await update(coras, TicketUpdateRequest(service: .name("Phone"), customerUser: "dora")) == nil)
            #expect(await update(nobodys, TicketUpdateRequest(service: .name("Phone"))) == .invalid(.service, .notAssigned))
            let ticket = try #require(try await desk.store.read { try await $0.ticket(id: coras) })
            #expect(ticket.customerUserID == "dora")
            #expect(ticket.serviceID == (try await desk.store.catalog().services["Phone"]?.id))
        }
    }

    @Test("service and SLA names, parents, duplicates and renames", arguments: TestDatabase.kinds)
    func administration(kind: DatabaseKind) async throws {
        try await Self.withServices(kind) { desk in
            let admin = desk.admin
            #expect(await Desk.refusal { try await admin.addService(name: "Email") } == .conflict(.exists(.service, key: "Email")))
            #expect(await Desk.refusal { try await admin.addService(name: "Fax::Outage") } == .notFound(.parentService, key: "Fax"))
            for bad in ["", "::Email", "Email::", "A::::B", "two\nlines", String(repeating: "x", count: 201)] {
                #expect(await Desk.refusal { try await admin.addService(name: bad) } != nil, "\(bad)")
            }
            #expect(
                await Desk.refusal { try await admin.assignService(name: "Email", customer: "nobody") }
                    == .notFound(.customerUser, key: "nobody"))
            #expect(await Desk.refusal { try await admin.addSLA(name: "Gold", services: []) } == .conflict(.exists(.sla, key: "Gold")))
            #expect(await Desk.refusal { try await admin.addSLA(name: "Silver", services: ["Fax"]) } == .notFound(.service, key: "Fax"))
            #expect(
                await Desk.refusal { try await admin.addSLA(name: "Silver", services: [], times: .init(update: -1)) }
                    == .invalid(.other("minutes"), .outOfRange("0 to 2147483647")))
            // Znuny's integer column bounds the minutes (and keeps deadlines in range).
            #expect(
                await Desk.refusal { try await admin.addSLA(name: "Silver", services: [], times: .init(solution: Int.max)) }
                    == .invalid(.other("minutes"), .outOfRange("0 to 2147483647")))

            // A renamed service takes its sub-services along; assignments and SLAs follow the id.
            try await admin.assignService(name: "Email::Outage", customer: "CORA")
            try await admin.setService(name: "Email", newName: "Mail")
            var catalog = try await desk.store.catalog()
            #expect(catalog.services.all.map(\.name).sorted() == ["Mail", "Mail::Outage", "Phone"])
            #expect(try await admin.serviceListings().first { $0.service.name == "Mail::Outage" }?.logins == ["cora"])
            #expect(catalog.slas["Gold"]?.serviceIDs == [catalog.services["Mail"]!.id])

            try await admin.setSLA(name: "Gold", newName: "Platinum", services: ["Phone", "Mail", "Phone"], times: .init(update: 30))
            catalog = try await desk.store.catalog()
            let sla = try #require(catalog.slas["Platinum"])
            #expect(Set(sla.serviceIDs) == [catalog.services["Mail"]!.id, catalog.services["Phone"]!.id])
            #expect([sla.firstResponseMinutes, sla.updateMinutes, sla.solutionMinutes] == [60, 30, 480])
            try await admin.setSLA(name: "Platinum", services: [], validity: .invalid)
            catalog = try await desk.store.catalog()
            #expect(catalog.slas["Platinum"]?.serviceIDs == [])
            #expect(catalog.slas["Platinum"]?.validity == .invalid)
        }
    }
}
