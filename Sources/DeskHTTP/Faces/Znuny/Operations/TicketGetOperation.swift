import DeskCore

/// TicketGet and TicketGetList (§5.5 of the spec).
struct TicketGetOperation {
    let services: AppServices

    func run(_ request: GIRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request) else {
            return .error(code: "TicketGet.AuthFail", message: "TicketGet: Authorization failing!")
        }
        let data = request.data
        guard let value = data["TicketID"], value.isPerlTrue else {
            return .error(code: "TicketGet.MissingParameter", message: "TicketGet: TicketID parameter is missing!")
        }
        guard let ids = TicketIDList.parse(value) else {
            return .error(code: "TicketGet.WrongStructure", message: "TicketGet: Structure for TicketID is not correct!")
        }
        let denied = GIResult.error(code: "TicketGet.AccessDenied", message: "TicketGet: User does not have access to the ticket!")
        let options = ZnunyTicketRenderer.Options(data)
        let read = TicketReadOptions(
            articles: options.allArticles, attachments: options.attachments, attachmentContents: options.attachmentContents,
            dynamicFields: options.dynamicFields)
        // Access is checked for every id before anything is returned; one failure fails the call.
        var numericIDs: [Int] = []
        for id in ids {
            guard let number = Int(id), number > 0 else { return denied }
            numericIDs.append(number)
        }
        var details: [TicketDetails] = []
        for id in numericIDs {
            do {
                details.append(try await services.tickets.get(ticketID: id, options: read, by: principal))
            } catch DeskError.notFound {
                return denied
            }
        }
        var renderer = try await ZnunyTicketRenderer.make(
            for: details.map(\.ticket), services: services, principal: principal, options: options, now: services.tickets.clock.now())
        if options.extended {
            for detail in details {
                renderer.history[detail.ticket.id] = try await services.store.read { try await $0.history(ticketID: detail.ticket.id) }
            }
        }
        return .data(["Ticket": .array(details.map(renderer.ticket))])
    }
}
