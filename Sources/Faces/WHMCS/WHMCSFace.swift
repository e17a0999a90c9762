import DeskCore
import DeskFaceKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// WHMCS's API for support tickets (docs/whmcs.md): `<root>/includes/api.php`, one endpoint for
/// every action, form-encoded, answering JSON, XML or NVP. Departments are queues, statuses
/// states, clients and contacts customers; tickets keep WHMCS's ids, public numbers (`tid`) and
/// access codes (`c`).
///
/// The order of work is WHMCS's: the access key or the IP allow-list, the action's name, the
/// credentials, the action, the response format, then the action's own checks.
public struct WHMCSFace: Face {
    public static let faceName = "whmcs"
    public var name: String { Self.faceName }

    let services: DeskServices
    let environment: FaceEnvironment
    /// The path before `/includes/api.php` (`""` or e.g. `/billing`).
    let root: String

    public init(services: DeskServices, environment: FaceEnvironment) {
        self.services = services
        self.environment = environment
        root = environment.mountPoints[Self.faceName] ?? ""
    }

    var endpoint: String { root + "/includes/api.php" }

    public func register(on router: Router<FaceRequestContext>) {
        router.add(middleware: WHMCSMiddleware(face: self))
    }

    static let actions: Set<String> = [
        "openticket", "gettickets", "getticket", "addticketreply", "addticketnote", "updateticket", "deleteticket", "deleteticketnote",
        "deleteticketreply", "updateticketreply", "getsupportdepartments", "getsupportstatuses", "getticketcounts", "getticketnotes",
        "getticketpredefinedcats", "getticketpredefinedreplies", "getticketattachment", "blockticketsender", "mergeticket",
    ]

    /// Seeds a fresh WHMCS's reference data once: the four statuses SwiftDesk lacks as states
    /// (`answered`, `customer reply`, `on hold`, `in progress`, all of type open), department 1
    /// `Sample Support Department` and the directory. An operator's data is kept after that.
    public func prepare() async throws {
        guard try await !services.referenceData.hasMappings(face: name) else { return }
        try await services.referenceData.apply(try WHMCSSetup.defaults())
    }

    public var settings: [FaceSetting] {
        let services = services
        return [
            FaceSetting(
                key: "WHMCS::AccessKey", help: "the API access key that lets callers past the IP allow-list (empty = none)", isSecret: true,
                read: { try await WHMCSSettings(services: services).hasAccessKey() ? "(set)" : "" },
                write: { try await WHMCSSettings(services: services).setAccessKey($0) }),
            FaceSetting(
                key: "WHMCS::TicketMask", help: "public ticket number mask: %A A-Z, %a a-z, %n 0-9, %y %m %d date, %i ticket id",
                read: { try await WHMCSDirectory.load(services).ticketMask },
                write: { try await WHMCSSettings(services: services).setTicketMask($0) }),
            FaceSetting(
                key: "WHMCS::AllowedFileTypes",
                help: "attachment extensions the API keeps, comma-separated (default .jpg,.gif,.jpeg,.png,.txt,.pdf)",
                read: { try await WHMCSDirectory.load(services).allowedFileTypes.joined(separator: ",") },
                write: { try await WHMCSSettings(services: services).setAllowedFileTypes($0) }),
        ]
    }

    // MARK: Dispatch

