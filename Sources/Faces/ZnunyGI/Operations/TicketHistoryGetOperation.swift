import DeskCore
import DeskFaceKit
import OTRSCommon

/// TicketHistoryGet (§5.7 of the spec). Agents only.
struct TicketHistoryGetOperation {
    let services: DeskServices

    func run(_ request: FaceRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request) else {
            return .error(code: "TicketHistoryGet.AuthFail", message: "TicketHistoryGet: Authorization failing!")
        }
        guard case .agent = principal else {
            return .error(code: "TicketHistoryGet.AuthFail", message: "TicketHistoryGet: User needs to an Agent!")
        }
        guard let value = request.parameters["TicketID"], value.isPerlTrue else {
            return .error(code: "TicketHistoryGet.MissingParameter", message: "TicketHistoryGet: TicketID parameter is missing!")
        }
        guard let ids = TicketIDList.parse(value) else {
            return .error(code: "TicketHistoryGet.WrongStructure", message: "TicketHistoryGet: Structure for TicketID is not correct!")
        }
        let catalog = try await services.catalog()
        var histories: [JSONValue] = []
        for id in ids {
            let denied = GIResult.error(
                code: "TicketHistoryGet.AccessDenied", message: "TicketHistoryGet: User does not have access to the ticket \(id)!")
            guard let ticketID = Int(id) else { return denied }
            let events: [TicketEvent]
            do {
                events = try await services.tickets.history(ticketID: ticketID, by: principal)
            } catch DeskError.notFound {
                return denied
            }
            let list: [JSONValue] = events.map { event in
                let row = ZnunyHistory.row(for: event, catalog: catalog)
                return .object([
                    "TicketID": .string(id),
                    "ArticleID": .int(event.articleID ?? 0),
                    "Name": .string(row.name),
                    "CreateBy": .int(event.actorID),
                    "CreateTime": .string(CivilDate(unixSeconds: event.createdAt).timestampString),
                    "HistoryType": .string(row.type),
                    "HistoryTypeID": .int(row.typeID),
                    "QueueID": .int(event.snapshot.queueID),
                    "OwnerID": .int(event.snapshot.ownerID),
                    "PriorityID": .int(event.snapshot.priorityID),
                    "StateID": .int(event.snapshot.stateID),
                    // As TicketGet reads it (`$Row[17] || 1`), which HistoryAdd copies.
                    "TypeID": .int(event.snapshot.typeID ?? 1),
                ])
            }
            histories.append(.object(["TicketID": .string(id), "History": .array(list)]))
        }
        guard !histories.isEmpty else {
            return .error(
                code: "TicketHistoryGet.NotTicketData",
                message:
                    "TicketHistoryGet: Could not get Ticket history data in Kernel::GenericInterface::Operation::Ticket::TicketHistoryGet::Run()"
            )
        }
        return .data(["TicketHistory": .array(histories)])
    }
}
