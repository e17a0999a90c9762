import DeskCore
import Foundation
import SQLKit

/// The face kit's tables: ticket events (replacing `ticket_history`), face credentials, the
/// authentication throttle, external ids and face-owned configuration. Existing data moves:
/// history rows become events (their Znuny history type and name kept as label and note, so
/// the Znuny face renders them as before); web services become documents of the Znuny face
/// (`znuny`, same ids); the rpc.pl credential in the settings `SOAP::User`/`SOAP::Password`
/// becomes the `otrs-rpc` face's secret pair, its password hashed.
enum Schema006 {
    static let statements: [String] = [
        """
        CREATE TABLE ticket_events (
            id {id}, ticket_id BIGINT NOT NULL REFERENCES tickets(id), article_id BIGINT, kind VARCHAR(40) NOT NULL,
            field VARCHAR(200), old_value TEXT, new_value TEXT, old_id BIGINT, new_id BIGINT, label VARCHAR(200), note TEXT,
            queue_id BIGINT NOT NULL, state_id BIGINT NOT NULL, priority_id BIGINT NOT NULL, owner_id BIGINT NOT NULL,
            type_id BIGINT, actor_id BIGINT NOT NULL, created_at BIGINT NOT NULL)
        """,
        """
        INSERT INTO ticket_events (id, ticket_id, article_id, kind, new_value, new_id, label, note, queue_id, state_id,
            priority_id, owner_id, type_id, actor_id, created_at)
        SELECT h.id, h.ticket_id, h.article_id,
            CASE WHEN h.history_type_id = 1 AND h.article_id IS NULL THEN 'TicketCreated'
                 WHEN h.history_type_id = 27 THEN 'StateChanged'
                 WHEN h.article_id IS NOT NULL AND h.history_type_id <> 20 THEN 'ArticleAdded'
                 ELSE 'Recorded' END,
            CASE WHEN h.history_type_id = 1 AND h.article_id IS NULL THEN t.tn END,
            CASE WHEN h.history_type_id = 27 THEN h.state_id END,
            ht.name, h.name, h.queue_id, h.state_id, h.priority_id, h.owner_id, h.type_id, h.created_by, h.created_at
        FROM ticket_history h JOIN history_types ht ON ht.id = h.history_type_id JOIN tickets t ON t.id = h.ticket_id
        """,
        "DROP TABLE ticket_history",
        "CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id)",
        "CREATE INDEX ticket_events_kind_ticket ON ticket_events (kind, ticket_id)",
        """
        CREATE TABLE credentials (
            id {id}, face VARCHAR(50) NOT NULL, kind VARCHAR(20) NOT NULL, identifier VARCHAR(200),
            secret_hash VARCHAR(200) NOT NULL, hint VARCHAR(20) NOT NULL DEFAULT '', agent_id BIGINT REFERENCES agents(id),
            customer_login VARCHAR(200), scopes VARCHAR(200) NOT NULL DEFAULT '', allowed_addresses TEXT NOT NULL DEFAULT '',
            active SMALLINT NOT NULL DEFAULT 1, notes TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL,
            last_used_at BIGINT NOT NULL DEFAULT 0, expires_at BIGINT NOT NULL DEFAULT 0)
        """,
        "CREATE UNIQUE INDEX credentials_identifier ON credentials (face, kind, identifier)",
        "CREATE INDEX credentials_secret ON credentials (secret_hash)",
        """
        CREATE TABLE auth_failures (
            throttle_key VARCHAR(300) PRIMARY KEY, failures INTEGER NOT NULL, window_start BIGINT NOT NULL)
        """,
        """
        CREATE TABLE external_ids (
            face VARCHAR(50) NOT NULL, kind VARCHAR(50) NOT NULL, external_id VARCHAR(200) NOT NULL, core_id VARCHAR(200) NOT NULL,
            PRIMARY KEY (face, kind, external_id))
        """,
        "CREATE INDEX external_ids_core ON external_ids (face, kind, core_id)",
        """
        CREATE TABLE face_config (
            id {id}, face VARCHAR(50) NOT NULL, kind VARCHAR(50) NOT NULL, config_key VARCHAR(200) NOT NULL,
            document TEXT NOT NULL, updated_at BIGINT NOT NULL, UNIQUE (face, kind, config_key))
        """,
    ]

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind, hasher: PasswordHasher) async throws {
        for statement in statements {
            try await db.raw(SQLQueryString(kind.ddl(statement))).run()
        }
        try await moveWebServices(db, kind: kind)
        try await moveRPCCredential(db, hasher: hasher)
        if kind == .postgres {
            for table in ["ticket_events", "face_config"] {
                try await db.raw(
                    "SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM \(ident: table)), false)"
                ).run()
            }
        }
    }

    /// Web services keep their ids (`…/WebserviceID/<id>` URLs stay valid); their validity moves
    /// into the document.
    private static func moveWebServices(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        for row in try await db.raw("SELECT id, name, config, valid_id, changed_at FROM web_services ORDER BY id").all() {
            let config = try row.decode(column: "config", as: String.self)
            guard var document = try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any] else {
                throw DatabaseError.unexpected("web service \(try row.decode(column: "name", as: String.self)) has no JSON configuration")
            }
            document["validity"] = try row.decode(column: "valid_id", as: Int.self)
            let json = String(
                decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]),
                as: UTF8.self)
            try await db.insertRows(
                "face_config", ["id", "face", "kind", "config_key", "document", "updated_at"],
                [
                    [
                        try row.decode(column: "id", as: Int.self), "znuny", "webservice", try row.decode(column: "name", as: String.self),
                        json,
                        try row.decode(column: "changed_at", as: Int64.self),
                    ]
                ])
        }
        try await db.raw("DROP TABLE web_services").run()
    }

    private static func moveRPCCredential(_ db: any SQLDatabase, hasher: PasswordHasher) async throws {
        var values: [String: String] = [:]
        for row in try await db.raw("SELECT setting_key, setting_value FROM settings WHERE setting_key IN ('SOAP::User', 'SOAP::Password')")
            .all()
        {
            values[try row.decode(column: "setting_key", as: String.self)] = try row.decode(column: "setting_value", as: String.self)
        }
        try await db.raw("DELETE FROM settings WHERE setting_key IN ('SOAP::User', 'SOAP::Password')").run()
        guard let user = values["SOAP::User"], !user.isEmpty else { return }
        let password = values["SOAP::Password"] ?? ""
        try await db.insertRows(
            "credentials", ["face", "kind", "identifier", "secret_hash", "hint", "created_at"],
            [
                [
                    "otrs-rpc", "secret_pair", user, password.isEmpty ? "" : hasher.hash(password), "", Int64(Date().timeIntervalSince1970),
                ]
            ])
    }
}
