extension AdminService {
    /// A customer user created through a face's API by an administrator (rw in group `admin`),
    /// as django-helpdesk's `POST /api/users/` creates accounts. Names may be empty; the customer
    /// id is the login; the password has no length rule (the product's API has none) but is
    /// stored with the slow hash. `faceID` gives the user an id of the face's sequence.
    /// Returns the external id given, if any.
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
            let customerTaken = try await tx.customerUser(login: login) != nil
            let agentTaken = try await tx.agent(login: login) != nil
            if customerTaken || agentTaken {
                throw DeskError.conflict(.exists(.customerUser, key: login))
            }
            // A login that names an existing company would join it and see its tickets.
            guard try await tx.customerCompany(id: login) == nil else { throw DeskError.conflict(.exists(.customerUser, key: login)) }
            try await tx.insertCustomerCompany(CustomerCompany(customerID: login, name: login), at: now)
            _ = try await tx.insertCustomerUser(
                NewCustomerUser(
                    login: login, passwordHash: hash, email: email, firstName: firstName, lastName: lastName, customerID: login,
                    createdAt: now))
            guard let faceID else { return nil }
            let value = try await tx.nextCounter(key: faceID.counterKey)
            let mapping = ExternalID(face: faceID.face, kind: faceID.kind, externalID: String(value), coreID: "customer:\(login)")
            try await tx.setExternalID(mapping)
            return mapping
        }
    }
}
