extension AdminService {
    /// Adds a valid ticket type, as Znuny's Admin → Types does. Names are unique, one line of at
    /// most 200 characters. A new desk has one type, "Unclassified" (id 1), which a ticket gets
    /// when its request names none (the first valid type).
    @discardableResult
    public func addTicketType(name: String) async throws -> Int {
        let name = try Self.oneLineName(name)
        return try await store.write { tx in
            if try await tx.catalog().ticketTypes[name] != nil { throw DeskError.conflict(.exists(.ticketType, key: name)) }
            return try await tx.insertTicketType(name: name, validity: .valid)
        }
    }

    /// Renames a ticket type or changes its validity. Tickets keep their type either way (their
    /// history keeps the name they had); an invalid type cannot be given to a ticket.
    public func setTicketType(name: String, newName: String? = nil, validity: Validity? = nil) async throws {
        let newName = try newName.map(Self.oneLineName)
        try await store.write { tx in
            let catalog = try await tx.catalog()
            guard let type = catalog.ticketTypes[name] else { throw DeskError.notFound(.ticketType, key: name) }
            if let newName, newName != name, catalog.ticketTypes[newName] != nil {
                throw DeskError.conflict(.exists(.ticketType, key: newName))
            }
            try await tx.updateTicketType(id: type.id, name: newName ?? name, validity: validity ?? type.validity)
        }
    }

    /// Every ticket type, valid or not, by id.
    public func ticketTypes() async throws -> [Lookup] {
        try await store.read { try await $0.catalog().ticketTypes.all }
    }
}
