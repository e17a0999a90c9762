import DeskCore
import DeskFaceKit
import Foundation
import OTRSCommon

/// TicketSearch (§5.6 of the spec): translates Znuny's parameters into the core's `TicketQuery`.
/// Input the core search would reject (unknown names, bad dates, bad sort keys) gives `{}`, as in
/// Znuny; the only error is an authentication failure.
struct TicketSearchOperation {
    let services: DeskServices

    func run(_ request: FaceRequest) async throws -> GIResult {
        guard case .principal(let principal) = try await GIAuthenticator(services: services).authenticate(request) else {
            return .error(code: "TicketSearch.AuthFail", message: "TicketSearch: Authorization failing!")
        }
        let catalog = try await services.catalog()
        var data = request.parameters
        // The customer credential field doubles as a filter (quirk, §5.6).
        if case .customer = principal, data["CustomerUserLogin"] == nil, let login = request.credentials["CustomerUserLogin"] {
            data["CustomerUserLogin"] = .string(login)
        }
        guard let query = ZnunySearchTranslator(catalog: catalog, now: services.clock.now()).query(from: data) else {
            return .data([:])
        }
        let ids = try await services.tickets.search(query, by: principal)
        guard !ids.isEmpty else { return .data([:]) }
        return .data(["TicketID": .array(ids.map { .string(String($0)) })])
    }
}
