import DeskCore
import Foundation
import SQLKit
import Synchronization

/// The SQL implementation of the core's `DeskStore`, one code path for SQLite and PostgreSQL.
public final class SQLDeskStore: DeskStore {
    public let database: Database
    let cache: CatalogCache
    let faceDocumentCache: ShortLivedCache<[FaceDocument]>
    let directoryChanges = DirectoryChanges()
    let agentCache: AgentCache
    let facts = DatabaseFacts()

    /// - Parameter catalogLifetime: seconds a cached catalog (and face configuration) is trusted
    ///   (see `CatalogCache`).
    public init(database: Database, catalogLifetime: Double = 5) {
        self.database = database
        self.cache = CatalogCache(lifetime: catalogLifetime)
        self.faceDocumentCache = ShortLivedCache(lifetime: catalogLifetime)
        self.agentCache = AgentCache(directory: directoryChanges, lifetime: catalogLifetime)
    }

    public func read<R: Sendable>(_ body: @Sendable (any StoreReader) async throws -> R) async throws -> R {
        try await database.read { db in
            try await body(self.session(db))
        }
    }

    public func lookup<R: Sendable>(_ body: @Sendable (any StoreReader) async throws -> R) async throws -> R {
        try await database.read(onCallingThread: true) { db in
            try await body(self.session(db))
        }
    }

    /// A write's body may share its transaction with other writes (group commit, see
    /// `Database.transaction`); a body that changes cached tables suspends the cache until its
    /// transaction has ended, so neither its neighbours nor other readers use a stale or an
    /// uncommitted copy.
    public func write<R: Sendable>(_ body: @Sendable (any StoreWriter) async throws -> R) async throws -> R {
        let caches = SuspendedCaches(catalog: cache, faceDocuments: faceDocumentCache, directory: directoryChanges)
        defer { caches.resumeAll() }
        return try await database.transaction { db in
            // On PostgreSQL the held inserts go out with the batch's next statement or before
            // its COMMIT (`HoldingDatabase`).
            try await body(self.session(db, caches: caches, holding: db as? HoldingDatabase))
        }
    }

    /// A session on `db` with the store's caches.
    private func session(_ db: any SQLDatabase, caches: SuspendedCaches? = nil, holding: HoldingDatabase? = nil) -> SQLStoreSession {
        SQLStoreSession(
            db: db, kind: database.kind, cache: cache, caches: caches, agents: agentCache, facts: facts, holding: holding)
    }

    public func ping() async throws {
        try await database.read { db in _ = try await db.raw("SELECT 1 AS one").first() }
    }

    /// The cached catalog; only a stale or missing one costs a read.
    public func catalog() async throws -> Catalog {
        if let cached = cache.get() { return cached }
        return try await read { try await $0.catalog() }
    }

    /// Moves on after every committed change to agents, customer users, permissions or the
    /// catalog made through this store; nil while such a change is in flight.
    public func directoryGeneration() -> Int? {
        directoryChanges.generation
    }

    /// Every face's documents are cached together (they are few); only a stale cache costs a read.
    public func faceDocuments(face: String) async throws -> [FaceDocument] {
        let all: [FaceDocument]
        if let cached = faceDocumentCache.get() {
            all = cached
        } else {
            let generation = faceDocumentCache.generation
            all = try await database.read { db in
                try await db.raw("SELECT id, face, kind, config_key, document, updated_at FROM face_config ORDER BY id").all().map(
                    Rows.faceDocument)
            }
            faceDocumentCache.put(all, loadedAt: generation)
        }
        return all.filter { $0.face == face }
    }

    /// Forgets the cached catalog, face configuration and which indexes exist (after changes
    /// made outside the store, e.g. by tests).
    public func invalidateCatalog() {
        cache.invalidate()
        faceDocumentCache.invalidate()
        agentCache.invalidate()
        facts.forgetIndexes()
    }
}

/// The caches a write suspended and the directory changes it began, resumed and ended when its
/// transaction has ended.
final class SuspendedCaches: Sendable {
    let catalog: CatalogCache
    let faceDocuments: ShortLivedCache<[FaceDocument]>
    let directory: DirectoryChanges
    private let counts = Mutex((catalog: 0, faceDocuments: 0, directory: 0))

