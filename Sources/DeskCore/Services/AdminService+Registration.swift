extension AdminService {
    /// A customer user created through a face's API by an administrator (rw in group `admin`),
    /// as django-helpdesk's `POST /api/users/` creates accounts. Names may be empty; the customer
    /// id is the login; the password has no length rule (the product's API has none) but is
    /// stored with the slow hash. `faceID` gives the user an id of the face's sequence.
    /// A valid customer user that a ticket registered by its address and that never had a
    /// password becomes the account (its tickets stay its own); any other existing login is a
    /// conflict. Returns the external id given, if any.
    @discardableResult
    public func registerCustomerUser(
        login: String, password: String, email: String, firstName: String, lastName: String, faceID: FaceIDAllocation?,
        by principal: Principal
    ) async throws -> ExternalID? {
        let catalog = try await store.catalog()
        guard GroupAccess.isAdmin(principal, catalog: catalog) else { throw DeskError.accessDenied(.manageUsers) }
        try Self.checkLogin(login)
        guard !password.isEmpty, password.utf8.count <= 1024 else { throw DeskError.invalid(.other("password"), .missing) }
        guard email.isEmpty || MailAddress.isBareAddress(email) else {
            throw DeskError.invalid(.other("email"), .malformed(expected: "an e-mail address"))
        }
        guard firstName.count <= 150, lastName.count <= 150 else { throw DeskError.invalid(.other("name"), .tooLong(max: 150)) }
        let hash = hasher.hash(password)
        let now = clock.now()
        return try await store.write { tx in
            if try await Self.isTaken(login, reader: tx) { throw DeskError.conflict(.exists(.customerUser, key: login)) }
            if let existing = try await tx.customerUser(login: login) {
                // What the registration leaves empty keeps the ticket's values (its address above all).
                try await tx.completeCustomerUser(
                    login: login, passwordHash: hash, email: email.isEmpty ? existing.email : email,
                    firstName: firstName.isEmpty && lastName.isEmpty ? existing.firstName : firstName,
                    lastName: firstName.isEmpty && lastName.isEmpty ? existing.lastName : lastName, at: now)
            } else {
                // A login that names an existing company would join it and see its tickets.
                guard try await tx.customerCompany(id: login) == nil else { throw DeskError.conflict(.exists(.customerUser, key: login)) }
                try await tx.insertCustomerCompany(CustomerCompany(customerID: login, name: login), at: now)
                _ = try await tx.insertCustomerUser(
                    NewCustomerUser(
                        login: login, passwordHash: hash, email: email, firstName: firstName, lastName: lastName, customerID: login,
                        createdAt: now))
            }
            guard let faceID else { return nil }
            if let known = try await tx.externalID(face: faceID.face, kind: faceID.kind, coreID: "customer:\(login)") { return known }
            let value = try await tx.nextCounter(key: faceID.counterKey)
            let mapping = ExternalID(face: faceID.face, kind: faceID.kind, externalID: String(value), coreID: "customer:\(login)")
            try await tx.setExternalID(mapping)
            return mapping
        }
    }

    /// Whether `registerCustomerUser` would refuse the login as taken (admins only).
    public func isLoginTaken(_ login: String, by principal: Principal) async throws -> Bool {
        let catalog = try await store.catalog()
        guard GroupAccess.isAdmin(principal, catalog: catalog) else { throw DeskError.accessDenied(.manageUsers) }
        return try await store.read { try await Self.isTaken(login, reader: $0) }
    }

    /// An agent's login, or a customer user's other than one a ticket registered by its address
    /// (valid, never given a password).
    static func isTaken(_ login: String, reader: any StoreReader) async throws -> Bool {
        if try await reader.agent(login: login) != nil { return true }
        guard let customer = try await reader.customerUser(login: login) else { return false }
        guard customer.validity == .valid else { return true }
        return try await reader.customerPasswordHash(login: login) != nil
    }
}
