import Synchronization

/// Sessions shared by every server process through the database.
///
/// Resolving a session to its principal costs three queries, so the answer is kept for
/// `SessionPolicy.principalCacheSeconds` (2 s) per process: a session removed, or permissions
/// changed, through another process take effect there within that time.
public struct SessionService<Store: DeskStore>: Sendable {
    public let store: Store
    public let auth: AuthService<Store>
    public let policy: SessionPolicy
    public let clock: DeskClock
    private let cache = PrincipalCache()

    public init(store: Store, auth: AuthService<Store>, policy: SessionPolicy = SessionPolicy(), clock: DeskClock = .system) {
        self.store = store
        self.auth = auth
        self.policy = policy
        self.clock = clock
    }

    /// Creates a session for an authenticated principal. Ids are 32 random letters and digits
    /// (about 190 bits), as Znuny's.
    public func create(for principal: Principal, source: String, remoteAddress: String = "", userAgent: String = "") async throws -> String {
        let now = clock.now()
        return try await store.write { tx in
            let id = RandomToken.alphanumeric(32)
            let session: DeskSession = switch principal {
            case .agent(let agent):
                DeskSession(id: id, userType: .agent, agentID: agent.id, login: agent.login, createdAt: now, lastRequestAt: now,
                            source: source, remoteAddress: remoteAddress, userAgent: userAgent)
            case .customer(let customer):
                DeskSession(id: id, userType: .customer, agentID: nil, login: customer.login, createdAt: now, lastRequestAt: now,
                            source: source, remoteAddress: remoteAddress, userAgent: userAgent)
            }
            try await tx.deleteExpiredSessions(createdBefore: now - policy.maxTime, idleBefore: now - policy.maxIdleTime)
            try await tx.insertSession(session)
            return id
        }
    }

    /// The live session with this id, or nil when unknown or expired (an expired one is removed).
    public func session(id: String) async throws -> DeskSession? {
        guard !id.isEmpty, id.count <= 200 else { return nil }
        let now = clock.now()
        guard let session = try await store.read({ try await $0.session(id: id) }) else { return nil }
        if now - session.createdAt > policy.maxTime || now - session.lastRequestAt > policy.maxIdleTime {
            _ = try await store.write { try await $0.deleteSession(id: id) }
            return nil
        }
        if now - session.lastRequestAt >= policy.touchInterval {
            try await store.write { try await $0.touchSession(id: id, at: now) }
        }
        return session
    }

    /// The principal acting through a live session (nil when the session or its user is gone).
    public func principal(sessionID: String) async throws -> Principal? {
        let now = clock.now()
        if let cached = cache.get(sessionID, now: now, lifetime: policy.principalCacheSeconds) { return cached }
        guard let principal = try await loadPrincipal(sessionID: sessionID) else { return nil }
        cache.put(sessionID, principal, now: now)
        return principal
    }

    private func loadPrincipal(sessionID: String) async throws -> Principal? {
        guard let session = try await session(id: sessionID) else { return nil }
        switch session.userType {
        case .agent:
            return try await session.agentID.asyncMap { try await auth.agentPrincipal(id: $0) }.flatMap { .agent($0) }
        case .customer:
            return try await auth.customerPrincipal(login: session.login).map { .customer($0) }
        }
    }

    public func remove(id: String) async throws -> Bool {
        cache.remove(id)
        return try await store.write { try await $0.deleteSession(id: id) }
    }
}

/// Recently resolved session principals, per process.
final class PrincipalCache: Sendable {
    private let entries = Mutex<[String: (principal: Principal, loadedAt: Int64)]>([:])
    static let capacity = 10_000

    func get(_ id: String, now: Int64, lifetime: Int64) -> Principal? {
        entries.withLock { entries in
            guard let entry = entries[id], now - entry.loadedAt < lifetime else { return nil }
            return entry.principal
        }
    }

    func put(_ id: String, _ principal: Principal, now: Int64) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = (principal, now)
        }
    }

    func remove(_ id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
