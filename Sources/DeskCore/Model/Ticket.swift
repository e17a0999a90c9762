/// A ticket as stored. Times are Unix seconds (UTC); faces format them.
public struct Ticket: Sendable, Hashable {
    public var id: Int
    public var number: String
    public var title: String
    public var queueID: Int
    public var typeID: Int?
    public var serviceID: Int?
    public var slaID: Int?
    public var stateID: Int
    public var priorityID: Int
    public var lockID: Int
    public var ownerID: Int
    public var responsibleID: Int
    public var customerUserID: String?
    public var customerID: String?
    /// Pending time (Znuny `until_time`), 0 when not pending.
    public var pendingUntil: Int64
    public var archived: Bool
    public var escalationTime: Int64
    public var escalationResponseTime: Int64
    public var escalationUpdateTime: Int64
    public var escalationSolutionTime: Int64
    public var unlockTimeout: Int64
    public var createdAt: Int64
    public var createdBy: Int
    public var changedAt: Int64
    public var changedBy: Int

    public init(
        id: Int, number: String, title: String, queueID: Int, typeID: Int?, serviceID: Int?, slaID: Int?,
        stateID: Int, priorityID: Int, lockID: Int, ownerID: Int, responsibleID: Int,
        customerUserID: String?, customerID: String?, pendingUntil: Int64 = 0, archived: Bool = false,
        escalationTime: Int64 = 0, escalationResponseTime: Int64 = 0, escalationUpdateTime: Int64 = 0,
        escalationSolutionTime: Int64 = 0, unlockTimeout: Int64 = 0, createdAt: Int64, createdBy: Int,
        changedAt: Int64, changedBy: Int
    ) {
        self.id = id
        self.number = number
        self.title = title
        self.queueID = queueID
        self.typeID = typeID
        self.serviceID = serviceID
        self.slaID = slaID
        self.stateID = stateID
        self.priorityID = priorityID
        self.lockID = lockID
        self.ownerID = ownerID
        self.responsibleID = responsibleID
        self.customerUserID = customerUserID
        self.customerID = customerID
        self.pendingUntil = pendingUntil
        self.archived = archived
        self.escalationTime = escalationTime
        self.escalationResponseTime = escalationResponseTime
        self.escalationUpdateTime = escalationUpdateTime
        self.escalationSolutionTime = escalationSolutionTime
        self.unlockTimeout = unlockTimeout
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.changedAt = changedAt
        self.changedBy = changedBy
    }

    /// The agent who owns unassigned tickets: agent 1, the admin account, as in Znuny.
    public static let unassignedOwnerID = 1

    /// The owner, unless the ticket is unassigned (owned by `unassignedOwnerID`).
    public var assignedOwnerID: Int? {
        ownerID == Self.unassignedOwnerID ? nil : ownerID
    }
}

/// Lock type ids of a fresh install.
public enum LockID {
    public static let unlock = 1
    public static let lock = 2
    public static let tmpLock = 3
}

extension Ticket {
    /// The four escalation deadlines together.
    public var escalationTimes: EscalationTimes {
        get {
            EscalationTimes(
                escalation: escalationTime, response: escalationResponseTime, update: escalationUpdateTime, solution: escalationSolutionTime
            )
        }
        set {
            (escalationTime, escalationResponseTime) = (newValue.escalation, newValue.response)
            (escalationUpdateTime, escalationSolutionTime) = (newValue.update, newValue.solution)
        }
    }
}
