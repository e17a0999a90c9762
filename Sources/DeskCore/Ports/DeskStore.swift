/// The storage the core needs. The core never sees SQL: it asks a `DeskStore` for a read or a
/// write unit of work, and each write runs in exactly one database transaction (all or nothing).
public protocol DeskStore: Sendable {
    /// Runs `body` against a consistent read view.
    func read<R: Sendable>(_ body: @Sendable (any StoreReader) async throws -> R) async throws -> R
    /// `read` for a few rows found by key (a session, a principal, what a create checks): the
    /// store may run it on the calling thread, where handing it to database threads would cost
    /// more than the read. Anything that scans, searches or may return many rows uses `read`.
    func lookup<R: Sendable>(_ body: @Sendable (any StoreReader) async throws -> R) async throws -> R
    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func write<R: Sendable>(_ body: @Sendable (any StoreWriter) async throws -> R) async throws -> R
    /// Whether the database answers (for readiness probes).
    func ping() async throws
    /// Reference data and settings from the store's short-lived cache, without touching the
    /// database when the cache is fresh.
    func catalog() async throws -> Catalog
    /// The documents of one face (its configuration), cached like the catalog.
    func faceDocuments(face: String) async throws -> [FaceDocument]
    /// A number that moves on whenever a change to agents, customer users, permissions or the
    /// catalog commits through this store object, and nil while one is in flight. Caches of
    /// resolved principals take it before reading and are stale once it has moved.
    func directoryGeneration() -> Int?
}

/// Queries the core may run.
public protocol StoreReader: Sendable {
    /// Reference data and settings; cached by the store for a short time.
    func catalog() async throws -> Catalog

    func agent(id: Int) async throws -> Agent?
    func agent(login: String) async throws -> Agent?
    func agents(ids: [Int]) async throws -> [Agent]
    /// Agents by id, at most `limit`, starting after `afterID` (for listing page by page).
    func agents(afterID: Int, limit: Int) async throws -> [Agent]
    /// Agents whose login, e-mail address or full name equals `text` (case-insensitive).
    func agentsMatching(_ text: String) async throws -> [Agent]
    /// A valid agent with its stored password hash (nil when there is none or no such agent).
    func agentPasswordHash(login: String) async throws -> (id: Int, hash: String)?
    func permissions(agentID: Int) async throws -> Set<GroupPermission>
    /// The ids of the agents holding `permission` in group `groupID` (a valid group), ascending.
    func agentIDs(holding permission: Permission, inGroup groupID: Int) async throws -> [Int]
    /// The agents who subscribed to the queue or service (`objectID`), by id.
    func subscriberIDs(_ kind: Subscription, objectID: Int) async throws -> [Int]
    /// The queues or services the agent subscribed to, by id.
    func subscriptions(_ kind: Subscription, agentID: Int) async throws -> [Int]

    func customerUser(login: String) async throws -> CustomerUser?
    /// The customer users `text` may name, in one query: by login as written, by login without
    /// regard to case, and by e-mail address (see `CustomerUserMatches`).
    func customerUsers(loginOrEmail text: String) async throws -> CustomerUserMatches
    func customerPasswordHash(login: String) async throws -> String?
    /// Valid customer users whose login, e-mail or name matches `pattern` (`%` wildcard,
    /// case-insensitive), by login, at most `limit`.
    func customerUsers(matching pattern: String, limit: Int) async throws -> [CustomerUser]
    func customerCompany(id: String) async throws -> CustomerCompany?
    /// The services assigned to these logins (`ServiceAssignment`; valid or not), one row each.
    func serviceAssignments(logins: [String]) async throws -> [(login: String, serviceID: Int)]
    /// Every service assignment, by login, then service id.
    func serviceAssignments() async throws -> [(login: String, serviceID: Int)]
    /// Customer users by login (one query; unknown logins are left out).
    func customerUsers(logins: [String]) async throws -> [CustomerUser]
    /// Customer users by id (unknown ids are left out), by id.
    func customerUsers(ids: [Int]) async throws -> [CustomerUser]
    /// Customer users with this e-mail address (case-insensitive), valid ones first, then by id.
    func customerUsers(email: String) async throws -> [CustomerUser]

