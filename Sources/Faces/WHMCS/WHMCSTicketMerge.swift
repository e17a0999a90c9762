import DeskCore
import DeskFaceKit
import Foundation

/// MergeTicket: the other tickets' replies and notes move to the target, their own messages
/// become replies, ` [MERGED]` is appended to the subject, the target takes the status of the
/// ticket with the latest reply and the union of the cc addresses. One core call.
struct WHMCSTicketMerge {
    let context: WHMCSContext

    var params: WHMCSParameters { context.params }
    /// The most tickets one call merges.
    static let maxSources = 100

    func run() async throws -> JSONValue {
        guard params.int("ticketid") != 0 else { throw WHMCSError("Ticket ID Required") }
        guard let targetID = try await context.ticket(id: params.int("ticketid")) else { throw WHMCSError("Ticket ID Invalid") }
        // WHMCS finds the target among unmerged tickets (`where("merged_ticket_id", 0)`) before it
        // looks at `mergeticketids`.
        if let target = try await context.services.tickets.readableTickets(ids: [targetID], by: context.principal).first,
            context.mapping.isMerged(target)
        {
            throw WHMCSError("Ticket ID Invalid")
        }
        let requested = (params.text("mergeticketids") ?? "").split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        guard !requested.isEmpty else { throw WHMCSError("Merge Ticket IDs Required") }
        guard requested.count <= Self.maxSources else {
            throw WHMCSError("Invalid Merge Ticket IDs: more than \(Self.maxSources) tickets")
        }
        var sources: [Int] = []
        var invalid: [String] = []
        for text in requested {
            let id = WHMCSParameters.phpInt(text)
            guard id != params.int("ticketid") else { continue }
            if let core = try await context.ticket(id: id) {
                if !sources.contains(core) { sources.append(core) }
            } else {
                invalid.append(text)
            }
        }
        guard invalid.isEmpty else {
            throw WHMCSError("Invalid Merge Ticket IDs: " + HTMLEntities.specialChars(invalid.joined(separator: ", "), quotes: true))
        }
        let all = try await context.details([targetID] + sources)
        guard let target = all.first(where: { $0.ticket.id == targetID }) else { throw WHMCSError("Ticket ID Invalid") }
        let view = try await context.view(all)
        typealias Attribute = WHMCSTicketView.Attribute
        var update = TicketUpdateRequest()
        // `if ($newSubject)`: "0" is none.
        var subject = params.truthyText("newsubject") ?? target.ticket.title
        if !subject.contains(" [MERGED]") { subject += " [MERGED]" }
        update.title = subject
        var attributes: [String: String?] = [:]
        if let latest = all.max(by: { view.lastReply($0) < view.lastReply($1) }) {
            // WHMCS copies the latest ticket's status column: a ticket merged before reads `Closed`
            // there, so the target closes; it never takes the merged state itself.
            var state = latest.ticket.stateID
            let mapping = context.mapping
            if mapping.isMerged(latest.ticket), let closed = mapping.directory.status(titled: "Closed").flatMap(mapping.state(ofStatus:)) {
                state = closed
            }
            if state != target.ticket.stateID { update.state = .id(state) }
            attributes[Attribute.lastReply] = String(view.lastReply(latest))
        }
        // The target's own message stays its own, though older merged articles come first.
        if let opening = view.opening(target) { attributes[Attribute.opening] = String(opening.id) }
        let ccs = all.compactMap { $0.ticketAttributes[Attribute.cc] }.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces }
            .filter { !$0.isEmpty }
        var seen: Set<String> = []
        let cc = ccs.filter { seen.insert($0.lowercased()).inserted }.joined(separator: ",")
        if !cc.isEmpty { attributes[Attribute.cc] = cc }
        update.faceAttributes = FaceAttributes(face: context.face, values: attributes)
        update.articleEdits = sources.compactMap { id in all.first { $0.ticket.id == id } }.compactMap {
            movedOpening($0, into: target, view: view)
        }
        do {
            try await context.services.tickets.merge(sources, into: targetID, targetUpdate: update, by: context.principal)
        } catch DeskError.conflict(.alreadyMerged) {
            throw WHMCSError("Ticket ID Invalid")
        }
        return WHMCSWire.success([JSONMember(key: "ticketid", value: .number(String(params.int("ticketid"))))])
    }

    /// A merged ticket's own message becomes a new reply of the target (`mergeOtherTicketsInToThis`):
    /// the next reply id, the source's admin if an admin opened it, else the target's client
    /// (shown by the client's name and address), else the source's guest name and address.
    func movedOpening(_ source: TicketDetails, into target: TicketDetails, view: WHMCSTicketView) -> ArticleEdit? {
        // An opening message the customer cannot see (another face's internal first article)
        // stays a note.
        guard let opening = view.opening(source), opening.isVisibleForCustomer, !view.hasReplyID(opening) else { return nil }
        typealias Attribute = WHMCSTicketView.Attribute
        let clientID = view.requester(target).userID
        var values: [String: String?]
        if let admin = source.ticketAttributes[Attribute.admin], !admin.isEmpty {
            values = [Attribute.admin: admin]
        } else if clientID > 0 {
            let owner = view.people.owner(ofClient: clientID)
            values = [
                Attribute.userID: String(clientID), Attribute.contactID: "0", Attribute.name: owner?.fullName ?? "Undefined",
                Attribute.email: owner?.email ?? "",
            ]
        } else {
            // A client's ticket keeps no name or address of its own (`openNewTicket` clears them).
            let who = view.requester(source)
            let guest = who.userID == 0
            values = [
                Attribute.userID: "0", Attribute.contactID: "0", Attribute.name: guest ? who.name : "Undefined",
                Attribute.email: guest ? who.email : "",
            ]
        }
        return ArticleEdit(
            articleID: opening.id, faceID: FaceIDAllocation(face: context.face, kind: WHMCSMapping.Kind.reply),
            faceAttributes: FaceAttributes(face: context.face, values: values))
    }
}
