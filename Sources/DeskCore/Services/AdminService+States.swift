extension AdminService {
    /// A state with the name of its state type.
    public struct StateListing: Sendable {
        public let state: TicketState
        public let typeName: String
    }

    /// Adds a valid state of one of Znuny's state types (`new`, `open`, `closed`, `pending
    /// reminder`, `pending auto`, `removed`, `merged`), as Znuny's Admin → States does: the type
    /// decides what the state means (open or closed, pending; a `pending auto` state becomes what
    /// `Ticket::StateAfterPending` names). Names are unique, one line of at most 200 characters.
    /// States are not renamed or retyped here: the faces and Znuny's settings name them.
    @discardableResult
    public func addState(name: String, type: String) async throws -> Int {
        let name = try Self.oneLineName(name)
        return try await store.write { tx in
            let catalog = try await tx.catalog()
            if catalog.states[name] != nil { throw DeskError.conflict(.exists(.state, key: name)) }
            guard let stateType = catalog.stateTypes[type] else {
                throw DeskError.invalid(.other("type"), .unknownValue(type))
            }
            return try await tx.insertState(name: name, typeID: stateType.id)
        }
    }

    /// Every state, valid or not, by id, with its type.
    public func stateListings() async throws -> [StateListing] {
        let catalog = try await store.read { try await $0.catalog() }
        return catalog.states.all.map { StateListing(state: $0, typeName: catalog.stateTypeName(ofState: $0.id)) }
    }
}
