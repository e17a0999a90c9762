import DeskCore
import DeskStore
import DeskTestSupport
import Testing

@Suite("Ticket types, states and priorities added by an administrator")
struct CatalogAdminTests {
    private static func create(
        _ desk: Desk, type: String? = nil, state: String = "new", priority: String = "3 normal"
    ) async throws -> Int {
        var request = Desk.simpleTicket()
        request.type = type.map { .name($0) }
        request.state = .name(state)
        request.priority = .name(priority)
        return try await desk.tickets.create(request, by: try await desk.root()).ticketID
    }

    @Test(
        "an added type can be given to tickets and found; renamed it shows its new name; invalid it is refused",
        arguments: TestDatabase.kinds)
    func lifecycle(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            #expect(await Desk.refusal { _ = try await Self.create(desk, type: "Incident") } == .invalid(.type, .unknown))
            let incident = try await desk.admin.addTicketType(name: "  Incident ")
            #expect(incident != 1)
            #expect(try await desk.admin.ticketTypes().map(\.name) == ["Unclassified", "Incident"])

            let plain = try await Self.create(desk, type: nil)
            let typed = try await Self.create(desk, type: "Incident")
            #expect(try await desk.tickets.get(ticketID: plain, by: root).ticket.typeID == 1)
            #expect(try await desk.tickets.get(ticketID: typed, by: root).ticket.typeID == incident)
            var query = TicketQuery()
            query.typeIDs = [incident]
            #expect(try await desk.tickets.search(query, by: root) == [typed])

            #expect(
                await Desk.refusal { try await desk.admin.addTicketType(name: "Incident") }
                    == .conflict(.exists(.ticketType, key: "Incident")))
            #expect(
                await Desk.refusal { try await desk.admin.setTicketType(name: "Incident", newName: "Unclassified") }
                    == .conflict(.exists(.ticketType, key: "Unclassified")))
            #expect(
                await Desk.refusal { try await desk.admin.setTicketType(name: "Problem", validity: .invalid) }
                    == .notFound(.ticketType, key: "Problem"))
            #expect(await Desk.refusal { try await desk.admin.addTicketType(name: "Two\nlines") } != nil)
            #expect(await Desk.refusal { try await desk.admin.addTicketType(name: String(repeating: "x", count: 201)) } != nil)

            try await desk.admin.setTicketType(name: "Incident", newName: "Service Request")
            #expect(try await desk.admin.ticketTypes().map(\.name) == ["Unclassified", "Service Request"])
            _ = try await Self.create(desk, type: "Service Request")
            #expect(await Desk.refusal { _ = try await Self.create(desk, type: "Incident") } == .invalid(.type, .unknown))

            try await desk.admin.setTicketType(name: "Service Request", validity: .invalid)
            #expect(await Desk.refusal { _ = try await Self.create(desk, type: "Service Request") } == .invalid(.type, .unknown))
            // The tickets that have it keep it.
            #expect(try await desk.tickets.get(ticketID: typed, by: root).ticket.typeID == incident)
            #expect(try await desk.admin.ticketTypes().last?.validity == .invalid)
        }
    }

    @Test(
        "an added state takes its type's meaning: an open state is found as open; names are unique, types known",
        arguments: TestDatabase.kinds)
    func states(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            #expect(await Desk.refusal { _ = try await Self.create(desk, state: "waiting for customer") } == .invalid(.state, .unknown))
            let waiting = try await desk.admin.addState(name: "waiting for customer", type: "open")
            let ticket = try await Self.create(desk, state: "waiting for customer")
            #expect(try await desk.tickets.get(ticketID: ticket, by: root).ticket.stateID == waiting)
            let listings = try await desk.admin.stateListings()
            let open = try #require(listings.first { $0.state.name == "open" }).state.typeID
            #expect(listings.last.map { [$0.state.name, $0.typeName] } == ["waiting for customer", "open"])
            var query = TicketQuery()
            query.stateTypeIDs = [open]
            #expect(try await desk.tickets.search(query, by: root) == [ticket])

            #expect(
                await Desk.refusal { try await desk.admin.addState(name: "waiting for customer", type: "closed") }
                    == .conflict(.exists(.state, key: "waiting for customer")))
            #expect(
                await Desk.refusal { try await desk.admin.addState(name: "parked", type: "parked") }
                    == .invalid(.other("type"), .unknownValue("parked")))
        }
    }

    @Test("an added priority can be given and found, and ranks above 5 very high; names are unique", arguments: TestDatabase.kinds)
    func priorities(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            #expect(await Desk.refusal { _ = try await Self.create(desk, priority: "6 critical") } == .invalid(.priority, .unknown))
            let critical = try await desk.admin.addPriority(name: "6 critical")
            #expect(
                try await desk.admin.priorities().map(\.name) == ["1 very low", "2 low", "3 normal", "4 high", "5 very high", "6 critical"])
            let high = try await Self.create(desk, priority: "5 very high")
            let urgent = try await Self.create(desk, priority: "6 critical")
            let normal = try await Self.create(desk)
            #expect(try await desk.tickets.get(ticketID: urgent, by: root).ticket.priorityID == critical)

            var query = TicketQuery()
            query.priorityIDs = [critical]
            #expect(try await desk.tickets.search(query, by: root) == [urgent])
            query = TicketQuery()
            query.sort = [(.priority, false)]
            // Ties (the desk's welcome ticket and `normal`, both 3) by ticket id.
            let sorted = try await desk.tickets.search(query, by: root)
            #expect(Array(sorted.prefix(2)) == [urgent, high] && sorted.last == normal)

            #expect(
                await Desk.refusal { try await desk.admin.addPriority(name: "6 critical") }
                    == .conflict(.exists(.priority, key: "6 critical")))
            #expect(await Desk.refusal { try await desk.admin.addPriority(name: "") } != nil)
        }
    }
}
