/// Face credentials: API keys, bearer tokens and identifier/secret pairs. Secrets are shown once,
/// when issued, and stored only as hashes: SHA-256 digests for random keys and tokens (found by
/// their digest), a slow password hash for secrets an operator chooses (`setSharedPair`).
/// `AuthService` verifies them.
public struct CredentialService: Sendable {
    let store: any DeskStore
    let hasher: PasswordHasher
    let clock: DeskClock

    public init(store: any DeskStore, hasher: PasswordHasher = PasswordHasher(), clock: DeskClock = .system) {
        self.store = store
        self.hasher = hasher
        self.clock = clock
    }

    /// What to store with a new key or token.
    public struct Options: Sendable {
        /// The agent the credential acts as (login).
        public var agentLogin: String?
        /// The customer user a token belongs to (login).
        public var customerLogin: String?
        public var scopes: Set<CredentialScope>
        public var allowedAddresses: [String]
        public var isActive: Bool
        public var notes: String

        public init(
            agentLogin: String? = nil, customerLogin: String? = nil, scopes: Set<CredentialScope> = Set(CredentialScope.allCases),
            allowedAddresses: [String] = [], isActive: Bool = true, notes: String = ""
        ) {
            self.agentLogin = agentLogin
            self.customerLogin = customerLogin
            self.scopes = scopes
            self.allowedAddresses = allowedAddresses
            self.isActive = isActive
            self.notes = notes
        }
    }

    /// Stores a key or token whose secret the caller generated (or imports one an integration
    /// already uses). A secret that exists already for the face is a conflict.
    /// `minimumLength` may be lowered for keys a product lets operators choose (WHMCS's access key).
    /// The credentials `revoking` names are removed in the same transaction (a key replaced by
    /// another: both happen or neither).
    @discardableResult
    public func add(
        face: String, kind: CredentialKind, secret: String, options: Options, minimumLength: Int = 16, revoking: [Int] = []
    ) async throws -> CredentialRecord {
        precondition(kind != .secretPair, "secret pairs are added with addPair")
        guard secret.utf8.count >= max(1, minimumLength), secret.utf8.count <= 512 else {
            throw DeskError.invalid(.other("key"), .outOfRange("\(max(1, minimumLength)) to 512 characters"))
        }
        return try await insert(
            face: face, kind: kind, identifier: nil, secretHash: SecretDigest.sha256(secret), hint: String(secret.prefix(8)),
            options: options, revoking: revoking)
    }

    /// Stores an identifier/secret pair with random secrets (`SecretDigest`).
    @discardableResult
    public func addPair(face: String, identifier: String, secret: String, options: Options) async throws -> CredentialRecord {
        guard !identifier.isEmpty, identifier.utf8.count <= 200 else {
            throw DeskError.invalid(.other("identifier"), .outOfRange("1 to 200 characters"))
        }
        guard secret.utf8.count >= 16 else { throw DeskError.invalid(.other("secret"), .outOfRange("at least 16 characters")) }
        return try await insert(
            face: face, kind: .secretPair, identifier: identifier, secretHash: SecretDigest.sha256(secret),
            hint: String(identifier.prefix(8)),
            options: options)
    }

    /// Stores an identifier/secret pair whose secret a person chose (WHMCS's legacy admin login,
    /// whose secret is the MD5 hex of the admin's password): kept as a slow hash, replacing any
    /// pair of the face with the same identifier.
    @discardableResult
    public func putChosenPair(face: String, identifier: String, secret: String, options: Options) async throws -> CredentialRecord {
        guard !identifier.isEmpty, identifier.utf8.count <= 200 else {
            throw DeskError.invalid(.other("identifier"), .outOfRange("1 to 200 characters"))
        }
        guard !secret.isEmpty, secret.utf8.count <= 4096 else { throw DeskError.invalid(.other("secret"), .outOfRange("1 to 4096 bytes")) }
        return try await insert(
            face: face, kind: .secretPair, identifier: identifier, secretHash: hasher.hash(secret), hint: String(identifier.prefix(8)),
            options: options, replacing: true)
    }

