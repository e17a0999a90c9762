/// A row of a simple lookup table: priorities, ticket types, lock types, state types, sender types,
/// communication channels, history types, groups. Ids are the ones of a fresh Znuny install.
public struct Lookup: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var validity: Validity

    public init(id: Int, name: String, validity: Validity = .valid) {
        self.id = id
        self.name = name
        self.validity = validity
    }

    public var isValid: Bool { validity == .valid }
}
