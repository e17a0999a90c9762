import DeskCore
import DeskTestSupport
import SQLKit
import Testing

@testable import DeskStore

/// The plans `SearchProbe` chooses between give the same pages. A probe cap of 0 sends every
/// query through the plans for many matches (row-by-row text tests, walking a dynamic field's
/// values in order); the default cap sends this small world through the plans for few.
@Suite("Search plans for few and many matches")
struct SearchProbeTests {
    static func query(_ change: (inout TicketQuery) -> Void) -> TicketQuery {
        var query = TicketQuery()
        change(&query)
        return query
    }

    static func pages(_ db: TestDatabase.Handle, _ query: TicketQuery) async throws -> (few: [Int], many: [Int]) {
        let few = try await db.store.read { try await $0.searchTickets(query, scope: .unrestricted) }
        let many = try await db.store.read { try await ($0 as! SQLStoreSession).searchTickets(query, scope: .unrestricted, probeCap: 0) }
        return (few, many)
    }

    /// `query`'s statement with the probe's choices as a probe with a cap of 20 makes them, or,
    /// given `choices`, as those set them.
    static func statement(
        _ db: TestDatabase.Handle, _ query: TicketQuery, choices: ((inout SearchProbe.Result) -> Void)? = nil
    ) async throws -> TicketSearchSQL {
        let kind = db.database.kind
        var sql = TicketSearchSQL(query: query, scope: .unrestricted, kind: kind)
        if let choices {
            var result = SearchProbe.Result()
            choices(&result)
            sql.probe = result
        } else {
            let unprobed = sql
            sql.probe = try await db.database.read { try await SearchProbe(db: $0, kind: kind, cap: 20).run(unprobed) }
        }
        return sql
    }

    static func ids(_ db: TestDatabase.Handle, _ sql: TicketSearchSQL) async throws -> [Int] {
        try await db.database.read { try await $0.raw(sql.select()).all().map { try $0.decode(column: "id", as: Int.self) } }
    }

    /// SQLite's plan of `sql`, a line per step.
    static func sqlitePlan(_ db: TestDatabase.Handle, _ sql: TicketSearchSQL) async throws -> [String] {
        try await db.database.read {
            try await $0.raw("EXPLAIN QUERY PLAN " + sql.select()).all().map { try $0.decode(column: "detail", as: String.self) }
        }
    }

    @Test("a title pattern's density comes from the middle half of the first look's ids")
    func titleDensity() throws {
        // Every fourth ticket from 1,000 on matches; a look in table order also met three far-off
        // rows (updated tickets' new rows): they must not make the pattern look rare.
        let run = Array(stride(from: 1_000, to: 1_800, by: 4))
        let density = try #require(SearchProbe.density(of: [900_000] + run.prefix(100) + [3, 512_000] + run.suffix(100)))
        #expect(abs(density - 0.25) < 0.01, "\(density)")
        #expect(SearchProbe.density(of: run.reversed()) == SearchProbe.density(of: run))
        #expect(SearchProbe.density(of: [7]) == 1)
        #expect(SearchProbe.density(of: [10, 20]) == 2.0 / 11)
        #expect(SearchProbe.density(of: []) == nil)
    }

