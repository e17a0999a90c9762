/// Which services a customer user may have on a ticket, as Znuny's `CustomerUserServiceMemberList`
/// decides it: the valid services assigned to the customer user's login, or, when none is, the
/// default services (assigned to the login `<DEFAULT>`, as Znuny stores them). A customer user
/// with one service of its own gets no default service.
public enum ServiceAssignment {
    /// The login under which default services are assigned (Znuny's `<DEFAULT>` customer user).
    public static let defaultLogin = "<DEFAULT>"

    /// The ids of the services `login` may use.
    public static func serviceIDs(usableBy login: String, reader: any StoreReader, catalog: Catalog) async throws -> Set<Int> {
        let assigned = try await reader.serviceAssignments(logins: login == defaultLogin ? [login] : [login, defaultLogin])
            .filter { catalog.services[$0.serviceID]?.validity == .valid }
        let own = Set(assigned.filter { $0.login == login }.map(\.serviceID))
        guard own.isEmpty, login != defaultLogin else { return own }
        return Set(assigned.filter { $0.login == defaultLogin }.map(\.serviceID))
    }
}