    func ticket(id: Int) async throws -> Ticket?
    func tickets(ids: [Int]) async throws -> [Ticket]
    func ticketID(number: String) async throws -> Int?
    /// The ticket an article belongs to.
    func ticketID(ofArticle articleID: Int) async throws -> Int?
    /// The sender type of the ticket's latest article not sent as `excluded` (nil: none).
    func lastSenderType(ofTicket ticketID: Int, excluding excluded: Int) async throws -> Int?
    /// The id of the ticket's first article (nil: it has none).
    func firstArticleID(ofTicket ticketID: Int) async throws -> Int?
    /// Articles of tickets in these queues, oldest first: one page of (ticket, article) ids and
    /// how many there are in all.
    func articlePage(queueIDs: [Int], offset: Int, limit: Int) async throws -> (total: Int, ids: [(ticket: Int, article: Int)])
    /// Attachments of articles of tickets in these queues, by file name: one page of (ticket,
    /// article, attachment) ids and how many there are in all.
    func attachmentPage(queueIDs: [Int], offset: Int, limit: Int) async throws -> (
        total: Int, ids: [(ticket: Int, article: Int, attachment: Int)]
    )
    /// The article an attachment belongs to.
    func articleID(ofAttachment attachmentID: Int) async throws -> Int?
    /// The tickets whose articles carry these `Message-ID`s (exact match), by message id; the
    /// oldest article wins when a message id occurs twice.
    func ticketIDs(messageIDs: [String]) async throws -> [String: Int]
    /// Outbox entries with one of `statuses`, newest first, at most `limit`.
    func outbox(statuses: [OutboxStatus], limit: Int) async throws -> [OutboxEntry]
    /// Every auto response, by id.
    func autoResponses() async throws -> [AutoResponse]
    /// The auto response of `typeID` linked to the queue, if any.
    func autoResponse(queueID: Int, typeID: Int) async throws -> AutoResponse?
    /// Imported PGP keys and S/MIME certificates (of one kind, or all), by id.
    func cryptoKeys(kind: CryptoKind?) async throws -> [CryptoKey]
    /// The ids of up to `limit` queued messages a sender may claim at `now`, oldest first: due,
    /// not claimed, and the first of their ticket's messages that are claimed or due (so one
    /// ticket's mail goes out in order across senders; one waiting for a retry holds no other
    /// back). Read before the claim, so that the writer only claims (`claimMail`).
    func claimableMail(limit: Int, at now: Int64) async throws -> [Int]
    /// Articles of the given tickets, by ticket, each ticket's in creation order.
    func articles(ticketIDs: [Int]) async throws -> [Article]
    /// What the escalation index reads of the given tickets' articles, by ticket, each ticket's
    /// by creation time, then id (Znuny's index orders by `create_time`).
    func articleMarks(ticketIDs: [Int]) async throws -> [ArticleMark]
    /// Those of the given tickets that were created in, or changed to, one of `stateIDs` (their events).
    func ticketsEver(inStates stateIDs: [Int], ticketIDs: [Int]) async throws -> Set<Int>
    /// Ids of tickets above `id`, ascending, at most `limit` (archived ones too). In a write on
    /// PostgreSQL their rows stay locked until it ends (`FOR UPDATE`), so that no other write
    /// changes them between this transaction's reads and its updates; SQLite's writer is alone.
    func ticketIDs(above id: Int, limit: Int) async throws -> [Int]
    /// The catalog as the tables hold it now, not the cached one (`catalog()` may be a few
    /// seconds old when another process changed it).
    func freshCatalog() async throws -> Catalog
    /// A counter's value (0: never taken).
    func counter(key: String) async throws -> Int
    /// The articles with these ids (unknown ids are left out), by id.
    func articles(ids: [Int]) async throws -> [Article]
    /// Attachments of the given articles; `withContent: false` leaves `content` empty.
    func attachments(articleIDs: [Int], withContent: Bool) async throws -> [Attachment]
    func dynamicFieldValues(objectIDs: [Int], object: DynamicFieldObject) async throws -> [DynamicFieldValue]
    /// Events of the given tickets, by ticket, each ticket's oldest first.
    func events(ticketIDs: [Int]) async throws -> [TicketEvent]
    /// Only the events of these kinds (`TicketChange.kind`), as `events(ticketIDs:)`.
    func events(ticketIDs: [Int], kinds: [String]) async throws -> [TicketEvent]
    /// Time accounted on the given tickets, by ticket, each ticket's oldest first.
    func timeAccounting(ticketIDs: [Int]) async throws -> [TimeAccountingEntry]
    func watchers(ticketID: Int) async throws -> [Watcher]
    func links(ticketID: Int) async throws -> [TicketLink]

