/// Every core service, built on one store. Faces and the CLI receive this; none of them sees the
/// store itself.
///
/// A class: it is immutable and handed to every face and copied into many requests' frames; as
/// a struct each copy retained every service's store, clock and hasher (~0.3 % of a TicketGet).
public final class DeskServices: Sendable {
    public let tickets: TicketService
    public let auth: AuthService
    public let sessions: SessionService
    public let admin: AdminService
    public let directory: DirectoryService
    public let credentials: CredentialService
    public let externalIDs: ExternalIDService
    public let faceConfig: FaceConfigService
    public let referenceData: ReferenceDataService
    public let outbox: MailOutboxService
    public let pendingCheck: PendingCheckService
    public let escalationRebuild: EscalationRebuildService
    public let escalationCheck: EscalationCheckService
    public let clock: DeskClock
    let store: any DeskStore

    public init(
        store: any DeskStore, hasher: PasswordHasher = PasswordHasher(), clock: DeskClock = .system,
        sessionPolicy: SessionPolicy = SessionPolicy(), mailRetry: MailRetryPolicy = MailRetryPolicy()
    ) {
        self.store = store
        self.clock = clock
        tickets = TicketService(store: store, clock: clock)
        auth = AuthService(store: store, hasher: hasher, clock: clock, sessionPolicy: sessionPolicy)
        sessions = SessionService(store: store, auth: auth)
        admin = AdminService(store: store, hasher: hasher, clock: clock)
        directory = DirectoryService(store: store)
        credentials = CredentialService(store: store, hasher: hasher, clock: clock)
        externalIDs = ExternalIDService(store: store)
        faceConfig = FaceConfigService(store: store, clock: clock)
        referenceData = ReferenceDataService(store: store, clock: clock)
        outbox = MailOutboxService(store: store, clock: clock, retry: mailRetry)
        pendingCheck = PendingCheckService(store: store, clock: clock, tickets: tickets)
        escalationRebuild = EscalationRebuildService(store: store, clock: clock)
        escalationCheck = EscalationCheckService(store: store, clock: clock)
    }

    /// Reference data (queues, states, priorities, dynamic fields, …) and settings, from the
    /// store's short-lived cache.
    public func catalog() async throws -> Catalog {
        try await store.catalog()
    }

    /// A lease on the background work `name` for `holder` (one server process), lasting
    /// `seconds` without a renewal.
    public func lease(_ name: String, holder: String, seconds: Int64) -> BackgroundLease {
        BackgroundLease(name: name, holder: holder, seconds: seconds, store: store, clock: clock)
    }

    /// Whether the database answers.
    public func ping() async throws {
        try await store.ping()
    }
}
