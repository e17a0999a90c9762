import SQLKit

/// PostgreSQL: the GIN indexes of article words and title trigrams keep a pending list of at
/// most 256 kB instead of the server's default (`gin_pending_list_limit`, 4 MB).
///
/// New entries of a GIN index wait in an unsorted pending list until it is full, and every
/// search through the index reads the whole list. At 4 MB the planner also priced the GIN index
/// above the GiST index of (id, words) (migration 16), which matches words far more slowly: a
/// rare word's probe took 5.4 ms with a full list against 0.5 ms after it was merged, and the
/// probe's mean rose from 5.4 to 13.5 ms over a four-minute soak. A small list is merged more
/// often, in steps of the same total size; creates ran as fast (docs/performance-log.md). Turning
/// the list off (`fastupdate = off`) cost creates about 8 %.
enum Schema017 {
    static let indexes = ["articles_search_tsv", "tickets_title_trgm"]
    static let pendingListKilobytes = 256

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        guard kind == .postgres else { return }
        // The title index exists only where pg_trgm could be created (migration 4).
        for index in indexes where try await db.hasIndex(index) {
            try await db.raw("ALTER INDEX \(ident: index) SET (gin_pending_list_limit = \(literal: pendingListKilobytes))").run()
        }
    }
}
