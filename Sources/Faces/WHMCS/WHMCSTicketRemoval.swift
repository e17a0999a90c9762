import DeskCore
import DeskFaceKit
import Foundation

/// DeleteTicket, DeleteTicketNote, DeleteTicketReply, BlockTicketSender and MergeTicket.
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
        let noteID = params.int("noteid")
        guard noteID != 0, let articleID = try await context.ids.core(Kind.note, noteID),
            let ticketID = try await services.tickets.ticketID(ofArticle: articleID, by: context.principal),
            try await context.visible(ticketID) != nil,
            let details = try await context.details([ticketID]).first,
            let article = details.articles.first(where: { $0.id == articleID }),
            !article.isVisibleForCustomer, details.articles.first?.id != articleID
        else { throw WHMCSError("Note ID Not Found") }
        try await services.tickets.deleteArticle(articleID: articleID, by: context.principal)
        return WHMCSWire.success([JSONMember(key: "noteid", value: .string(params.text("noteid") ?? ""))])
    }

    func deleteReply() async throws -> JSONValue {
        guard params.int("ticketid") != 0 else { throw WHMCSError("Ticket ID Required") }
        guard params.int("replyid") != 0 else { throw WHMCSError("Reply ID Required") }
        guard let ticketID = try await context.ticket(id: params.int("ticketid")) else { throw WHMCSError("Ticket ID Not Found") }
        guard let reply = try await WHMCSTicketChanges(context: context).reply(params.int("replyid"), ticket: ticketID) else {
            throw WHMCSError("Reply ID Not Found")
        }
        try await services.tickets.deleteArticle(articleID: reply.article, by: context.principal)
        return WHMCSWire.success([])
    }

    /// Adds the ticket's e-mail address to the blocked senders (kept for incoming mail) and,
    /// with `delete`, deletes the ticket.
    func blockSender() async throws -> JSONValue {
        guard params.int("ticketid") != 0 else { throw WHMCSError("Ticket ID Required") }
        guard let ticketID = try await context.ticket(id: params.int("ticketid")), let details = try await context.details([ticketID]).first
        else { throw WHMCSError("Ticket ID Not Found") }
        let view = try await context.view([details])
        let requester = view.requester(details)
        guard requester.userID == 0 else { throw WHMCSError("A Client Cannot Be Blocked") }
        let email = requester.requestorEmail.lowercased()
        guard !email.isEmpty else { throw WHMCSError("Missing Email Address") }
        try await WHMCSBlockedSenders(services: services).add(email)
        let delete = params.truthy("delete")
        if delete { try await services.tickets.delete(ticketID: ticketID, by: context.principal) }
        return WHMCSWire.success([JSONMember(key: "deleted", value: .bool(delete))])
    }

    func merge() async throws -> JSONValue {
        guard params.int("ticketid") != 0 else { throw WHMCSError("Ticket ID Required") }
        guard let targetID = try await context.ticket(id: params.int("ticketid")),
            let target = try await context.details([targetID]).first, !context.mapping.isMerged(target.ticket)
        else { throw WHMCSError("Ticket ID Invalid") }
        let requested = (params.text("mergeticketids") ?? "").split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        guard !requested.isEmpty else { throw WHMCSError("Merge Ticket IDs Required") }
        var sources: [Int] = []
        var invalid: [String] = []
        for text in requested {
            let id = WHMCSParameters.phpInt(text)
            guard id != params.int("ticketid") else { continue }
            if let core = try await context.ticket(id: id), let details = try await context.details([core]).first,
                !context.mapping.isMerged(details.ticket)
            {
                sources.append(core)
            } else {
                invalid.append(text)
            }
        }
        guard invalid.isEmpty else {
            throw WHMCSError("Invalid Merge Ticket IDs: " + WHMCSWire.htmlSpecialChars(invalid.joined(separator: ", "), quotes: true))
        }
        let all = try await context.details([targetID] + sources)
        let view = try await context.view(all)
        var update = TicketUpdateRequest()
        var subject = params.nonEmpty("newsubject") ?? target.ticket.title
        if !subject.contains(" [MERGED]") { subject += " [MERGED]" }
        update.title = subject
        if let latest = all.max(by: { view.lastReply($0) < view.lastReply($1) }), latest.ticket.stateID != target.ticket.stateID {
            update.state = .id(latest.ticket.stateID)
        }
        let ccs = all.compactMap { $0.ticketAttributes[WHMCSTicketView.Attribute.cc] }.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        var seen: Set<String> = []
        let cc = ccs.filter { seen.insert($0.lowercased()).inserted }.joined(separator: ",")
        if !cc.isEmpty { update.faceAttributes = FaceAttributes(face: context.face, values: [WHMCSTicketView.Attribute.cc: cc]) }
        try await services.tickets.merge(sources, into: targetID, targetUpdate: update, by: context.principal)
        return WHMCSWire.success([JSONMember(key: "ticketid", value: .number(String(params.int("ticketid"))))])
    }
}

/// Senders whose mail is refused (BlockTicketSender's spam filter): face documents
/// `whmcs/blocked-sender/<address>`, for the mail intake to consult.
struct WHMCSBlockedSenders: Sendable {
    let services: DeskServices
    static let kind = "blocked-sender"

    func add(_ email: String) async throws {
        guard try await services.faceConfig.document(face: WHMCSFace.faceName, kind: Self.kind, key: email) == nil else { return }
        try await services.faceConfig.put(
            face: WHMCSFace.faceName, kind: Self.kind, key: email, json: JSONWriter.string(.ordered(["type": .string("sender")])))
    }

    func list() async throws -> [String] {
        try await services.faceConfig.documents(face: WHMCSFace.faceName, kind: Self.kind).map(\.key).sorted()
    }
}
