import DeskCore
import Foundation
import SQLKit

/// Queue signatures (Znuny's `signature` table and `queue.signature_id`): Znuny's standard
/// signature as id 1 on every queue that exists, as Znuny's initial data links it.
enum Schema023 {
    static func statements(_ kind: DatabaseKind) -> [String] {
        [
            kind.ddl(
                "CREATE TABLE signatures (id {id}, name VARCHAR(200) NOT NULL UNIQUE, body TEXT NOT NULL, created_at BIGINT NOT NULL)"),
            "ALTER TABLE queues ADD COLUMN signature_id BIGINT",
        ]
    }

    static let standardName = "system standard signature (en)"

    static func migrate(_ db: any SQLDatabase, kind: DatabaseKind) async throws {
        for statement in statements(kind) { try await db.raw(SQLQueryString(statement)).run() }
        try await db.raw(
            "INSERT INTO signatures (name, body, created_at) VALUES (\(bind: standardName), \(bind: Signature.standardText), \(bind: Int64(Date().timeIntervalSince1970)))"
        ).run()
        try await db.raw("UPDATE queues SET signature_id = (SELECT MIN(id) FROM signatures)").run()
    }
}
