import DeskCore
import DeskStore
import DeskTestSupport
import SQLKit
import Testing

/// Each parameter group with a ticket that must match and one that must not, on both databases.
@Suite("Ticket search")
struct TicketSearchTests {
    /// Two tickets that differ in every searchable respect, plus the demo ticket 1.
    struct World {
        let desk: Desk
        let root: Principal
        let alpha: Int
        let beta: Int
        let catalog: Catalog
    }

    static func world(_ db: TestDatabase.Handle, at time: Int64 = Desk.now) async throws -> World {
        let desk = Desk(db, clock: .fixed(time))
        let root = try await desk.root()
        _ = try await desk.customer("cora", customerID: "ACME")
        _ = try await desk.customer("bob", customerID: "OTHER")
        _ = try await desk.agent("olga", grants: ["users:rw"])
        try await desk.admin.addQueue(name: "Support", firstResponseMinutes: 60)
        try await desk.admin.addDynamicField(
            name: "Severity", label: nil, type: .dropdown, object: .ticket,
            possibleValues: [.init(key: "low", label: "Low"), .init(key: "high", label: "High")], possibleNone: false)
        try await desk.admin.addDynamicField(name: "Due", label: nil, type: .date, object: .ticket, possibleValues: [], possibleNone: false)
        try await desk.admin.addDynamicField(
            name: "Tags", label: nil, type: .multiselect, object: .ticket,
            possibleValues: [.init(key: "a", label: "A"), .init(key: "b", label: "B")], possibleNone: false)
        var alpha = TicketCreateRequest(
            title: "Printer on fire in building 7", queue: .name("Support"), state: .name("open"), priority: .name("4 high"),
            owner: .name("olga"), customerUser: "cora",
            articles: [
                ArticleDraft(
                    subject: "Smoke everywhere", body: "The printer emits purple smoke since the update.", senderType: .name("customer"),
                    channel: .name("Email"), from: "cora@example.org", to: "support@example.com",
                    attachments: [AttachmentDraft(filename: "smoke.jpg", contentType: "image/jpeg", content: [1, 2, 3])])
            ],
            dynamicFields: [
                DynamicFieldInput(name: "Severity", value: "high"), DynamicFieldInput(name: "Due", value: "2026-12-24"),
                DynamicFieldInput(name: "Tags", values: ["a", "b"]),
            ])
        alpha.type = .name("Unclassified")
        let a = try await desk.tickets.create(alpha, by: root)
        let beta = TicketCreateRequest(
            title: "Password reset", queue: .name("Misc"), state: .name("new"), priority: .name("2 low"), customerUser: "bob",
            articles: [
                ArticleDraft(
                    subject: "Locked out", body: "Cannot log in after holidays.", isVisibleForCustomer: false,
                    from: "bob@example.org")
            ],
            dynamicFields: [DynamicFieldInput(name: "Severity", value: "low"), DynamicFieldInput(name: "Due", value: "2027-01-10")])
        let b = try await desk.tickets.create(beta, by: root)
        let catalog = try await db.store.read { try await $0.catalog() }
        return World(desk: desk, root: root, alpha: a.ticketID, beta: b.ticketID, catalog: catalog)
    }

    /// Runs `query` as root and returns the ids among alpha and beta that matched.
    static func hits(_ world: World, _ build: (inout TicketQuery) -> Void) async throws -> Set<Int> {
        var query = TicketQuery()
        build(&query)
        let ids = try await world.desk.tickets.search(query, by: world.root)
        return Set(ids).intersection([world.alpha, world.beta])
    }

