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
        let key = params.meta("accesskey") ?? ""
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
            // WHMCS refuses the form before it checks the password. The core still sees the
            // attempt, so it counts towards the throttle like any wrong password (else the answer
            // would tell, without limit, which logins are admin logins).
            let attempt = try await services.auth.authenticate(
                .secretPair(face: face, identifier: username, secret: password), from: origin)
            if case .refused(.throttled) = attempt { return .failure(failed) }
            return .failure(WHMCSError("Invalid password provided", status: .forbidden))
        }
        switch try await services.auth.authenticate(
            .secretPair(face: face, identifier: username, secret: isAdminLogin ? password.lowercased() : password), from: origin)
        {
        case .accepted(let principal, _):
            guard case .agent(let agent)? = principal else { return .failure(failed) }
            return .success((agent, isAdminLogin ? .adminLogin : .apiCredential))
        // An API credential sent as username/password that fails for any reason is retried as an
        // admin login by that name, which finds none (`Authentication::_process`).
        case .refused(.inactive) where isAdminLogin: return .failure(WHMCSError("Administrator Account Disabled", status: .forbidden))
        case .refused: return .failure(failed)
        }
    }

    static func isMD5Hex(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
    }
}