    /// Ids of tickets matching `query` within `scope`, sorted and limited as the query says.
    func searchTickets(_ query: TicketQuery, scope: SearchScope) async throws -> [Int]
    /// How many tickets match `query` within `scope` (limit, offset and sort ignored).
    func countTickets(_ query: TicketQuery, scope: SearchScope) async throws -> Int
    /// Ticket counts per queue and state for the given queues (all queues when nil), from the
    /// maintained counts table: constant time whatever the number of tickets.
    func queueStateCounts(queueIDs: [Int]?) async throws -> [QueueStateCount]
    /// Accounted time entries of one agent in a time range (inclusive), oldest first, each with
    /// the queue its ticket was in when the time was accounted.
    func timeAccountingReport(agentID: Int, from: Int64, to: Int64) async throws -> [TimeAccountingReportRow]

    func session(id: String) async throws -> DeskSession?

    /// A face credential by the hash of its secret (keys and tokens), with that hash.
    func credential(face: String, kind: CredentialKind, secretHash: String) async throws -> CredentialRecord?
    /// A face credential by its identifier (secret pairs), with its stored secret hash.
    func credential(face: String, kind: CredentialKind, identifier: String) async throws -> (CredentialRecord, secretHash: String)?
    func credentials(face: String, kind: CredentialKind?) async throws -> [CredentialRecord]
    /// Failed authentication counts recorded since `since`, by throttle key.
    func authFailures(since: Int64) async throws -> [String: Int]

    /// Mappings of one face (every face when nil), by face, kind and external id.
    func externalIDs(face: String?, kind: String?) async throws -> [ExternalID]
    /// A face's mappings of several kinds in one statement, by kind and external id.
    func externalIDs(face: String, kinds: [String]) async throws -> [ExternalID]
    func externalID(face: String, kind: String, externalID: String) async throws -> ExternalID?
    func externalID(face: String, kind: String, coreID: String) async throws -> ExternalID?
    /// A face's attributes of tickets or articles, by object id (one query).
    func faceAttributes(face: String, kind: FaceAttributeObject, objectIDs: [Int]) async throws -> [Int: [String: String]]
    /// The mappings of these core ids (one query).
    func externalIDs(face: String, kind: String, coreIDs: [String]) async throws -> [ExternalID]
    /// The mappings of these external ids (one query).
    func externalIDs(face: String, kind: String, externalIDs: [String]) async throws -> [ExternalID]
}

/// The tickets a search may see, derived from the principal by the core.
public enum SearchScope: Sendable {
    /// Every ticket (Znuny's agent 1, and internal callers).
    case unrestricted
    /// Tickets in queues of these groups, or owned by / assigned to this agent.
    case agent(id: Int, groupIDs: [Int])
    /// Tickets of these customer ids or of this customer user.
    case customer(login: String, customerIDs: [String])
}

extension StoreReader {
    /// Articles of a ticket in creation order.
    public func articles(ticketID: Int) async throws -> [Article] {
        try await articles(ticketIDs: [ticketID])
    }

    /// Events of a ticket, oldest first.
    public func events(ticketID: Int) async throws -> [TicketEvent] {
        try await events(ticketIDs: [ticketID])
    }

