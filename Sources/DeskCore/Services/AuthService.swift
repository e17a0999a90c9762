import Crypto
import Dispatch
import Synchronization

/// Verifies every kind of credential a face can present (`Credential`) and answers with a
/// principal or a typed refusal.
///
/// - Passwords are checked with the slow hash they are stored with (SwiftDesk's PBKDF2 or an
///   imported form, see `ImportedPasswordHash`). Integrations often send a login and password
///   with every request, so a successful login is remembered per process for
///   `principalCacheSeconds` (2 s), keyed by an HMAC of the login and password under a random
///   per-process key, and forgotten at once when this process changes agents, customer users or
///   permissions (`DeskStore.directoryGeneration`); a change made by another process takes
///   effect there within the 2 s, as for sessions. Past that, the stored hash is read again and
///   the slow check is skipped for a (stored hash, password) pair that verified before.
/// - Failed attempts are counted in the database per login (or credential) and per source
///   address (`Auth::MaxFailures…` settings). Past the limit, attempts are refused without
///   checking the secret until the window has passed. Each process reads the counts at most
///   every two seconds, so a clean login costs no extra query.
/// - API keys and tokens are random, so they are stored as SHA-256 digests and found by them;
///   they may be bound to addresses and carry scopes. Secret pairs may be random (looked up by
///   identifier, checked against a digest) or chosen by an operator (a slow hash).
public struct AuthService: Sendable {
    let store: any DeskStore
    public let hasher: PasswordHasher
    public let clock: DeskClock
    private let verified = VerifiedCredentials()
    private let throttle = ThrottleCounts()
    private let sessionPrincipals = ExpiringCache<String, Principal>()
    private let agentPrincipals = ExpiringCache<Int, AgentPrincipal>()
    private let customerPrincipals = ExpiringCache<String, CustomerPrincipal>()
    private let passwordPrincipals = ExpiringCache<VerifiedCredentials.Data32, Principal>()
    public let sessionPolicy: SessionPolicy

    public init(
        store: any DeskStore, hasher: PasswordHasher = PasswordHasher(), clock: DeskClock = .system,
        sessionPolicy: SessionPolicy = SessionPolicy()
    ) {
        self.store = store
        self.hasher = hasher
        self.clock = clock
        self.sessionPolicy = sessionPolicy
    }

    /// Checks `credential` presented from `origin`.
    public func authenticate(_ credential: Credential, from origin: RequestOrigin = .local) async throws -> AuthResult {
        switch credential {
        case .agentPassword(let login, let password):
            return try await checkPassword(login: login, password, from: origin, agents: true, customers: false)
        case .customerPassword(let login, let password):
            return try await checkPassword(login: login, password, from: origin, agents: false, customers: true)
        case .userPassword(let login, let password):
            return try await checkPassword(login: login, password, from: origin, agents: true, customers: true)
        case .session(let id):
            guard let principal = try await sessionPrincipal(id: id) else { return .refused(.unknown) }
            return .accepted(principal: principal, credential: nil)
        case .apiKey(let face, let key):
            return try await digestCredential(face: face, kind: .apiKey, secret: key, from: origin)
        case .token(let face, let token):
            return try await digestCredential(face: face, kind: .token, secret: token, from: origin)
        case .secretPair(let face, let identifier, let secret):
            return try await secretPair(face: face, identifier: identifier, secret: secret, from: origin)
        }
    }

    // MARK: Passwords

