/// Ticket use cases: create, update, add articles, read, history. Every face calls these;
/// permission checks, defaults, events and ticket numbers are decided here, once.
public struct TicketService: Sendable {
    let store: any DeskStore
    public let clock: DeskClock

    public init(store: any DeskStore, clock: DeskClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// Creates a ticket with its articles, attachments and dynamic field values in one transaction.
    ///
    /// The request is checked first, on a reader (customer user and agent lookups; reference
    /// data from the cached catalog), so that the write transaction holds the single SQLite writer
    /// only for the writes: one counter upsert, one ticket insert, then one multi-row insert each
    /// for articles, attachments, dynamic field values, events and time accounting (only those
    /// that have rows). Something deleted between the two steps makes the write fail whole.
    public func create(_ request: TicketCreateRequest, by principal: Principal) async throws -> TicketCreateResult {
        try await write(request, by: principal).created
    }

    /// Plans and writes a create; returns what it wrote and the catalog it was checked against.
    private func write(_ request: TicketCreateRequest, by principal: Principal) async throws
        -> (created: TicketCreateResult, written: WrittenTicket, catalog: Catalog)
    {
        let now = min(request.createdAt ?? .max, clock.now())
        let catalog = try await store.catalog()
        let plan = try await store.lookup { reader in
            try await TicketCreatePlanner(catalog: catalog, reader: reader, principal: principal, now: now).plan(request)
        }
        let (created, written) = try await store.write { tx in try await plan.execute(in: tx, catalog: catalog) }
        return (created, written, catalog)
    }

    /// Creates a ticket and returns it as `get(ticketIDs:options:by:)` would read it right after
    /// the commit, with the same checks (the ticket is created even when the principal may not
    /// read it; the read then fails as `get` does). The details are built from what the create
    /// wrote, with one lookup for the agents they name (`TicketReadOptions.agents`), instead of
    /// reading the ticket back; what the create does not keep (see `WrittenTicket`) is read back.
    public func createAndRead(_ request: TicketCreateRequest, options: TicketReadOptions, by principal: Principal) async throws
        -> (created: TicketCreateResult, details: TicketDetails)
    {
        let (created, written, catalog) = try await write(request, by: principal)
        try principal.require(.readTickets)
        let ticket = try Self.readable(written.ticket, id: created.ticketID, principal: principal, catalog: catalog)
        guard var details = written.details(options: options, shownTo: principal) else {
            return (created, try await get(ticketIDs: [ticket.id], options: options, by: principal)[0])
        }
        if options.agents {
            let named = details.namedAgentIDs.sorted()
            details.name(try await store.lookup { try await $0.agents(ids: named) })
        }
        return (created, details)
    }

    /// Checks a create request without writing anything: throws the first problem `create`
    /// would report. Faces that find a problem in their wire format use it to learn whether the
    /// core would report an earlier one (see `CheckStep`).
    public func checkCreate(_ request: TicketCreateRequest, by principal: Principal) async throws {
        let now = min(request.createdAt ?? .max, clock.now())
        let catalog = try await store.catalog()
        _ = try await store.lookup { reader in
            try await TicketCreatePlanner(catalog: catalog, reader: reader, principal: principal, now: now).plan(request)
        }
    }

    /// Changes ticket fields, sets dynamic fields and adds articles, all in one transaction.
    ///
    /// The caller's name for the `From` of articles that name none is read before the
    /// transaction: it decides nothing, and every statement a write waits for holds up the
    /// writes batched after it (on PostgreSQL a round trip each).
    public func update(ticketID: Int, _ request: TicketUpdateRequest, by principal: Principal) async throws -> TicketUpdateResult {
        try await update(ticketID: ticketID, request, by: principal, followingMerges: false)
    }

    /// `followingMerges`: a merged ticket passes the update on to the ticket it was merged into
    /// (`mergeTarget(of:)`), read in the same transaction.
    private func update(
        ticketID: Int, _ request: TicketUpdateRequest, by principal: Principal, followingMerges: Bool
    ) async throws -> TicketUpdateResult {
        let now = clock.now()
        let catalog = try await store.catalog()
        let defaultFrom =
            request.articles.isEmpty
            ? nil : try await store.lookup { try await TicketUpdatePlanner.defaultFrom(for: principal, reader: $0) }
        return try await store.write { tx in
            var ticket = try await Self.readable(ticketID, reader: tx, principal: principal, catalog: catalog)
            if followingMerges { ticket = try await Self.mergeTarget(of: ticket, reader: tx, principal: principal, catalog: catalog) }
            var planner = TicketUpdatePlanner(catalog: catalog, reader: tx, principal: principal, now: now)
            planner.defaultFrom = defaultFrom
            let plan = try await planner.plan(request, for: ticket)
            return try await plan.execute(in: tx, catalog: catalog)
        }
    }

    /// Checks an update without writing anything (see `checkCreate`).
    public func checkUpdate(ticketID: Int, _ request: TicketUpdateRequest, by principal: Principal) async throws {
        let now = clock.now()
        let catalog = try await store.catalog()
        _ = try await store.read { reader in
            let ticket = try await Self.readable(ticketID, reader: reader, principal: principal, catalog: catalog)
            return try await TicketUpdatePlanner(catalog: catalog, reader: reader, principal: principal, now: now).plan(
                request, for: ticket)
        }
    }

    /// Deletes a ticket with everything that belongs to it (articles, attachments, dynamic field
    /// values, accounted time, watchers, links, history). Needs `rw` on the ticket's queue;
    /// customers may not. External ids that pointed to it are left: they name nothing any more.
    public func delete(ticketID: Int, by principal: Principal) async throws {
        try principal.require(.updateTickets)
        let catalog = try await store.catalog()
        try await store.write { tx in
            let ticket = try await Self.readable(ticketID, reader: tx, principal: principal, catalog: catalog)
            guard TicketAccess.canChange(.fields, ticket, by: principal, catalog: catalog) else {
                throw DeskError.accessDenied(.deleteTicket)
            }
            try await tx.deleteTicket(id: ticket.id)
        }
    }

    /// A customer's follow-up (a reply by mail or through a customer-facing API): adds the article
    /// and reopens the ticket when it is closed (state `open`, as Znuny's `PostmasterFollowUpState`
    /// and osTicket's reopen-on-reply do). A follow-up to a merged ticket goes to the ticket it
    /// was merged into, as in Znuny, osTicket and django-helpdesk (`mergeTarget(of:)`); the
    /// answer names the ticket that took it. `reassignsOnReopen` as in `TicketUpdateRequest`.
    public func addFollowUp(
        ticketID: Int, _ draft: ArticleDraft, reassignsOnReopen: Bool = false, by principal: Principal
    ) async throws -> TicketUpdateResult {
        var request = TicketUpdateRequest(articles: [draft])
        request.stateWhenClosed = .name("open")
        request.reassignsOnReopen = reassignsOnReopen
        return try await update(ticketID: ticketID, request, by: principal, followingMerges: true)
    }

    /// The ticket `ticketID` was last merged into, named by the `Merged` event on it.
    static func mergedInto(events: [TicketEvent], of ticketID: Int) -> Int? {
        events.lazy.reversed().compactMap { event -> Int? in
            guard event.ticketID == ticketID, case .merged(let source, let target) = event.change, source.id == ticketID else { return nil }
            return target.id
        }.first
    }

    /// How many merges deep a follow-up is passed on (Znuny's `TicketCheckNumber`).
    static let mergeDepth = 10

    /// The ticket a merged ticket was merged into, following merged targets up to `mergeDepth`
    /// times (the target's `Merged` event on the source names it); a ticket that is not merged
    /// is its own. Beyond that depth, or when the target is gone or hidden from `principal`,
    /// `notFound`: mail then opens a ticket of its own, as Znuny's does.
    static func mergeTarget(of ticket: Ticket, reader: any StoreReader, principal: Principal, catalog: Catalog) async throws -> Ticket {
        var current = ticket
        for hop in 0...mergeDepth {
            guard catalog.stateTypeName(ofState: current.stateID) == "merged" else { return current }
            guard hop < mergeDepth else { break }
            guard let targetID = mergedInto(events: try await reader.events(ticketIDs: [current.id]), of: current.id) else {
                return current
            }
            current = try await readable(targetID, reader: reader, principal: principal, catalog: catalog)
        }
        throw DeskError.notFound(.ticket, key: String(ticket.id))
    }

    /// The tickets (readable by the principal) whose articles carry these `Message-ID`s, by
    /// message id: how mail finds the thread it belongs to.
    public func ticketIDs(messageIDs: [String], by principal: Principal) async throws -> [String: Int] {
        try principal.require(.readTickets)
        let catalog = try await store.catalog()
        return try await store.read { reader in
            let found = try await reader.ticketIDs(messageIDs: messageIDs)
            let readable = Set(
                try await reader.tickets(ids: Array(Set(found.values))).filter {
                    TicketAccess.canRead($0, by: principal, catalog: catalog)
                }.map(\.id))
            return found.filter { readable.contains($0.value) }
        }
    }

    /// Writes a face document about a ticket (WHMCS's blocked sender of a ticket) once the
    /// principal may change the ticket, and deletes the ticket too when asked; one transaction.
    public func putDocument(
        _ document: FaceDocumentPut, concerning ticketID: Int, deletingTicket: Bool, by principal: Principal
    ) async throws {
        try principal.require(.updateTickets)
        let catalog = try await store.catalog()
        let now = clock.now()
        guard document.json.utf8.count <= 1_000_000 else { throw DeskError.invalid(.other("document"), .tooLong(max: 1_000_000)) }
        try await store.write { tx in
            let ticket = try await Self.readable(ticketID, reader: tx, principal: principal, catalog: catalog)
            guard TicketAccess.canChange(.fields, ticket, by: principal, catalog: catalog) else {
                throw DeskError.accessDenied(deletingTicket ? .deleteTicket : .changeAttributes)
            }
            _ = try await tx.putFaceDocument(face: document.face, kind: document.kind, key: document.key, json: document.json, at: now)
            if deletingTicket { try await tx.deleteTicket(id: ticket.id) }
        }
    }

    /// Adds one article (a reply, a note, a phone call record) to a ticket.
    public func addArticle(ticketID: Int, _ draft: ArticleDraft, by principal: Principal) async throws -> Int {
        let result = try await update(ticketID: ticketID, TicketUpdateRequest(articles: [draft]), by: principal)
        return result.articleIDs[0]
    }

    /// Reads a ticket with the parts `options` asks for. A ticket the principal may not read is
    /// reported as not found, so callers cannot probe for ticket ids.
    public func get(ticketID: Int, options: TicketReadOptions = TicketReadOptions(), by principal: Principal) async throws -> TicketDetails
    {
        try principal.require(.readTickets)
        let catalog = try await store.catalog()
        return try await store.read { reader in
            let ticket = try await Self.readable(ticketID, reader: reader, principal: principal, catalog: catalog)
            return try await TicketReader(reader: reader, principal: principal).details(of: ticket, options: options)
        }
    }

    /// Reads several tickets in one read; fails whole (`notFound` naming the first) when one of
    /// them is unknown or not readable by the principal.
    public func get(ticketIDs: [Int], options: TicketReadOptions = TicketReadOptions(), by principal: Principal) async throws
        -> [TicketDetails]
    {
        try principal.require(.readTickets)
        let catalog = try await store.catalog()
        return try await store.read { reader in
            let found = Dictionary(try await reader.tickets(ids: Array(Set(ticketIDs))).map { ($0.id, $0) }) { first, _ in first }
            let tickets = try ticketIDs.map { try Self.readable(found[$0], id: $0, principal: principal, catalog: catalog) }
            return try await TicketReader(reader: reader, principal: principal).details(of: tickets, options: options)
        }
    }

    /// Looks up a ticket id by ticket number (nil when unknown or not readable by the principal).
    public func ticketID(number: String, by principal: Principal) async throws -> Int? {
        let catalog = try await store.catalog()
        return try await store.lookup { reader in
            guard let id = try await reader.ticketID(number: number), let ticket = try await reader.ticket(id: id),
                TicketAccess.canRead(ticket, by: principal, catalog: catalog)
            else { return nil }
            return id
        }
    }

    /// The ticket rows of the given tickets the principal may read, in the order given, in one
    /// query by key; tickets the principal may not read (or that do not exist) are left out. For
    /// a face's access check before it reads the whole ticket.
    public func readableTickets(ids: [Int], by principal: Principal) async throws -> [Ticket] {
        try principal.require(.readTickets)
        guard !ids.isEmpty else { return [] }
        let catalog = try await store.catalog()
        let found = try await store.lookup { try await $0.tickets(ids: Array(Set(ids))) }
        let readable = Dictionary(
            found.filter { TicketAccess.canRead($0, by: principal, catalog: catalog) }.map { ($0.id, $0) }
        ) { first, _ in first }
        return ids.compactMap { readable[$0] }
    }

    /// Draws the next ticket number without creating a ticket, as Znuny's `TicketCreateNumber`
    /// does (rpc.pl offers it): the number is used up, so the next ticket's number follows it and
    /// this one is never given to a ticket. Needs the right to create tickets.
    public func drawTicketNumber(by principal: Principal) async throws -> String {
        try principal.require(.createTickets)
        let now = clock.now()
        let catalog = try await store.catalog()
        let generator = TicketNumberGenerator(settings: catalog.settings)
        return try await store.write { tx in
            generator.number(counter: try await tx.nextCounter(key: generator.counterKey(at: now)), at: now)
        }
    }

    /// Ticket numbers of the given tickets, in one query; tickets the principal may not read
    /// (or that do not exist) are left out.
    public func ticketNumbers(ids: [Int], by principal: Principal) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        let catalog = try await store.catalog()
        return try await store.read { reader in
            var numbers: [Int: String] = [:]
            for ticket in try await reader.tickets(ids: ids) where TicketAccess.canRead(ticket, by: principal, catalog: catalog) {
                numbers[ticket.id] = ticket.number
            }
            return numbers
        }
    }

