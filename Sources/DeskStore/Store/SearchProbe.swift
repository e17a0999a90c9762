import DeskCore
import SQLKit

/// Looks at how many rows a text condition matches before the search runs, and picks the plan:
/// a few matches are fetched from the index and joined by id; many matches (common words) are
/// tested row by row while the database walks tickets in sort order, which stops after `limit`
/// hits (only articles older than the word's newest matches, which are taken as one set:
/// `ArticleMatches.many`). Both give exact results; together they keep rare and common
/// words fast.
struct SearchProbe {
    /// At most this many ids are fetched from an index; more means "common".
    static let defaultCap = 2_000

    /// What the full-text index holds for one article text condition.
    enum ArticleMatches: Sendable, Equatable {
        /// Every matching article: at most `cap` of them.
        case all([Int])
        /// More than `cap`. `newestFrom` is the id from which on the matching articles are few
        /// (the newest ones, read from an index newest first: FTS5 on SQLite, migration 16's
        /// GiST index on PostgreSQL): the query takes those as a set and tests only older
        /// articles row by row (`TicketSearchSQL.textCondition`). Nil on PostgreSQL without
        /// that index.
        case many(newestFrom: Int?)
    }

    struct Result: Sendable {
        /// What the index holds per full-text expression.
        var articleMatches: [ArticleTextMatch: ArticleMatches] = [:]
        /// Ticket ids per wildcard title pattern, or nil when there are more than `cap`.
        var titleTickets: [String: [Int]?] = [:]
        /// Many tickets match a query sorted by a dynamic field (`sortCountCap`): walk the
        /// field's values in order (`TicketSearchSQL.valueWalk`) rather than sort every match.
        /// Likewise for a sort by change time, ticket number or title on SQLite (`sortIndexWalk`,
        /// `sortIndexWaitsForCount`).
        var manyMatches = false
        /// The prefix patterns to read from their range of an index (`TicketSearchSQL+Prefix`):
        /// those that at most `prefixCap` tickets begin with, and old ones of at most
        /// `oldPrefixCap` (`readsRange`).
        var rangedPrefixes: Set<TicketSearchSQL.Prefix> = []
        /// The created values the query asks for are common enough among the newest creation
        /// events that a walk testing each ticket finds the page sooner than a set
        /// (`walksCreated`, `TicketSearchSQL+Created`).
        var commonCreatedValues = false
        /// The time windows to test per ticket (`walksWindow`, `TicketSearchSQL+TimeWindows`).
        var perTicketWindows: Set<TicketSearchSQL.TimeWindow> = []
    }

    let db: any SQLDatabase
    let kind: DatabaseKind
    /// Tests lower it to send small databases through the plans for many matches.
    var cap = Self.defaultCap
    /// What is known of the database: its text order (only bytewise do values that begin alike
    /// lie together in an index, so that a prefix pattern may read its range) and its indexes.
    var facts = DatabaseFacts()

    /// More than this many matches make a query sorted by a dynamic field (or, on SQLite, by a
    /// column whose index gives the order: `TicketSearchSQL.sortIndex`) "many": `cap` on SQLite,
    /// `cap / 10` on PostgreSQL, whose walk gives up after a budget of values and sorts instead
    /// (`SQLStoreSession.valueWalkBudget`). There the count is kept short because each
    /// counted match may cost a heap visit: after updates had cleared most of the table's
    /// visibility map, counting to 2,001 took 42–47 ms at 1 M tickets in the soak, the most
    /// server time of any statement.
    var sortCountCap: Int { kind == .postgres ? cap / 10 : cap }

    /// At most this many tickets in a prefix's range make it "few": `5 × cap`. At 1 M tickets
    /// counting 10,000 entries of the range takes ~1 ms and reading and sorting them ~5 ms,
    /// while a walk in sort order past tickets that do not match costs ~0.3 µs each and, for
    /// old ticket numbers, may pass most of the table (250 ms). Above it the matches are
    /// common enough that the walk usually finds a page sooner, unless they are old
    /// (`oldPrefixCap`).
    var prefixCap: Int { cap * 5 }

