import DeskCore
import DeskFaceKit

/// The WHMCS face's one table from core errors to its error envelope. Action errors are HTTP
/// 200, as WHMCS sends them.
struct WHMCSErrors: ErrorTable {
    func answer(for error: DeskError, in operation: String) -> WHMCSError {
        switch error {
        case .notFound(.ticket, _):
            WHMCSError(operation == "deleteticket" || operation == "addticketnote" ? "Ticket ID not found" : "Ticket ID Not Found")
        case .notFound(.article, _):
            WHMCSError(operation == "updateticketreply" || operation == "deleteticketreply" ? "Reply ID Not Found" : "Note ID Not Found")
        case .notFound(.queue, _), .invalid(.queue, _):
            WHMCSError(operation == "openticket" ? "Department ID not found" : "Department ID Not Found")
        case .invalid(.customerUser, _): WHMCSError("Email Address Invalid")
        case .invalid(.title, .missing): WHMCSError("Subject is required")
        case .invalid(.title, .tooLong(let max)): WHMCSError("Subject is too long (at most \(max) characters)")
        case .invalid(.article(_, .body), _): WHMCSError("Message is required")
        case .conflict(.exists(.externalID, _)): WHMCSError("Unable to generate ticket number.")
        // The agent's permissions stand for the API role WHMCS checks actions against.
        case .accessDenied: WHMCSError("Invalid Permissions: API action \"\(operation)\" is not allowed", status: .forbidden)
        default: WHMCSError(error.description)
        }
    }
}
