import DeskCore

/// A condition on article text that the full-text index answers, as the index's own query:
/// an FTS5 `MATCH` string on SQLite, a `to_tsquery('simple', …)` string on PostgreSQL.
/// `SearchProbe` keys what it finds by `expression`, and `TicketSearchSQL` builds the same value
/// again when it writes the query, so the two always agree.
///
/// Only letters and digits reach an expression (`FullText.words`), so nothing a caller sends can
/// change the index's query syntax.
struct ArticleTextMatch: Hashable, Sendable {
    let expression: String

    /// `fullTextWords`: every word must occur, as a whole word, in the subject or body.
    static func fullText(_ query: TicketQuery, kind: DatabaseKind) -> ArticleTextMatch? {
        let words = query.fullTextWords.flatMap(FullText.words)
        guard !words.isEmpty else { return nil }
        return ArticleTextMatch(expression: allWords(words, column: "{subject body}", weight: "AB", kind: kind))
    }

    /// The `From`, `To`, `Cc`, `Subject` and `Body` values of `articleFields`: every word of a
    /// value must be a word of that field, in any order (as Znuny's extended search conditions
    /// read spaces as AND); with `.all` every field given must match, with `.any` one of them.
    /// Addresses are words too (`cora@example.org` is `cora`, `example`, `org`). Nil when no
    /// field has a word.
    ///
    /// Whole words, not prefixes or substrings: FTS5 answers a prefix by merging the lists of
    /// every term that starts with it, for each row it tests, which at a million articles takes
    /// seconds for a common word; a substring of a header can only be found by reading them all.
    ///
    /// On PostgreSQL each field is a weight of the stored tsvector (migration 11): To and Cc share
    /// one, so a To value also finds an article that has those words in its Cc.
    static func fields(_ query: TicketQuery, kind: DatabaseKind) -> ArticleTextMatch? {
        var parts: [String] = []
        for field in TicketQuery.ArticleField.allCases {
            guard let value = query.articleFields[field] else { continue }
            let words = FullText.words(value)
            guard !words.isEmpty else { continue }
            parts.append(allWords(words, column: column(field), weight: weight(field), kind: kind))
        }
        guard !parts.isEmpty else { return nil }
        let joiner: String =
            switch (kind, query.articleFieldsMatch) {
            case (.sqlite, .all): " AND "
            case (.sqlite, .any): " OR "
            case (.postgres, .all): " & "
            case (.postgres, .any): " | "
            }
        return ArticleTextMatch(expression: parts.joined(separator: joiner))
    }

    /// Every one of `words`, in any order, in `column` (an FTS5 column filter) on SQLite or with
    /// `weight` (tsvector weights) on PostgreSQL.
    private static func allWords(_ words: [String], column: String, weight: String, kind: DatabaseKind) -> String {
        switch kind {
        case .sqlite: "\(column) : (" + words.map { "\"\($0)\"" }.joined(separator: " ") + ")"
        case .postgres: "(" + words.map { "\($0):\(weight)" }.joined(separator: " & ") + ")"
        }
    }

    /// The FTS5 column of `field` (`article_fts`, migration 11).
    private static func column(_ field: TicketQuery.ArticleField) -> String {
        switch field {
        case .subject: "subject"
        case .body: "body"
        case .from: "a_from"
        case .to: "a_to"
        case .cc: "a_cc"
        }
    }

    /// The tsvector weight of `field` (`articles.search_tsv`, migration 11).
    private static func weight(_ field: TicketQuery.ArticleField) -> String {
        switch field {
        case .subject: "A"
        case .body: "B"
        case .from: "C"
        case .to, .cc: "D"
        }
    }
}