    /// Time accounted on a ticket, oldest first.
    public func timeAccounting(ticketID: Int) async throws -> [TimeAccountingEntry] {
        try await timeAccounting(ticketIDs: [ticketID])
    }

    /// An agent by login, compared without case when no agent has it as written (Znuny looks
    /// logins up lower-cased).
    public func agent(loginIgnoringCase login: String) async throws -> Agent? {
        if let exact = try await agent(login: login) { return exact }
        return try await agentsMatching(login).first { $0.login.lowercased() == login.lowercased() }
    }

    /// A customer user by login, compared without case when no customer user has it as written
    /// (Znuny's `CustomerUserDataGet` compares `LOWER(login)` with the default `CaseSensitive => 0`).
    public func customerUser(loginIgnoringCase login: String) async throws -> CustomerUser? {
        try await customerUsers(loginOrEmail: login).byLogin
    }
}

/// Changes the core may make, always inside the transaction of a `DeskStore.write`.
public protocol StoreWriter: StoreReader {
    /// Atomically increments the named counter and returns its new value (first value: 1).
    func nextCounter(key: String) async throws -> Int

    /// Queues the articles' messages in the outbox, due at once, each signed or encrypted as given.
    func enqueueMail(_ articles: [(articleID: Int, security: MailSecurity?)], ticketID: Int, at time: Int64) async throws
    /// A new auto response; its id.
    func insertAutoResponse(_ response: AutoResponse, at time: Int64) async throws -> Int
    /// Links (or with nil unlinks) the queue's auto response of `typeID`.
    func setQueueAutoResponse(queueID: Int, typeID: Int, autoResponseID: Int?) async throws
    /// Stores an imported key, replacing the one with the same kind and fingerprint; its id.
    func putCryptoKey(_ key: CryptoKey) async throws -> Int
    /// Queues agent notifications in the outbox, due at once.
    func enqueueNotifications(_ notifications: [OutboxNotification], at time: Int64) async throws
    /// Claims the messages `ids` (from `claimableMail`) that are still queued, due at `now` and
    /// not claimed by another sender, for `leaseSeconds`, under the token `claim`; returns them,
    /// oldest first.
    func claimMail(ids: [Int], claim: String, now: Int64, leaseSeconds: Int64) async throws -> [OutboxEntry]
    /// Gives claimed messages back unsent, due as before; only those `claim` still holds.
    func releaseMail(ids: [Int], claim: String) async throws
    /// Records how an attempt ended, only while `claim` still holds the message (false otherwise).
    func finishMail(
        id: Int, claim: String, status: OutboxStatus, attempts: Int, nextAttemptAt: Int64, answer: String, sentAt: Int64?
    ) async throws -> Bool
    /// Puts a failed message back in the queue, due at `time`; false when there is no failed message `id`.
    func requeueMail(id: Int, at time: Int64) async throws -> Bool
    /// Sets or (nil) removes a face's attributes of one object.
    func setFaceAttributes(face: String, kind: FaceAttributeObject, objectID: Int, _ values: [String: String?]) async throws
    /// Sets the counter to `value` unless it is higher already.
    func raiseCounter(key: String, atLeast value: Int) async throws
    /// Sets the counter to `value`, higher or lower (for counters that record a position, not
    /// ones that hand out numbers).
    func setCounter(key: String, to value: Int) async throws
    /// Takes or renews the lease `name` for `holder` until `until`: when nobody holds it, its
    /// holder's time ended at or before `now`, or `holder` holds it already. False when another
    /// holder's lease runs past `now`.
    func takeLease(name: String, holder: String, until: Int64, now: Int64) async throws -> Bool
    /// Ends `holder`'s lease `name` (nothing when another holder has it).
    func releaseLease(name: String, holder: String) async throws
    /// Changes an article's subject, body or visibility (nil leaves a value).
    func updateArticle(id: Int, subject: String?, body: String?, isVisibleForCustomer: Bool?, at time: Int64, by userID: Int) async throws
    /// Removes an article with its attachments, dynamic field values, accounted time and face attributes.
    func deleteArticle(id: Int) async throws
    func deleteAttachment(id: Int) async throws
    /// Removes a ticket with its articles, attachments, dynamic field values, accounted time,
    /// watchers, links and events.
    func deleteTicket(id: Int) async throws
    /// Moves every article (with its attachments and accounted time) of one ticket to another.
    func moveArticles(fromTicket source: Int, toTicket target: Int) async throws