    private func checkPassword(login: String, _ password: String, from origin: RequestOrigin, agents: Bool, customers: Bool) async throws
        -> AuthResult
    {
        let keys = throttleKeys(principal: "login:" + login.lowercased(), origin: origin)
        if try await isThrottled(keys) { return .refused(.throttled) }
        guard !login.isEmpty, !password.isEmpty, login.utf8.count <= 200, password.utf8.count <= 4096 else {
            try await recordFailure(keys)
            return .refused(.unknown)
        }
        let loginKey = verified.loginKey(login, agents: agents, customers: customers, password: password)
        let now = clock.now()
        let generation = store.directoryGeneration()
        if let known = passwordPrincipals.get(loginKey, now: now, lifetime: sessionPolicy.principalCacheSeconds, generation: generation) {
            try await clearFailures(keys)
            return .accepted(principal: known, credential: nil)
        }
        let candidates = try await store.lookup { reader -> [(principal: Principal, hash: String)] in
            var found: [(Principal, String)] = []
            if agents, let stored = try await reader.agentPasswordHash(login: login) {
                let permissions = try await reader.permissions(agentID: stored.id)
                found.append((.agent(AgentPrincipal(id: stored.id, login: login, permissions: permissions)), stored.hash))
            }
            if customers, found.isEmpty, let hash = try await reader.customerPasswordHash(login: login),
                let customer = try await reader.customerUser(login: login)
            {
                found.append((.customer(CustomerPrincipal(login: customer.login, customerIDs: [customer.customerID])), hash))
            }
            return found
        }
        guard let candidate = candidates.first else {
            _ = await slowVerify(password, against: DecoyHash.value)
            try await recordFailure(keys)
            return .refused(.unknown)
        }
        guard await verify(password, against: candidate.hash) else {
            try await recordFailure(keys)
            return .refused(.wrongSecret)
        }
        try await clearFailures(keys)
        passwordPrincipals.put(loginKey, candidate.principal, now: now, generation: generation)
        return .accepted(principal: candidate.principal, credential: nil)
    }

    /// `hasher.verify`, skipped for a (stored hash, password) pair that verified before. The slow
    /// hash (tens of milliseconds) runs on a libdispatch thread, so it never holds up the
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

    // MARK: Principals

    /// The principal of a valid agent, with its group permissions; kept like a session's
    /// principal (`remembered`), since every request with a face credential (API keys, tokens)
    /// asks for it.
    public func agentPrincipal(id: Int) async throws -> AgentPrincipal? {
        try await remembered(id, in: agentPrincipals) {
            try await store.lookup { reader in try await Self.agentPrincipal(id: id, reader: reader) }
        }
    }

    /// The principal of a valid agent by login.
    public func agentPrincipal(login: String) async throws -> AgentPrincipal? {
        try await store.lookup { reader in
            guard let agent = try await reader.agent(login: login) else { return nil }
            return try await Self.agentPrincipal(id: agent.id, reader: reader)
        }
    }

    static func agentPrincipal(id: Int, reader: any StoreReader) async throws -> AgentPrincipal? {
        guard let agent = try await reader.agent(id: id), agent.validity == .valid else { return nil }
        return AgentPrincipal(id: agent.id, login: agent.login, permissions: try await reader.permissions(agentID: agent.id))
    }

    /// The principal of a valid customer user; kept like a session's principal (`remembered`).
    public func customerPrincipal(login: String) async throws -> CustomerPrincipal? {
        try await remembered(login, in: customerPrincipals) {
            try await store.lookup { reader in try await Self.customerPrincipal(login: login, reader: reader) }
        }
    }

    /// The value `cache` keeps for `key`, else what `load` reads (kept when not nil). Values are
    /// kept for `principalCacheSeconds` (2 s) per process, or until this process changes agents,
    /// customer users or permissions (`DeskStore.directoryGeneration`).
    private func remembered<Key, Value>(_ key: Key, in cache: ExpiringCache<Key, Value>, load: () async throws -> Value?) async throws
        -> Value?
    {
        let now = clock.now()
        let generation = store.directoryGeneration()
        if let kept = cache.get(key, now: now, lifetime: sessionPolicy.principalCacheSeconds, generation: generation) { return kept }
        guard let value = try await load() else { return nil }
        cache.put(key, value, now: now, generation: generation)
        return value
    }

    static func customerPrincipal(login: String, reader: any StoreReader) async throws -> CustomerPrincipal? {
        guard let customer = try await reader.customerUser(login: login), customer.validity == .valid else { return nil }
        return CustomerPrincipal(login: customer.login, customerIDs: [customer.customerID])
    }

