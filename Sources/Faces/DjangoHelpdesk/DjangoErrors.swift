import DeskCore
import DeskFaceKit
import Hummingbird

/// The django-helpdesk face's one table from core errors to DRF answers.
struct DjangoErrors: ErrorTable {
    enum Answer: Sendable {
        case detail(HTTPResponse.Status, String)
        case fields(HTTPResponse.Status, JSONValue)

        func response(_ headers: DjangoWire.APIHeaders) -> Response {
            switch self {
            case .detail(let status, let text): DjangoWire.detail(status, text, headers)
            case .fields(let status, let value): DjangoWire.json(status, value, headers)
            }
        }
    }

    func answer(for error: DeskError, in operation: String) -> Answer {
        let field = { (name: String, message: String) in Answer.fields(.badRequest, .object([name: .array([.string(message)])])) }
        switch error {
        case .notFound(.ticket, _): return .detail(.notFound, "No Ticket matches the given query.")
        case .notFound(.article, _): return .detail(.notFound, "No FollowUp matches the given query.")
        case .notFound(.attachment, _): return .detail(.notFound, "No FollowUpAttachment matches the given query.")
        case .notFound: return .detail(.notFound, "Not found.")
        case .accessDenied: return .detail(.forbidden, "You do not have permission to perform this action.")
        case .invalid(.customerUser, _): return field("submitter_email", "Enter a valid email address.")
        // The face checks `assigned_to` itself; this is the agent disabled in between.
        case .invalid(.owner, _): return field("assigned_to", "The assigned user is no longer an active staff member.")
        case .invalid(.title, .tooLong(let max)): return field("title", "Ensure this field has no more than \(max) characters.")
        case .conflict(.exists(.customerUser, _)): return field("username", "A user with that username already exists.")
        default: return field("non_field_errors", error.description)
        }
    }
}
