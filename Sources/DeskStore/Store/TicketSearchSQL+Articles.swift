import DeskCore
import SQLKit

/// Article conditions: full-text words, From/To/Cc/Subject/Body words and attachment names,
/// in the plan `SearchProbe` chose.
extension TicketSearchSQL {
    private var customerOnly: Bool {
        if case .customer = scope { return true }
        return false
    }

    /// A LIKE pattern with a wildcard (`%` or `_`); without one it is compared for equality.
    static func isWildcard(_ pattern: String) -> Bool {
        pattern.contains("%") || pattern.contains("_")
    }

    /// The title patterns with a wildcard, which `SearchProbe` looks up in the trigram index.
    var wildcardTitles: [String] { query.titles.filter { Self.isWildcard($0) && $0.utf8.count <= longestLikePattern } }

    /// The article text conditions that go through `SearchProbe`: full-text words and the
    /// From/To/Cc/Subject/Body words.
    var probedTextMatches: [ArticleTextMatch] {
        [ArticleTextMatch.fullText(query, kind: kind), ArticleTextMatch.fields(query, kind: kind)].compactMap { $0 }
    }

    func articleConditions() -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        let visible: SQLQueryString = customerOnly ? " AND a.is_visible_for_customer = 1" : ""
        for match in probedTextMatches {
            conditions.append(textCondition(match, visible: visible))
        }
        if !query.attachmentNames.isEmpty {
            let parts = query.attachmentNames.map { name -> SQLQueryString in "LOWER(f.filename) LIKE LOWER(\(bind: name))" }
            conditions.append(
                """
                t.id IN (SELECT a.ticket_id FROM articles a JOIN attachments f ON f.article_id = a.id WHERE (
                """ + parts.joined(separator: " OR ") + ")" + visible + ")")
        }
        return conditions
    }

    /// Tickets with an article that matches `match`, in the plan the probe chose: the few
    /// matching articles by id, or (many matches) a test of each ticket's articles while the
    /// database walks tickets in sort order and stops after the limit.
    ///
    /// With many matches the articles are split at the probe's `newestFrom`: the
    /// matching ones from there on (a few hundred, the newest) are read from the index as one
    /// set, and only older articles are tested one by one. A ticket none of whose articles is
    /// older (a new ticket that does not match) is then settled by one step in the
    /// (ticket, article) index instead of a full-text lookup. Both halves are read when the
    /// statement runs, so the split changes the cost, never the answer.
    private func textCondition(_ match: ArticleTextMatch, visible: SQLQueryString) -> SQLQueryString {
        switch probe?.articleMatches[match] {
        case .all(let ids):
            guard !ids.isEmpty else { return "1 = 0" }
            return "t.id IN (SELECT a.ticket_id FROM articles a WHERE a.id IN (\(binds: binds(ids)))" + visible + ")"
        case .many(newestFrom: nil):
            return "EXISTS (SELECT 1 FROM articles a WHERE a.ticket_id = t.id AND " + perArticle(match) + visible + ")"
        case .many(newestFrom: let split?):
            return "(t.id IN (SELECT a.ticket_id FROM articles a WHERE " + inIndex(match, from: split) + visible + ")"
                + " OR " + withOlderArticles(split)
                + "EXISTS (SELECT 1 FROM articles a WHERE a.ticket_id = t.id AND a.id < \(bind: split) AND "
                + perArticle(match) + visible + testedPerTicket + "))"
        case nil:
            return "t.id IN (SELECT a.ticket_id FROM articles a WHERE " + inIndex(match) + visible + ")"
        }
    }

    /// Article `a` matches, looked up in the index as a set; with `from`, only the matching
    /// articles with that id or a higher one. On PostgreSQL those are read from migration 16's
    /// (id, words) GiST index: `a.id + 0` is its expression, and the bound is an `int8` as the
    /// index's operator class needs (an `int4` literal left the index unused).
    private func inIndex(_ match: ArticleTextMatch, from split: Int? = nil) -> SQLQueryString {
        switch kind {
        case .sqlite:
            let newest: SQLQueryString = split.map { " AND rowid >= \(bind: $0)" } ?? ""
            return "a.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH \(bind: match.expression)" + newest + ")"
        case .postgres:
            let newest: SQLQueryString = split.map { "\(unsafeRaw: Schema015.idKey("a.id")) >= \(bind: $0) AND " } ?? ""
            return newest + "a.search_tsv @@ to_tsquery('simple', \(bind: match.expression))"
        }
    }

    /// PostgreSQL: ends an `EXISTS` that must be tested ticket by ticket. Without `OFFSET 0` the
    /// planner may hash it instead, reading every match first: at 1 M tickets it did so for
    /// the older articles of a common word once their tickets were bounded
    /// (`withOlderArticles`), 17–19 s a search (1.5 M articles with "please").
    private var testedPerTicket: SQLQueryString { kind == .postgres ? " OFFSET 0" : "" }

    /// PostgreSQL: a ticket above the highest one with an article older than `split` has none,
    /// so the walk settles it (a new ticket that does not match) by this comparison instead of
    /// a step down the (ticket, article) index: ~0.4 against ~3 µs a ticket. The bound is read
    /// once as the statement starts (backwards along that index), so it is exact whatever was
    /// written since the probe. SQLite's planner would read it through every older article.
    private func withOlderArticles(_ split: Int) -> SQLQueryString {
        guard kind == .postgres else { return "" }
        return "t.id <= (SELECT MAX(o.ticket_id) FROM articles o WHERE o.id < \(bind: split)) AND "
    }

    /// Article `a` matches, tested for that one row (for correlated use): on SQLite a rowid-bound
    /// FTS5 lookup, on PostgreSQL the stored tsvector of the row.
    private func perArticle(_ match: ArticleTextMatch) -> SQLQueryString {
        switch kind {
        case .sqlite: "EXISTS (SELECT 1 FROM article_fts f WHERE f.rowid = a.id AND article_fts MATCH \(bind: match.expression))"
        case .postgres: "a.search_tsv @@ to_tsquery('simple', \(bind: match.expression))"
        }
    }
}