    init(catalog: CatalogCache, faceDocuments: ShortLivedCache<[FaceDocument]>, directory: DirectoryChanges) {
        self.catalog = catalog
        self.faceDocuments = faceDocuments
        self.directory = directory
    }

    func suspendCatalog() {
        catalog.suspend()
        counts.withLock { $0.catalog += 1 }
    }

    func suspendFaceDocuments() {
        faceDocuments.suspend()
        counts.withLock { $0.faceDocuments += 1 }
    }

    func beginDirectoryChange() {
        directory.begin()
        counts.withLock { $0.directory += 1 }
    }

    func resumeAll() {
        let (catalogCount, faceCount, directoryCount) = counts.withLock { counts in
            defer { counts = (0, 0, 0) }
            return (counts.catalog, counts.faceDocuments, counts.directory)
        }
        for _ in 0..<catalogCount { catalog.resume() }
        for _ in 0..<faceCount { faceDocuments.resume() }
        for _ in 0..<directoryCount { directory.end() }
    }
}

/// One unit of work on one connection: the reads and writes the core asks for, as SQL.
final class SQLStoreSession: StoreWriter, @unchecked Sendable {
    // Used by one task at a time: the body of a single read or write.
    let db: any SQLDatabase
    let kind: DatabaseKind
    let cache: CatalogCache
    /// Set for writes: where changes to cached tables are reported.
    let caches: SuspendedCaches?
    private var touchedCatalog = false
    private var touchedFaceDocuments = false
    private var touchedDirectory = false
    /// Set for writes on PostgreSQL: where inserts whose outcome no one waits for are held (`db` is the same).
    let holding: HoldingDatabase?
    /// Where `agents(ids:)` finds agents without a statement; nil: always read.
    let agentCache: AgentCache?
    /// What the store knows of the database (its text order, its optional indexes).
    let facts: DatabaseFacts

    init(
        db: any SQLDatabase, kind: DatabaseKind, cache: CatalogCache, caches: SuspendedCaches?, agents: AgentCache? = nil,
        facts: DatabaseFacts, holding: HoldingDatabase? = nil
    ) {
        self.db = db
        self.facts = facts
        self.holding = holding
        self.agentCache = agents
        self.kind = kind
        self.cache = cache
        self.caches = caches
    }

    /// Marks that this transaction changed catalog tables: the cache is suspended until the
    /// transaction has ended, so catalog reads go to the tables.
    func touchCatalog() {
        touchDirectory()
        guard !touchedCatalog else { return }
        touchedCatalog = true
        caches?.suspendCatalog()
    }

    /// Marks that this transaction changed agents, customer users or permissions (see
    /// `DirectoryChanges`); catalog changes count too, as groups belong to both.
    func touchDirectory() {
        guard !touchedDirectory else { return }
        touchedDirectory = true
        caches?.beginDirectoryChange()
    }

    /// Marks that this transaction changed face documents (see `touchCatalog`).
    func touchFaceDocuments() {
        guard !touchedFaceDocuments else { return }
        touchedFaceDocuments = true
        caches?.suspendFaceDocuments()
    }

    // MARK: Catalog

    func freshCatalog() async throws -> Catalog {
        try await CatalogLoader(db: db).load()
    }

    func catalog() async throws -> Catalog {
        if let cached = cache.get() { return cached }
        let generation = cache.generation
        let catalog = try await CatalogLoader(db: db).load()
        cache.put(catalog, loadedAt: generation)
        return catalog
    }

    // MARK: Agents and customers

    static let agentColumns =
        "id, login, first_name, last_name, email, valid_id, out_of_office, out_of_office_start, out_of_office_end, created_at, changed_at"

    func agent(id: Int) async throws -> Agent? {
        try await db.raw("SELECT \(unsafeRaw: Self.agentColumns) FROM agents WHERE id = \(bind: id)").first().map(Rows.agent)
    }