    /// The one operator-chosen identifier/secret pair of a face (rpc.pl's `SOAP::User` and
    /// `SOAP::Password`): sets the identifier, the secret (kept as a slow hash) or both; an empty
    /// value leaves the pair disabled.
    public func setSharedPair(face: String, identifier: String?, secret: String?) async throws {
        let hash = secret.map { $0.isEmpty ? "" : hasher.hash($0) }
        let now = clock.now()
        try await store.write { tx in
            if let existing = try await tx.credentials(face: face, kind: .secretPair).first {
                let current = try await tx.credential(face: face, kind: .secretPair, identifier: existing.identifier ?? "")
                try await tx.updateCredentialSecret(
                    id: existing.id, identifier: identifier ?? existing.identifier, secretHash: hash ?? current?.secretHash ?? "")
            } else {
                _ = try await tx.insertCredential(
                    NewCredential(
                        face: face, kind: .secretPair, identifier: identifier ?? "", secretHash: hash ?? "", hint: "", agentID: nil,
                        customerLogin: nil, scopes: [], allowedAddresses: [], createdAt: now))
            }
        }
    }

    /// The identifier of a face's shared pair and whether its secret is set.
    public func sharedPair(face: String) async throws -> (identifier: String, hasSecret: Bool)? {
        try await store.read { reader in
            guard let record = try await reader.credentials(face: face, kind: .secretPair).first else { return nil }
            let stored = try await reader.credential(face: face, kind: .secretPair, identifier: record.identifier ?? "")
            return (record.identifier ?? "", !(stored?.secretHash.isEmpty ?? true))
        }
    }

    public func list(face: String, kind: CredentialKind? = nil) async throws -> [CredentialRecord] {
        try await store.read { try await $0.credentials(face: face, kind: kind) }
    }

    /// The credential with this key or token (nil when unknown).
    public func find(face: String, kind: CredentialKind, secret: String) async throws -> CredentialRecord? {
        try await store.lookup { try await $0.credential(face: face, kind: kind, secretHash: SecretDigest.sha256(secret)) }
    }

    /// The pair with this identifier (nil when unknown).
    public func findPair(face: String, identifier: String) async throws -> CredentialRecord? {
        try await store.lookup { try await $0.credential(face: face, kind: .secretPair, identifier: identifier)?.0 }
    }

    public func setActive(id: Int, _ active: Bool) async throws {
        try await store.write { try await $0.setCredentialActive(id: id, active) }
    }

    public func revoke(id: Int) async throws {
        try await revoke(ids: [id])
    }

    /// Removes these credentials, all in one transaction.
    public func revoke(ids: [Int]) async throws {
        guard !ids.isEmpty else { return }
        try await store.write { tx in
            for id in ids { try await tx.deleteCredential(id: id) }
        }
    }

    private func insert(
        face: String, kind: CredentialKind, identifier: String?, secretHash: String, hint: String, options: Options,
        replacing: Bool = false,
        revoking: [Int] = []
    ) async throws -> CredentialRecord {
        for address in options.allowedAddresses where !IPMatcher.isPattern(address) {
            throw DeskError.invalid(.other("ip"), .malformed(expected: "an IP address or CIDR block"))
        }
        let now = clock.now()
        return try await store.write { tx in
            for id in revoking { try await tx.deleteCredential(id: id) }
            var agentID: Int?
            if let login = options.agentLogin {
                guard let agent = try await tx.agent(login: login) else { throw DeskError.notFound(.agent, key: login) }
                agentID = agent.id
            }
            if let login = options.customerLogin, try await tx.customerUser(login: login) == nil {
                throw DeskError.notFound(.customerUser, key: login)
            }
            if let identifier, let existing = try await tx.credential(face: face, kind: kind, identifier: identifier) {
                guard replacing else { throw DeskError.conflict(.exists(.credential, key: identifier)) }
                try await tx.deleteCredential(id: existing.0.id)
            }
            if identifier == nil, try await tx.credential(face: face, kind: kind, secretHash: secretHash) != nil {
                throw DeskError.conflict(.exists(.credential, key: hint))
            }
            let credential = NewCredential(
                face: face, kind: kind, identifier: identifier, secretHash: secretHash, hint: hint, agentID: agentID,
                customerLogin: options.customerLogin, scopes: options.scopes, allowedAddresses: options.allowedAddresses,
                isActive: options.isActive, notes: options.notes, createdAt: now)
            let id = try await tx.insertCredential(credential)
            return CredentialRecord(
                id: id, face: face, kind: kind, identifier: identifier, hint: hint, agentID: agentID, customerLogin: options.customerLogin,
                scopes: options.scopes, allowedAddresses: options.allowedAddresses, isActive: options.isActive, notes: options.notes,
                createdAt: now, lastUsedAt: 0, expiresAt: 0)
        }
    }
}
