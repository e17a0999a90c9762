extension ArticleWriter {
    /// The tags signatures and auto responses may use, under Znuny's names (`TemplateGenerator`'s
    /// `_Replace`): the acting agent (`OTRS_Agent_`, `OTRS_CURRENT_`, `OTRS_FIRST_NAME`,
    /// `OTRS_LAST_NAME`), the ticket's owner and responsible agent as the ticket has them now,
    /// the ticket (`OTRS_TICKET_…`), two settings (`OTRS_CONFIG_FQDN`, `OTRS_CONFIG_Ticket::Hook`)
    /// and, when given, the ticket's customer user (`OTRS_CUSTOMER_…`, `OTRS_CUSTOMER_DATA_…`).
    func templateTags(_ ticket: Ticket, customer: CustomerUser? = nil) async throws -> OTRSTags {
        var tags = OTRSTags()
        let agents = try await tx.agents(ids: Set([actingUserID, ticket.ownerID, ticket.responsibleID]).sorted())
        for agent in agents {
            if agent.id == actingUserID { tags.add(agent, prefixes: ["OTRS_Agent_", "OTRS_CURRENT_"]) }
            if agent.id == ticket.ownerID { tags.add(agent, prefixes: ["OTRS_OWNER_", "OTRS_TICKET_OWNER_"]) }
            if agent.id == ticket.responsibleID { tags.add(agent, prefixes: ["OTRS_RESPONSIBLE_", "OTRS_TICKET_RESPONSIBLE_"]) }
        }
        if let acting = agents.first(where: { $0.id == actingUserID }) {
            tags["OTRS_FIRST_NAME"] = acting.firstName
            tags["OTRS_LAST_NAME"] = acting.lastName
        }
        let queue = catalog.queues[ticket.queueID]?.name ?? ""
        let ticketFields = [
            "TicketNumber": ticket.number, "TicketID": String(ticket.id), "Title": ticket.title, "Queue": queue,
            "CustomerUserID": ticket.customerUserID ?? "", "CustomerID": ticket.customerID ?? "",
        ]
        for (key, value) in ticketFields { tags["OTRS_TICKET_" + key] = value }
        tags["OTRS_TICKET_ID"] = String(ticket.id)
        tags["OTRS_TICKET_NUMBER"] = ticket.number
        tags["OTRS_QUEUE"] = queue
        tags["OTRS_CONFIG_FQDN"] = catalog.settings["FQDN"]
        tags["OTRS_CONFIG_Ticket::Hook"] = catalog.settings["Ticket::Hook"]
        if let customer {
            let fields = [
                "UserLogin": customer.login, "UserFirstname": customer.firstName, "UserLastname": customer.lastName,
                "UserFullname": customer.fullName, "UserEmail": customer.email, "UserCustomerID": customer.customerID,
                "UserPhone": customer.phone,
            ]
            for (key, value) in fields {
                tags["OTRS_CUSTOMER_" + key] = value
                tags["OTRS_CUSTOMER_DATA_" + key] = value
            }
        }
        return tags
    }

    /// The ticket's customer user, nil when it has none or the login is no customer user's.
    func customerUser(of ticket: Ticket) async throws -> CustomerUser? {
        guard let login = ticket.customerUserID, !login.isEmpty else { return nil }
        return try await tx.customerUser(login: login)
    }
}
