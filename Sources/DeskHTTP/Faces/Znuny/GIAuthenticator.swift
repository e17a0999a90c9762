import DeskCore
import DeskStore

/// Resolves the credentials of a GenericInterface request into a principal (§4 of the spec):
/// `SessionID` (used exclusively when given), else `UserLogin` + `Password`, else
/// `CustomerUserLogin` + `Password`. `X-OTRS-Header-*` headers take precedence over Data; a header
/// that contradicts the same field in Data is an authentication failure.
struct GIAuthenticator {
    let services: AppServices

    enum Outcome {
        case principal(Principal)
        case missingLogin
        case missingPassword
        case failed
    }

    static let headerFields = ["UserLogin", "CustomerUserLogin", "SessionID", "Password", "ImpersonateAsUser"]

    func authenticate(_ request: GIRequest) async throws -> Outcome {
        var fields: [String: String] = [:]
        for name in ["UserLogin", "CustomerUserLogin", "SessionID", "Password"] {
            let header = request.headerCredentials[name]
            let body = request.data.string(name)
            if let header, let body, !body.isEmpty, header != body { return .failed }
            if let value = header ?? body { fields[name] = value }
        }
        let principal: Principal
        if let sessionID = fields["SessionID"], !sessionID.isEmpty, sessionID != "0" {
            guard let found = try await services.sessions.principal(sessionID: sessionID) else { return .failed }
            principal = found
        } else {
            let userLogin = fields["UserLogin"].flatMap { $0.isEmpty ? nil : $0 }
            let customerLogin = fields["CustomerUserLogin"].flatMap { $0.isEmpty ? nil : $0 }
            guard userLogin != nil || customerLogin != nil else { return .missingLogin }
            guard let password = fields["Password"], !password.isEmpty else { return .missingPassword }
            if let login = userLogin {
                guard let agent = try await services.auth.authenticateAgent(login: login, password: password) else { return .failed }
                principal = .agent(agent)
            } else if let login = customerLogin {
                guard let customer = try await services.auth.authenticateCustomer(login: login, password: password) else { return .failed }
                principal = .customer(customer)
            } else {
                return .failed
            }
        }
        guard let target = request.headerCredentials["ImpersonateAsUser"], !target.isEmpty else { return .principal(principal) }
        let outcome = try await impersonate(target, by: principal)
        if case .principal(.agent(let agent)) = outcome {
            request.logger.notice("impersonation", metadata: ["agent": .string(agent.impersonatedBy ?? ""), "acting_as": .string(agent.login)])
        }
        return outcome
    }

    /// `X-OTRS-Header-ImpersonateAsUser` (a SwiftDesk extension): an agent with `rw` in group
    /// `admin` acts as the named agent; anyone else fails authentication.
    private func impersonate(_ login: String, by principal: Principal) async throws -> Outcome {
        let catalog = try await services.store.read { try await $0.catalog() }
        guard case .agent(let admin) = principal, GroupAccess.isAdmin(principal, catalog: catalog) else { return .failed }
        guard let agent = try await services.store.read({ try await $0.agent(login: login) }),
              var target = try await services.auth.agentPrincipal(id: agent.id)
        else { return .failed }
        target.impersonatedBy = admin.login
        return .principal(.agent(target))
    }
}
