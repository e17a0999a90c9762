import DeskCore
import DeskFaceKit
import Foundation

/// DRF authentication with the classes Token → Session → Basic (`rest_framework/authentication.py`),
/// as django-helpdesk installs configure it: a `Token <key>` header is checked first, then HTTP
/// Basic; SwiftDesk keeps no Django sessions, so a request without either is anonymous. Staff
/// users are agents, the others customer users.
struct DjangoAuth {
    let services: DeskServices

    enum Outcome {
        case anonymous
        case user(Principal)
        /// A header that names credentials which fail: DRF's 401 text.
        case failed(String)
    }

    /// Tokens live as core credentials of the face, kind token.
    static let face = DjangoFace.faceName

    /// Whether DRF consulted its session authentication: only when no `Token` header came.
    static func sessionConsulted(_ authorization: String?) -> Bool {
        guard let authorization else { return true }
        return authorization.split(separator: " ").first?.lowercased() != "token"
    }

    func authenticate(_ authorization: String?, origin: RequestOrigin) async throws -> Outcome {
        guard let authorization else { return .anonymous }
        let parts = authorization.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let scheme = parts.first?.lowercased() else { return .anonymous }
        switch scheme {
        case "token":
            guard parts.count > 1 else { return .failed("Invalid token header. No credentials provided.") }
            guard parts.count == 2 else { return .failed("Invalid token header. Token string should not contain spaces.") }
            // DRF decodes the header's bytes as UTF-8; bytes that are none reach us replaced.
            guard !parts[1].unicodeScalars.contains("\u{FFFD}") else {
                return .failed("Invalid token header. Token string should not contain invalid characters.")
            }
            switch try await services.auth.authenticate(.token(face: Self.face, token: parts[1]), from: origin) {
            case .accepted(let principal?, _): return .user(principal)
            case .refused(.inactive): return .failed("User inactive or deleted.")
            default: return .failed("Invalid token.")
            }
        case "basic":
            guard parts.count > 1 else { return .failed("Invalid basic header. No credentials provided.") }
            guard parts.count == 2 else { return .failed("Invalid basic header. Credentials string should not contain spaces.") }
            let malformed = Outcome.failed("Invalid basic header. Credentials not correctly base64 encoded.")
            guard let bytes = Base64.decodeStrict(parts[1]) else { return malformed }
            // UTF-8, falling back to Latin-1 as DRF does.
            let text = String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
            guard let colon = text.firstIndex(of: ":") else { return malformed }
            let login = String(text[..<colon])
            let password = String(text[text.index(after: colon)...])
            guard
                let principal = try await services.auth.authenticate(.userPassword(login: login, password: password), from: origin)
                    .principal
            else { return .failed("Invalid username/password.") }
            return .user(principal)
        default:
            return .anonymous
        }
    }

    /// Issues a DRF token for an agent or (failing that) a customer user: 40 hexadecimal digits,
    /// shown once and stored as a digest. An existing token of the same user keeps working.
    func createToken(login: String) async throws -> String {
        let token = RandomToken.hex(40)
        let isAgent = try await services.auth.agentPrincipal(login: login) != nil
        try await services.credentials.add(
            face: Self.face, kind: .token, secret: token,
            options: .init(agentLogin: isAgent ? login : nil, customerLogin: isAgent ? nil : login, notes: "django-helpdesk token"))
        return token
    }

    /// Keeps a token an integration already uses (from `authtoken.token`).
    func keepToken(_ token: String, login: String) async throws {
        guard try await services.credentials.find(face: Self.face, kind: .token, secret: token) == nil else { return }
        let isAgent = try await services.auth.agentPrincipal(login: login) != nil
        try await services.credentials.add(
            face: Self.face, kind: .token, secret: token,
            options: .init(agentLogin: isAgent ? login : nil, customerLogin: isAgent ? nil : login, notes: "django-helpdesk token"))
    }

    /// Revokes every token of a user; the number revoked.
    func revokeTokens(login: String) async throws -> Int {
        // Every agent, valid or not: a disabled agent's tokens must be revocable too.
        let agent = try await services.admin.agentListings().first { $0.agent.login == login }?.agent.id
        let tokens = try await services.credentials.list(face: Self.face, kind: .token).filter {
            $0.customerLogin == login || (agent != nil && $0.agentID == agent)
        }
        try await services.credentials.revoke(ids: tokens.map(\.id))
        return tokens.count
    }
}

/// `swiftdesk djhd token create|revoke`.
public struct DjangoTokens: Sendable {
    let services: DeskServices

    public init(services: DeskServices) {
        self.services = services
    }

    /// A new token for an agent or (failing that) a customer user; unknown logins are refused.
    public func create(login: String) async throws -> String {
        try await DjangoAuth(services: services).createToken(login: login)
    }

    public func revoke(login: String) async throws -> Int {
        try await DjangoAuth(services: services).revokeTokens(login: login)
    }
}
