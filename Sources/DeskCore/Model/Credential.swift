/// What a caller presents to prove who it is. Faces extract these from their wire format; the
/// core's `AuthService` answers with a principal or a typed refusal.
public enum Credential: Sendable {
    case agentPassword(login: String, password: String)
    case customerPassword(login: String, password: String)
    /// A login that may belong to an agent or to a customer user (agents are tried first), as
    /// products with a single user table send them (django-helpdesk).
    case userPassword(login: String, password: String)
    case session(id: String)
    /// An API key issued for (or imported into) a face, e.g. osTicket's `X-API-Key`.
    case apiKey(face: String, key: String)
    /// A bearer token issued for a face, e.g. django-helpdesk's `Authorization: Token …`.
    case token(face: String, token: String)
    /// An identifier and secret pair of a face, e.g. WHMCS API credentials or rpc.pl's
    /// `SOAP::User` / `SOAP::Password`.
    case secretPair(face: String, identifier: String, secret: String)
}

/// Why a credential was not accepted. Faces usually answer all of these alike (so that callers
/// cannot probe which part was wrong); some dialects distinguish them (osTicket's API key errors).
public enum AuthRefusal: Sendable, Equatable, CustomStringConvertible {
    /// No such user, key, token or identifier.
    case unknown
    /// The password or secret does not match.
    case wrongSecret
    /// The user or credential is disabled.
    case inactive
    /// The credential may not be used from this address.
    case addressNotAllowed
    /// Too many failed attempts for this login or from this address; try again later.
    case throttled
    case expired

    public var description: String {
        switch self {
        case .unknown: "unknown credential"
        case .wrongSecret: "wrong password or secret"
        case .inactive: "disabled"
        case .addressNotAllowed: "not allowed from this address"
        case .throttled: "too many failed attempts"
        case .expired: "expired"
        }
    }
}

/// The outcome of an authentication.
public enum AuthResult: Sendable {
    /// Accepted. `principal` is nil for credentials that prove access to a face without naming a
    /// user (rpc.pl's shared credential, whose calls name the acting agent themselves).
    case accepted(principal: Principal?, credential: CredentialRecord?)
    case refused(AuthRefusal)

    /// The principal of an accepted credential, if it names one.
    public var principal: Principal? {
        if case .accepted(let principal, _) = self { return principal }
        return nil
    }
}

/// Where a request comes from, for address-bound credentials, throttling and session records.
public struct RequestOrigin: Sendable, Equatable {
    public var address: String
    public var userAgent: String

    public init(address: String = "", userAgent: String = "") {
        self.address = address
        self.userAgent = userAgent
    }

    public static let local = RequestOrigin()
}

/// What a face credential may be used for. Password and session logins are not limited by scopes.
public enum CredentialScope: String, Sendable, CaseIterable, Codable {
    case createTickets = "create"
    case readTickets = "read"
    case updateTickets = "update"
    case cron
}

/// The kinds of face credentials the core keeps.
public enum CredentialKind: String, Sendable, Codable {
    case apiKey = "api_key"
    case token
    case secretPair = "secret_pair"
}

/// A stored face credential. Secrets are never kept: only their hashes.
public struct CredentialRecord: Sendable, Hashable {
    public var id: Int
    public var face: String
    public var kind: CredentialKind
    /// The public half of a secret pair; nil for keys and tokens.
    public var identifier: String?
    /// The first characters of a key or token, to tell them apart in lists.
    public var hint: String
    /// The agent the credential acts as, if any.
    public var agentID: Int?
    /// The customer user a token belongs to, if any.
    public var customerLogin: String?
    public var scopes: Set<CredentialScope>
    /// Addresses or CIDR blocks it may be used from; empty means anywhere.
    public var allowedAddresses: [String]
    public var isActive: Bool
    public var notes: String
    public var createdAt: Int64
    public var lastUsedAt: Int64
    /// 0 when it never expires.
    public var expiresAt: Int64

    public init(
        id: Int, face: String, kind: CredentialKind, identifier: String?, hint: String, agentID: Int?, customerLogin: String?,
        scopes: Set<CredentialScope>, allowedAddresses: [String], isActive: Bool, notes: String, createdAt: Int64,
        lastUsedAt: Int64, expiresAt: Int64
    ) {
        self.id = id
        self.face = face
        self.kind = kind
        self.identifier = identifier
        self.hint = hint
        self.agentID = agentID
        self.customerLogin = customerLogin
        self.scopes = scopes
        self.allowedAddresses = allowedAddresses
        self.isActive = isActive
        self.notes = notes
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
    }
}

/// A credential to store. `secretHash` is `sha256$<hex>` for random keys and tokens (looked up by
/// it) or a slow password hash for operator-chosen secrets.
public struct NewCredential: Sendable {
    public var face: String
    public var kind: CredentialKind
    public var identifier: String?
    public var secretHash: String
    public var hint: String
    public var agentID: Int?
    public var customerLogin: String?
    public var scopes: Set<CredentialScope>
    public var allowedAddresses: [String]
    public var isActive: Bool
    public var notes: String
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(
        face: String, kind: CredentialKind, identifier: String?, secretHash: String, hint: String, agentID: Int?,
        customerLogin: String?, scopes: Set<CredentialScope>, allowedAddresses: [String], isActive: Bool = true, notes: String = "",
        createdAt: Int64, expiresAt: Int64 = 0
    ) {
        self.face = face
        self.kind = kind
        self.identifier = identifier
        self.secretHash = secretHash
        self.hint = hint
        self.agentID = agentID
        self.customerLogin = customerLogin
        self.scopes = scopes
        self.allowedAddresses = allowedAddresses
        self.isActive = isActive
        self.notes = notes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// An id of another product mapped to a core id, owned by a face: osTicket's topic ids,
/// django-helpdesk's user ids, WHMCS's department ids and ticket `tid`/`c`.
public struct ExternalID: Sendable, Hashable {
    public var face: String
    /// The face's name for what is mapped (`topic`, `department`, `user`, `tid`, …).
    public var kind: String
    public var externalID: String
    /// The core's id (a ticket, queue, agent… id, as text for logins).
    public var coreID: String

    public init(face: String, kind: String, externalID: String, coreID: String) {
        self.face = face
        self.kind = kind
        self.externalID = externalID
        self.coreID = coreID
    }
}

/// A piece of face-owned configuration: a JSON document under (face, kind, key), e.g. a Znuny
/// web service definition. The core stores and caches it; only the face reads its content.
public struct FaceDocument: Sendable, Hashable {
    public var id: Int
    public var face: String
    public var kind: String
    public var key: String
    public var json: String
    public var updatedAt: Int64

    public init(id: Int, face: String, kind: String, key: String, json: String, updatedAt: Int64) {
        self.id = id
        self.face = face
        self.kind = kind
        self.key = key
        self.json = json
        self.updatedAt = updatedAt
    }
}