    @Test("text conditions: both plans find the same tickets", arguments: TestDatabase.kinds)
    func textPlansAgree(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await TicketSearchTests.world(db)
            let cases: [(TicketQuery, [Int])] = [
                (Self.query { $0.fullTextWords = ["purple", "smoke"] }, [w.alpha]),
                (Self.query { $0.fullTextWords = ["holidays"] }, [w.beta]),
                (Self.query { $0.articleFields = [.body: "smoke purple"] }, [w.alpha]),
                (
                    Self.query {
                        $0.articleFields = [.subject: "smoke", .body: "holidays"]
                        $0.articleFieldsMatch = .any
                    }, [w.beta, w.alpha]
                ),
                (Self.query { $0.articleFields = [.body: "printer", .from: "cora@"] }, [w.alpha]),
                (Self.query { $0.articleFields = [.body: "printer", .from: "bob"] }, []),
                (
                    Self.query {
                        for field in TicketQuery.ArticleField.allCases { $0.articleFields[field] = "example" }
                        $0.articleFieldsMatch = .any
                    }, [w.beta, w.alpha]
                ),
                (Self.query { $0.titles = ["%fire%"] }, [w.alpha]),
                (Self.query { $0.titles = ["%nothing-like-this%"] }, []),
            ]
            for (query, expected) in cases {
                let (few, many) = try await Self.pages(db, query)
                #expect(few == expected, "few: \(query.fullTextWords) \(query.articleFields) \(query.titles)")
                #expect(many == expected, "many: \(query.fullTextWords) \(query.articleFields) \(query.titles)")
            }
        }
    }

    /// A common word's newest matches are taken as a set and older articles tested one by one;
    /// with the probe's cap at 0, 1, 2, … the split falls before each match in turn.
    /// Follow-ups on older tickets put article order out of ticket order, and an internal
    /// article must stay hidden from the customer on either side of the split.
    /// Ticket number and customer patterns with a prefix read their range of an index when few
    /// tickets begin so (SQLite). Pages and counts must equal those of the plain statement, which
    /// tests every ticket: lower-cased ranges for customers, `_` a wildcard in the Znuny lists
    /// and a plain character in a `TextFilter`, letters in a ticket number's prefix.
    @Test("prefix patterns: the range finds what testing every ticket finds", arguments: TestDatabase.kinds)
    func prefixPlansAgree(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await Desk.bulkLoad(db, tickets: 3_000)
            let cases: [(change: (inout TicketQuery) -> Void, matches: Int?)] = [
                ({ $0.ticketNumbers = ["90000012%"] }, 100),
                ({ $0.ticketNumbers = ["9000001_3%"] }, 100),
                ({ $0.ticketNumbers = ["9000002%", "900000299%"] }, 1_000),
                ({ $0.ticketNumbers = ["9x%"] }, 0),
                ({ $0.customerIDs = ["Cust-17%"] }, nil),
                ({ $0.customerIDs = ["cust-1_"] }, nil),
                ({ $0.customerUserLogins = ["CUSTOMER42%"] }, nil),
                ({ $0.customerUserLogins = ["nobody%"] }, 0),
                // PostgreSQL's LIKE reads `\-` as an escaped `-`; SQLite's as two characters.
                ({ $0.customerIDs = ["CUST\\-17%"] }, kind == .postgres ? nil : 0),
                ({ $0.textFilters = [TextFilter(.customerID, .matches("cust-1_%"))] }, 0),
                ({ $0.textFilters = [TextFilter(.customerID, .any([.matches("CUST-19%"), .not(.matches("cust-%"))]))] }, nil),
                ({ $0.textFilters = [TextFilter(.ticketNumber, .all([.matches("9000001%"), .matches("%7")]))] }, 100),
            ]
            for (change, matches) in cases {
                let query = Self.query {
                    change(&$0)
                    $0.limit = 50
                }
                let everyTicket = Self.query {
                    $0 = query
                    $0.limit = 3_000
                }
                let (page, count, tested) = try await db.store.read { reader in
                    let session = reader as! SQLStoreSession
                    let plain = TicketSearchSQL(query: everyTicket, scope: .unrestricted, kind: kind)
                    return (
                        try await session.searchTickets(query, scope: .unrestricted),
                        try await session.countTickets(query, scope: .unrestricted), try await session.ids(plain.select())
                    )
                }
                let label = "\(query.ticketNumbers) \(query.customerIDs) \(query.customerUserLogins) \(query.textFilters)"
                #expect(page == Array(tested.prefix(50)), "\(label)")
                #expect(count == tested.count, "\(label)")
                if let matches {
                    #expect(tested.count == matches, "\(label)")
                } else {
                    #expect(!tested.isEmpty && tested.count < 3_000, "\(label)")
                }
            }
        }
    }

    @Test("common words split at any article give the same pages", arguments: TestDatabase.kinds)
    func splitAtEveryMatch(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            let root = try await desk.root()
            _ = try await desk.customer("cora", customerID: "ACME")
            var matching: [Int] = []  // the articles with "printer", oldest first
            func ticket(_ body: String, visible: Bool = true) async throws -> Int {
                var request = Desk.simpleTicket(customer: "cora")
                request.articles = [ArticleDraft(subject: "Report", body: body, isVisibleForCustomer: visible)]
                let created = try await desk.tickets.create(request, by: root)
                if body.contains("printer") { matching += created.articleIDs }
                return created.ticketID
            }
            let first = try await ticket("The printer jams.")
            let second = try await ticket("Nothing to see.")
            _ = try await ticket("The printer is offline.", visible: false)
            matching.append(
                try await desk.tickets.addArticle(ticketID: second, ArticleDraft(subject: "Again", body: "Now the printer too."), by: root))
            _ = try await ticket("Unrelated.")
            matching.append(
                try await desk.tickets.addArticle(
                    ticketID: first, ArticleDraft(subject: "Fixed", body: "printer fixed", isVisibleForCustomer: false), by: root))
            _ = try await ticket("A printer in the hall.")
            // The caps below put the split at each of the five matching articles, newest first.
            let common = Self.query { $0.fullTextWords = ["printer"] }
            let match = try #require(ArticleTextMatch.fullText(common, kind: kind))
            let newestFirst = matching.sorted(by: >)  // on PostgreSQL ids are drawn ahead in blocks
            try #require(newestFirst.count == 5)
            for cap in 0..<5 {
                let probed = try await db.database.read { conn in
                    try await SearchProbe(db: conn, kind: kind, cap: cap).run(
                        TicketSearchSQL(query: common, scope: .unrestricted, kind: kind))
                }
                #expect(probed.articleMatches[match] == .many(newestFrom: newestFirst[cap]), "cap \(cap)")
            }
            let scopes: [(SearchScope, matching: Int)] = [(.unrestricted, 4), (.customer(login: "cora", customerIDs: []), 3)]
            for (scope, matching) in scopes {
                for ascending in [false, true] {
                    for offset in [0, 1, 2, 3, Int.max] {
                        let query = Self.query {
                            $0.fullTextWords = ["printer"]
                            $0.sort = [(.created, ascending)]
                            $0.limit = 2
                            $0.offset = offset
                        }
                        let expected = try await db.store.read { try await $0.searchTickets(query, scope: scope) }
                        for cap in 0..<5 {
                            let page = try await db.store.read {
                                try await ($0 as! SQLStoreSession).searchTickets(query, scope: scope, probeCap: cap)
                            }
                            #expect(page == expected, "\(scope) ascending \(ascending) offset \(offset) cap \(cap)")
                        }
                    }
                }
                let all = try await db.store.read {
                    try await $0.searchTickets(Self.query { $0.fullTextWords = ["printer"] }, scope: scope)
                }
                #expect(all.count == matching)
            }
        }
    }

    /// On a loaded database a common word has hundreds of matches: the split falls inside what
    /// the probe read (at the 200th newest match), and the pages agree with the plan
    /// for few matches, also through the other plans that carry the text condition: a
    /// dynamic-field sort (its values walked), a field's value walked by ticket id, and
    /// article-field words beside full-text words.
    @Test("a split among many matches agrees with the plan for few, through every plan", arguments: TestDatabase.kinds)
    func splitAmongManyMatches(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let severity = try await Desk.bulkLoad(db, tickets: 1_000).fieldIDs.severity
            let cap = 250
            let common = Self.query {
                $0.fullTextWords = ["printer"]
                $0.limit = 50  // 200 newest matches kept (`SearchProbe.newestKept`)
            }
            let match = try #require(ArticleTextMatch.fullText(common, kind: kind))
            let probed = try await db.database.read { conn in
                try await SearchProbe(db: conn, kind: kind, cap: cap).run(TicketSearchSQL(query: common, scope: .unrestricted, kind: kind))
            }
            let newestSQL: SQLQueryString =
                switch kind {
                case .sqlite:
                    "SELECT rowid AS id FROM article_fts WHERE article_fts MATCH \(bind: match.expression) ORDER BY rowid DESC LIMIT 200"
                case .postgres:
                    "SELECT id FROM articles WHERE search_tsv @@ to_tsquery('simple', \(bind: match.expression)) ORDER BY id DESC LIMIT 200"
                }
            let newest = try await db.database.read { conn in
                try await conn.raw(newestSQL).all().map { try $0.decode(column: "id", as: Int.self) }
            }
            try #require(newest.count == 200)
            #expect(probed.articleMatches[match] == .many(newestFrom: newest.last))
            let queries: [(String, TicketQuery)] = [
                ("newest first", Self.query { $0.fullTextWords = ["printer"] }),
                (
                    "a later page",
                    Self.query {
                        $0.fullTextWords = ["printer"]
                        $0.offset = 30
                        $0.limit = 20
                    }
                ),
                (
                    "oldest first",
                    Self.query {
                        $0.fullTextWords = ["printer"]
                        $0.sort = [(.created, true)]
                    }
                ),
                (
                    "body words too",
                    Self.query {
                        $0.fullTextWords = ["printer"]
                        $0.articleFields = [.body: "error"]
                    }
                ),
                (
                    "sorted by a dynamic field",
                    Self.query {
                        $0.fullTextWords = ["printer"]
                        $0.sort = [(.dynamicField(severity), true)]
                    }
                ),
                (
                    "a field's value walked by id",
                    Self.query {
                        $0.fullTextWords = ["printer"]
                        $0.dynamicFields = [.init(fieldID: severity, op: .equals, values: ["high"])]
                    }
                ),
            ]
            for (name, query) in queries {
                var limited = query
                limited.limit = query.offset > 0 ? query.limit : 50
                let page = limited
                let (split, few) = try await db.store.read { session in
                    let store = session as! SQLStoreSession
                    return (
                        try await store.searchTickets(page, scope: .unrestricted, probeCap: cap),
                        try await store.searchTickets(page, scope: .unrestricted, probeCap: 1_000_000)
                    )
                }
                #expect(split.count == page.limit, "\(name)")
                #expect(split == few, "\(name)")
            }
        }
    }

    @Test("sorting by a dynamic field: value order, tickets without a value last, pages", arguments: TestDatabase.kinds)
    func dynamicFieldSortPlansAgree(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let w = try await TicketSearchTests.world(db)
            let severity = w.catalog.dynamicFields["Severity"]!.id
            /// The value walk (many matches) with a budget of `budget` values, and the plan it took.
            func walked(_ query: TicketQuery, budget: Int) async throws -> (ids: [Int], plan: SQLStoreSession.SearchPlan) {
                try await db.store.read {
                    try await ($0 as! SQLStoreSession).plannedSearch(query, scope: .unrestricted, probeCap: 0, valueBudget: budget)
                }
            }
            // alpha is "high", beta "low", the demo ticket 1 has no value.
            for (ascending, expected) in [(true, [w.alpha, w.beta, 1]), (false, [w.beta, w.alpha, 1])] {
                let all = Self.query { $0.sort = [(.dynamicField(severity), ascending)] }
                let (few, many) = try await Self.pages(db, all)
                #expect(few == expected, "ascending \(ascending)")
                #expect(many == expected, "ascending \(ascending)")
                // The last offset is past any page, where offset + limit once overflowed.
                for offset in [0, 1, 2, 3, Int.max] {
                    let page = Self.query {
                        $0.sort = [(.dynamicField(severity), ascending)]
                        $0.limit = 1
                        $0.offset = offset
                    }
                    let (fewPage, manyPage) = try await Self.pages(db, page)
                    #expect(fewPage == Array(expected.dropFirst(offset).prefix(1)), "ascending \(ascending), offset \(offset)")
                    #expect(manyPage == fewPage, "ascending \(ascending), offset \(offset)")
                    // PostgreSQL, walking one value at most: a page of the first value is the
                    // walk's; a later one is sorted instead, with the same answer.
                    guard kind == .postgres else { continue }
                    let tight = try await walked(page, budget: 1)
                    #expect(tight.ids == fewPage, "ascending \(ascending), offset \(offset), budget 1")
                    #expect(tight.plan == (offset == 0 ? .valueWalk : .single), "ascending \(ascending), offset \(offset)")
                }
            }
            let filtered = Self.query {
                $0.sort = [(.dynamicField(severity), true)]
                $0.queueIDs = [w.catalog.queues["Support"]!.id]
            }
            let (few, many) = try await Self.pages(db, filtered)
            #expect(few == [w.alpha])
            #expect(many == [w.alpha])
            // PostgreSQL: the walk reads every value (two) within a budget of three and adds
            // those without one; with a budget of two it cannot tell that it has read them all
            // and sorts. (SQLite walks unbounded.)
            guard kind == .postgres else { return }
            #expect(try await walked(all(severity), budget: 3) == ([w.alpha, w.beta, 1], .valueWalk))
            #expect(try await walked(all(severity), budget: 2) == ([w.alpha, w.beta, 1], .single))
            #expect(try await walked(filtered, budget: 0) == ([w.alpha], .single))
        }

        func all(_ severity: Int) -> TicketQuery { Self.query { $0.sort = [(.dynamicField(severity), true)] } }
    }

    /// Znuny's `Created…IDs` (`TicketSearchSQL+Created`): the test of each ticket's creation
    /// event and the sets per column find the same pages; on SQLite the probe picks the test
    /// per ticket for a value common among the newest creation events, PostgreSQL always plans
    /// the sets.
    @Test("created values: the test per ticket and the sets find the same pages", arguments: TestDatabase.kinds)
    func createdValues(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let queue = try await Desk.bulkLoad(db, tickets: 1_500).queueIDs[0]
            func statement(_ query: TicketQuery, walks: Bool? = nil) async throws -> TicketSearchSQL {
                try await Self.statement(db, query, choices: walks.map { walks in { $0.commonCreatedValues = walks } })
            }
            func ids(_ sql: TicketSearchSQL) async throws -> [Int] { try await Self.ids(db, sql) }
            let queries = [
                Self.query { $0.createdTypeIDs = [1] },
                Self.query {
                    $0.createdQueueIDs = [queue]
                    $0.stateIDs = [2]
                },
                Self.query {
                    $0.createdStateIDs = [1, 4]
                    $0.createdPriorityIDs = [2]
                },
                Self.query { $0.createdPriorityIDs = [77] },
            ]
            for (index, base) in queries.enumerated() {
                for offset in [0, 20] {
                    var query = base
                    query.limit = 10
                    query.offset = offset
                    let walked = try await ids(try await statement(query, walks: true))
                    let sets = try await ids(try await statement(query, walks: false))
                    #expect(walked == sets, "query \(index), offset \(offset)")
                    #expect(index == 3 ? sets.isEmpty : sets.count == 10, "query \(index), offset \(offset)")
                }
            }
            // Every ticket was created with type 1: common in a sample of 20 against pages of
            // 10 (20 × 1,501 ≥ 80 × 10 × 20). No ticket has priority 77.
            var common = queries[0]
            common.limit = 10
            let chosen = try await statement(common)
            #expect(chosen.probe?.commonCreatedValues == (kind == .sqlite))
            var rare = queries[3]
            rare.limit = 10
            #expect(try await statement(rare).probe?.commonCreatedValues == false)
            if kind == .sqlite {
                // The walk takes one step per ticket to its creation event; the set reads them all.
                let step = "ticket_events_kind_ticket (kind=? AND ticket_id=?)"
                for (sql, steps) in [(chosen, true), (try await statement(common, walks: false), false)] {
                    let plan = try await Self.sqlitePlan(db, sql)
                    #expect(plan.contains { $0.contains(step) } == steps, "\(plan)")
                }
            }
            // At 1 M tickets with pages of 50, 8 matches among the newest 2,000 walk, 7 do not.
            #expect(SearchProbe.walksCreated(matches: 8, of: 2_000, tickets: 1_000_000, page: 50))
            #expect(!SearchProbe.walksCreated(matches: 7, of: 2_000, tickets: 1_000_000, page: 50))
            #expect(!SearchProbe.walksCreated(matches: 0, of: 0, tickets: 0, page: 0))
        }
    }

    /// Time windows of a ticket's history and articles (`TicketSearchSQL+TimeWindows`): tested
    /// per ticket or as a set, the pages are the same; on SQLite the probe tests a window per
    /// ticket when it holds many rows and few tickets were created after it, PostgreSQL always
    /// plans the sets.
    @Test("time windows: the test per ticket and the sets find the same pages", arguments: TestDatabase.kinds)
    func timeWindows(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            // 1,500 tickets over three years: about 41 in the last 30 days.
            try await Desk.bulkLoad(db, tickets: 1_500)
            let day: Int64 = 86_400
            func statement(_ query: TicketQuery, walks: Set<TicketSearchSQL.TimeWindow>? = nil) async throws -> TicketSearchSQL {
                try await Self.statement(db, query, choices: walks.map { walks in { $0.perTicketWindows = walks } })
            }
            func ids(_ sql: TicketSearchSQL) async throws -> [Int] { try await Self.ids(db, sql) }
            let monthAgo = Desk.now - 30 * day
            let queries = [
                Self.query { $0.anyChangeTo = monthAgo },
                Self.query { $0.closedTo = monthAgo },
                Self.query { $0.articleCreatedTo = monthAgo },
                Self.query {
                    $0.anyChangeFrom = Desk.now - 400 * day
                    $0.articleCreatedTo = monthAgo
                    $0.stateIDs = [2]
                },
                Self.query { $0.anyChangeTo = Desk.now - 5 * 365 * day },
            ]
            for (index, base) in queries.enumerated() {
                for offset in [0, 20] {
                    var query = base
                    query.limit = 10
                    query.offset = offset
                    let walked = try await ids(try await statement(query, walks: Set(TicketSearchSQL.TimeWindow.allCases)))
                    let sets = try await ids(try await statement(query, walks: []))
                    #expect(walked == sets, "query \(index), offset \(offset)")
                    #expect(index == 4 ? sets.isEmpty : sets.count == 10, "query \(index), offset \(offset)")
                }
            }
            // Older than 30 days: most rows, ~41 newer tickets (at most 50 × 20) → per ticket
            // on SQLite; older than 1,000 days: ~1,370 newer tickets → the set; a window without
            // rows → the set.
            var wide = queries[0]
            wide.limit = 10
            let chosen = try await statement(wide)
            #expect(chosen.probe?.perTicketWindows == (kind == .sqlite ? [.anyChange] : []))
            var articles = queries[2]
            articles.limit = 10
            #expect(try await statement(articles).probe?.perTicketWindows == (kind == .sqlite ? [.articleCreated] : []))
            var old = wide
            old.anyChangeTo = Desk.now - 1_000 * day
            #expect(try await statement(old).probe?.perTicketWindows == [])
            var empty = queries[4]
            empty.limit = 10
            #expect(try await statement(empty).probe?.perTicketWindows == [])
            if kind == .sqlite {
                // Per ticket: a step among the ticket's own rows; the set reads the time index.
                let step = "ticket_events_ticket (ticket_id=?)"
                for (sql, steps) in [(chosen, true), (try await statement(wide, walks: []), false)] {
                    let plan = try await Self.sqlitePlan(db, sql)
                    #expect(plan.contains { $0.contains(step) } == steps, "\(plan)")
                }
            }
        }
    }
}
