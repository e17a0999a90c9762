import DeskCore
import DeskFaceKit
import Foundation
import Hummingbird

/// WHMCS's access checks, in its order (docs/whmcs.md, "Authentication"): the access key or the
/// IP allow-list, then the credentials: `identifier`/`secret` (API credentials), the same pair
/// in `username`/`password`, or an admin's username with the MD5 hex of its password (a legacy
/// login an agent must be given explicitly). Every refusal is HTTP 403.
struct WHMCSAuth: Sendable {
    let services: DeskServices

    var face: String { WHMCSFace.faceName }

    /// How the caller proved who it is; unknown actions are answered differently for each.
    enum Method: Sendable {
        case apiCredential
        case adminLogin
    }

    /// Marks the pairs that are legacy admin logins (identifier = the agent's login).
    static let adminLoginNote = "WHMCS admin login (MD5 of the password)"

    /// Step 2: the access key, when one is configured and sent, else the allow-list.
    func checkAccess(_ params: WHMCSParameters, address: String, directory: WHMCSDirectory) async throws -> WHMCSError? {
        let key = HTMLEntities.decode(params.meta("accesskey") ?? "")
        if !key.isEmpty, try await !services.credentials.list(face: face, kind: .apiKey).isEmpty {
            if case .accepted = try await services.auth.authenticate(.apiKey(face: face, key: key), from: RequestOrigin(address: address)) {
                return nil
            }
            return WHMCSError("Invalid Access Key", status: .forbidden)
        }
        guard directory.allowedIPs.contains(where: { IPMatcher.matches(address, pattern: $0) }) else {
            return WHMCSError("Invalid IP \(address)", status: .forbidden)
        }
        return nil
    }

    /// Step 4: the credentials, as an agent principal.
    func authenticate(_ params: WHMCSParameters, origin: RequestOrigin) async throws -> Result<(AgentPrincipal, Method), WHMCSError> {
        let failed = WHMCSError("Authentication Failed", status: .forbidden)
        if let identifier = params.meta("identifier"), !identifier.isEmpty {
            let invalid = WHMCSError("Invalid or missing credentials", status: .forbidden)
            guard let secret = params.meta("secret"), !secret.isEmpty else { return .failure(invalid) }
            switch try await services.auth.authenticate(.secretPair(face: face, identifier: identifier, secret: secret), from: origin) {
            case .accepted(let principal, _):
                guard case .agent(let agent)? = principal else {
                    return .failure(WHMCSError("Invalid administrative identifier", status: .forbidden))
                }
                return .success((agent, .apiCredential))
            case .refused(.unknown): return .failure(invalid)
            case .refused(.inactive): return .failure(WHMCSError("Administrator Account Disabled", status: .forbidden))
            case .refused: return .failure(failed)
            }
        }
        guard let username = params.meta("username"), !username.isEmpty, let password = params.meta("password"), !password.isEmpty else {
            return .failure(failed)
        }
        let record = try await services.credentials.findPair(face: face, identifier: username)
        let isAdminLogin = record?.notes == Self.adminLoginNote
        if isAdminLogin, !Self.isMD5Hex(password) {
            return .failure(WHMCSError("Invalid password provided", status: .forbidden))
        }
        switch try await services.auth.authenticate(
            .secretPair(face: face, identifier: username, secret: isAdminLogin ? password.lowercased() : password), from: origin)
        {
        case .accepted(let principal, _):
            guard case .agent(let agent)? = principal else { return .failure(failed) }
            return .success((agent, isAdminLogin ? .adminLogin : .apiCredential))
        case .refused(.inactive): return .failure(WHMCSError("Administrator Account Disabled", status: .forbidden))
        case .refused: return .failure(failed)
        }
    }

    static func isMD5Hex(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
    }
}

/// `swiftdesk whmcs credential|allow-ip|…`: the face's administration.
public struct WHMCSAdmin: Sendable {
    let services: DeskServices

    public init(services: DeskServices) {
        self.services = services
    }

    var face: String { WHMCSFace.faceName }

    /// New API credentials for an agent: the identifier and the secret (shown once; the secret
    /// is kept as a digest).
    public func addCredential(agent login: String) async throws -> (identifier: String, secret: String) {
        let identifier = Self.random(32)
        let secret = Self.random(32)
        try await services.credentials.addPair(
            face: face, identifier: identifier, secret: secret, options: .init(agentLogin: login, notes: "WHMCS API credential"))
        return (identifier, secret)
    }

    /// Lets an agent use the legacy login: its login as `username`, the MD5 hex of `password`
    /// (checked against the agent's password first) as `password`. MD5 is weak: the hex value
    /// is as good as the password to anyone who reads it, so this is off unless asked for.
    public func enableAdminLogin(agent login: String, password: String) async throws {
        guard case .accepted(.agent?, _) = try await services.auth.authenticate(.agentPassword(login: login, password: password)) else {
            throw DeskError.invalid(.other("password"), .malformed(expected: "the agent's current password"))
        }
        try await services.credentials.putChosenPair(
            face: face, identifier: login, secret: LegacyDigest.md5Hex(password),
            options: .init(agentLogin: login, notes: WHMCSAuth.adminLoginNote))
    }

    public struct CredentialInfo: Sendable {
        public var id: Int
        public var identifier: String
        public var agent: String
        public var isAdminLogin: Bool
        public var lastUsedAt: Int64
    }

    public func credentials() async throws -> [CredentialInfo] {
        let agents = try await services.admin.agentListings()
        let logins = Dictionary(agents.map { ($0.agent.id, $0.agent.login) }, uniquingKeysWith: { a, _ in a })
        return try await services.credentials.list(face: face, kind: .secretPair).map {
            CredentialInfo(
                id: $0.id, identifier: $0.identifier ?? "", agent: $0.agentID.flatMap { logins[$0] } ?? "",
                isAdminLogin: $0.notes == WHMCSAuth.adminLoginNote, lastUsedAt: $0.lastUsedAt)
        }
    }

    /// Revokes the credential with this identifier (or, for a legacy login, agent login).
    public func revoke(identifier: String) async throws {
        guard let record = try await services.credentials.findPair(face: face, identifier: identifier) else {
            throw DeskError.notFound(.credential, key: identifier)
        }
        try await services.credentials.revoke(id: record.id)
    }

    public func allowedIPs() async throws -> [String] {
        try await WHMCSDirectory.load(services).allowedIPs
    }

    public func allowIP(_ pattern: String) async throws {
        guard IPMatcher.isPattern(pattern) else {
            throw DeskError.invalid(.other("ip"), .malformed(expected: "an IP address or CIDR block"))
        }
        var directory = try await WHMCSDirectory.load(services)
        guard !directory.allowedIPs.contains(pattern) else { return }
        directory.allowedIPs.append(pattern)
        try await directory.save(services)
    }

    /// Removes an entry; false when it was not there.
    public func disallowIP(_ pattern: String) async throws -> Bool {
        var directory = try await WHMCSDirectory.load(services)
        guard let index = directory.allowedIPs.firstIndex(of: pattern) else { return false }
        directory.allowedIPs.remove(at: index)
        try await directory.save(services)
        return true
    }

    static func random(_ count: Int) -> String {
        String((0..<count).map { _ in WHMCSTicketMask.alphanumerics.randomElement()! })
    }
}
