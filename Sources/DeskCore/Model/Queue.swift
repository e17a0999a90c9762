/// A queue. Sub-queues carry the full path in `name` (`Parent::Child`) and point at their parent.
public struct Queue: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var groupID: Int
    public var systemAddressID: Int
    /// The signature the Znuny face's `ArticleSend` appends; nil: none.
    public var signatureID: Int?
    public var parentID: Int?
    /// Minutes after which a locked ticket without activity is unlocked; 0 = never.
    public var unlockTimeout: Int
    /// Follow-up policy: 1 possible, 2 reject, 3 new ticket.
    public var followUpID: Int
    public var firstResponseMinutes: Int
    public var updateMinutes: Int
    public var solutionMinutes: Int
    /// Percentages of the minutes after which a deadline is near (Znuny's "notify by").
    public var notify: EscalationNotify
    /// The working calendar its minutes count in: "" the default one, "1" … "9" Znuny's
    /// `Calendar1` … `Calendar9` (`Settings.workingCalendar(named:)`).
    public var calendar: String
    public var comment: String
    public var validity: Validity

    public init(
        id: Int, name: String, groupID: Int, systemAddressID: Int = 1, parentID: Int? = nil,
        unlockTimeout: Int = 0, followUpID: Int = 1, firstResponseMinutes: Int = 0,
        updateMinutes: Int = 0, solutionMinutes: Int = 0, notify: EscalationNotify = .none, calendar: String = "", comment: String = "",
        validity: Validity = .valid, signatureID: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.groupID = groupID
        self.systemAddressID = systemAddressID
        self.signatureID = signatureID
        self.parentID = parentID
        self.unlockTimeout = unlockTimeout
        self.followUpID = followUpID
        self.firstResponseMinutes = firstResponseMinutes
        self.updateMinutes = updateMinutes
        self.solutionMinutes = solutionMinutes
        self.notify = notify
        self.calendar = calendar
        self.comment = comment
        self.validity = validity
    }
}

/// The address a queue answers from.
public struct SystemAddress: Sendable, Hashable, Codable {
    public var id: Int
    public var address: String
    public var realName: String
    public var queueID: Int
    public var validity: Validity

    public init(id: Int, address: String, realName: String, queueID: Int, validity: Validity = .valid) {
        self.id = id
        self.address = address
        self.realName = realName
        self.queueID = queueID
        self.validity = validity
    }
}
