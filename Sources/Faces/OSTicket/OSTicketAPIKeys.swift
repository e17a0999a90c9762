import DeskCore
import DeskFaceKit

/// osTicket's API keys (`include/class.api.php`): 32 hexadecimal characters sent as `X-API-Key`,
/// each bound to exactly one client IP, with an active flag and the rights to create tickets and
/// to run cron. Kept as core credentials of the face: the key's SHA-256 digest (of the key in
/// upper case, as osTicket compares keys case-insensitively), the IP as the only allowed
/// address, and the rights as scopes. A key acts as an agent (default `root@localhost`, the
/// account that owns unassigned tickets) with the agent's permissions.
public struct OSTicketAPIKeys: Sendable {
    let services: DeskServices

    public init(services: DeskServices) {
        self.services = services
    }

    public static let defaultAgent = "root@localhost"

    static func normalized(_ key: String) -> String { key.trimmingSpaces.uppercased() }

    static func scopes(canCreate: Bool, canCron: Bool) -> Set<CredentialScope> {
        var scopes: Set<CredentialScope> = [.readTickets]
        if canCreate { scopes.formUnion([.createTickets, .updateTickets]) }
        if canCron { scopes.insert(.cron) }
        return scopes
    }

    static func item(
        key: String, ip: String, active: Bool = true, canCreate: Bool = true, canCron: Bool = true, notes: String = "",
        agent: String = defaultAgent
    ) -> ReferenceImport.CredentialItem {
        .init(
            kind: .apiKey, secret: normalized(key),
            options: .init(
                agentLogin: agent, scopes: scopes(canCreate: canCreate, canCron: canCron), allowedAddresses: [ip.trimmingSpaces],
                isActive: active, notes: notes))
    }

    /// Issues a new key for `ip`; the key is returned once and stored only as a digest.
    public func add(ip: String, notes: String = "", agent: String = defaultAgent) async throws -> String {
        let key = RandomToken.hex(32).uppercased()
        try await keep(key: key, ip: ip, notes: notes, agent: agent)
        return key
    }

    /// Keeps a key an integration already uses (new, or updated when it exists).
    public func keep(
        key: String, ip: String, active: Bool = true, canCreate: Bool = true, canCron: Bool = true, notes: String = "",
        agent: String = defaultAgent
    ) async throws {
        guard !key.trimmingSpaces.isEmpty, key.utf8.count <= 128 else {
            throw DeskError.invalid(.other("key"), .outOfRange("1 to 128 characters"))
        }
        guard IPMatcher.isPattern(ip.trimmingSpaces), !ip.contains("/") else {
            throw DeskError.invalid(.other("ip"), .malformed(expected: "one IP address"))
        }
        var data = ReferenceImport(face: OSTicketFace.faceName)
        data.credentials = [
            Self.item(key: key, ip: ip, active: active, canCreate: canCreate, canCron: canCron, notes: notes, agent: agent)
        ]
        try await services.referenceData.apply(data)
    }

    public func list() async throws -> [CredentialRecord] {
        try await services.credentials.list(face: OSTicketFace.faceName, kind: .apiKey)
    }

    /// Disables the key; false when there is no such key.
    public func disable(key: String) async throws -> Bool {
        guard let record = try await services.credentials.find(face: OSTicketFace.faceName, kind: .apiKey, secret: Self.normalized(key))
        else { return false }
        try await services.credentials.setActive(id: record.id, false)
        return true
    }

    /// The caller of an API request, or the 401 osTicket answers (`requireApiKey`).
    func authenticate(_ request: FaceRequest) async throws -> Result<Principal, OSTicketWire.Failure> {
        let key = request.credentials["X-API-Key"] ?? ""
        let unknown = OSTicketWire.Failure(401, "Valid API key required")
        guard !key.isEmpty else { return .failure(unknown) }
        let result = try await services.auth.authenticate(
            .apiKey(face: OSTicketFace.faceName, key: Self.normalized(key)), from: request.origin)
        switch result {
        case .accepted(let principal?, _): return .success(principal)
        case .refused(.inactive): return .failure(.init(401, "API key not found/active or source IP not authorized"))
        default: return .failure(unknown)
        }
    }
}
