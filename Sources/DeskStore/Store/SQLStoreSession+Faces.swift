import DeskCore
import Foundation
import SQLKit

/// What faces own through the core: credentials, the authentication throttle, external ids and
/// face documents.
extension SQLStoreSession {
    // MARK: Credentials

    static let credentialColumns = """
        id, face, kind, identifier, secret_hash, hint, agent_id, customer_login, scopes, allowed_addresses, active, notes,
        created_at, last_used_at, expires_at
        """

    func credential(face: String, kind: CredentialKind, secretHash: String) async throws -> CredentialRecord? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.credentialColumns) FROM credentials
            WHERE face = \(bind: face) AND kind = \(bind: kind.rawValue) AND secret_hash = \(bind: secretHash)
            """
        ).first().map(Rows.credential)
    }

    func credential(face: String, kind: CredentialKind, identifier: String) async throws -> (CredentialRecord, secretHash: String)? {
        guard
            let row = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.credentialColumns) FROM credentials
                WHERE face = \(bind: face) AND kind = \(bind: kind.rawValue) AND identifier = \(bind: identifier)
                """
            ).first()
        else { return nil }
        return (try Rows.credential(row), try row.decode(column: "secret_hash", as: String.self))
    }

    func credentials(face: String, kind: CredentialKind?) async throws -> [CredentialRecord] {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: Self.credentialColumns) FROM credentials WHERE face = \(bind: face)"
        if let kind { sql += " AND kind = \(bind: kind.rawValue)" }
        sql += " ORDER BY id"
        return try await db.raw(sql).all().map(Rows.credential)
    }

    func insertCredential(_ credential: NewCredential) async throws -> Int {
        try await db.insertRows(
            "credentials",
            [
                "face", "kind", "identifier", "secret_hash", "hint", "agent_id", "customer_login", "scopes", "allowed_addresses", "active",
                "notes", "created_at", "last_used_at", "expires_at",
            ],
            [
                [
                    credential.face, credential.kind.rawValue, credential.identifier, credential.secretHash, credential.hint,
                    credential.agentID,
                    credential.customerLogin, credential.scopes.map(\.rawValue).sorted().joined(separator: ","),
                    credential.allowedAddresses.joined(separator: ","), credential.isActive ? 1 : 0, credential.notes, credential.createdAt,
                    0,
                    credential.expiresAt,
                ]
            ], returningID: true)[0]
    }

    func updateCredentialSecret(id: Int, identifier: String?, secretHash: String) async throws {
        try await db.raw(
            """
            UPDATE credentials SET identifier = \(bind: identifier), secret_hash = \(bind: secretHash) WHERE id = \(bind: id)
            """
        ).run()
    }

    func setCredentialActive(id: Int, _ active: Bool) async throws {
        try await db.raw("UPDATE credentials SET active = \(bind: active ? 1 : 0) WHERE id = \(bind: id)").run()
    }

    func updateCredentialOptions(id: Int, scopes: Set<CredentialScope>, allowedAddresses: [String], isActive: Bool, notes: String)
        async throws
    {
        try await db.raw(
            """
            UPDATE credentials SET scopes = \(bind: scopes.map(\.rawValue).sorted().joined(separator: ",")),
                allowed_addresses = \(bind: allowedAddresses.joined(separator: ",")), active = \(bind: isActive ? 1 : 0),
                notes = \(bind: notes)
            WHERE id = \(bind: id)
            """
        ).run()
    }

    func touchCredential(id: Int, at time: Int64) async throws {
        try await db.raw("UPDATE credentials SET last_used_at = \(bind: time) WHERE id = \(bind: id)").run()
    }

    func deleteCredential(id: Int) async throws {
        try await db.raw("DELETE FROM credentials WHERE id = \(bind: id)").run()
    }

    // MARK: Authentication throttle

    func authFailures(since: Int64) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await db.raw("SELECT throttle_key, failures FROM auth_failures WHERE window_start >= \(bind: since)").all() {
            counts[try row.decode(column: "throttle_key", as: String.self)] = try row.decode(column: "failures", as: Int.self)
        }
        return counts
    }

    func recordAuthFailure(keys: [String], at time: Int64, windowStart: Int64) async throws {
        for key in keys {
            try await db.raw(
                """
                INSERT INTO auth_failures (throttle_key, failures, window_start) VALUES (\(bind: String(key.prefix(300))), 1, \(bind: time))
                ON CONFLICT (throttle_key) DO UPDATE SET
                    failures = CASE WHEN auth_failures.window_start < \(bind: windowStart) THEN 1 ELSE auth_failures.failures + 1 END,
                    window_start = CASE WHEN auth_failures.window_start < \(bind: windowStart) THEN \(bind: time) ELSE auth_failures.window_start END
                """
            ).run()
        }
        // Old rows go away as new failures arrive, so the table stays small.
        try await db.raw("DELETE FROM auth_failures WHERE window_start < \(bind: windowStart)").run()
    }

    func clearAuthFailures(keys: [String]) async throws {
        guard !keys.isEmpty else { return }
        try await db.raw("DELETE FROM auth_failures WHERE throttle_key IN (\(binds: keys.map { $0 as Bindable }))").run()
    }

    // MARK: External ids

    func externalIDs(face: String?, kind: String?) async throws -> [ExternalID] {
        var sql: SQLQueryString = "SELECT face, kind, external_id, core_id FROM external_ids WHERE 1 = 1"
        if let face { sql += " AND face = \(bind: face)" }
        if let kind { sql += " AND kind = \(bind: kind)" }
        sql += " ORDER BY face, kind, external_id"
        return try await db.raw(sql).all().map(Rows.externalID)
    }

    /// One branch per kind, each an equality on the key's first two columns: with `kind IN (…)`
    /// PostgreSQL's generic plan, made while the table was small, read every mapping of the
    /// face and filtered by kind (a django-helpdesk request's mappings took 13–28 ms once the
    /// face had ~10,000 tickets and follow-ups mapped, until the statistics changed).
    func externalIDs(face: String, kinds: [String]) async throws -> [ExternalID] {
        let branches = Set(kinds).sorted().map { kind -> SQLQueryString in
            "SELECT face, kind, external_id, core_id FROM external_ids WHERE face = \(bind: face) AND kind = \(bind: kind)"
        }
        guard !branches.isEmpty else { return [] }
        return try await db.raw(
            "SELECT face, kind, external_id, core_id FROM (\(branches.joined(separator: " UNION ALL "))) AS listed ORDER BY kind, external_id"
        ).all().map(Rows.externalID)
    }

    func externalID(face: String, kind: String, externalID: String) async throws -> ExternalID? {
        try await db.raw(
            """
            SELECT face, kind, external_id, core_id FROM external_ids
            WHERE face = \(bind: face) AND kind = \(bind: kind) AND external_id = \(bind: externalID)
            """
        ).first().map(Rows.externalID)
    }

    func externalID(face: String, kind: String, coreID: String) async throws -> ExternalID? {
        try await db.raw(
            """
            SELECT face, kind, external_id, core_id FROM external_ids
            WHERE face = \(bind: face) AND kind = \(bind: kind) AND core_id = \(bind: coreID) ORDER BY external_id LIMIT 1
            """
        ).first().map(Rows.externalID)
    }

    func externalIDs(face: String, kind: String, coreIDs: [String]) async throws -> [ExternalID] {
        guard !coreIDs.isEmpty else { return [] }
        return try await db.raw(
            """
            SELECT face, kind, external_id, core_id FROM external_ids
            WHERE face = \(bind: face) AND kind = \(bind: kind) AND core_id IN (\(binds: coreIDs.map { $0 as Bindable }))
            """
        ).all().map(Rows.externalID)
    }

    func externalIDs(face: String, kind: String, externalIDs: [String]) async throws -> [ExternalID] {
        guard !externalIDs.isEmpty else { return [] }
        return try await db.raw(
            """
            SELECT face, kind, external_id, core_id FROM external_ids
            WHERE face = \(bind: face) AND kind = \(bind: kind) AND external_id IN (\(binds: externalIDs.map { $0 as Bindable }))
            """
        ).all().map(Rows.externalID)
    }

    func faceAttributes(face: String, kind: FaceAttributeObject, objectIDs: [Int]) async throws -> [Int: [String: String]] {
        let rows = try await db.rows(forIDs: objectIDs) {
            """
            SELECT object_id, attr_key, attr_value FROM face_attributes
            WHERE face = \(bind: face) AND object_kind = \(bind: kind.rawValue) AND object_id IN (\($0))
            """
        }
        var result: [Int: [String: String]] = [:]
        for row in rows {
            var c = Columns(row)
            let objectID = try c.int("object_id")
            result[objectID, default: [:]][try c.string("attr_key")] = try c.string("attr_value")
        }
        return result
    }

    /// Sets and removes (nil) `values` of one object in at most two statements: a create
    /// sets several attributes at once. The values set are held on PostgreSQL (`insertLater`).
    func setFaceAttributes(face: String, kind: FaceAttributeObject, objectID: Int, _ values: [String: String?]) async throws {
        let sorted = values.sorted { $0.key < $1.key }
        let kept = sorted.compactMap { key, value in value.map { (key, $0) } }
        try await insertLater(
            "face_attributes", ["face", "object_kind", "object_id", "attr_key", "attr_value"],
            kept.map { key, value -> [Bindable] in [face, kind.rawValue, objectID, key, value] },
            onConflict: .update(key: ["face", "object_kind", "object_id", "attr_key"], set: ["attr_value"]))
        let removed = sorted.filter { $0.value == nil }.map(\.key)
        if !removed.isEmpty {
            try await db.raw(
                """
                DELETE FROM face_attributes WHERE face = \(bind: face) AND object_kind = \(bind: kind.rawValue)
                AND object_id = \(bind: objectID) AND attr_key IN (\(binds: removed.map { $0 as Bindable }))
                """
            ).run()
        }
    }

    /// Held on PostgreSQL (`insertLater`): a create records its face ids without waiting.
    func setExternalID(_ mapping: ExternalID) async throws {
        try await insertLater(
            "external_ids", ["face", "kind", "external_id", "core_id"],
            [[mapping.face, mapping.kind, mapping.externalID, mapping.coreID]],
            onConflict: .update(key: ["face", "kind", "external_id"], set: ["core_id"]))
    }

    func insertExternalIDsIfAbsent(_ mappings: [ExternalID]) async throws {
        for chunk in stride(from: 0, to: mappings.count, by: 500).map({ mappings[$0..<min($0 + 500, mappings.count)] }) {
            var sql: SQLQueryString = "INSERT INTO external_ids (face, kind, external_id, core_id) VALUES "
            for (index, mapping) in chunk.enumerated() {
                if index > 0 { sql += ", " }
                sql += "(\(bind: mapping.face), \(bind: mapping.kind), \(bind: mapping.externalID), \(bind: mapping.coreID))"
            }
            sql += " ON CONFLICT (face, kind, external_id) DO NOTHING"
            try await db.raw(sql).run()
        }
    }

    func deleteExternalID(face: String, kind: String, externalID: String) async throws -> Bool {
        let existing = try await self.externalID(face: face, kind: kind, externalID: externalID)
        guard existing != nil else { return false }
        try await db.raw(
            """
            DELETE FROM external_ids WHERE face = \(bind: face) AND kind = \(bind: kind) AND external_id = \(bind: externalID)
            """
        ).run()
        return true
    }

    // MARK: Face documents

    func putFaceDocument(face: String, kind: String, key: String, json: String, at time: Int64) async throws -> Int {
        touchFaceDocuments()
        if let row = try await db.raw(
            """
            SELECT id FROM face_config WHERE face = \(bind: face) AND kind = \(bind: kind) AND config_key = \(bind: key)
            """
        ).first() {
            let id = try row.decode(column: "id", as: Int.self)
            try await db.raw("UPDATE face_config SET document = \(bind: json), updated_at = \(bind: time) WHERE id = \(bind: id)").run()
            return id
        }
        return try await db.insertRows(
            "face_config", ["face", "kind", "config_key", "document", "updated_at"],
            [[face, kind, key, json, time]], returningID: true)[0]
    }

    func deleteFaceDocument(face: String, kind: String, key: String) async throws -> Bool {
        touchFaceDocuments()
        let row = try await db.raw(
            """
            SELECT id FROM face_config WHERE face = \(bind: face) AND kind = \(bind: kind) AND config_key = \(bind: key)
            """
        ).first()
        guard let row else { return false }
        try await db.raw("DELETE FROM face_config WHERE id = \(bind: try row.decode(column: "id", as: Int.self))").run()
        return true
    }
}

