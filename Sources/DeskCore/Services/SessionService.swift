/// Sessions shared by every server process through the database.
public struct SessionService: Sendable {
    let store: any DeskStore
    public let auth: AuthService
    public var policy: SessionPolicy { auth.sessionPolicy }
    public var clock: DeskClock { auth.clock }

    public init(store: any DeskStore, auth: AuthService) {
        self.store = store
        self.auth = auth
    }

    /// Creates a session for an authenticated principal. Ids are 32 random letters and digits
    /// (about 190 bits), as Znuny's.
    public func create(for principal: Principal, source: String, origin: RequestOrigin = .local) async throws -> String {
        let now = clock.now()
        let policy = policy
        return try await store.write { tx in
            let id = RandomToken.alphanumeric(32)
            let session: DeskSession =
                switch principal {
                case .agent(let agent):
                    DeskSession(
                        id: id, userType: .agent, agentID: agent.id, login: agent.login, createdAt: now, lastRequestAt: now,
                        source: source, remoteAddress: origin.address, userAgent: origin.userAgent)
                case .customer(let customer):
                    DeskSession(
                        id: id, userType: .customer, agentID: nil, login: customer.login, createdAt: now, lastRequestAt: now,
                        source: source, remoteAddress: origin.address, userAgent: origin.userAgent)
                }
            try await tx.deleteExpiredSessions(createdBefore: now - policy.maxTime + 1, idleBefore: now - policy.maxIdleTime + 1)
            try await tx.insertSession(session)
            return id
        }
    }

    /// The live session with this id, or nil when unknown or expired (an expired one is removed).
    public func session(id: String) async throws -> DeskSession? {
        try await Self.live(id: id, store: store, policy: policy, now: clock.now())
    }

    /// A live session with the record of its user, for callers that show session data
    /// (Znuny's SessionGet). Nil when the session is unknown or expired.
    public func sessionInfo(id: String) async throws -> SessionInfo? {
        guard let session = try await session(id: id) else { return nil }
        return try await store.read { reader in
            switch session.userType {
            case .agent:
                let agent = try await session.agentID.asyncMap { try await reader.agent(id: $0) }
                return SessionInfo(session: session, agent: agent, customer: nil)
            case .customer:
                let customer = try await reader.customerUser(login: session.login)
                let company = try await customer.asyncMap { try await reader.customerCompany(id: $0.customerID) }
                return SessionInfo(session: session, agent: nil, customer: customer, company: company)
            }
        }
    }

    /// The principal acting through a live session (see `AuthService.sessionPrincipal`).
    public func principal(sessionID: String) async throws -> Principal? {
        try await auth.sessionPrincipal(id: sessionID)
    }

    public func remove(id: String) async throws -> Bool {
        auth.forgetSession(id)
        return try await store.write { try await $0.deleteSession(id: id) }
    }

    /// The session `id` if it is live at `now`; removes it when it expired, and records the
    /// request time at most every `touchInterval` seconds.
    static func live(id: String, store: any DeskStore, policy: SessionPolicy, now: Int64) async throws -> DeskSession? {
        guard !id.isEmpty, id.count <= 200 else { return nil }
        guard let session = try await store.lookup({ try await $0.session(id: id) }) else { return nil }
        // Znuny's `CheckSessionID`: over at the very second a limit is reached.
        if now - session.createdAt >= policy.maxTime || now - session.lastRequestAt >= policy.maxIdleTime {
            _ = try await store.write { try await $0.deleteSession(id: id) }
            return nil
        }
        if now - session.lastRequestAt >= policy.touchInterval {
            try await store.write { try await $0.touchSession(id: id, at: now) }
        }
        return session
    }
}

/// A session with the record of its agent or customer user (whichever it belongs to; nil when
/// that user was removed).
public struct SessionInfo: Sendable {
    public var session: DeskSession
    public var agent: Agent?
    public var customer: CustomerUser?
    /// The customer user's company, when it is on record.
    public var company: CustomerCompany?

    public init(session: DeskSession, agent: Agent?, customer: CustomerUser?, company: CustomerCompany? = nil) {
        self.session = session
        self.agent = agent
        self.customer = customer
        self.company = company
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
