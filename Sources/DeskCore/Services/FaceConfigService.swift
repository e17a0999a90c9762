/// Face-owned configuration: JSON documents under (face, kind, key), such as Znuny web service
/// definitions. The core stores and caches them (a cache hit costs no database access); only the
/// face that owns them knows their content.
public struct FaceConfigService: Sendable {
    let store: any DeskStore
    let clock: DeskClock

    public init(store: any DeskStore, clock: DeskClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// The face's documents of `kind`, by id.
    public func documents(face: String, kind: String) async throws -> [FaceDocument] {
        try await store.faceDocuments(face: face).filter { $0.kind == kind }
    }

    public func document(face: String, kind: String, key: String) async throws -> FaceDocument? {
        try await documents(face: face, kind: kind).first { $0.key == key }
    }

    /// Adds or replaces a document; returns its id.
    @discardableResult
    public func put(face: String, kind: String, key: String, json: String) async throws -> Int {
        guard !key.isEmpty, key.utf8.count <= 200 else { throw DeskError.invalid(.other("name"), .outOfRange("1 to 200 characters")) }
        guard json.utf8.count <= 1_000_000 else { throw DeskError.invalid(.other("document"), .tooLong(max: 1_000_000)) }
        let now = clock.now()
        return try await store.write { try await $0.putFaceDocument(face: face, kind: kind, key: key, json: json, at: now) }
    }

    public func remove(face: String, kind: String, key: String) async throws -> Bool {
        try await store.write { try await $0.deleteFaceDocument(face: face, kind: kind, key: key) }
    }
}