extension Rows {
    static func credential(_ row: any SQLRow) throws -> CredentialRecord {
        let scopes = try row.decode(column: "scopes", as: String.self).split(separator: ",").compactMap {
            CredentialScope(rawValue: String($0))
        }
        let addresses = try row.decode(column: "allowed_addresses", as: String.self).split(separator: ",").map(String.init)
        return CredentialRecord(
            id: try row.decode(column: "id", as: Int.self), face: try row.decode(column: "face", as: String.self),
            kind: CredentialKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .apiKey,
            identifier: try row.decode(column: "identifier", as: String?.self), hint: try row.decode(column: "hint", as: String.self),
            agentID: try row.decode(column: "agent_id", as: Int?.self),
            customerLogin: try row.decode(column: "customer_login", as: String?.self),
            scopes: Set(scopes), allowedAddresses: addresses, isActive: try row.decode(column: "active", as: Int.self) == 1,
            notes: try row.decode(column: "notes", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64.self),
            expiresAt: try row.decode(column: "expires_at", as: Int64.self))
    }

    static func externalID(_ row: any SQLRow) throws -> ExternalID {
        var c = Columns(row)
        return ExternalID(
            face: try c.string("face"), kind: try c.string("kind"), externalID: try c.string("external_id"), coreID: try c.string("core_id")
        )
    }

    static func faceDocument(_ row: any SQLRow) throws -> FaceDocument {
        FaceDocument(
            id: try row.decode(column: "id", as: Int.self), face: try row.decode(column: "face", as: String.self),
            kind: try row.decode(column: "kind", as: String.self), key: try row.decode(column: "config_key", as: String.self),
            json: try row.decode(column: "document", as: String.self), updatedAt: try row.decode(column: "updated_at", as: Int64.self))
    }
}
