import DeskCore

/// TicketHistoryGet (§5.7 of the spec). Agents only.
struct TicketHistoryGetOperation {
    let services: AppServices

    func run(_ request: GIRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request) else {
            return .error(code: "TicketHistoryGet.AuthFail", message: "TicketHistoryGet: Authorization failing!")
        }
        guard case .agent = principal else {
            return .error(code: "TicketHistoryGet.AuthFail", message: "TicketHistoryGet: User needs to an Agent!")
        }
        guard let value = request.data["TicketID"], value.isPerlTrue else {
            return .error(code: "TicketHistoryGet.MissingParameter", message: "TicketHistoryGet: TicketID parameter is missing!")
        }
        guard let ids = TicketIDList.parse(value) else {
            return .error(code: "TicketHistoryGet.WrongStructure", message: "TicketHistoryGet: Structure for TicketID is not correct!")
        }
        let catalog = try await services.store.read { try await $0.catalog() }
        var histories: [JSONValue] = []
        for id in ids {
            let denied = GIResult.error(code: "TicketHistoryGet.AccessDenied", message: "TicketHistoryGet: User does not have access to the ticket \(id)!")
            guard let ticketID = Int(id) else { return denied }
            let entries: [HistoryEntry]
            do {
                entries = try await services.tickets.history(ticketID: ticketID, by: principal)
            } catch DeskError.notFound {
                return denied
            }
            let list: [JSONValue] = entries.map { entry in
                .object([
                    "TicketID": .string(id),
                    "ArticleID": .int(entry.articleID ?? 0),
                    "Name": .string(entry.name),
                    "CreateBy": .int(entry.createdBy),
                    "CreateTime": .string(CivilDate(unixSeconds: entry.createdAt).timestampString),
                    "HistoryType": .string(catalog.historyTypes[entry.typeID]?.name ?? ""),
                    "HistoryTypeID": .int(entry.typeID),
                    "QueueID": .int(entry.queueID),
                    "OwnerID": .int(entry.ownerID),
                    "PriorityID": .int(entry.priorityID),
                    "StateID": .int(entry.stateID),
                    "TypeID": entry.ticketTypeID.map { .int($0) } ?? .int(0),
                ])
            }
            histories.append(.object(["TicketID": .string(id), "History": .array(list)]))
        }
        return .data(["TicketHistory": .array(histories)])
    }
}