    /// A range of more than `prefixCap` tickets is still read, for a query sorted newest first,
    /// when the newest `cap` tickets hold fewer than a tenth of a page of it (the walk would
    /// pass more than ten times `cap` tickets) and it holds at most this many: `50 × cap`. At 1
    /// M tickets counting 100,000 entries of a ticket-number range took 7 ms and reading and
    /// sorting them 49 ms, the walk past the newer tickets 230–460 ms.
    var oldPrefixCap: Int { cap * 50 }

    /// Whether `search` has anything to probe.
    static func applies(to search: TicketSearchSQL) -> Bool {
        !search.probedTextMatches.isEmpty || !search.wildcardTitles.isEmpty || search.sortField != nil || search.sortIndexWaitsForCount
            || !search.prefixes.isEmpty || search.probesCreatedValues || search.probesTimeWindows
    }

    func run(_ search: TicketSearchSQL) async throws -> Result {
        var result = Result()
        let page = search.pageSize + search.pageOffset
        for match in search.probedTextMatches {
            result.articleMatches[match] = try await articleMatches(match, page: page)
        }
        for pattern in search.wildcardTitles {
            result.titleTickets[pattern] = .some(try await titleMatches(pattern, page: page))
        }
        let prefixes = search.prefixes
        if !prefixes.isEmpty, try await facts.ordersTextBytewise(db, kind: kind) {
            for prefix in prefixes where try await readsRange(prefix, of: search, page: page) {
                result.rangedPrefixes.insert(prefix)
            }
        }
        if search.probesCreatedValues, let row = try await db.search(search.createdSample(cap)).first() {
            let matches = try row.decode(column: "n", as: Int.self)
            let tickets = try row.decode(column: "tickets", as: Int?.self) ?? 0
            result.commonCreatedValues = Self.walksCreated(matches: matches, of: cap, tickets: tickets, page: page)
        }
        if search.probesTimeWindows {
            for window in search.timeWindows where try await walksWindow(window, of: search) {
                result.perTicketWindows.insert(window)
            }
        }
        if search.sortField != nil || search.sortIndexWaitsForCount {
            var counting = search
            counting.probe = result
            let matches = try await db.search(counting.cappedCount(sortCountCap)).first()?.decode(column: "n", as: Int.self) ?? 0
            result.manyMatches = matches > sortCountCap
        }
        return result
    }

    /// The matching articles, or where the newest few of many begin. SQLite reads the index
    /// newest first (FTS5 walks its lists backwards as cheaply as forwards), so a common word
    /// costs the same read and yields the id from which on its newest `newestKept(page:)`
    /// matches lie: tickets whose matching articles are all newer than that are found in that
    /// small set instead of by a full-text lookup per article (a flood of new tickets that do
    /// not match costs an index step each, docs/search.md). PostgreSQL's GIN index gives
    /// matches in no order: there a second read finds the newest ones (`newestMatches`).
    private func articleMatches(_ match: ArticleTextMatch, page: Int) async throws -> ArticleMatches {
        let sql: SQLQueryString =
            switch kind {
            case .sqlite:
                """
                SELECT rowid AS id FROM article_fts WHERE article_fts MATCH \(bind: match.expression)
                ORDER BY rowid DESC LIMIT \(literal: cap + 1)
                """
            case .postgres:
                "SELECT id FROM articles WHERE search_tsv @@ to_tsquery('simple', \(bind: match.expression)) LIMIT \(literal: cap + 1)"
            }
        let ids = try await db.search(sql).all().map { try $0.decode(column: "id", as: Int.self) }
        guard ids.count > cap else { return .all(ids) }
        let kept = min(ids.count, Self.newestKept(page: page))
        switch kind {
        case .sqlite:
            return .many(newestFrom: ids[kept - 1])
        case .postgres:
            return .many(newestFrom: try await newestMatches(match, count: kept).last)
        }
    }

