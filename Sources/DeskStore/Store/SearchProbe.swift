import DeskCore
import SQLKit

/// Looks at how many rows a text condition matches before the search runs, and picks the plan:
/// a few matches are fetched from the index and joined by id; many matches (common words) are
/// tested row by row while the database walks tickets in sort order, which stops after `limit`
/// hits. Both give exact results; together they keep rare and common words fast.
struct SearchProbe {
    /// At most this many ids are fetched from an index; more means "common".
    static let cap = 2_000

    struct Result: Sendable {
        /// Article ids matching the full-text words, or nil when there are more than `cap`.
        var fullTextArticles: [Int]??
        /// Ticket ids per wildcard title pattern, or nil when there are more than `cap`.
        var titleTickets: [String: [Int]?] = [:]
    }

    let db: any SQLDatabase
    let kind: DatabaseKind

    func run(_ query: TicketQuery) async throws -> Result {
        var result = Result(fullTextArticles: .none)
        let words = query.fullTextWords.flatMap(FullText.words)
        if !words.isEmpty {
            let sql: SQLQueryString =
                switch kind {
                case .sqlite:
                    "SELECT rowid AS id FROM article_fts WHERE article_fts MATCH \(bind: words.map { "\"\($0)\"" }.joined(separator: " ")) LIMIT \(literal: Self.cap + 1)"
                case .postgres:
                    "SELECT id FROM articles WHERE search_tsv @@ to_tsquery('simple', \(bind: words.joined(separator: " & "))) LIMIT \(literal: Self.cap + 1)"
                }
            let ids = try await db.raw(sql).all().map { try $0.decode(column: "id", as: Int.self) }
            result.fullTextArticles = .some(ids.count > Self.cap ? nil : ids)
        }
        for pattern in query.titles where pattern.contains("%") || pattern.contains("_") {
            let sql: SQLQueryString =
                switch kind {
                case .sqlite:
                    "SELECT rowid AS id FROM ticket_title_fts WHERE title LIKE \(bind: pattern) LIMIT \(literal: Self.cap + 1)"
                case .postgres:
                    "SELECT id FROM tickets WHERE LOWER(title) LIKE LOWER(\(bind: pattern)) LIMIT \(literal: Self.cap + 1)"
                }
            let ids = try await db.raw(sql).all().map { try $0.decode(column: "id", as: Int.self) }
            result.titleTickets[pattern] = ids.count > Self.cap ? .some(nil) : .some(ids)
        }
        return result
    }
}
