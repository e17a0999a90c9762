import DeskCore
import DeskFaceKit

/// The osTicket face's one table from core errors to osTicket's answers. Creating a ticket
/// answers like `Ticket::create` (a client problem is `user`; anything else osTicket would only
/// know as a failed insert, `unknown error`); the extension answers its caught-exception JSON,
/// whose `status_msg` osTicket fills with the exception's text.
struct OSTicketErrors: ErrorTable {
    enum Answer: Sendable, Equatable {
        /// A plain-text answer of the core API.
        case text(code: Int, message: String)
        /// The extension's `status_code: FAILURE` JSON with this `status_msg`.
        case failure(message: String)
    }

    static let create = "create"

    func answer(for error: DeskError, in operation: String) -> Answer {
        switch (operation, error) {
        case (Self.create, .invalid(.customerUser, _)):
            return .text(code: 500, message: OSTicketTicketCreate.failure([("user", "Incomplete client information")]).message)
        case (Self.create, .accessDenied(.useScope)):
            return .text(code: 401, message: "API key not authorized")
        case (Self.create, _):
            return .text(code: 500, message: "Unable to create new ticket :unknown error")
        case (_, .notFound(.agent, _)), (_, .notFound(.customerUser, _)):
            // What PHP 8 says when osTicket's lookup by name finds nobody.
            return .failure(message: "Call to a member function getId() on null")
        default:
            return .failure(message: error.description)
        }
    }
}
