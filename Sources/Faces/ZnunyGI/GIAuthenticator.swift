import DeskCore
import DeskFaceKit

/// Resolves the credentials of a GenericInterface request into a principal (§4 of the spec):
/// `SessionID` (used exclusively when given), else `UserLogin` + `Password`, else
/// `CustomerUserLogin` + `Password`. `X-OTRS-Header-*` headers take precedence over Data: Znuny's
/// REST transport lays them over the request's data (the spec's §10 observation; its §4.1 says a
/// contradiction fails, the code does not).
struct GIAuthenticator {
    let services: DeskServices

    enum Outcome {
        case principal(Principal)
        case missingLogin
        case missingPassword
        case failed
    }

    static let headerFields = ["UserLogin", "CustomerUserLogin", "SessionID", "Password", "ImpersonateAsUser"]

    func authenticate(_ request: FaceRequest) async throws -> Outcome {
        var fields: [String: String] = [:]
        for name in ["UserLogin", "CustomerUserLogin", "SessionID", "Password"] {
            if let value = request.credentials[name] ?? request.parameters.string(name) { fields[name] = value }
        }
        let credential: Credential
        // Znuny tests each for Perl truth: "" and "0" are not given.
        func truthy(_ name: String) -> String? { fields[name].flatMap { JSONValue.string($0).isPerlTrue ? $0 : nil } }
        if let sessionID = truthy("SessionID") {
            credential = .session(id: sessionID)
        } else {
            let userLogin = truthy("UserLogin")
            let customerLogin = truthy("CustomerUserLogin")
            guard userLogin != nil || customerLogin != nil else { return .missingLogin }
            guard let password = truthy("Password") else { return .missingPassword }
            if let login = userLogin {
                credential = .agentPassword(login: login, password: password)
            } else {
                credential = .customerPassword(login: customerLogin ?? "", password: password)
            }
        }
        guard let principal = try await services.auth.authenticate(credential, from: request.origin).principal else { return .failed }
        guard let target = request.credentials["ImpersonateAsUser"], !target.isEmpty else { return .principal(principal) }
        // `X-OTRS-Header-ImpersonateAsUser` (a SwiftDesk extension): an agent with `rw` in group
        // `admin` acts as the named agent; anyone else fails authentication.
        let agent: AgentPrincipal
        do {
            agent = try await services.auth.impersonate(target, by: principal)
        } catch is DeskError {
            return .failed
        }
        request.logger.notice("impersonation", metadata: ["agent": .string(agent.impersonatedBy ?? ""), "acting_as": .string(agent.login)])
        return .principal(.agent(agent))
    }
}