    /// An admin (`rw` in group `admin`) acting as the agent `login` (Znuny's `ImpersonateAsUser`);
    /// throws `accessDenied(.impersonate)` for anyone else, `notFound` for an unknown agent. The
    /// result keeps the admin credential's scopes: a key limited to some uses stays limited.
    public func impersonate(_ login: String, by principal: Principal) async throws -> AgentPrincipal {
        let catalog = try await store.catalog()
        guard case .agent(let admin) = principal, GroupAccess.isAdmin(principal, catalog: catalog) else {
            throw DeskError.accessDenied(.impersonate)
        }
        guard var target = try await agentPrincipal(login: login) else { throw DeskError.notFound(.agent, key: login) }
        target.impersonatedBy = admin.login
        if let limit = admin.scopes { target.scopes = target.scopes.map { $0.intersection(limit) } ?? limit }
        return target
    }

    // MARK: Sessions

    /// The principal acting through a live session (nil when the session or its user is gone).
    /// Resolving costs a few queries, so the answer is kept for `principalCacheSeconds` (2 s) per
    /// process, or until this process changes agents, customer users or permissions: a session
    /// removed, or permissions changed, through another process take effect there within 2 s.
    public func sessionPrincipal(id: String) async throws -> Principal? {
        try await remembered(id, in: sessionPrincipals) {
            guard let session = try await SessionService.live(id: id, store: store, policy: sessionPolicy, now: clock.now()) else {
                return nil
            }
            return try await store.lookup { reader in
                switch session.userType {
                case .agent:
                    guard let agentID = session.agentID else { return nil }
                    return try await Self.agentPrincipal(id: agentID, reader: reader).map(Principal.agent)
                case .customer:
                    return try await Self.customerPrincipal(login: session.login, reader: reader).map(Principal.customer)
                }
            }
        }
    }

    func forgetSession(_ id: String) {
        sessionPrincipals.remove(id)
    }

    // MARK: Face credentials

    private func digestCredential(face: String, kind: CredentialKind, secret: String, from origin: RequestOrigin) async throws -> AuthResult
    {
        let keys = throttleKeys(principal: nil, origin: origin)
        if try await isThrottled(keys) { return .refused(.throttled) }
        guard !secret.isEmpty, secret.utf8.count <= 512 else { return .refused(.unknown) }
        let digest = SecretDigest.sha256(secret)
        guard let record = try await store.lookup({ try await $0.credential(face: face, kind: kind, secretHash: digest) }) else {
            try await recordFailure(keys)
            return .refused(.unknown)
        }
        return try await accept(record, from: origin)
    }

    private func secretPair(face: String, identifier: String, secret: String, from origin: RequestOrigin) async throws -> AuthResult {
        let keys = throttleKeys(principal: "pair:\(face):\(identifier.lowercased())", origin: origin)
        if try await isThrottled(keys) { return .refused(.throttled) }
        guard !identifier.isEmpty, !secret.isEmpty, identifier.utf8.count <= 200, secret.utf8.count <= 4096 else {
            return .refused(.unknown)
        }
        guard
            let (record, stored) = try await store.lookup({ try await $0.credential(face: face, kind: .secretPair, identifier: identifier) }
            ),
            !stored.isEmpty
        else {
            _ = await slowVerify(secret, against: DecoyHash.value)
            try await recordFailure(keys)
            return .refused(.unknown)
        }
        let matches: Bool
        if stored.hasPrefix("sha256$") {
            matches = ConstantTime.equal(SecretDigest.sha256(secret), stored)
        } else {
            matches = await verify(secret, against: stored)
        }
        guard matches else {
            try await recordFailure(keys)
            return .refused(.wrongSecret)
        }
        return try await accept(record, from: origin)
    }

