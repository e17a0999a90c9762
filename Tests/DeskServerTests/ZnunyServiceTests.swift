import DeskCore
import DeskFaceKit
import DeskStore
import DeskTestSupport
import Testing

@Suite("Znuny services and SLAs over the wire")
struct ZnunyServiceTests {
    /// Znuny's `ValidateService`: the service must be one the customer user may use
    /// (`CustomerUserServiceMemberList` with default services), on create with the request's
    /// customer user, on update with the new one or the ticket's.
    @Test("TicketCreate and TicketUpdate accept only services assigned to the customer user", arguments: TestDatabase.kinds)
    func assignedServices(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let fixture = ZnunyFixture(db)
            let admin = fixture.services.admin
            _ = try await admin.addCustomerUser(
                login: "cora", password: "cora-password", customerID: "ACME", firstName: "Cora", lastName: "Customer",
                email: "cora@acme.test")
            try await admin.addService(name: "Email")
            try await admin.addService(name: "Phone")
            try await admin.addSLA(name: "Gold", services: ["Email"], times: .init(firstResponse: 60))
            try await admin.setSetting(key: "Ticket::Service", value: "1")
            try await fixture.test { client in
                var ticket: [String: JSONValue] = [
                    "Title": .string("Mail is down"), "Queue": .string("Misc"), "State": .string("open"),
                    "Priority": .string("3 normal"), "CustomerUser": .string("cora"), "Service": .string("Email"), "SLA": .string("Gold"),
                ]
                let refused = try await client.send(
                    .post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root, extra: ["Ticket": .object(ticket)]))
                #expect(refused.json?.at("Error", "ErrorCode") == .string("TicketCreate.InvalidParameter"))
                #expect(
                    refused.json?.at("Error", "ErrorMessage")
                        == .string("TicketCreate: Ticket->ServiceID or Ticket->Service parameter is invalid!"))

                try await admin.assignService(name: "Email", customer: "cora")
                // The customer's message: an agent's visible article would be the first response.
                let fromCustomer: JSONValue = .object([
                    "Subject": .string("Help"), "Body": .string("Mail is down."), "ContentType": .string("text/plain; charset=utf8"),
                    "SenderType": .string("customer"),
                ])
                let created = try await client.send(
                    .post, "/Ticket",
                    json: ZnunyRESTTests.ticketBody(fixture.root, extra: ["Ticket": .object(ticket), "Article": fromCustomer]))
                let id = try #require(created.json?["TicketID"]?.scalarString, "\(created.text)")
                let read = try await client.send(.get, "/Ticket/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                #expect(read.json?["Ticket"]?[0]?["Service"] == .string("Email"))
                #expect(read.json?["Ticket"]?[0]?["SLA"] == .string("Gold"))
                #expect(read.json?["Ticket"]?[0]?["EscalationResponseTime"] != .int(0))
                // With the service feature on, TicketCreate records the first service and SLA.
                let history =
                    try await client.send(.get, "/TicketHistory/\(id)?UserLogin=root@localhost&Password=\(fixture.rootPassword)")
                    .json?["TicketHistory"]?[0]?["History"]?.arrayValue ?? []
                let rows = history.prefix(3).map { "\($0["HistoryType"]?.scalarString ?? "") \($0["Name"]?.scalarString ?? "")" }
                let catalog = try await fixture.services.catalog()
                let email = try #require(catalog.services["Email"]?.id)
                let gold = try #require(catalog.slas["Gold"]?.id)
                #expect(Array(rows.dropFirst()) == ["ServiceUpdate %%Email%%\(email)%%NULL%%", "SLAUpdate %%Gold%%\(gold)%%NULL%%"])

                // The default services are for customer users without a service of their own.
                try await admin.assignService(name: "Phone", customer: nil)
                var update = fixture.root
                update["Ticket"] = .object(["Service": .string("Phone")])
                let notCoras = try await client.send(.patch, "/Ticket/\(id)", json: .object(update))
                #expect(
                    notCoras.json?.at("Error", "ErrorMessage")
                        == .string("TicketUpdate: Ticket->ServiceID or Ticket->Service parameter is invalid!"))
                ticket["CustomerUser"] = .string("someone@acme.test")
                ticket["Service"] = .string("Phone")
                ticket["SLA"] = nil
                let byAddress = try await client.send(
                    .post, "/Ticket", json: ZnunyRESTTests.ticketBody(fixture.root, extra: ["Ticket": .object(ticket)]))
                #expect(byAddress.json?["TicketID"] != nil, "\(byAddress.text)")
            }
        }
    }
}
