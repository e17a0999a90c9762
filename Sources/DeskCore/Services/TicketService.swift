/// Ticket use cases: create, update, add articles, read, history. Every face calls these;
/// permission checks, defaults, history entries and ticket numbers are decided here, once.
public struct TicketService<Store: DeskStore>: Sendable {
    public let store: Store
    public let clock: DeskClock

    public init(store: Store, clock: DeskClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// Creates a ticket with its articles, attachments and dynamic field values in one transaction.
    ///
    /// The request is validated first, on a reader (customer user and owner lookups, reference
    /// data from the cached catalog), so that the write transaction holds the single SQLite writer
    /// only for the writes: one counter upsert, one ticket insert, then one multi-row insert each
    /// for articles, attachments, dynamic field values, history and time accounting (only those
    /// that have rows). Something deleted between the two steps makes the write fail whole.
    public func create(_ request: TicketCreateRequest, by principal: Principal) async throws -> TicketCreateResult {
        let now = clock.now()
        let (plan, catalog) = try await store.read { reader in
            let catalog = try await reader.catalog()
            let plan = try await TicketCreatePlanner(catalog: catalog, reader: reader, principal: principal, now: now).plan(request)
            return (plan, catalog)
        }
        return try await store.write { tx in try await plan.execute(in: tx, catalog: catalog) }
    }

    /// Changes ticket fields, sets dynamic fields and adds articles, all in one transaction.
    public func update(ticketID: Int, _ request: TicketUpdateRequest, by principal: Principal) async throws -> TicketUpdateResult {
        let now = clock.now()
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let ticket = try await tx.ticket(id: ticketID),
                  TicketAccess.canRead(ticket, by: principal, catalog: catalog)
            else { throw DeskError.notFound(entity: "ticket", key: String(ticketID)) }
            var updater = TicketUpdater(catalog: catalog, tx: tx, principal: principal, ticket: ticket, now: now)
            return try await updater.apply(request)
        }
    }

    /// Adds one article (a reply, a note, a phone call record) to a ticket.
    public func addArticle(ticketID: Int, _ draft: ArticleDraft, by principal: Principal) async throws -> Int {
        let result = try await update(ticketID: ticketID, TicketUpdateRequest(articles: [draft]), by: principal)
        return result.articleIDs[0]
    }

    /// Reads a ticket with the parts `options` asks for. A ticket the principal may not read is
    /// reported as not found, so callers cannot probe for ticket ids.
    public func get(ticketID: Int, options: TicketReadOptions = TicketReadOptions(), by principal: Principal) async throws -> TicketDetails {
        try await store.read { reader in
            let catalog = try await reader.catalog()
            guard let ticket = try await reader.ticket(id: ticketID),
                  TicketAccess.canRead(ticket, by: principal, catalog: catalog)
            else { throw DeskError.notFound(entity: "ticket", key: String(ticketID)) }
            return try await TicketReader(reader: reader, principal: principal).details(of: ticket, options: options)
        }
    }

    /// Looks up a ticket id by ticket number (nil when unknown or not readable by the principal).
    public func ticketID(number: String, by principal: Principal) async throws -> Int? {
        try await store.read { reader in
            let catalog = try await reader.catalog()
            guard let id = try await reader.ticketID(number: number), let ticket = try await reader.ticket(id: id),
                  TicketAccess.canRead(ticket, by: principal, catalog: catalog)
            else { return nil }
            return id
        }
    }

    /// The history of a ticket, oldest first. Agents only, as in Znuny.
    public func history(ticketID: Int, by principal: Principal) async throws -> [HistoryEntry] {
        guard case .agent = principal else { throw DeskError.accessDenied(action: "ticket history is for agents") }
        return try await store.read { reader in
            let catalog = try await reader.catalog()
            guard let ticket = try await reader.ticket(id: ticketID),
                  TicketAccess.canRead(ticket, by: principal, catalog: catalog)
            else { throw DeskError.notFound(entity: "ticket", key: String(ticketID)) }
            return try await reader.history(ticketID: ticketID)
        }
    }
}
