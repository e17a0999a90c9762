import DeskCore

/// A face's numeric ids for core tickets and articles (django-helpdesk's ticket and follow-up
/// ids, WHMCS's ticket, reply and note ids). Objects created through the face, or imported from
/// its product, have ids of the face's own sequences (`FaceIDAllocation`: 1, 2, 3, … as a fresh
/// install numbers them; imports keep theirs). Anything else shows as `foreign` + its SwiftDesk
/// id, so ids stay unique and stable without writing anything when they are read.
public struct FaceNumericIDs: Sendable {
    let externalIDs: ExternalIDService
    public let face: String

    /// The offset of objects without an id of the face's own (10⁹; face sequences stay below it).
    public static let foreign = 1_000_000_000
    /// The end of the offset range (`foreign` ..< `foreignEnd`).
    public static let foreignEnd = 2_000_000_000

    public init(externalIDs: ExternalIDService, face: String) {
        self.externalIDs = externalIDs
        self.face = face
    }

    /// The face's ids of these core objects of `kind`, by core id.
    public func ids(_ kind: String, core: [Int]) async throws -> [Int: Int] {
        guard !core.isEmpty else { return [:] }
        let mapped = try await externalIDs.externalIDs(face: face, kind: kind, coreIDs: core.map(String.init))
        var result: [Int: Int] = [:]
        for id in core { result[id] = mapped[String(id)].flatMap { Int($0) } ?? Self.foreign + id }
        return result
    }

    public func id(_ kind: String, core: Int) async throws -> Int {
        try await ids(kind, core: [core])[core] ?? Self.foreign + core
    }

    /// The core id behind one of the face's ids (nil when it names nothing).
    public func core(_ kind: String, _ id: Int) async throws -> Int? {
        if id > Self.foreign && id < Self.foreignEnd {
            let core = id - Self.foreign
            // An object with an id of its own is not also reachable by its offset id.
            let mapped = try await externalIDs.externalIDs(face: face, kind: kind, coreIDs: [String(core)])
            return mapped.isEmpty ? core : nil
        }
        return try await externalIDs.coreID(face: face, kind: kind, externalID: String(id)).flatMap { Int($0) }
    }
}
