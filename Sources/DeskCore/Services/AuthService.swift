import Crypto
import Dispatch
import Synchronization

/// Authenticates agents and customer users into principals.
///
/// Integrations often send a login and password with every request. Checking a password costs a
/// deliberately slow PBKDF2 run, so a successful check is remembered per process, keyed by an
/// HMAC of the stored hash and the password: the stored hash is still read on every request, and
/// a changed password (a new stored hash) is checked afresh at once, in every process.
public struct AuthService<Store: DeskStore>: Sendable {
    public let store: Store
    public let hasher: PasswordHasher
    private let verified = VerifiedCredentials()

    public init(store: Store, hasher: PasswordHasher = PasswordHasher()) {
        self.store = store
        self.hasher = hasher
    }

    /// `hasher.verify`, skipped for a (stored hash, password) pair that verified before. The
    /// PBKDF2 run (tens of milliseconds) goes to a libdispatch thread, so it never holds up the
    /// executor that serves other requests.
    private func verify(_ password: String, against stored: String) async -> Bool {
        let key = verified.key(stored: stored, password: password)
        if verified.contains(key) { return true }
        guard await slowVerify(password, against: stored) else { return false }
        verified.insert(key)
        return true
    }

    private func slowVerify(_ password: String, against stored: String) async -> Bool {
        let hasher = hasher
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: hasher.verify(password, against: stored)) }
        }
    }

    /// The agent for `login` if `password` is right and the agent is valid; otherwise nil.
    public func authenticateAgent(login: String, password: String) async throws -> AgentPrincipal? {
        let stored = try await store.read { try await $0.agentPasswordHash(login: login) }
        guard let stored else {
            _ = await slowVerify(password, against: DecoyHash.value)
            return nil
        }
        guard await verify(password, against: stored.hash) else { return nil }
        return try await agentPrincipal(id: stored.id)
    }

    /// The principal of a valid agent, with its group permissions (used for sessions too).
    public func agentPrincipal(id: Int) async throws -> AgentPrincipal? {
        try await store.read { reader in
            guard let agent = try await reader.agent(id: id), agent.validity == .valid else { return nil }
            return AgentPrincipal(id: agent.id, login: agent.login, permissions: try await reader.permissions(agentID: agent.id))
        }
    }

    /// The customer user for `login` if `password` is right and the customer user is valid.
    public func authenticateCustomer(login: String, password: String) async throws -> CustomerPrincipal? {
        let stored = try await store.read { try await $0.customerPasswordHash(login: login) }
        guard let stored else {
            _ = await slowVerify(password, against: DecoyHash.value)
            return nil
        }
        guard await verify(password, against: stored) else { return nil }
        return try await customerPrincipal(login: login)
    }

    /// The principal of a valid customer user (used for sessions too).
    public func customerPrincipal(login: String) async throws -> CustomerPrincipal? {
        try await store.read { reader in
            guard let customer = try await reader.customerUser(login: login), customer.validity == .valid else { return nil }
            return CustomerPrincipal(login: customer.login, customerIDs: [customer.customerID])
        }
    }
}

/// Successful password checks of this process, as HMAC digests under a random per-process key.
final class VerifiedCredentials: Sendable {
    private let secret = SymmetricKey(size: .bits256)
    private let digests = Mutex<Set<Data32>>([])
    static let capacity = 10_000

    struct Data32: Hashable, Sendable {
        let bytes: [UInt8]
    }

    func key(stored: String, password: String) -> Data32 {
        let mac = HMAC<SHA256>.authenticationCode(for: Array((stored + "\u{0}" + password).utf8), using: secret)
        return Data32(bytes: Array(mac))
    }

    func contains(_ key: Data32) -> Bool {
        digests.withLock { $0.contains(key) }
    }

    func insert(_ key: Data32) {
        digests.withLock { set in
            if set.count >= Self.capacity { set.removeAll(keepingCapacity: true) }
            set.insert(key)
        }
    }
}

/// A hash of a random password, verified against when a login is unknown, so that a wrong login
/// and a wrong password take the same time.
enum DecoyHash {
    static let value = PasswordHasher().hash(RandomToken.alphanumeric(24))
}
