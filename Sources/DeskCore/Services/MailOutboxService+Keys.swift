/// The PGP keys and S/MIME certificates outgoing mail is signed and encrypted with
/// (`swiftdesk pgp|smime import`; the core checks `Sign`/`Crypt` against them).
extension MailOutboxService {
    /// Stores an imported PGP key or S/MIME certificate (its details read by the caller, e.g.
    /// with gpg or openssl); an import of the same key again replaces it, keeping a secret part.
    @discardableResult
    public func importKey(_ key: CryptoKey) async throws -> Int {
        guard !key.fingerprint.isEmpty, !key.publicData.isEmpty else { throw DeskError.invalid(.other("key"), .missing) }
        var stamped = key
        stamped.createdAt = clock.now()
        let row = stamped
        return try await store.write { try await $0.putCryptoKey(row) }
    }

    /// The imported keys of `kind` (all kinds when nil).
    public func keys(kind: CryptoKind? = nil) async throws -> [CryptoKey] {
        try await store.read { try await $0.cryptoKeys(kind: kind) }
    }
}
