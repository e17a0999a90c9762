/// One of SQLite's FTS5 tables (migrations 11 and 12): an external-content table that indexes
/// columns of a content table under the content row's id.
struct FullTextTable: Sendable {
    /// The FTS5 table.
    let name: String
    /// The table whose rows it indexes (`content=`), by `id` (`content_rowid=`).
    let content: String
    /// The indexed columns, named as in both tables.
    let columns: [String]

    static let articles = FullTextTable(name: "article_fts", content: "articles", columns: ["subject", "body", "a_from", "a_to", "a_cc"])
    static let ticketTitles = FullTextTable(name: "ticket_title_fts", content: "tickets", columns: ["title"])
    static let all = [articles, ticketTitles]

    /// The tables in which FTS5 keeps the index itself (besides `<name>_config`, its settings).
    var shadowTables: [String] { ["_data", "_idx", "_docsize"].map { name + $0 } }

    /// `INSERT INTO <name> (rowid, <columns>)`, the start of a statement that indexes rows.
    var insertHead: String { "INSERT INTO \(name) (rowid, \(columns.joined(separator: ", ")))" }

    /// `<prefix>id, <prefix>column, …`: the content columns that `insertHead` takes, in order.
    func contentColumns(prefix: String = "") -> String {
        (["id"] + columns).map { prefix + $0 }.joined(separator: ", ")
    }
}