    /// PostgreSQL: the ids of the `count` newest articles matching `match`, newest first, read
    /// from migration 16's (id, words) GiST index nearest the highest id first; none where that
    /// index is missing (without it this read would visit and sort every match).
    private func newestMatches(_ match: ArticleTextMatch, count: Int) async throws -> [Int] {
        guard try await facts.hasIndex(Schema016.indexName, in: db) else { return [] }
        let sql: SQLQueryString =
            "SELECT id FROM articles WHERE search_tsv @@ to_tsquery('simple', \(bind: match.expression)) "
            + TicketSearchSQL.highestIDFirst("id") + " LIMIT \(literal: count)"
        return try await db.search(sql).all().map { try $0.decode(column: "id", as: Int.self) }
    }

    /// How many of a common condition's newest matching articles the query takes as a set: a
    /// few per ticket of the page (limit + offset), so that the page usually fills from the
    /// set; each one costs a lookup by id when the set is built (200 of them: ~0.2 ms). Never
    /// more than the probe read (`cap` + 1).
    static func newestKept(page: Int) -> Int { max(200, 4 * page) }

    /// Whether a page of created values is found sooner by testing each ticket in sort order
    /// than by collecting every matching creation event first (`TicketSearchSQL+Created`),
    /// given `matches` among the `sample` newest creation events. The walk is expected to
    /// read `page × sample / matches` tickets at ~2 µs each; the set passes over every
    /// creation event at ~0.1 µs each (at 1 M tickets on SQLite: 90 ms). The walk is taken
    /// when it is expected to cost at most a quarter of the set, a margin for a density read
    /// from a few matches: `createdWalkRatio` = 4 × 20.
    static func walksCreated(matches: Int, of sample: Int, tickets: Int, page: Int) -> Bool {
        matches > 0 && matches * tickets >= createdWalkRatio * page * sample
    }

    static let createdWalkRatio = 80

    /// Ticket ids matching a title pattern, or nil for "many". A first look at `cap / 10`
    /// matches settles most patterns: fewer are the answer; when they lie close together (ids
    /// are roughly creation order) the row-by-row plan finds a page within `walkBudget` rows;
    /// only patterns that are neither take the full look at `cap` matches.
    private func titleMatches(_ pattern: String, page: Int) async throws -> [Int]? {
        let first = try await titleIDs(pattern, limit: cap / 10 + 1)
        guard first.count > cap / 10 else { return first }
        if let density = Self.density(of: first), Double(page) / density <= Double(Self.walkBudget) { return nil }
        let ids = try await titleIDs(pattern, limit: cap + 1)
        return ids.count > cap ? nil : ids
    }

    /// Matches per ticket id among the middle half of `ids` (in any order), or nil for none.
    ///
    /// The middle half rather than the whole range, because a look in table order sees a few
    /// far-off ids wherever updated tickets' new rows lie among older ones: on PostgreSQL no
    /// ticket update is in place (`changed_at` is indexed), and once autovacuum has freed space
    /// on every page the new rows land all over the table. Taken from the whole range, those
    /// few ids made every common pattern take the full look (a table scan of 20–45 ms at 1 M
    /// tickets, doubling the soak's title searches after its first vacuum of `tickets`).
    static func density(of ids: [Int]) -> Double? {
        guard !ids.isEmpty else { return nil }
        let sorted = ids.sorted()
        let quarter = sorted.count / 4
        let low = sorted[quarter]
        let high = sorted[sorted.count - 1 - quarter]
        return Double(sorted.count - 2 * quarter) / Double(high - low + 1)
    }

    /// About this many tickets may be tested row by row for one page of a common title pattern.
    static let walkBudget = 20_000

