import DeskCore
import DeskFaceKit

/// The Znuny face's one table from core errors to GenericInterface answers: error code and
/// message as Znuny words them, per operation.
struct ZnunyErrors: ErrorTable {
    func answer(for error: DeskError, in operation: String) -> GIResult {
        let invalid = { (message: String) in GIResult.error(code: "\(operation).InvalidParameter", message: "\(operation): \(message)") }
        let missing = { (message: String) in GIResult.error(code: "\(operation).MissingParameter", message: "\(operation): \(message)") }
        let noAccess = GIResult.error(code: "\(operation).AccessDenied", message: "\(operation): User does not have access to the ticket!")
        switch error {
        case .notFound:
            return noAccess
        case .accessDenied(let action):
            let denied = { (message: String) in GIResult.error(code: "\(operation).AccessDenied", message: "\(operation): \(message)") }
            switch action {
            case .createTicket: return denied("Can not create tickets in given Queue or QueueID!")
            case .addArticle: return denied("Does not have permissions to create new articles!")
            case .updateDynamicFields: return denied("Does not have permissions to update dynamic fields!")
            case .moveTicket: return denied("Does not have permissions to update queue!")
            case .changeOwner: return denied("Does not have permissions to update owner!")
            // Znuny's spelling.
            case .changeResponsible: return denied("Does not have permissions to update responsibe!")
            case .changePriority: return denied("Does not have permissions to update priority!")
            case .closeOrPend: return denied("Does not have permissions to update state!")
            // `TicketQueueSet` refuses a queue without `move_into`; the operation answers that
            // failure as a fault.
            case .moveInto where operation == "TicketUpdate":
                return .fault("Ticket queue could not be updated, please contact system administrator!")
            default: return noAccess
            }
        case .invalid(.pendingTime, .needsPendingTime):
            // Znuny answers without the operation prefix, and spells it "pendig".
            return .error(code: "\(operation).MissingParameter", message: "Can't set a ticket on a pending state without pendig time!")
        case .invalid(let field, .missing):
            switch field {
            case .title: return missing("Ticket->Title parameter is missing!")
            case .customerUser: return missing("Ticket->CustomerUser parameter is missing!")
            case .type: return missing("Ticket->TypeID or Ticket->Type parameter is required by sysconfig option!")
            case .queue, .state, .priority: return missing("Ticket->\(field)ID or Ticket->\(field) parameter is required!")
            default: return invalid("\(Self.subject(of: field)) parameter is invalid!")
            }
        case .invalid(.dynamicField, .needsArticle):
            return missing("To create an article DynamicField an article is required!")
        case .invalid(let field, let reason):
            return invalid(Self.message(for: field, reason: reason))
        case .conflict(let conflict):
            return .fault(conflict.description)
        }
    }

    /// The invalid-value message of a field, without the operation prefix.
    static func message(for field: Field, reason: Reason) -> String {
        switch field {
        case .queue, .lock, .type, .service, .sla, .state, .priority, .owner, .responsible:
            return "Ticket->\(field)ID or Ticket->\(field) parameter is invalid!"
        case .customerUser, .pendingTime:
            return "Ticket->\(field) parameter is invalid!"
        case .dynamicField:
            return reason == .unknown ? "DynamicField->Name parameter is invalid!" : "DynamicField->Value parameter is invalid!"
        case .article(_, let articleField):
            switch articleField {
            case .autoResponseType: return "Article->AutoResponseType parameter is invalid!"
            case .channel: return "Article->CommunicationChannel or Article->CommunicationChannelID parameter is invalid or not supported!"
            case .senderType: return "Article->SenderTypeID or Ticket->SenderType parameter is invalid!"
            case .from: return "Article->From parameter is invalid!"
            case .contentType: return "Article->ContentType is invalid!"
            case .mimeType: return "Article->MimeType is invalid!"
            case .charset: return "Article->Charset is invalid!"
            case .historyType: return "Article->HistoryType parameter is invalid!"
            case .timeUnit: return "Article->TimeUnit parameter is invalid!"
            case .noAgentNotify: return "Article->NoAgent parameter is invalid!"
            case .notifyAgents(let list):
                if case .unknownValue(let id) = reason { return "Article->\(list.rawValue) UserID=\(id) parameter is invalid!" }
                return "Article->\(list.rawValue) parameter is invalid!"
            case .dynamicField:
                return reason == .unknown ? "DynamicField->Name parameter is invalid!" : "DynamicField->Value parameter is invalid!"
            case .attachment(_, .contentType): return "Attachment->ContentType is invalid!"
            default: return "\(subject(of: field)) parameter is invalid!"
            }
        default:
            return "\(subject(of: field)) parameter is invalid!"
        }
    }

    static func subject(of field: Field) -> String {
        switch field {
        case .article(_, .attachment(_, let part)): "Attachment->\(part)"
        case .article(_, let articleField): "Article->\(articleField)"
        case .dynamicField: "DynamicField->Value"
        default: "Ticket->\(field)"
        }
    }
}
