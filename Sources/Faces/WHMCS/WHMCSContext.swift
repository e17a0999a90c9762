import DeskCore
import DeskFaceKit
import Foundation

/// What every action works with: the services, the caller, its parameters and the face's
/// view of ids and reference data.
struct WHMCSContext: Sendable {
    let services: DeskServices
    let principal: Principal
    /// The API user's agent (WHMCS's admin behind the credential).
    let agent: Agent
    let params: WHMCSParameters
    let mapping: WHMCSMapping
    let request: FaceRequest

    var face: String { WHMCSFace.faceName }
    var ids: FaceNumericIDs { FaceNumericIDs(externalIDs: services.externalIDs, face: face) }
    var people: WHMCSPeople { WHMCSPeople(services: services, principal: principal) }
    typealias Kind = WHMCSMapping.Kind

    /// The admin's name as WHMCS shows it (`firstname lastname`).
    var adminName: String { agent.fullName }

    static var readOptions: TicketReadOptions {
        var options = TicketReadOptions(articles: true, attachments: true, attachmentContents: false, dynamicFields: false)
        options.faceAttributes = WHMCSFace.faceName
        return options
    }

    /// The SwiftDesk ticket behind a WHMCS ticket id that the caller can see; nil when none.
    func ticket(id: Int) async throws -> Int? {
        guard id > 0, let core = try await ids.core(Kind.ticket, id) else { return nil }
        return try await visible(core)
    }

    /// The SwiftDesk ticket behind a public ticket number (`tid`; tickets of other faces by
    /// their SwiftDesk number).
    func ticket(number: String) async throws -> Int? {
        guard !number.isEmpty else { return nil }
        if let core = try await services.externalIDs.coreID(face: face, kind: Kind.tid, externalID: number).flatMap({ Int($0) }) {
            return try await visible(core)
        }
        guard let core = try await services.tickets.ticketID(number: number, by: principal),
            try await services.externalIDs.externalIDs(face: face, kind: Kind.tid, coreIDs: [String(core)]).isEmpty
        else { return nil }
        return try await visible(core)
    }

    /// A ticket counts when it exists, the caller may read it and it sits in a department.
    func visible(_ core: Int) async throws -> Int? {
        guard let ticket = try await services.tickets.get(ticketIDs: [core], options: Self.bare, by: principal).first,
            mapping.queueToDepartment[ticket.ticket.queueID] != nil
        else { return nil }
        return core
    }

    static let bare = TicketReadOptions(articles: false, attachments: false, attachmentContents: false, dynamicFields: false)

    func details(_ cores: [Int]) async throws -> [TicketDetails] {
        try await services.tickets.get(ticketIDs: cores, options: Self.readOptions, by: principal)
    }

    /// The view of some tickets, with everything their rendering needs read in a few batches.
    func view(_ details: [TicketDetails]) async throws -> WHMCSTicketView {
        let tickets = details.map(\.ticket)
        async let ticketIDs = ids.ids(Kind.ticket, core: tickets.map(\.id))
        let articles = details.flatMap(\.articles)
        let visible = articles.filter(\.isVisibleForCustomer).map(\.id)
        let hidden = articles.filter { !$0.isVisibleForCustomer }.map(\.id)
        async let replyIDs = ids.ids(Kind.reply, core: visible)
        async let noteIDs = ids.ids(Kind.note, core: hidden)
        async let tids = services.externalIDs.externalIDs(face: face, kind: Kind.tid, coreIDs: tickets.map { String($0.id) })
        async let lookup = people.lookup(tickets)
        let authors = Set(articles.map(\.createdBy))
        let agents = try await services.directory.agents(ids: Array(authors), by: principal)
        return WHMCSTicketView(
            mapping: mapping, ticketIDs: try await ticketIDs, replyIDs: try await replyIDs, noteIDs: try await noteIDs,
            tids: try await tids, people: try await lookup, agents: Dictionary(agents.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            customerSender: mapping.catalog.senderTypes["customer"]?.id)
    }

    /// The reply or note (`role`) with this WHMCS id, and its ticket (which must be `ticket`
    /// when given); nil when it names nothing the caller can see.
    func article(_ kind: String, _ id: Int, role: WHMCSTicketView.Role, ticket: Int? = nil) async throws -> (article: Int, ticket: Int)? {
        guard id != 0, let articleID = try await ids.core(kind, id),
            let ticketID = try await services.tickets.ticketID(ofArticle: articleID, by: principal),
            ticket == nil || ticket == ticketID, try await visible(ticketID) != nil,
            let details = try await details([ticketID]).first,
            let article = details.articles.first(where: { $0.id == articleID }),
            WHMCSTicketView.role(article, in: details) == role
        else { return nil }
        return (articleID, ticketID)
    }

    /// `created`: absent means now; otherwise a date in the past (`Invalid Date Format`, or the
    /// action's "cannot be in the future" message).
    func created(future message: String) throws(WHMCSError) -> Int64? {
        guard let text = params.truthyText("created") else { return nil }
        guard let time = WHMCSDates.parse(text) else { throw WHMCSError("Invalid Date Format") }
        guard time <= services.tickets.clock.now() else { throw WHMCSError(message) }
        return time
    }
}
