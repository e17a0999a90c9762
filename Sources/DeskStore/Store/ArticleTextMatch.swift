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
        switch kind {
        case .sqlite: return ArticleTextMatch(expression: words.map { "\"\($0)\"" }.joined(separator: " "))
        case .postgres: return ArticleTextMatch(expression: words.joined(separator: " & "))
        }
    }

    /// The `Subject` and `Body` values of `articleFields`: every word of a value must be a word of
    /// that field, in any order (as Znuny's extended search conditions read spaces as AND); with
    /// `.all` both fields must match, with `.any` either. Nil when neither field has a word.
    ///
    /// Whole words, not prefixes: FTS5 answers a prefix by merging the lists of every term that
    /// starts with it, for each row it tests, which at a million articles takes seconds for a
    /// common word.
    static func fields(_ query: TicketQuery, kind: DatabaseKind) -> ArticleTextMatch? {
        var parts: [String] = []
        for field in [TicketQuery.ArticleField.subject, .body] {
            guard let value = query.articleFields[field] else { continue }
            let words = FullText.words(value)
            guard !words.isEmpty else { continue }
            switch kind {
            case .sqlite:
                let column = field == .subject ? "subject" : "body"
                parts.append("\(column) : (" + words.map { "\"\($0)\"" }.joined(separator: " ") + ")")
            case .postgres:
                let weight = field == .subject ? "A" : "B"
                parts.append("(" + words.map { "\($0):\(weight)" }.joined(separator: " & ") + ")")
            }
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
}
