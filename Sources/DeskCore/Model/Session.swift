/// A login session kept in the database, so every server process sees it.
public struct DeskSession: Sendable, Hashable {
    public enum UserType: String, Sendable {
        case agent = "User"
        case customer = "Customer"
    }

    public var id: String
    public var userType: UserType
    /// Agent id for agents; nil for customers.
    public var agentID: Int?
    public var login: String
    public var createdAt: Int64
    public var lastRequestAt: Int64
    /// Where the session was made, e.g. `GenericInterface`.
    public var source: String
    public var remoteAddress: String
    public var userAgent: String

    public init(
        id: String, userType: UserType, agentID: Int?, login: String, createdAt: Int64, lastRequestAt: Int64,
        source: String, remoteAddress: String = "", userAgent: String = ""
    ) {
        self.id = id
        self.userType = userType
        self.agentID = agentID
        self.login = login
        self.createdAt = createdAt
        self.lastRequestAt = lastRequestAt
        self.source = source
        self.remoteAddress = remoteAddress
        self.userAgent = userAgent
    }
}

/// Session lifetimes: Znuny's `SessionMaxTime` and `SessionMaxIdleTime`.
public struct SessionPolicy: Sendable {
    public var maxTime: Int64
    public var maxIdleTime: Int64
    /// The last-request time is written at most this often, so that reading with a session does
    /// not turn every GET into a database write.
    public var touchInterval: Int64
    /// How long a process trusts a session → principal lookup it made.
    public var principalCacheSeconds: Int64

    public init(maxTime: Int64 = 16 * 3600, maxIdleTime: Int64 = 2 * 3600, touchInterval: Int64 = 60, principalCacheSeconds: Int64 = 2) {
        self.maxTime = maxTime
        self.maxIdleTime = maxIdleTime
        self.touchInterval = touchInterval
        self.principalCacheSeconds = principalCacheSeconds
    }
}
