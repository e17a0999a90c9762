/// Which standard a key belongs to, as Znuny's `Sign`/`Crypt` `Type` names it.
public enum CryptoKind: String, Sendable, Codable, CaseIterable {
    case pgp = "PGP"
    case smime = "SMIME"
}

/// A PGP key or an S/MIME certificate the operator imported (`swiftdesk pgp import`,
/// `swiftdesk smime import`), kept in the database so every server process can use it.
public struct CryptoKey: Sendable, Equatable {
    public var id: Int
    public var kind: CryptoKind
    /// PGP: the long key id (16 hex digits); S/MIME: OpenSSL's subject hash with `.0`, as Znuny names certificates.
    public var keyID: String
    /// Upper-case hex fingerprint of the (primary) key or certificate.
    public var fingerprint: String
    /// The addresses of the key's user ids or the certificate, lower-cased.
    public var emails: [String]
    /// When the key expires (0: never).
    public var expiresAt: Int64
    /// The public key (armored) or certificate (PEM).
    public var publicData: String
    /// The secret key (armored) or private key (PEM); empty when only the public part was imported.
    public var privateData: String
    public var createdAt: Int64

    public init(
        id: Int, kind: CryptoKind, keyID: String, fingerprint: String, emails: [String], expiresAt: Int64, publicData: String,
        privateData: String, createdAt: Int64
    ) {
        self.id = id
        self.kind = kind
        self.keyID = keyID
        self.fingerprint = fingerprint
        self.emails = emails
        self.expiresAt = expiresAt
        self.publicData = publicData
        self.privateData = privateData
        self.createdAt = createdAt
    }

    /// Whether `reference` names this key: its fingerprint, key id (or their last 8 or more hex
    /// digits, as `0x`-prefixed or plain PGP ids), S/MIME hash name, or one of its addresses.
    public func matches(_ reference: String) -> Bool {
        var ref = reference.trimmingSpaces
        if ref.lowercased().hasPrefix("0x") { ref = String(ref.dropFirst(2)) }
        guard !ref.isEmpty else { return false }
        if emails.contains(ref.lowercased()) { return true }
        let upper = ref.uppercased().filter { $0 != " " }
        if upper == keyID.uppercased() || upper == fingerprint { return true }
        return upper.count >= 8 && upper.allSatisfy(\.isHexDigit) && (fingerprint.hasSuffix(upper) || keyID.uppercased().hasSuffix(upper))
    }

    public func isExpired(at time: Int64) -> Bool { expiresAt != 0 && expiresAt <= time }
}

/// How an outgoing message is signed or encrypted: Znuny's `Sign`/`Crypt` blocks.
public struct MailSecurity: Sendable, Equatable, Codable {
    /// `Inline` (the text body signed or encrypted in place) or `Detached` (PGP/MIME, S/MIME).
    public enum SubType: String, Sendable, Codable {
        case inline = "Inline"
        case detached = "Detached"
    }

    /// One operation with its key, named as the caller named it.
    public struct Operation: Sendable, Equatable, Codable {
        public var kind: CryptoKind
        public var subType: SubType
        public var key: String
        /// The key's row, filled in by the core when it checks the request.
        public var keyRowID: Int?

        public init(kind: CryptoKind, subType: SubType = .detached, key: String, keyRowID: Int? = nil) {
            self.kind = kind
            self.subType = subType
            self.key = key
            self.keyRowID = keyRowID
        }
    }

    public var sign: Operation?
    public var crypt: Operation?

    public init(sign: Operation? = nil, crypt: Operation? = nil) {
        self.sign = sign
        self.crypt = crypt
    }

    public var isEmpty: Bool { sign == nil && crypt == nil }
}