    /// The checks every face credential passes once its secret is right.
    private func accept(_ record: CredentialRecord, from origin: RequestOrigin) async throws -> AuthResult {
        let now = clock.now()
        // The address first: from elsewhere, a credential says nothing about itself.
        if !record.allowedAddresses.isEmpty && !record.allowedAddresses.contains(where: { IPMatcher.matches(origin.address, pattern: $0) })
        {
            return .refused(.addressNotAllowed)
        }
        guard record.isActive else { return .refused(.inactive) }
        if record.expiresAt > 0 && record.expiresAt <= now { return .refused(.expired) }
        var principal: Principal?
        if let agentID = record.agentID {
            guard var agent = try await agentPrincipal(id: agentID) else { return .refused(.inactive) }
            agent.scopes = record.scopes
            principal = .agent(agent)
        } else if let login = record.customerLogin {
            guard var customer = try await customerPrincipal(login: login) else { return .refused(.inactive) }
            customer.scopes = record.scopes
            principal = .customer(customer)
        }
        // Last use is recorded at most once a minute, so that reading with a key does not turn
        // every request into a write.
        if now - record.lastUsedAt >= 60 {
            try await store.write { try await $0.touchCredential(id: record.id, at: now) }
        }
        return .accepted(principal: principal, credential: record)
    }

    // MARK: Throttling

    private func throttleKeys(principal: String?, origin: RequestOrigin) -> ThrottleKeys {
        ThrottleKeys(principal: principal, address: origin.address.isEmpty ? nil : "addr:" + origin.address)
    }

    private func policy() async throws -> AuthThrottlePolicy {
        try await store.catalog().settings.authThrottle
    }

    private func isThrottled(_ keys: ThrottleKeys) async throws -> Bool {
        let policy = try await policy()
        let now = clock.now()
        let counts = try await throttle.counts(now: now) {
            try await store.read { try await $0.authFailures(since: now - policy.windowSeconds) }
        }
        if let key = keys.principal, counts[key, default: 0] >= policy.maxFailuresPerLogin { return true }
        if let key = keys.address, counts[key, default: 0] >= policy.maxFailuresPerAddress { return true }
        return false
    }

    private func recordFailure(_ keys: ThrottleKeys) async throws {
        let policy = try await policy()
        let now = clock.now()
        let all = keys.all
        guard !all.isEmpty else { return }
        try await store.write { try await $0.recordAuthFailure(keys: all, at: now, windowStart: now - policy.windowSeconds) }
        throttle.add(all)
    }

    /// A successful login forgets the failures counted for its login (not for its address).
    private func clearFailures(_ keys: ThrottleKeys) async throws {
        guard let key = keys.principal, throttle.hasFailures(key) else { return }
        try await store.write { try await $0.clearAuthFailures(keys: [key]) }
        throttle.clear(key)
    }
}

struct ThrottleKeys {
    var principal: String?
    var address: String?
    var all: [String] { [principal, address].compactMap { $0 } }
}

/// This process's view of the failure counts: reloaded from the database at most every two
/// seconds, and bumped locally at once when this process records a failure.
final class ThrottleCounts: Sendable {
    private let state = Mutex<(loadedAt: Int64?, counts: [String: Int])>((nil, [:]))
    static let refreshSeconds: Int64 = 2

    func counts(now: Int64, load: () async throws -> [String: Int]) async throws -> [String: Int] {
        let cached = state.withLock { $0 }
        if let loadedAt = cached.loadedAt, now - loadedAt < Self.refreshSeconds, now >= loadedAt { return cached.counts }
        let fresh = try await load()
        state.withLock { $0 = (now, fresh) }
        return fresh
    }

    func add(_ keys: [String]) {
        state.withLock { state in for key in keys { state.counts[key, default: 0] += 1 } }
    }

    func hasFailures(_ key: String) -> Bool {
        state.withLock { $0.counts[key, default: 0] > 0 }
    }

    func clear(_ key: String) {
        _ = state.withLock { $0.counts.removeValue(forKey: key) }
    }
}

/// A hash of a random password, verified against when a login is unknown, so that a wrong login
/// and a wrong password take the same time.
enum DecoyHash {
    static let value = PasswordHasher().hash(RandomToken.alphanumeric(24))
}