    /// Whether the statement should read the prefix's range of the column's index: when at
    /// most `prefixCap` tickets begin with it, or, for a page sorted newest first, at most
    /// `oldPrefixCap` that lie mostly below the newest `cap` tickets. (Looking at the newest
    /// tickets first would spare a common prefix its count, 10–13 ms for a customer range on
    /// PostgreSQL at 1 M, which visits each ticket's heap page; but it cost the usual prefixes
    /// of a few hundred tickets 1–1.5 ms more there: p50 2.6 → 4.2 ms in `bench search`.)
    private func readsRange(_ prefix: TicketSearchSQL.Prefix, of search: TicketSearchSQL, page: Int) async throws -> Bool {
        if try await rangeCount(prefix, upTo: prefixCap) <= prefixCap { return true }
        guard search.sortsNewestFirst else { return false }
        let sql: SQLQueryString =
            "SELECT COUNT(*) AS n FROM (SELECT tn, customer_id, customer_user_id FROM tickets ORDER BY created_at DESC LIMIT \(literal: cap)) t WHERE "
            + TicketSearchSQL.range(prefix, kind: kind)
        let newest = try await db.search(sql).first()?.decode(column: "n", as: Int.self) ?? 0
        guard newest * 10 < page else { return false }
        return try await rangeCount(prefix, upTo: oldPrefixCap) <= oldPrefixCap
    }

    /// Whether a time window is tested per ticket: when it holds more than `cap` rows (fewer
    /// are read from its time index at once and make a small set) and at most `windowWalkCap`
    /// tickets were created after its end. Those come first in the walk and, a ticket's rows
    /// being no older than the ticket, cannot match: each costs a step among its rows for
    /// nothing, where a set of a wide window passes over all its rows
    /// (`TicketChangeTimeOlderMinutes=60` at 1 M: 393–445 ms).
    private func walksWindow(_ window: TicketSearchSQL.TimeWindow, of search: TicketSearchSQL) async throws -> Bool {
        let rows = search.rows(of: window)
        let inWindow: SQLQueryString = "SELECT 1 FROM \(unsafeRaw: rows.table) \(unsafeRaw: rows.alias) WHERE " + rows.test
        guard try await count(inWindow, upTo: cap) > cap else { return false }
        guard let end = search.bounds(of: window)?.to else { return true }
        return try await count("SELECT 1 FROM tickets WHERE created_at > \(bind: end)", upTo: windowWalkCap) <= windowWalkCap
    }

    /// At most this many tickets created after a time window's end let the walk test it per
    /// ticket: `50 × cap`. At 1 M tickets on SQLite each costs ~0.6–0.7 µs (the 27,000 of the
    /// last 30 days 14–16 ms, the 333,000 of the last year 243 ms, in the shell), a set of an
    /// "older than" window 270–410 ms.
    var windowWalkCap: Int { cap * 50 }

    /// How many tickets begin with the prefix, counting at most `limit` + 1 entries of its range.
    private func rangeCount(_ prefix: TicketSearchSQL.Prefix, upTo limit: Int) async throws -> Int {
        try await count("SELECT 1 FROM tickets t WHERE " + TicketSearchSQL.range(prefix, kind: kind), upTo: limit)
    }

    /// How many rows `select` (a `SELECT 1 FROM …`) yields, counting at most `limit` + 1: the
    /// database stops reading there.
    private func count(_ select: SQLQueryString, upTo limit: Int) async throws -> Int {
        let sql: SQLQueryString = "SELECT COUNT(*) AS n FROM (" + select + " LIMIT \(literal: limit + 1)) AS counted"
        return try await db.search(sql).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    private func titleIDs(_ pattern: String, limit: Int) async throws -> [Int] {
        let sql: SQLQueryString =
            switch kind {
            case .sqlite:
                "SELECT rowid AS id FROM ticket_title_fts WHERE title LIKE \(bind: pattern) LIMIT \(literal: limit)"
            case .postgres:
                "SELECT id FROM tickets WHERE LOWER(title) LIKE LOWER(\(bind: pattern)) LIMIT \(literal: limit)"
            }
        return try await db.search(sql).all().map { try $0.decode(column: "id", as: Int.self) }
    }
}