    /// The ticket an article belongs to (nil when unknown or not readable by the principal).
    public func ticketID(ofArticle articleID: Int, by principal: Principal) async throws -> Int? {
        let catalog = try await store.catalog()
        return try await store.lookup { reader in
            guard let id = try await reader.ticketID(ofArticle: articleID), let ticket = try await reader.ticket(id: id),
                TicketAccess.canRead(ticket, by: principal, catalog: catalog)
            else { return nil }
            return id
        }
    }

    /// The events of a ticket, oldest first. Agents only, as Znuny's history.
    public func history(ticketID: Int, by principal: Principal) async throws -> [TicketEvent] {
        guard case .agent = principal else { throw DeskError.accessDenied(.readHistory) }
        let catalog = try await store.catalog()
        return try await store.read { reader in
            _ = try await Self.readable(ticketID, reader: reader, principal: principal, catalog: catalog)
            return try await reader.events(ticketID: ticketID)
        }
    }

    /// The ticket if it exists and `principal` may read it; `notFound` otherwise.
    static func readable(_ id: Int, reader: any StoreReader, principal: Principal, catalog: Catalog) async throws -> Ticket {
        try readable(try await reader.ticket(id: id), id: id, principal: principal, catalog: catalog)
    }

    /// `ticket`, read for `id`, if it exists and `principal` may read it; `notFound` otherwise.
    static func readable(_ ticket: Ticket?, id: Int, principal: Principal, catalog: Catalog) throws -> Ticket {
        guard let ticket, TicketAccess.canRead(ticket, by: principal, catalog: catalog) else {
            throw DeskError.notFound(.ticket, key: String(id))
        }
        return ticket
    }
}
