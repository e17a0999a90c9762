import DeskCore
import DeskFaceKit

/// Runs a GenericInterface operation by type. Shared by the REST and SOAP transports: only the
/// wire format differs between them.
struct GIDispatcher {
    let services: DeskServices

    func run(type: String, _ request: FaceRequest) async -> GIResult {
        do {
            switch type {
            case "Session::SessionCreate": return try await SessionOperations(services: services).create(request)
            case "Session::SessionGet": return try await SessionOperations(services: services).get(request)
            case "Session::SessionRemove": return try await SessionOperations(services: services).remove(request)
            case "Ticket::TicketCreate": return try await TicketCreateOperation(services: services).run(request)
            case "Ticket::TicketUpdate": return try await TicketUpdateOperation(services: services).run(request)
            case "Ticket::TicketGet": return try await TicketGetOperation(services: services).run(request)
            case "Ticket::TicketSearch": return try await TicketSearchOperation(services: services).run(request)
            case "Ticket::TicketHistoryGet": return try await TicketHistoryGetOperation(services: services).run(request)
            case "Ticket::TimeAccountingGet": return try await TimeAccountingGetOperation(services: services).run(request)
            case "User::OutOfOffice": return try await OutOfOfficeOperation(services: services).run(request)
            default: return .fault("Got no OperationType!")
            }
        } catch {
            request.logger.error("GenericInterface operation failed", metadata: ["error": "\(error)"])
            return .fault(Self.internalFault(for: type))
        }
    }

    /// Znuny's faultstrings for failures inside an operation.
    static func internalFault(for type: String) -> String {
        switch type {
        case "Ticket::TicketCreate": "Ticket could not be created, please contact the system administrator"
        case "Ticket::TicketUpdate": "OperationObject returned an error, cancelling Request"
        default: "Unknown"
        }
    }
}
