import SQLKit

/// Article addresses (From, To, Cc) join subject and body in the full-text index, so that the
/// Znuny `Fulltext` search (the value looked for in all five fields) and `MIMEBase_From/To/Cc`
/// are answered by the index instead of a scan of every article's headers.
///
/// SQLite: `article_fts` is created again with the three columns and rebuilt from `articles`
/// (about a minute per million articles). PostgreSQL: the stored `search_tsv` is computed again
/// (a rewrite of `articles`): From weighs `C`, To and Cc weigh `D` (a tsvector has four weights).
/// Addresses are indexed as words: `@` and `.` separate them on both databases
/// (`cora@example.org` is `cora`, `example`, `org`). PostgreSQL's parser would keep an address
/// as one token and skip `<…>` as a markup tag, so `@ . < >` become spaces before it sees them.
enum Schema011 {
    static func statements(_ kind: DatabaseKind) -> [String] {
        switch kind {
        case .sqlite: sqlite
        case .postgres: postgres
        }
    }

    static let sqlite = [
        "DROP TRIGGER IF EXISTS articles_fts_insert",
        "DROP TRIGGER IF EXISTS articles_fts_delete",
        "DROP TRIGGER IF EXISTS articles_fts_update",
        "DROP TABLE article_fts",
        """
        CREATE VIRTUAL TABLE article_fts USING fts5(subject, body, a_from, a_to, a_cc, content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2')
        """,
        "INSERT INTO article_fts (article_fts) VALUES ('rebuild')",
        """
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO article_fts (rowid, subject, body, a_from, a_to, a_cc)
            VALUES (new.id, new.subject, new.body, new.a_from, new.a_to, new.a_cc);
        END
        """,
        """
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO article_fts (article_fts, rowid, subject, body, a_from, a_to, a_cc)
            VALUES ('delete', old.id, old.subject, old.body, old.a_from, old.a_to, old.a_cc);
        END
        """,
        """
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF subject, body, a_from, a_to, a_cc ON articles BEGIN
            INSERT INTO article_fts (article_fts, rowid, subject, body, a_from, a_to, a_cc)
            VALUES ('delete', old.id, old.subject, old.body, old.a_from, old.a_to, old.a_cc);
            INSERT INTO article_fts (rowid, subject, body, a_from, a_to, a_cc)
            VALUES (new.id, new.subject, new.body, new.a_from, new.a_to, new.a_cc);
        END
        """,
    ]

    static let postgres = [
        "ALTER TABLE articles DROP COLUMN search_tsv",
        """
        ALTER TABLE articles ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', left(subject, 10000)), 'A') ||
            setweight(to_tsvector('simple', left(body, 500000)), 'B') ||
            setweight(to_tsvector('simple', translate(left(a_from, 10000), '@.<>', '    ')), 'C') ||
            setweight(to_tsvector('simple', translate(left(a_to, 10000) || ' ' || left(a_cc, 10000), '@.<>', '    ')), 'D')) STORED
        """,
        "CREATE INDEX articles_search_tsv ON articles USING GIN (search_tsv)",
    ]
}