    /// Takes the next value of the ticket counter `counterKey` and reserves the ids of a new
    /// ticket and of its first `articles` articles. On PostgreSQL that is one statement, and the
    /// inserts given these ids need not wait for an answer; on SQLite the ids are nil (the
    /// database assigns them on insert, at no cost).
    func reserveTicket(counterKey: String, articles: Int) async throws -> TicketReservation
    /// Inserts the ticket with the reserved `id` (nil: the database assigns one); its id.
    func insertTicket(_ ticket: NewTicket, id: Int?) async throws -> Int
    /// Inserts articles (one statement) with the reserved `ids` (nil: the database assigns
    /// them) and returns their ids in the order given.
    func insertArticles(_ articles: [NewArticle], ids: [Int]?) async throws -> [Int]
    func insertAttachments(_ attachments: [NewAttachment]) async throws
    /// Inserts one attachment and returns its id.
    func insertAttachment(_ attachment: NewAttachment) async throws -> Int
    /// Replaces the values of the given (field, object) pairs.
    func setDynamicFieldValues(_ values: [DynamicFieldValue]) async throws
    /// Inserts values for objects that have none yet (new tickets and articles): no deletes.
    func insertDynamicFieldValues(_ values: [DynamicFieldValue]) async throws
    func insertEvents(_ events: [NewTicketEvent]) async throws
    func insertTimeAccounting(_ entries: [NewTimeAccounting]) async throws
    func updateTicket(id: Int, _ changes: TicketChanges, changedBy: Int, at time: Int64) async throws
    /// Locks the tickets' rows until this write ends (PostgreSQL's `FOR UPDATE`, in id order;
    /// SQLite's writer is alone anyway), so that two writes deciding from them take turns.
    func lockTickets(ids: [Int]) async throws
    /// Sets many tickets' escalation deadlines (and their change time and change by) at once.
    func setEscalationTimes(_ times: [(ticketID: Int, times: EscalationTimes)], changedBy: Int, at time: Int64) async throws
    func addWatcher(ticketID: Int, agentID: Int, at time: Int64, by userID: Int) async throws
    func addLink(_ link: TicketLink, at time: Int64, by userID: Int) async throws