    @Test("text filters: ticket number, title, customer", arguments: TestDatabase.kinds)
    func text(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.world(db)
            let number = try await w.desk.tickets.get(ticketID: w.alpha, by: w.root).ticket.number
            #expect(try await Self.hits(w) { $0.ticketNumbers = [number] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.ticketNumbers = [String(number.prefix(10)) + "%"] } == [w.alpha, w.beta])
            #expect(try await Self.hits(w) { $0.titles = ["%FIRE%"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.titles = ["password reset"] } == [w.beta])
            #expect(try await Self.hits(w) { $0.titles = ["%fire%", "%reset"] } == [w.alpha, w.beta])
            #expect(try await Self.hits(w) { $0.customerIDs = ["AC%"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.customerIDsRaw = ["OTHER"] } == [w.beta])
            #expect(try await Self.hits(w) { $0.customerUserLogins = ["cora"] } == [w.alpha])
            // Requesters: either column names the ticket's requester; the other filters still AND.
            let both = TicketQuery.Requesters(customerIDs: ["OTHER"], customerUserLogins: ["CORA"])
            #expect(try await Self.hits(w) { $0.requesters = both } == [w.alpha, w.beta])
            #expect(try await Self.hits(w) { $0.requesters = .init(customerIDs: ["ACME"]) } == [w.alpha])
            #expect(try await Self.hits(w) { $0.requesters = .init(customerUserLogins: ["bob"]) } == [w.beta])
            let anded = try await Self.hits(w) {
                $0.requesters = .init(customerIDs: ["ACME", "OTHER"])
                $0.customerIDsRaw = ["OTHER"]
            }
            #expect(anded == [w.beta])
            #expect(try await Self.hits(w) { $0.requesters = .init() } == [])
            // A thousand values are a thousand ORs: nested so that SQLite's expression depth
            // (1,000) holds; a LIKE pattern longer than SQLite takes finds nothing.
            let many = (0..<1_500).map { "no such title \($0)" }
            #expect(try await Self.hits(w) { $0.titles = many + ["%FIRE%"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.ticketNumbers = many + [number] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.customerUserLoginsRaw = many + ["cora"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.titles = ["%" + String(repeating: "x", count: 60_000) + "%", "%reset"] } == [w.beta])
        }
    }

    @Test("text expressions: AND, OR, NOT of patterns; `_` and `\\` are plain characters", arguments: TestDatabase.kinds)
    func textExpressions(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.world(db)
            func hits(_ column: TextFilter.Column, _ condition: TextCondition) async throws -> Set<Int> {
                try await Self.hits(w) { $0.textFilters = [TextFilter(column, condition)] }
            }
            #expect(try await hits(.title, .all([.matches("%printer%"), .matches("%FIRE%")])) == [w.alpha])
            #expect(try await hits(.title, .all([.matches("%printer%"), .not(.matches("%fire%"))])) == [])
            #expect(try await hits(.title, .any([.matches("%fire%"), .matches("password reset")])) == [w.alpha, w.beta])
            #expect(try await hits(.title, .not(.matches("%building%"))) == [w.beta])
            #expect(try await hits(.title, .matches("Password_reset")) == [])
            #expect(try await hits(.title, .matches("%Password_reset%")) == [])
            #expect(try await hits(.title, .matches("%in building 7")) == [w.alpha])
            #expect(try await hits(.customerID, .any([.matches("acme"), .matches("%\\%")])) == [w.alpha])
            // A backslash is a plain character: `\t` must not read as an escaped `t`.
            var path = TicketCreateRequest(
                title: #"Disk C:\temp_dir full"#, queue: .name("Misc"), state: .name("new"), priority: .name("3 normal"), articles: [])
            path.customerUser = "bob"
            let disk = try await w.desk.tickets.create(path, by: w.root).ticketID
            func titled(_ pattern: String) async throws -> Bool {
                var query = TicketQuery()
                query.textFilters = [TextFilter(.title, .matches(pattern))]
                return try await w.desk.tickets.search(query, by: w.root).contains(disk)
            }
            #expect(try await titled(#"%:\t%"#))
            #expect(try await titled(#"%\temp_dir%"#))
            #expect(try await !titled(#"%\tempXdir%"#))
            #expect(try await hits(.customerUserLogin, .not(.matches("cora"))) == [w.beta])
            #expect(try await hits(.title, .never) == [])
            // Ticket numbers compare the same way; with plain lists beside them, all hold.
            let number = try await w.desk.tickets.get(ticketID: w.beta, by: w.root).ticket.number
            #expect(try await hits(.ticketNumber, .any([.matches(number), .matches("x")])) == [w.beta])
            #expect(
                try await Self.hits(w) {
                    $0.titles = ["%e%"]
                    $0.textFilters = [TextFilter(.ticketNumber, .not(.matches(number)))]
                } == [w.alpha])
        }
    }

    @Test("id and name lists, created values, watchers", arguments: TestDatabase.kinds)
    func lists(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.world(db)
            let c = w.catalog
            #expect(try await Self.hits(w) { $0.stateIDs = [c.states["open"]!.id] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.stateTypeIDs = [c.stateTypes["new"]!.id] } == [w.beta])
            #expect(try await Self.hits(w) { $0.queueIDs = [c.queues["Support"]!.id] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.priorityIDs = [2] } == [w.beta])
            #expect(try await Self.hits(w) { $0.lockIDs = [LockID.lock] } == [w.alpha])
            let olga = try await db.store.read { try await $0.agent(login: "olga") }!.id
            #expect(try await Self.hits(w) { $0.ownerIDs = [olga] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.ticketIDs = [w.beta] } == [w.beta])
            // Moving beta leaves its created queue as it was.
            _ = try await w.desk.tickets.update(ticketID: w.beta, TicketUpdateRequest(queue: .name("Support")), by: w.root)
            #expect(try await Self.hits(w) { $0.queueIDs = [c.queues["Support"]!.id] } == [w.alpha, w.beta])
            #expect(try await Self.hits(w) { $0.createdQueueIDs = [c.queues["Misc"]!.id] } == [w.beta])
            #expect(try await Self.hits(w) { $0.createdPriorityIDs = [4] } == [w.alpha])
            try await db.store.write { try await $0.addWatcher(ticketID: w.beta, agentID: olga, at: Desk.now, by: 1) }
            #expect(try await Self.hits(w) { $0.watcherIDs = [olga] } == [w.beta])
            // Types and responsibles other than 1 come through migration 38's partial indexes;
            // 1 itself, alone or with others, as before.
            _ = try await w.desk.tickets.update(ticketID: w.beta, TicketUpdateRequest(responsible: .name("olga")), by: w.root)
            #expect(try await Self.hits(w) { $0.responsibleIDs = [olga] } == [w.beta])
            #expect(try await Self.hits(w) { $0.responsibleIDs = [1] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.responsibleIDs = [olga, 1] } == [w.alpha, w.beta])
            #expect(try await Self.hits(w) { $0.typeIDs = [1] } == [w.alpha, w.beta])
            #expect(try await Self.hits(w) { $0.typeIDs = [2] } == [])
            #expect(try await Self.hits(w) { $0.typeIDs = [2, 1] } == [w.alpha, w.beta])
        }
    }

    @Test("time filters: created, changed, history change, close, pending, escalation, article", arguments: TestDatabase.kinds)
    func times(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.world(db)
            let later = TicketService(store: db.store, clock: .fixed(Desk.now + 7200))
            _ = try await later.update(ticketID: w.beta, TicketUpdateRequest(state: .name("closed successful")), by: w.root)
            #expect(
                try await Self.hits(w) {
                    $0.createdFrom = Desk.now - 10
                    $0.createdTo = Desk.now + 10
                } == [w.alpha, w.beta])
            #expect(try await Self.hits(w) { $0.createdFrom = Desk.now + 10 } == [])
            #expect(try await Self.hits(w) { $0.changedFrom = Desk.now + 3600 } == [w.beta])
            #expect(try await Self.hits(w) { $0.anyChangeFrom = Desk.now + 3600 } == [w.beta])
            #expect(try await Self.hits(w) { $0.closedFrom = Desk.now } == [w.beta])
            #expect(
                try await Self.hits(w) {
                    $0.escalationResponseFrom = Desk.now
                    $0.escalationResponseTo = Desk.now + 3600
                } == [w.alpha])
            #expect(try await Self.hits(w) { $0.articleCreatedTo = Desk.now } == [w.alpha, w.beta])
            _ = try await w.desk.tickets.update(
                ticketID: w.alpha,
                TicketUpdateRequest(
                    state: .name("pending reminder"), pendingUntil: Desk.now + 86_400), by: w.root)
            #expect(
                try await Self.hits(w) {
                    $0.pendingFrom = Desk.now
                    $0.pendingTo = Desk.now + 2 * 86_400
                } == [w.alpha])
            #expect(try await Self.hits(w) { $0.pendingTo = Desk.now } == [])
        }
    }

    @Test("article fields, full text, attachment names, customer visibility", arguments: TestDatabase.kinds)
    func articles(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.world(db)
            #expect(try await Self.hits(w) { $0.fullTextWords = ["purple", "smoke"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.fullTextWords = ["purple", "holidays"] } == [])
            #expect(try await Self.hits(w) { $0.fullTextWords = ["HOLIDAYS"] } == [w.beta])
            #expect(try await Self.hits(w) { $0.articleFields = [.from: "cora@"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.articleFields = [.subject: "SMOKE"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.articleFields = [.body: "log in"] } == [w.beta])
            // Subject and body words are ANDed in any order, each a whole word.
            #expect(try await Self.hits(w) { $0.articleFields = [.body: "smoke PURPLE"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.articleFields = [.body: "purp"] } == [])
            #expect(try await Self.hits(w) { $0.articleFields = [.subject: "smoke", .body: "purple"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.articleFields = [.subject: "smoke", .body: "holidays"] } == [])
            #expect(try await Self.hits(w) { $0.articleFields = [.body: "purple holidays"] } == [])
            #expect(
                try await Self.hits(w) {
                    $0.articleFields = [.subject: "locked", .body: "holidays"]
                    $0.articleFieldsMatch = .any
                } == [w.beta])
            #expect(try await Self.hits(w) { $0.articleFields = [.subject: "smoke", .from: "bob"] } == [])
            #expect(
                try await Self.hits(w) {
                    $0.articleFields = [.subject: "smoke", .from: "bob"]
                    $0.articleFieldsMatch = .any
                } == [w.alpha, w.beta])
            // Addresses are words of the index: '@' and '.' separate them.
            #expect(try await Self.hits(w) { $0.articleFields = [.from: "example.org"] } == [w.alpha, w.beta])
            #expect(try await Self.hits(w) { $0.articleFields = [.from: "bob@example.org"] } == [w.beta])
            #expect(try await Self.hits(w) { $0.articleFields = [.from: "exam"] } == [])
            #expect(try await Self.hits(w) { $0.articleFields = [.to: "support@example.com"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.articleFields = [.from: "support"] } == [])
            // Full-text words stay in the subject and body.
            #expect(try await Self.hits(w) { $0.fullTextWords = ["cora"] } == [])
            // Znuny's `Fulltext`: one value in every field, ORed.
            let fulltext: [(String, Set<Int>)] = [
                ("cora", [w.alpha]), ("holidays", [w.beta]), ("example", [w.alpha, w.beta]), ("nobody", []),
            ]
            for (value, expected) in fulltext {
                #expect(
                    try await Self.hits(w) {
                        for field in TicketQuery.ArticleField.allCases { $0.articleFields[field] = value }
                        $0.articleFieldsMatch = .any
                    } == expected, "Fulltext \(value)")
            }
            #expect(try await Self.hits(w) { $0.attachmentNames = ["%.jpg"] } == [w.alpha])
            let bob = try await w.desk.auth.customerPrincipal(login: "bob")!
            var query = TicketQuery()
            query.fullTextWords = ["holidays"]
            // Bob's only article is internal: a customer's article search does not see it.
            #expect(try await w.desk.tickets.search(query, by: .customer(bob)) == [])
            query.fullTextWords = []
            #expect(try await w.desk.tickets.search(query, by: .customer(bob)) == [w.beta])
        }
    }

    @Test("dynamic field operators", arguments: TestDatabase.kinds)
    func dynamicFields(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.world(db)
            let severity = w.catalog.dynamicFields["Severity"]!.id
            let due = w.catalog.dynamicFields["Due"]!.id
            let tags = w.catalog.dynamicFields["Tags"]!.id
            func condition(_ field: Int, _ op: TicketQuery.DynamicFieldCondition.Operator, _ values: [String])
                -> TicketQuery.DynamicFieldCondition
            {
                .init(fieldID: field, op: op, values: values)
            }
            #expect(try await Self.hits(w) { $0.dynamicFields = [condition(severity, .equals, ["high"])] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.dynamicFields = [condition(severity, .equals, ["high", "low"])] } == [w.alpha, w.beta])
            #expect(try await Self.hits(w) { $0.dynamicFields = [condition(severity, .like, ["L%"])] } == [w.beta])
            let many = (0..<1_500).map { "value \($0)" }
            #expect(try await Self.hits(w) { $0.dynamicFields = [condition(severity, .equals, many + ["high"])] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.dynamicFields = [condition(severity, .like, many + ["L%"])] } == [w.beta])
            #expect(
                try await Self.hits(w) { $0.dynamicFields = [condition(severity, .like, [String(repeating: "%", count: 60_000), "L%"])] }
                    == [w.beta])
            #expect(try await Self.hits(w) { $0.dynamicFields = [condition(due, .greaterThan, ["2027-01-01 00:00:00"])] } == [w.beta])
            #expect(
                try await Self.hits(w) { $0.dynamicFields = [condition(due, .smallerThanEquals, ["2026-12-24 00:00:00"])] } == [w.alpha])
            #expect(
                try await Self.hits(w) {
                    $0.dynamicFields = [
                        condition(due, .greaterThanEquals, ["2026-12-01 00:00:00"]), condition(due, .smallerThan, ["2027-01-01 00:00:00"]),
                    ]
                } == [w.alpha])
            #expect(try await Self.hits(w) { $0.dynamicFields = [condition(tags, .empty, ["1"])] } == [w.beta])
            #expect(try await Self.hits(w) { $0.dynamicFields = [condition(tags, .empty, ["0"])] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.dynamicFields = [condition(tags, .equals, ["b"])] } == [w.alpha])
        }
    }

    @Test("sorting, limits, pages, counts and queue × state counts", arguments: TestDatabase.kinds)
    func sortingAndCounts(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.world(db)
            var query = TicketQuery()
            query.ticketIDs = [w.alpha, w.beta]
            query.sort = [(.title, true)]
            #expect(try await w.desk.tickets.search(query, by: w.root) == [w.beta, w.alpha])
            query.sort = [(.dynamicField(w.catalog.dynamicFields["Severity"]!.id), true)]
            #expect(try await w.desk.tickets.search(query, by: w.root) == [w.alpha, w.beta])
            query.sort = [(.priority, false)]
            query.limit = 1
            #expect(try await w.desk.tickets.search(query, by: w.root) == [w.alpha])
            query.offset = 1
            #expect(try await w.desk.tickets.search(query, by: w.root) == [w.beta])
            #expect(try await w.desk.tickets.count(TicketQuery(), by: w.root) == 3)

            var counts = try await w.desk.tickets.queueStateCounts(by: w.root)
            let support = w.catalog.queues["Support"]!.id
            #expect(counts.contains(QueueStateCount(queueID: support, stateID: w.catalog.states["open"]!.id, count: 1)))
            #expect(counts.contains(QueueStateCount(queueID: 4, stateID: 1, count: 1)))
            _ = try await w.desk.tickets.update(
                ticketID: w.beta, TicketUpdateRequest(queue: .name("Support"), state: .name("open")), by: w.root)
            counts = try await w.desk.tickets.queueStateCounts(by: w.root)
            #expect(counts.contains(QueueStateCount(queueID: support, stateID: w.catalog.states["open"]!.id, count: 2)))
            #expect(!counts.contains { $0.queueID == 4 && $0.stateID == 1 })

            // A ticket without a pending time sorts as 0 (OTRS 6 dropped "always last", bug 13837).
            _ = try await w.desk.tickets.update(
                ticketID: w.alpha, TicketUpdateRequest(state: .name("pending reminder"), pendingUntil: Desk.now + 86_400), by: w.root)
            var pending = TicketQuery()
            pending.ticketIDs = [w.alpha, w.beta]
            pending.sort = [(.pendingTime, true)]
            #expect(try await w.desk.tickets.search(pending, by: w.root) == [w.beta, w.alpha])
            pending.sort = [(.pendingTime, false)]
            #expect(try await w.desk.tickets.search(pending, by: w.root) == [w.alpha, w.beta])

            // Equal values follow each other by ticket id, ascending, in either direction (as
            // PostgreSQL's DISTINCT sort orders Znuny's search); times keep their own direction.
            let gamma = try await w.desk.tickets.create(
                TicketCreateRequest(
                    title: "Gamma", queue: .name("Support"), state: .name("new"), priority: .name("3 normal"), articles: [],
                    dynamicFields: []), by: w.root
            ).ticketID
            var ties = TicketQuery()
            ties.ticketIDs = [w.beta, gamma]
            _ = try await w.desk.tickets.update(ticketID: gamma, TicketUpdateRequest(priority: .name("3 normal")), by: w.root)
            _ = try await w.desk.tickets.update(ticketID: w.beta, TicketUpdateRequest(priority: .name("3 normal")), by: w.root)
            for ascending in [true, false] {
                ties.sort = [(.priority, ascending)]
                #expect(try await w.desk.tickets.search(ties, by: w.root) == [w.beta, gamma])
            }

            // Titles and customer ids sort without case (as Znuny's databases collate them),
            // equal ones by id.
            var named: [Int] = []
            for name in ["banana split", "Apple pie", "APPLE PIE", "apple pie"] {
                named.append(
                    try await w.desk.tickets.create(
                        TicketCreateRequest(
                            title: name, queue: .name("Support"), state: .name("new"), priority: .name("3 normal"), customerID: name,
                            articles: [], dynamicFields: []), by: w.root
                    ).ticketID)
            }
            var byName = TicketQuery()
            byName.ticketIDs = named
            for key in [TicketQuery.SortKey.title, .customerID] {
                byName.sort = [(key, true)]
                #expect(try await w.desk.tickets.search(byName, by: w.root) == [named[1], named[2], named[3], named[0]], "\(key)")
                byName.sort = [(key, false)]
                #expect(try await w.desk.tickets.search(byName, by: w.root) == [named[0], named[1], named[2], named[3]], "\(key)")
            }
        }
    }

    /// Newest visible article first: a note changes its ticket but not its place; every page of
    /// the bounded plan (the most recently changed tickets give the bound) equals the full sort.
    @Test("sorting by the newest customer-visible article, page by page", arguments: TestDatabase.kinds)
    func lastVisibleArticleSort(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let start = Desk.now
            func desk(_ minutes: Int64) -> Desk { Desk(db, clock: .fixed(start + minutes * 60)) }
            let root = try await desk(0).root()
            func create(_ title: String, at minutes: Int64, articles: [ArticleDraft]) async throws -> Int {
                let request = TicketCreateRequest(
                    title: title, queue: .name("Misc"), state: .name("new"), priority: .name("3 normal"), articles: articles,
                    dynamicFields: [])
                return try await desk(minutes).tickets.create(request, by: root).ticketID
            }
            func article(visible: Bool) -> ArticleDraft {
                ArticleDraft(subject: "s", body: "b", isVisibleForCustomer: visible, from: "x@example.org")
            }
            let a = try await create("A", at: 1, articles: [article(visible: true)])
            let b = try await create("B", at: 2, articles: [article(visible: true)])
            let c = try await create("C", at: 3, articles: [article(visible: true)])
            let quiet = try await create("Only a note", at: 4, articles: [article(visible: false)])
            _ = try await desk(5).tickets.update(ticketID: a, TicketUpdateRequest(articles: [article(visible: false)]), by: root)
            _ = try await desk(6).tickets.update(ticketID: b, TicketUpdateRequest(articles: [article(visible: true)]), by: root)
            var query = TicketQuery()
            query.ticketIDs = [a, b, c, quiet]
            query.sort = [(.lastVisibleArticle, false)]
            #expect(try await desk(7).tickets.search(query, by: root) == [b, quiet, c, a])
            for offset in 0..<4 {
                for limit in 1...3 {
                    query.offset = offset
                    query.limit = limit
                    let page = Array([b, quiet, c, a].dropFirst(offset).prefix(limit))
                    #expect(try await desk(7).tickets.search(query, by: root) == page, "offset \(offset), limit \(limit)")
                }
            }
            query.offset = 0
            query.limit = 10
            query.sort = [(.lastVisibleArticle, true)]
            #expect(try await desk(7).tickets.search(query, by: root) == [a, c, quiet, b])
        }
    }

    @Test("agents see their groups' queues and their own tickets only", arguments: TestDatabase.kinds)
    func scope(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.world(db)
            try await w.desk.admin.addQueue(name: "Secret", group: "admin")
            _ = try await w.desk.tickets.update(ticketID: w.beta, TicketUpdateRequest(queue: .name("Secret")), by: w.root)
            let olga = try await w.desk.auth.agentPrincipal(id: try await db.store.read { try await $0.agent(login: "olga") }!.id)!
            #expect(Set(try await w.desk.tickets.search(TicketQuery(), by: .agent(olga))).intersection([w.alpha, w.beta]) == [w.alpha])
            let outsider = try await w.desk.agent("otto", grants: [])
            #expect(try await w.desk.tickets.search(TicketQuery(), by: outsider) == [])
        }
    }

    @Test(
        "full text follows articles and titles inserted, changed and deleted in one transaction, and in batches",
        arguments: TestDatabase.kinds)
    func fullTextWithinTransactions(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await Self.world(db)
            let source = try await w.desk.tickets.get(ticketID: w.alpha, by: w.root).articles[0].id
            let copy: SQLQueryString = """
                INSERT INTO articles (ticket_id, sender_type_id, channel_id, is_visible_for_customer, a_from, a_to, a_cc, a_bcc,
                    a_reply_to, subject, body, content_type, charset, mime_type, message_id, in_reply_to, a_references,
                    incoming_time, created_at, created_by, changed_at, changed_by)
                SELECT ticket_id, sender_type_id, channel_id, is_visible_for_customer, a_from, a_to, a_cc, a_bcc, a_reply_to,
                    'Copy', 'quokka', content_type, charset, mime_type, message_id, in_reply_to, a_references, incoming_time,
                    created_at, created_by, changed_at, changed_by
                FROM articles WHERE id = \(bind: source) RETURNING id
                """
            // Inserted, then changed in the same transaction: indexed as it is at COMMIT.
            try await db.database.transaction { sql in
                let id = try #require(try await sql.raw(copy).first()?.decode(column: "id", as: Int.self))
                try await sql.raw("UPDATE articles SET body = 'wombat numbat' WHERE id = \(bind: id)").run()
                try await sql.raw("UPDATE tickets SET title = 'Koala cafe' WHERE id = \(bind: w.beta)").run()
            }
            // Inserted, then deleted in the same transaction: never indexed.
            try await db.database.transaction { sql in
                let id = try #require(try await sql.raw(copy).first()?.decode(column: "id", as: Int.self))
                try await sql.raw("UPDATE articles SET body = 'platypus' WHERE id = \(bind: id)").run()
                try await sql.raw("DELETE FROM articles WHERE id = \(bind: id)").run()
            }
            #expect(try await Self.hits(w) { $0.fullTextWords = ["numbat"] } == [w.alpha])
            #expect(try await Self.hits(w) { $0.fullTextWords = ["quokka"] } == [])
            #expect(try await Self.hits(w) { $0.fullTextWords = ["platypus"] } == [])
            #expect(try await Self.hits(w) { $0.titles = ["%koala%"] } == [w.beta])
            #expect(try await Self.hits(w) { $0.titles = ["%password%"] } == [])
            // Changed again later: the old words leave the index.
            try await db.database.transaction { sql in
                try await sql.raw("UPDATE articles SET body = 'echidna' WHERE body = 'wombat numbat'").run()
            }
            #expect(try await Self.hits(w) { $0.fullTextWords = ["numbat"] } == [])
            #expect(try await Self.hits(w) { $0.fullTextWords = ["echidna"] } == [w.alpha])
            // Creates running at once share transactions; each is found by its own word.
            let words = (0..<40).map { "zebu\($0)x" }
            let created = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for word in words {
                    group.addTask {
                        var request = Desk.simpleTicket(title: "Title \(word)")
                        request.articles = [ArticleDraft(subject: "Hello", body: "about \(word)", channel: .name("Email"))]
                        return (word, try await w.desk.tickets.create(request, by: w.root).ticketID)
                    }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1.0] = $1.1 }
            }
            for word in words {
                var query = TicketQuery()
                query.fullTextWords = [word]
                #expect(try await w.desk.tickets.search(query, by: w.root) == [created[word]!], "\(word)")
                query = TicketQuery()
                query.titles = ["%\(word)%"]
                #expect(try await w.desk.tickets.search(query, by: w.root) == [created[word]!], "title \(word)")
            }
            if kind == .sqlite {
                // The external-content FTS5 indexes agree with their tables.
                try await db.database.execute("INSERT INTO article_fts (article_fts, rank) VALUES ('integrity-check', 1)")
                try await db.database.execute("INSERT INTO ticket_title_fts (ticket_title_fts, rank) VALUES ('integrity-check', 1)")
            }
        }
    }
}
