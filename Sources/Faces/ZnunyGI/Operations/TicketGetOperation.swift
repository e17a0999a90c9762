import DeskCore
import DeskFaceKit
import OTRSCommon

/// TicketGet and TicketGetList (§5.5 of the spec).
struct TicketGetOperation {
    let services: DeskServices

    func run(_ request: FaceRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request) else {
            return .error(code: "TicketGet.AuthFail", message: "TicketGet: Authorization failing!")
        }
        let data = request.parameters
        guard let value = data["TicketID"], value.isPerlTrue else {
            return .error(code: "TicketGet.MissingParameter", message: "TicketGet: TicketID parameter is missing!")
        }
        guard let ids = TicketIDList.parse(value) else {
            return .error(code: "TicketGet.WrongStructure", message: "TicketGet: Structure for TicketID is not correct!")
        }
        let denied = GIResult.error(code: "TicketGet.AccessDenied", message: "TicketGet: User does not have access to the ticket!")
        // Access is checked for every id before anything is returned; one failure fails the call.
        var numericIDs: [Int] = []
        for id in ids {
            guard let number = Int(id), number > 0 else { return denied }
            numericIDs.append(number)
        }
        let renderer = ZnunyTicketRenderer(
            catalog: try await services.catalog(), principal: principal, options: ZnunyTicketRenderer.Options(data),
            now: services.clock.now())
        let details: [TicketDetails]
        do {
            details = try await services.tickets.get(ticketIDs: numericIDs, options: renderer.readOptions, by: principal)
        } catch DeskError.notFound {
            return denied
        }
        guard !details.isEmpty else {
            return .error(
                code: "TicketGet.NotTicketData",
                message: "TicketGet: Could not get Ticket data in Kernel::GenericInterface::Operation::Ticket::TicketGet::Run()")
        }
        return .data(["Ticket": .array(details.map(renderer.ticket))])
    }
}