    func insertAgent(_ agent: NewAgent) async throws -> Int
    func setAgentPassword(agentID: Int, hash: String) async throws
    func grant(_ permissions: [GroupPermission], toAgent agentID: Int) async throws
    /// Replaces the agent's subscriptions of this kind with `objectIDs`.
    func setSubscriptions(_ kind: Subscription, agentID: Int, objectIDs: [Int]) async throws
    func insertCustomerUser(_ customer: NewCustomerUser) async throws -> Int
    /// Creates `customer`, and the company its customer id names if there is none, unless a
    /// customer user has its login already (then nothing changes).
    func insertCustomerUserIfAbsent(_ customer: NewCustomerUser) async throws
    func setCustomerPassword(login: String, hash: String) async throws
    /// Gives a customer user its password, address and names (a customer registered from a
    /// ticket's address becoming an account).
    func completeCustomerUser(login: String, passwordHash: String, email: String, firstName: String, lastName: String, at time: Int64)
        async throws
    func setCustomerValidity(login: String, _ validity: Validity) async throws
    func insertCustomerCompany(_ company: CustomerCompany, at time: Int64) async throws
    func insertQueue(_ queue: NewQueue) async throws -> Int
    func updateQueue(id: Int, _ changes: QueueChanges, at time: Int64) async throws
    /// A new system address (valid) whose incoming mail goes to `queueID`.
    func insertSystemAddress(address: String, realName: String, queueID: Int, at time: Int64) async throws -> Int
    func insertSignature(name: String, text: String, at time: Int64) async throws -> Int
    func updateSignature(id: Int, text: String) async throws
    func insertService(name: String, validity: Validity) async throws -> Int
    func insertState(name: String, typeID: Int) async throws -> Int
    /// A new valid priority; its id.
    func insertPriority(name: String) async throws -> Int
    /// A new ticket type; its id.
    func insertTicketType(name: String, validity: Validity) async throws -> Int
    func updateTicketType(id: Int, name: String, validity: Validity) async throws
    func updateService(id: Int, name: String, validity: Validity) async throws
    /// Assigns the service to `login` (`ServiceAssignment`), or with `false` takes it back; an
    /// assignment that is there already (or absent) is left as it is.
    func setServiceAssignment(serviceID: Int, login: String, assigned: Bool) async throws
    /// A new SLA with the services it covers; its id (`sla.id` is ignored).
    func insertSLA(_ sla: SLA) async throws -> Int
    /// Replaces an SLA's name, times, validity and services.
    func updateSLA(_ sla: SLA) async throws
    /// Changes an agent's names, e-mail address and validity.
    func updateAgentProfile(id: Int, firstName: String, lastName: String, email: String, validity: Validity, at time: Int64) async throws
    func insertDynamicField(_ field: NewDynamicField) async throws -> Int
    func setSetting(key: String, value: String) async throws
    /// Sets the out-of-office flag, and the dates that are given (nil keeps a date).
    func setOutOfOffice(agentID: Int, enabled: Bool, start: String?, end: String?) async throws

    func insertSession(_ session: DeskSession) async throws
    func touchSession(id: String, at time: Int64) async throws
    /// Removes a session; false when there was none.
    func deleteSession(id: String) async throws -> Bool
    /// Removes sessions created before `createdBefore` or idle since before `idleBefore`.
    func deleteExpiredSessions(createdBefore: Int64, idleBefore: Int64) async throws

    func insertCredential(_ credential: NewCredential) async throws -> Int
    /// Changes a credential's identifier and secret hash (secret pairs an operator sets).
    func updateCredentialSecret(id: Int, identifier: String?, secretHash: String) async throws
    func setCredentialActive(id: Int, _ active: Bool) async throws
    /// Changes what a credential may do and from where (its secret stays).
    func updateCredentialOptions(id: Int, scopes: Set<CredentialScope>, allowedAddresses: [String], isActive: Bool, notes: String)
        async throws
    func touchCredential(id: Int, at time: Int64) async throws
    func deleteCredential(id: Int) async throws
    /// Counts one failed attempt for each key; a count older than `windowStart` starts again at 1.
    func recordAuthFailure(keys: [String], at time: Int64, windowStart: Int64) async throws
    func clearAuthFailures(keys: [String]) async throws

    /// Adds or replaces the mapping of (face, kind, external id).
    func setExternalID(_ mapping: ExternalID) async throws
    /// Adds mappings whose (face, kind, external id) is not mapped yet; keeps existing ones.
    func insertExternalIDsIfAbsent(_ mappings: [ExternalID]) async throws
    func deleteExternalID(face: String, kind: String, externalID: String) async throws -> Bool

    /// Adds or replaces a face document; returns its id (kept on replace).
    func putFaceDocument(face: String, kind: String, key: String, json: String, at time: Int64) async throws -> Int
    func deleteFaceDocument(face: String, kind: String, key: String) async throws -> Bool
}

extension StoreWriter {
    /// Inserts the ticket; the database assigns its id.
    public func insertTicket(_ ticket: NewTicket) async throws -> Int {
        try await insertTicket(ticket, id: nil)
    }

    /// Inserts articles; the database assigns their ids (returned in the order given).
    public func insertArticles(_ articles: [NewArticle]) async throws -> [Int] {
        try await insertArticles(articles, ids: nil)
    }
}
