extension AdminService {
    /// Adds a valid priority, as Znuny's Admin → Priorities does. Names are unique, one line of at
    /// most 200 characters. Znuny sorts and compares priorities by id (`SortBy=Priority`), so an
    /// added priority ranks above "5 very high" whatever its name says. Priorities are not renamed
    /// or invalidated here: the faces map their own priorities to Znuny's five by name.
    @discardableResult
    public func addPriority(name: String) async throws -> Int {
        let name = try Self.oneLineName(name)
        return try await store.write { tx in
            if try await tx.catalog().priorities[name] != nil { throw DeskError.conflict(.exists(.priority, key: name)) }
            return try await tx.insertPriority(name: name)
        }
    }

    /// Every priority, valid or not, by id.
    public func priorities() async throws -> [Lookup] {
        try await store.read { try await $0.catalog().priorities.all }
    }
}
