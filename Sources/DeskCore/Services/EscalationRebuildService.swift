/// Rebuilds every ticket's escalation deadlines from the current queues, SLAs and settings, as
/// Znuny's `Maint::Ticket::EscalationIndexRebuild` does (`swiftdesk ticket escalation-rebuild`).
///
/// Deadlines are otherwise rebuilt only when a ticket changes (`EscalationIndex`); a change of a
/// queue's or an SLA's minutes, of `Ticket::Service`, or an upgrade that changes how deadlines
/// are counted *requests* a rebuild (`request(in:)`, in the same transaction as the change), and
/// the server process holding the rebuild's `BackgroundLease` runs requested rebuilds in the
/// background (`runIfRequested`).
///
/// A pass walks the tickets in id order, `batch` per write transaction (writers wait for one
/// batch at most; on PostgreSQL the batch's rows are locked while it is rebuilt), and writes only
/// tickets whose deadlines differ; those get Znuny's change time and change by (agent 1), no
/// history. It follows the catalog as the tables hold it when it starts, not a cached one. Two
/// processes may still run the same pass at once (the CLI takes no lease): each writes the same
/// deadlines. A pass cut short covers no request; each batch records how far the pass got (in
/// the batch's own transaction), and the next requested pass goes on from there when no request
/// has come since the cut pass started (its minutes are still the ones to follow), else it starts
/// again from the first ticket. `run()` (the CLI) always starts from the first ticket and records
/// nothing: it does not wait for other processes' cached minutes to expire (`settle`), so a
/// ticket another process updated right behind it may still follow the old minutes.
public struct EscalationRebuildService: Sendable {
    let store: any DeskStore
    let clock: DeskClock

    /// Tickets read and rebuilt per write transaction.
    public var batch = 500

    /// How long `runIfRequested` waits between seeing a request and starting: longer than the
    /// store's catalog cache lives (5 s), so that other processes' ticket updates no longer
    /// follow the minutes from before the change once the pass has passed their tickets.
    public var settle: Duration = .seconds(6)

    /// Counters: rebuilds requested, and the requests the last finished pass covered.
    public static let requestedKey = "EscalationIndexRebuild::Requested"
    static let doneKey = "EscalationIndexRebuild::Done"
    /// Counters: the last ticket id a pass rebuilt, and the `requestedKey` value that pass follows.
    static let positionKey = "EscalationIndexRebuild::Position"
    static let positionRequestKey = "EscalationIndexRebuild::PositionRequest"

    init(store: any DeskStore, clock: DeskClock) {
        self.store = store
        self.clock = clock
    }

    /// What a pass did.
    public struct Outcome: Sendable, Equatable {
        /// Tickets read.
        public var visited = 0
        /// Tickets whose deadlines changed.
        public var changed = 0
        /// The ticket id a resumed pass went on after (0: the pass started from the first ticket).
        public var resumedAfter = 0

        public init(visited: Int = 0, changed: Int = 0, resumedAfter: Int = 0) {
            (self.visited, self.changed, self.resumedAfter) = (visited, changed, resumedAfter)
        }
    }

    /// Requests a rebuild of every ticket; called inside the write that makes it necessary.
    static func request(in tx: any StoreWriter) async throws {
        _ = try await tx.nextCounter(key: requestedKey)
    }

    /// Whether a rebuild was requested that no pass has covered yet.
    public func isRequested() async throws -> Bool {
        try await store.read { reader in
            try await reader.counter(key: Self.requestedKey) > reader.counter(key: Self.doneKey)
        }
    }

    /// A pass when one was requested (nil: none was), going on where a pass for the same
    /// requests was cut short.
    public func runIfRequested(progress: @Sendable (Outcome) -> Void = { _ in }) async throws -> Outcome? {
        guard try await isRequested() else { return nil }
        try await Task.sleep(for: settle)
        return try await pass(resuming: true, progress: progress)
    }

    /// A pass over every ticket from the first; `progress` is told the counts after each batch.
    /// Covers the requests made before it started. A cancelled pass stops between batches,
    /// covering none.
    @discardableResult
    public func run(progress: @Sendable (Outcome) -> Void = { _ in }) async throws -> Outcome {
        try await pass(resuming: false, progress: progress)
    }

    private func pass(resuming: Bool, progress: @Sendable (Outcome) -> Void) async throws -> Outcome {
        // The counter first: the catalog read after it holds every change it asks for.
        let (requested, catalog, position) = try await store.read { reader in
            let requested = try await reader.counter(key: Self.requestedKey)
            let position = try await reader.counter(key: Self.positionRequestKey) == requested ? reader.counter(key: Self.positionKey) : 0
            return (requested, try await reader.freshCatalog(), position)
        }
        var outcome = Outcome(resumedAfter: resuming ? position : 0)
        var lastID = outcome.resumedAfter
        while true {
            try Task.checkCancellation()
            let (read, changed) = try await rebuildBatch(above: lastID, catalog: catalog, request: resuming ? requested : nil)
            guard let last = read.last else { break }
            lastID = last
            outcome.visited += read.count
            outcome.changed += changed
            progress(outcome)
            if read.count < batch { break }
        }
        try await store.write { tx in
            try await tx.raiseCounter(key: Self.doneKey, atLeast: requested)
            try await tx.setCounter(key: Self.positionKey, to: 0)
        }
        return outcome
    }

    /// Rebuilds the tickets after `lastID` and records the last one as the position of the pass
    /// following `request` (nil: records nothing): their ids and how many changed.
    private func rebuildBatch(above lastID: Int, catalog: Catalog, request: Int?) async throws -> (read: [Int], changed: Int) {
        let now = clock.now()
        let size = batch
        return try await store.write { tx in
            let ids = try await tx.ticketIDs(above: lastID, limit: size)
            guard !ids.isEmpty else { return ([], 0) }
            let tickets = try await tx.tickets(ids: ids)
            let times = try await EscalationIndex(catalog: catalog).rebuild(tickets, reader: tx)
            let changed = tickets.compactMap { ticket in
                times[ticket.id].flatMap { $0 == ticket.escalationTimes ? nil : (ticket.id, $0) }
            }
            try await tx.setEscalationTimes(changed, changedBy: 1, at: now)
            if let request {
                try await tx.setCounter(key: Self.positionKey, to: ids.last ?? lastID)
                try await tx.setCounter(key: Self.positionRequestKey, to: request)
            }
            return (ids, changed.count)
        }
    }
}