    func respond(to request: Request, context: FaceRequestContext) async throws -> Response {
        context.tags.set(face: name)
        guard let body = try? Array(buffer: await request.body.collect(upTo: context.maxUploadSize)) else {
            return WHMCSWire.response(WHMCSWire.error("Request too large"), format: .nvp, action: "", status: .contentTooLarge)
        }
        guard let params = WHMCSParameters.read(query: request.uri.query, body: body, contentType: request.headers[.contentType]) else {
            return WHMCSWire.response(WHMCSWire.error("Invalid request parameters"), format: .nvp, action: "", status: .badRequest)
        }
        let rawAction = params.meta("action") ?? ""
        let action = rawAction.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        let faceRequest = environment.faceRequest(
            face: name, operation: action.isEmpty ? "none" : action, parameters: [:], request: request, context: context)
        let rawFormat = WHMCSWire.rawFormat(params.meta("responsetype"))
        let auth = WHMCSAuth(services: services)
        let directory = try await WHMCSDirectory.load(services)
        if let refusal = try await auth.checkAccess(params, address: faceRequest.clientAddress, directory: directory) {
            return WHMCSWire.response(WHMCSWire.error(refusal.message), format: rawFormat, action: rawAction, status: refusal.status)
        }
        let agent: AgentPrincipal
        let method: WHMCSAuth.Method
        switch try await auth.authenticate(params, origin: faceRequest.origin) {
        // Errors before the action runs name the action as sent (WHMCS renders them from the
        // outer request, not from ActionFilter's normalised copy).
        case .failure(let refusal):
            return WHMCSWire.response(WHMCSWire.error(refusal.message), format: rawFormat, action: rawAction, status: refusal.status)
        case .success(let found): (agent, method) = found
        }
        guard !action.isEmpty else {
            return WHMCSWire.response(WHMCSWire.error("Empty action request"), format: rawFormat, action: rawAction, status: .badRequest)
        }
        // API credentials are checked against the actions their role allows before the format is
        // looked at; an admin login learns of an unknown action after it, in the chosen format.
        if method == .apiCredential, !Self.actions.contains(action) {
            let message = "Invalid API Action: \"\(action)\" is not a valid API action"
            return WHMCSWire.response(WHMCSWire.error(message), format: rawFormat, action: rawAction, status: .forbidden)
        }
        let format: WHMCSWire.Format
        switch WHMCSWire.format(params.meta("responsetype"), action: action) {
        case .failure(let problem): return WHMCSWire.response(WHMCSWire.error(problem.message), format: .nvp, action: action)
        case .success(let chosen): format = chosen
        }
        guard Self.actions.contains(action) else {
            return WHMCSWire.response(WHMCSWire.error("API Function Not Found"), format: format, action: action)
        }
        let principal = Principal.agent(agent)
        guard let agentRecord = try await services.directory.agents(ids: [agent.id], by: principal).first else {
            return WHMCSWire.response(WHMCSWire.error("Administrator Account Disabled"), format: format, action: action, status: .forbidden)
        }
        let mapping = try await WHMCSMapping.load(services, directory: directory)
        let actionContext = WHMCSContext(
            services: services, principal: principal, agent: agentRecord, params: params, mapping: mapping, request: faceRequest)
        do {
            let result = try await Self.run(action, context: actionContext)
            return WHMCSWire.response(WHMCSWire.encoded(result), format: format, action: action)
        } catch let problem as WHMCSError {
            return WHMCSWire.response(WHMCSWire.error(problem.message), format: format, action: action, status: problem.status)
        } catch {
            guard let error = error as? DeskError else { throw error }
            var answer = WHMCSErrors().answer(for: error, in: action)
            if case .accessDenied = error, method == .adminLogin { answer.message = "Access Denied" }
            return WHMCSWire.response(WHMCSWire.error(answer.message), format: format, action: action, status: answer.status)
        }
    }

    static func run(_ action: String, context: WHMCSContext) async throws -> JSONValue {
        let queries = WHMCSTicketQueries(context: context)
        let changes = WHMCSTicketChanges(context: context)
        let removal = WHMCSTicketRemoval(context: context)
        let directory = WHMCSDirectoryActions(context: context)
        switch action {
        case "openticket": return try await WHMCSOpenTicket(context: context).run()
        case "gettickets": return try await queries.getTickets()
        case "getticket": return try await queries.getTicket()
        case "getticketnotes": return try await queries.getTicketNotes()
        case "getticketattachment": return try await queries.getTicketAttachment()
        case "addticketreply": return try await changes.addReply()
        case "addticketnote": return try await changes.addNote()
        case "updateticket": return try await changes.updateTicket()
        case "updateticketreply": return try await changes.updateReply()
        case "deleteticket": return try await removal.deleteTicket()
        case "deleteticketnote": return try await removal.deleteNote()
        case "deleteticketreply": return try await removal.deleteReply()
        case "blockticketsender": return try await removal.blockSender()
        case "mergeticket": return try await WHMCSTicketMerge(context: context).run()
        case "getsupportdepartments": return try await directory.departments()
        case "getsupportstatuses": return try await directory.statuses()
        case "getticketcounts": return try await directory.counts()
        case "getticketpredefinedcats": return directory.predefinedCategories()
        default: return directory.predefinedReplies()
        }
    }
}

struct WHMCSMiddleware: RouterMiddleware {
    typealias Context = FaceRequestContext
    let face: WHMCSFace

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path == face.endpoint else { return try await next(request, context) }
        return try await face.respond(to: request, context: context)
    }
}
