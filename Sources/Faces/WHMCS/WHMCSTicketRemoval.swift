import DeskCore
import DeskFaceKit
import Foundation

/// DeleteTicket, DeleteTicketNote, DeleteTicketReply and BlockTicketSender.
struct WHMCSTicketRemoval {
    let context: WHMCSContext

    var params: WHMCSParameters { context.params }
    var services: DeskServices { context.services }
    typealias Kind = WHMCSMapping.Kind

    func deleteTicket() async throws -> JSONValue {
        guard let ticketID = try await context.ticket(id: params.int("ticketid")) else { throw WHMCSError("Ticket ID not found") }
        try await services.tickets.delete(ticketID: ticketID, by: context.principal)
        return WHMCSWire.success([])
    }

    func deleteNote() async throws -> JSONValue {
        guard let note = try await context.article(Kind.note, params.int("noteid"), role: .note) else {
            throw WHMCSError("Note ID Not Found")
        }
        try await services.tickets.deleteArticle(articleID: note.article, by: context.principal)
        return WHMCSWire.success([JSONMember(key: "noteid", value: .string(params.text("noteid") ?? ""))])
    }

    func deleteReply() async throws -> JSONValue {
        // `!$ticketid` / `!$replyid` on the raw text: `abc` is there, and then not found.
        guard params.truthy("ticketid") else { throw WHMCSError("Ticket ID Required") }
        guard params.truthy("replyid") else { throw WHMCSError("Reply ID Required") }
        guard let ticketID = try await context.ticket(id: params.int("ticketid")) else { throw WHMCSError("Ticket ID Not Found") }
        guard let reply = try await context.article(Kind.reply, params.int("replyid"), role: .reply, ticket: ticketID) else {
            throw WHMCSError("Reply ID Not Found")
        }
        try await services.tickets.deleteArticle(articleID: reply.article, by: context.principal)
        return WHMCSWire.success([])
    }

    /// Adds the ticket's e-mail address to the blocked senders (kept for the mail intake) and,
    /// with `delete`, deletes the ticket, in one transaction that needs `rw` on the ticket.
    func blockSender() async throws -> JSONValue {
        guard params.truthy("ticketid") else { throw WHMCSError("Ticket ID Required") }
        guard let ticketID = try await context.ticket(id: params.int("ticketid")), let details = try await context.details([ticketID]).first
        else { throw WHMCSError("Ticket ID Not Found") }
        let view = try await context.view([details])
        let requester = view.requester(details)
        guard requester.userID == 0 else { throw WHMCSError("A Client Cannot Be Blocked") }
        // WHMCS takes the ticket's own `email` column, kept for a guest even when an admin opened
        // the ticket (its requestor is then the admin, without an address); a merge cleared it.
        let stored = view.storedEmail(details)
        let email = (stored.isEmpty ? requester.requestorEmail : stored).lowercased()
        guard !email.isEmpty else { throw WHMCSError("Missing Email Address") }
        let delete = params.truthy("delete")
        try await services.tickets.putDocument(
            WHMCSBlockedSenders.document(email), concerning: ticketID, deletingTicket: delete, by: context.principal)
        return WHMCSWire.success([JSONMember(key: "deleted", value: .bool(delete))])
    }
}

/// Senders whose mail is refused (BlockTicketSender's spam filter): face documents
/// `whmcs/blocked-sender/<address>`, for the mail intake to consult; `swiftdesk whmcs
/// blocked-sender list|remove` shows and lifts them.
public struct WHMCSBlockedSenders: Sendable {
    let services: DeskServices
    static let kind = "blocked-sender"

    public init(services: DeskServices) {
        self.services = services
    }

    static func document(_ email: String) -> FaceDocumentPut {
        FaceDocumentPut(face: WHMCSFace.faceName, kind: kind, key: email, json: JSONWriter.string(.ordered(["type": .string("sender")])))
    }

    public func list() async throws -> [String] {
        try await services.faceConfig.documents(face: WHMCSFace.faceName, kind: Self.kind).map(\.key).sorted()
    }

    /// Lifts a block; false when the address was not blocked.
    public func remove(_ email: String) async throws -> Bool {
        try await services.faceConfig.remove(face: WHMCSFace.faceName, kind: Self.kind, key: email.lowercased())
    }
}
