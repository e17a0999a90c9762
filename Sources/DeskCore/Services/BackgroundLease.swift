/// A lease on a kind of background work, so that of several server processes on one database
/// only one does it (Znuny's daemon runs its tasks on one node too).
///
/// The process that holds the lease renews it each time it starts the work; another process
/// takes it over once `seconds` have passed without a renewal (its holder stopped, crashed or
/// lost the database) or at once after the holder released it on a graceful shutdown. The work
/// stays safe to run twice — a step that outlasts the lease may meet another process's — the
/// lease only keeps the servers from all doing it.
public struct BackgroundLease: Sendable {
    /// The kind of work, the row's key in `background_leases`.
    public let name: String
    /// This process: host, process id and a random part (readable in the table).
    public let holder: String
    /// How long a taken lease lasts without a renewal.
    public let seconds: Int64
    let store: any DeskStore
    let clock: DeskClock

    init(name: String, holder: String, seconds: Int64, store: any DeskStore, clock: DeskClock) {
        self.name = name
        self.holder = holder
        self.seconds = max(1, seconds)
        self.store = store
        self.clock = clock
    }

    /// Takes or renews the lease; false while another process holds it.
    public func take() async throws -> Bool {
        let now = clock.now()
        let (name, holder, until) = (name, holder, now + seconds)
        return try await store.write { try await $0.takeLease(name: name, holder: holder, until: until, now: now) }
    }

    /// Gives the lease up (when this process holds it), so that another process may take it
    /// at once.
    public func release() async throws {
        let (name, holder) = (name, holder)
        try await store.write { try await $0.releaseLease(name: name, holder: holder) }
    }
}
