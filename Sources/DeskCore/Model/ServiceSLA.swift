/// A service a ticket can be about. Sub-services use `Parent::Child` names like queues.
public struct DeskServiceItem: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var validity: Validity

    public init(id: Int, name: String, validity: Validity = .valid) {
        self.id = id
        self.name = name
        self.validity = validity
    }
}

/// A service level agreement with its escalation minutes and the services it covers.
public struct SLA: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var serviceIDs: [Int]
    public var firstResponseMinutes: Int
    public var updateMinutes: Int
    public var solutionMinutes: Int
    /// Percentages of the minutes after which a deadline is near (Znuny's "notify by").
    public var notify: EscalationNotify
    /// The working calendar its minutes count in ("" the default one, "1" … "9"; see `Queue`).
    public var calendar: String
    public var validity: Validity

    public init(
        id: Int, name: String, serviceIDs: [Int] = [], firstResponseMinutes: Int = 0,
        updateMinutes: Int = 0, solutionMinutes: Int = 0, notify: EscalationNotify = .none, calendar: String = "",
        validity: Validity = .valid
    ) {
        self.id = id
        self.name = name
        self.serviceIDs = serviceIDs
        self.firstResponseMinutes = firstResponseMinutes
        self.updateMinutes = updateMinutes
        self.solutionMinutes = solutionMinutes
        self.notify = notify
        self.calendar = calendar
        self.validity = validity
    }
}