    func agent(login: String) async throws -> Agent? {
        try await db.raw("SELECT \(unsafeRaw: Self.agentColumns) FROM agents WHERE login = \(bind: login)").first().map(Rows.agent)
    }

    /// From the agent cache when it can answer (`AgentCache`); else, when nothing in flight
    /// changes agents, every agent is read once and kept.
    func agents(ids: [Int]) async throws -> [Agent] {
        guard !ids.isEmpty else { return [] }
        if let agentCache {
            if let kept = agentCache.agents(ids: ids) { return kept }
            if let generation = agentCache.generation {
                let all = try await db.raw(
                    "SELECT \(unsafeRaw: Self.agentColumns) FROM agents ORDER BY id LIMIT \(literal: AgentCache.limit + 1)"
                ).all().map(Rows.agent)
                if all.count <= AgentCache.limit {
                    agentCache.put(all, readAt: generation)
                    let wanted = Set(ids)
                    return all.filter { wanted.contains($0.id) }
                }
            }
        }
        return try await db.rows(forIDs: ids) {
            "SELECT \(unsafeRaw: Self.agentColumns) FROM agents WHERE id IN (\($0)) ORDER BY id"
        }
        .map(Rows.agent)
    }

    func agents(afterID: Int, limit: Int) async throws -> [Agent] {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.agentColumns) FROM agents WHERE id > \(bind: afterID) ORDER BY id LIMIT \(literal: max(1, min(limit, 1_000)))"
        )
        .all().map(Rows.agent)
    }

    func agentsMatching(_ text: String) async throws -> [Agent] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.agentColumns) FROM agents
            WHERE LOWER(login) = LOWER(\(bind: text)) OR LOWER(email) = LOWER(\(bind: text))
               OR LOWER(first_name || ' ' || last_name) = LOWER(\(bind: text)) ORDER BY id
            """
        ).all().map(Rows.agent)
    }

    func agentPasswordHash(login: String) async throws -> (id: Int, hash: String)? {
        guard let row = try await db.raw("SELECT id, password_hash FROM agents WHERE login = \(bind: login) AND valid_id = 1").first()
        else { return nil }
        let hash = try row.decode(column: "password_hash", as: String.self)
        return hash.isEmpty ? nil : (try row.decode(column: "id", as: Int.self), hash)
    }

    func agentIDs(holding permission: Permission, inGroup groupID: Int) async throws -> [Int] {
        try await db.raw(Self.agentsHolding(permission, inGroup: groupID)).all().map {
            var c = Columns($0)
            return try c.int("agent_id")
        }
    }

    /// The agents with `permission` in a valid group, by id (through `agent_group_permissions_group`).
    static func agentsHolding(_ permission: Permission, inGroup groupID: Int) -> SQLQueryString {
        """
        SELECT p.agent_id FROM agent_group_permissions p JOIN agent_groups g ON g.id = p.group_id
        WHERE p.group_id = \(bind: groupID) AND p.permission = \(bind: permission.rawValue) AND g.valid_id = 1 ORDER BY p.agent_id
        """
    }

    func subscriberIDs(_ kind: Subscription, objectID: Int) async throws -> [Int] {
        let (table, column) = Self.subscriptionTable(kind)
        return try await db.raw(
            "SELECT agent_id FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) = \(bind: objectID) ORDER BY agent_id"
        ).all().map {
            var c = Columns($0)
            return try c.int("agent_id")
        }
    }

    func subscriptions(_ kind: Subscription, agentID: Int) async throws -> [Int] {
        let (table, column) = Self.subscriptionTable(kind)
        return try await db.raw(
            "SELECT \(unsafeRaw: column) FROM \(unsafeRaw: table) WHERE agent_id = \(bind: agentID) ORDER BY \(unsafeRaw: column)"
        ).all().map {
            var c = Columns($0)
            return try c.int(column)
        }
    }

    /// The table of a kind of subscription and its object column.
    static func subscriptionTable(_ kind: Subscription) -> (table: String, column: String) {
        switch kind {
        case .queue: ("personal_queues", "queue_id")
        case .service: ("personal_services", "service_id")
        }
    }

    func permissions(agentID: Int) async throws -> Set<GroupPermission> {
        let rows = try await db.raw(
            """
            SELECT p.group_id, p.permission FROM agent_group_permissions p
            JOIN agent_groups g ON g.id = p.group_id WHERE p.agent_id = \(bind: agentID) AND g.valid_id = 1
            """
        ).all()
        var result = Set<GroupPermission>()
        for row in rows {
            guard let permission = Permission(rawValue: try row.decode(column: "permission", as: String.self)) else { continue }
            result.insert(GroupPermission(groupID: try row.decode(column: "group_id", as: Int.self), permission: permission))
        }
        return result
    }

    static let customerColumns = "id, login, email, first_name, last_name, customer_id, valid_id, phone, comments, created_at, changed_at"

    func customerUser(login: String) async throws -> CustomerUser? {
        try await db.raw("SELECT \(unsafeRaw: Self.customerColumns) FROM customer_users WHERE login = \(bind: login)").first().map(
            Rows.customerUser)
    }

    /// One statement for what were three (login as written, login without case, address): a
    /// create's customer check runs it on every request. Each part keeps its own order and limit;
    /// `matched` says which part a row came from.
    func customerUsers(loginOrEmail text: String) async throws -> CustomerUserMatches {
        let rows = try await db.raw(
            """
            SELECT * FROM (SELECT \(unsafeRaw: Self.customerColumns), 1 AS matched FROM customer_users WHERE login = \(bind: text)) exact
            UNION ALL SELECT * FROM (
              SELECT \(unsafeRaw: Self.customerColumns), 2 AS matched FROM customer_users WHERE LOWER(login) = LOWER(\(bind: text))
              ORDER BY id LIMIT 1) by_login
            UNION ALL SELECT * FROM (
              SELECT \(unsafeRaw: Self.customerColumns), 3 AS matched FROM customer_users WHERE LOWER(email) = LOWER(\(bind: text))
              ORDER BY valid_id, id LIMIT 100) by_email
            ORDER BY matched, valid_id, id
            """
        ).all()
        var matches = CustomerUserMatches()
        for row in rows {
            let customer = try Rows.customerUser(row)
            switch try row.decode(column: "matched", as: Int.self) {
            case 1: matches.exactLogin = customer
            case 2: matches.loginIgnoringCase = customer
            default: matches.email.append(customer)
            }
        }
        return matches
    }

    func customerPasswordHash(login: String) async throws -> String? {
        let row = try await db.raw("SELECT password_hash FROM customer_users WHERE login = \(bind: login) AND valid_id = 1").first()
        let hash = try row?.decode(column: "password_hash", as: String.self)
        return hash?.isEmpty == false ? hash : nil
    }

    func customerUsers(matching pattern: String, limit: Int) async throws -> [CustomerUser] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.customerColumns) FROM customer_users
            WHERE valid_id = 1 AND (LOWER(login) LIKE LOWER(\(bind: pattern)) OR LOWER(email) LIKE LOWER(\(bind: pattern))
               OR LOWER(first_name || ' ' || last_name) LIKE LOWER(\(bind: pattern)))
            ORDER BY login LIMIT \(literal: max(1, min(limit, 1_000)))
            """
        ).all().map(Rows.customerUser)
    }

    func ticketID(ofArticle articleID: Int) async throws -> Int? {
        try await db.raw("SELECT ticket_id FROM articles WHERE id = \(bind: articleID)").first()?.decode(column: "ticket_id", as: Int.self)
    }

    func lastSenderType(ofTicket ticketID: Int, excluding excluded: Int) async throws -> Int? {
        try await db.raw(
            """
            SELECT sender_type_id FROM articles WHERE ticket_id = \(bind: ticketID) AND sender_type_id <> \(bind: excluded)
            ORDER BY id DESC LIMIT 1
            """
        ).first()?.decode(column: "sender_type_id", as: Int.self)
    }

    func firstArticleID(ofTicket ticketID: Int) async throws -> Int? {
        try await db.raw("SELECT id FROM articles WHERE ticket_id = \(bind: ticketID) ORDER BY id LIMIT 1").first()?.decode(
            column: "id", as: Int.self)
    }

    func articlePage(queueIDs: [Int], offset: Int, limit: Int) async throws -> (total: Int, ids: [(ticket: Int, article: Int)]) {
        guard !queueIDs.isEmpty else { return (0, []) }
        let queues = queueIDs.map { $0 as Bindable }
        let total =
            try await db.raw(
                "SELECT COUNT(*) AS n FROM articles a JOIN tickets t ON t.id = a.ticket_id WHERE t.queue_id IN (\(binds: queues))"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await db.raw(
            """
            SELECT a.ticket_id, a.id FROM articles a JOIN tickets t ON t.id = a.ticket_id WHERE t.queue_id IN (\(binds: queues))
            ORDER BY a.created_at, a.id LIMIT \(literal: max(1, limit)) OFFSET \(literal: max(0, offset))
            """
        ).all()
        return (total, try rows.map { (try $0.decode(column: "ticket_id", as: Int.self), try $0.decode(column: "id", as: Int.self)) })
    }

    func attachmentPage(queueIDs: [Int], offset: Int, limit: Int) async throws -> (
        total: Int, ids: [(ticket: Int, article: Int, attachment: Int)]
    ) {
        guard !queueIDs.isEmpty else { return (0, []) }
        let queues = queueIDs.map { $0 as Bindable }
        let from: SQLQueryString = "FROM attachments f JOIN articles a ON a.id = f.article_id JOIN tickets t ON t.id = a.ticket_id"
        let total =
            try await db.raw("SELECT COUNT(*) AS n \(from) WHERE t.queue_id IN (\(binds: queues))").first()?.decode(
                column: "n", as: Int.self)
            ?? 0
        let rows = try await db.raw(
            """
            SELECT a.ticket_id, f.article_id, f.id \(from) WHERE t.queue_id IN (\(binds: queues))
            ORDER BY f.filename, f.id LIMIT \(literal: max(1, limit)) OFFSET \(literal: max(0, offset))
            """
        ).all()
        return (
            total,
            try rows.map {
                (
                    try $0.decode(column: "ticket_id", as: Int.self), try $0.decode(column: "article_id", as: Int.self),
                    try $0.decode(column: "id", as: Int.self)
                )
            }
        )
    }

    func articleID(ofAttachment attachmentID: Int) async throws -> Int? {
        try await db.raw("SELECT article_id FROM attachments WHERE id = \(bind: attachmentID)").first()?.decode(
            column: "article_id", as: Int.self)
    }

    func customerUsers(logins: [String]) async throws -> [CustomerUser] {
        guard !logins.isEmpty else { return [] }
        return try await db.raw(
            "SELECT \(unsafeRaw: Self.customerColumns) FROM customer_users WHERE login IN (\(binds: logins.map { $0 as Bindable }))"
        ).all().map(Rows.customerUser)
    }

    func customerUsers(ids: [Int]) async throws -> [CustomerUser] {
        try await db.rows(forIDs: ids) { "SELECT \(unsafeRaw: Self.customerColumns) FROM customer_users WHERE id IN (\($0)) ORDER BY id" }
            .map(Rows.customerUser)
    }

    func customerUsers(email: String) async throws -> [CustomerUser] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.customerColumns) FROM customer_users WHERE LOWER(email) = LOWER(\(bind: email))
            ORDER BY valid_id, id LIMIT 100
            """
        ).all().map(Rows.customerUser)
    }

    func ticketIDs(messageIDs: [String]) async throws -> [String: Int] {
        let ids = Array(Set(messageIDs.filter { !$0.isEmpty })).prefix(100)
        guard !ids.isEmpty else { return [:] }
        // The index is on the first 200 characters (Schema007): PostgreSQL's b-tree refuses
        // longer keys, and a message id is rarely that long.
        let prefixes = Set(ids.map { String($0.prefix(200)) })
        let rows = try await db.raw(
            """
            SELECT message_id, ticket_id FROM articles
            WHERE SUBSTR(message_id, 1, 200) IN (\(binds: prefixes.map { $0 as Bindable })) ORDER BY id
            """
        ).all()
        var found: [String: Int] = [:]
        for row in rows {
            let messageID = try row.decode(column: "message_id", as: String.self)
            guard ids.contains(messageID), found[messageID] == nil else { continue }
            found[messageID] = try row.decode(column: "ticket_id", as: Int.self)
        }
        return found
    }

    func customerCompany(id: String) async throws -> CustomerCompany? {
        try await db.raw("SELECT customer_id, name, valid_id FROM customer_companies WHERE customer_id = \(bind: id)").first().map { row in
            CustomerCompany(
                customerID: try row.decode(column: "customer_id", as: String.self), name: try row.decode(column: "name", as: String.self),
                validity: Validity(rawValue: try row.decode(column: "valid_id", as: Int.self)) ?? .invalid)
        }
    }

    // MARK: Tickets

    static let ticketColumns = """
        id, tn, title, queue_id, type_id, service_id, sla_id, state_id, priority_id, lock_id, owner_id, responsible_id,
        customer_user_id, customer_id, until_time, archive_flag, escalation_time, escalation_response_time,
        escalation_update_time, escalation_solution_time, unlock_timeout, created_at, created_by, changed_at, changed_by
        """

    func ticket(id: Int) async throws -> Ticket? {
        try await db.raw("SELECT \(unsafeRaw: Self.ticketColumns) FROM tickets WHERE id = \(bind: id)").first().map(Rows.ticket)
    }

    func tickets(ids: [Int]) async throws -> [Ticket] {
        try await db.rows(forIDs: ids) { "SELECT \(unsafeRaw: Self.ticketColumns) FROM tickets WHERE id IN (\($0)) ORDER BY id" }
            .map(Rows.ticket)
    }

    func ticketID(number: String) async throws -> Int? {
        try await db.raw("SELECT id FROM tickets WHERE tn = \(bind: number)").first()?.decode(column: "id", as: Int.self)
    }

    static let articleColumns = """
        id, ticket_id, sender_type_id, channel_id, is_visible_for_customer, a_from, a_to, a_cc, a_bcc, a_reply_to,
        subject, body, content_type, charset, mime_type, message_id, in_reply_to, a_references, incoming_time,
        created_at, created_by, changed_at, changed_by
        """

    func articles(ticketIDs: [Int]) async throws -> [Article] {
        try await db.rows(forIDs: ticketIDs) {
            "SELECT \(unsafeRaw: Self.articleColumns) FROM articles WHERE ticket_id IN (\($0)) ORDER BY ticket_id, id"
        }.map(Rows.article)
    }

    func articleMarks(ticketIDs: [Int]) async throws -> [ArticleMark] {
        try await db.rows(forIDs: ticketIDs) {
            """
            SELECT ticket_id, sender_type_id, is_visible_for_customer, created_at FROM articles
            WHERE ticket_id IN (\($0)) ORDER BY ticket_id, created_at, id
            """
        }.map {
            var c = Columns($0)
            return ArticleMark(
                ticketID: try c.int("ticket_id"), senderTypeID: try c.int("sender_type_id"),
                isVisibleForCustomer: try c.int("is_visible_for_customer") == 1, createdAt: try c.int64("created_at"))
        }
    }

    func ticketsEver(inStates stateIDs: [Int], ticketIDs: [Int]) async throws -> Set<Int> {
        guard !stateIDs.isEmpty else { return [] }
        let states = stateIDs.map { $0 as Bindable }
        return Set(
            try await db.rows(forIDs: ticketIDs) {
                """
                SELECT DISTINCT ticket_id FROM ticket_events WHERE ticket_id IN (\($0))
                AND kind IN ('TicketCreated', 'StateChanged') AND state_id IN (\(binds: states))
                """
            }.map {
                var c = Columns($0)
                return try c.int("ticket_id")
            })
    }

    func ticketIDs(above id: Int, limit: Int) async throws -> [Int] {
        let lock: SQLQueryString = kind == .postgres && caches != nil ? " FOR UPDATE" : ""
        return try await db.raw("SELECT id FROM tickets WHERE id > \(bind: id) ORDER BY id LIMIT \(literal: max(1, limit))\(lock)").all()
            .map { try $0.decode(column: "id", as: Int.self) }
    }

    func counter(key: String) async throws -> Int {
        try await db.raw("SELECT counter_value FROM counters WHERE counter_key = \(bind: key)").first()?
            .decode(column: "counter_value", as: Int.self) ?? 0
    }

    func articles(ids: [Int]) async throws -> [Article] {
        try await db.rows(forIDs: ids) { "SELECT \(unsafeRaw: Self.articleColumns) FROM articles WHERE id IN (\($0)) ORDER BY id" }
            .map(Rows.article)
    }

    func attachments(articleIDs: [Int], withContent: Bool) async throws -> [Attachment] {
        let content = withContent ? "content" : "NULL AS content"
        return try await db.rows(forIDs: articleIDs) {
            """
            SELECT id, article_id, filename, content_type, content_id, disposition, content_size, \(unsafeRaw: content)
            FROM attachments WHERE article_id IN (\($0)) ORDER BY id
            """
        }.map(Rows.attachment)
    }

    func dynamicFieldValues(objectIDs: [Int], object: DynamicFieldObject) async throws -> [DynamicFieldValue] {
        let rows = try await db.rows(forIDs: objectIDs) {
            """
            SELECT v.field_id, v.object_id, v.value_text FROM dynamic_field_values v
            JOIN dynamic_fields f ON f.id = v.field_id
            WHERE v.object_id IN (\($0)) AND f.object_type = \(bind: object.rawValue)
            ORDER BY v.object_id, v.field_id, v.position
            """
        }
        var result: [DynamicFieldValue] = []
        for row in rows {
            let fieldID = try row.decode(column: "field_id", as: Int.self)
            let objectID = try row.decode(column: "object_id", as: Int.self)
            let value = try row.decode(column: "value_text", as: String.self)
            if let last = result.last, last.fieldID == fieldID, last.objectID == objectID {
                result[result.count - 1].values.append(value)
            } else {
                result.append(DynamicFieldValue(fieldID: fieldID, objectID: objectID, values: [value]))
            }
        }
        return result
    }

    func timeAccounting(ticketIDs: [Int]) async throws -> [TimeAccountingEntry] {
        try await db.rows(forIDs: ticketIDs) {
            """
            SELECT id, ticket_id, article_id, time_unit, created_at, created_by FROM time_accounting
            WHERE ticket_id IN (\($0)) ORDER BY ticket_id, id
            """
        }.map { row in
            TimeAccountingEntry(
                id: try row.decode(column: "id", as: Int.self), ticketID: try row.decode(column: "ticket_id", as: Int.self),
                articleID: try row.decode(column: "article_id", as: Int?.self),
                timeUnit: try row.decode(column: "time_unit", as: Double.self),
                createdAt: try row.decode(column: "created_at", as: Int64.self),
                createdBy: try row.decode(column: "created_by", as: Int.self))
        }
    }

    func watchers(ticketID: Int) async throws -> [Watcher] {
        try await db.raw(
            "SELECT ticket_id, agent_id, created_at FROM ticket_watchers WHERE ticket_id = \(bind: ticketID) ORDER BY agent_id"
        ).all().map { row in
            Watcher(
                ticketID: try row.decode(column: "ticket_id", as: Int.self), agentID: try row.decode(column: "agent_id", as: Int.self),
                createdAt: try row.decode(column: "created_at", as: Int64.self))
        }
    }

    func links(ticketID: Int) async throws -> [TicketLink] {
        try await db.raw(
            """
            SELECT source_ticket_id, target_ticket_id, link_type, link_state FROM ticket_links
            WHERE source_ticket_id = \(bind: ticketID) OR target_ticket_id = \(bind: ticketID)
            ORDER BY source_ticket_id, target_ticket_id
            """
        ).all().map { row in
            TicketLink(
                sourceTicketID: try row.decode(column: "source_ticket_id", as: Int.self),
                targetTicketID: try row.decode(column: "target_ticket_id", as: Int.self),
                type: try row.decode(column: "link_type", as: String.self), state: try row.decode(column: "link_state", as: String.self))
        }
    }
}
