/// The ids of other products that migrated integrations hard-code (osTicket topic ids,
/// django-helpdesk user ids, WHMCS department ids and ticket `tid`/`c`), mapped per face to
/// core ids. Operators list, import and change them with `swiftdesk external-id`.
public struct ExternalIDService: Sendable {
    let store: any DeskStore

    public init(store: any DeskStore) {
        self.store = store
    }

    /// The core id mapped to `externalID`, if any.
    public func coreID(face: String, kind: String, externalID: String) async throws -> String? {
        try await store.lookup { try await $0.externalID(face: face, kind: kind, externalID: externalID)?.coreID }
    }

    /// The external id mapped to `coreID`, if any.
    public func externalID(face: String, kind: String, coreID: String) async throws -> String? {
        try await store.lookup { try await $0.externalID(face: face, kind: kind, coreID: coreID)?.externalID }
    }

    /// External ids of several core ids at once, by core id.
    public func externalIDs(face: String, kind: String, coreIDs: [String]) async throws -> [String: String] {
        guard !coreIDs.isEmpty else { return [:] }
        let rows = try await store.lookup { try await $0.externalIDs(face: face, kind: kind, coreIDs: coreIDs) }
        var result: [String: String] = [:]
        // The lowest external id wins when a core id has several.
        for row in rows.sorted(by: { (Int($0.externalID) ?? .max, $0.externalID) < (Int($1.externalID) ?? .max, $1.externalID) }) {
            if result[row.coreID] == nil { result[row.coreID] = row.externalID }
        }
        return result
    }

    /// Core ids of several external ids at once, by external id.
    public func coreIDs(face: String, kind: String, externalIDs: [String]) async throws -> [String: String] {
        guard !externalIDs.isEmpty else { return [:] }
        let rows = try await store.lookup { try await $0.externalIDs(face: face, kind: kind, externalIDs: externalIDs) }
        return Dictionary(rows.map { ($0.externalID, $0.coreID) }, uniquingKeysWith: { first, _ in first })
    }

    /// Mappings of one face, or of every face when `face` is nil.
    public func list(face: String?, kind: String? = nil) async throws -> [ExternalID] {
        try await store.read { try await $0.externalIDs(face: face, kind: kind) }
    }

    /// Mappings of one face for several kinds (every kind asked for is in the result), in one
    /// statement: for faces that resolve their reference data on every request. Not cached, so a
    /// mapping changed by the CLI counts from the next request on.
    public func list(face: String, kinds: [String]) async throws -> [String: [ExternalID]] {
        let mappings = try await store.lookup { try await $0.externalIDs(face: face, kinds: kinds) }
        var lists = Dictionary(kinds.map { ($0, [ExternalID]()) }, uniquingKeysWith: { first, _ in first })
        for mapping in mappings { lists[mapping.kind]?.append(mapping) }
        return lists
    }

    /// Adds or replaces mappings (one transaction).
    public func set(_ mappings: [ExternalID]) async throws {
        for mapping in mappings { try Self.check(mapping) }
        try await store.write { tx in
            for mapping in mappings { try await tx.setExternalID(mapping) }
        }
    }

    /// Adds the mappings a fresh install of a product has, keeping any an operator changed.
    public func seedDefaults(_ mappings: [ExternalID]) async throws {
        for mapping in mappings { try Self.check(mapping) }
        try await store.write { tx in try await tx.insertExternalIDsIfAbsent(mappings) }
    }

    public func remove(face: String, kind: String, externalID: String) async throws {
        let removed = try await store.write { try await $0.deleteExternalID(face: face, kind: kind, externalID: externalID) }
        guard removed else { throw DeskError.notFound(.externalID, key: "\(face)/\(kind)/\(externalID)") }
    }

    static func check(_ mapping: ExternalID) throws(DeskError) {
        for (name, value, limit) in [
            ("face", mapping.face, 50), ("kind", mapping.kind, 50), ("external id", mapping.externalID, 200),
            ("core id", mapping.coreID, 200),
        ] {
            guard !value.isEmpty, value.utf8.count <= limit else { throw .invalid(.other(name), .outOfRange("1 to \(limit) characters")) }
        }
    }
}
