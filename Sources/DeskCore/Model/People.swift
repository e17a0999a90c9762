/// An agent (Znuny "user"): staff who work on tickets.
public struct Agent: Sendable, Hashable, Codable {
    public var id: Int
    public var login: String
    public var firstName: String
    public var lastName: String
    public var email: String
    public var validity: Validity
    public var outOfOffice: Bool
    /// Inclusive dates `YYYY-MM-DD`, as Znuny's preferences keep them.
    public var outOfOfficeStart: String?
    public var outOfOfficeEnd: String?
    public var createdAt: Int64
    public var changedAt: Int64

    public init(
        id: Int, login: String, firstName: String, lastName: String, email: String,
        validity: Validity = .valid, outOfOffice: Bool = false, outOfOfficeStart: String? = nil,
        outOfOfficeEnd: String? = nil, createdAt: Int64 = 0, changedAt: Int64 = 0
    ) {
        self.createdAt = createdAt
        self.changedAt = changedAt
        self.id = id
        self.login = login
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.validity = validity
        self.outOfOffice = outOfOffice
        self.outOfOfficeStart = outOfOfficeStart
        self.outOfOfficeEnd = outOfOfficeEnd
    }

    public var fullName: String { "\(firstName) \(lastName)" }

    /// The out-of-office period as Znuny's `GetUserData` reads the dates: from the start day's
    /// 00:00:00 to the end day's 23:59:59, UTC (an end before the start stays as given); nil
    /// without two valid dates.
    public var outOfOfficePeriod: (start: Int64, end: Int64)? {
        guard let start = outOfOfficeStart.flatMap(CivilDate.init(timestamp:))?.unixSeconds,
            let end = outOfOfficeEnd.flatMap(CivilDate.init(timestamp:)),
            let last = CivilDate(year: end.year, month: end.month, day: end.day, hour: 23, minute: 59, second: 59).unixSeconds
        else { return nil }
        return (start, last)
    }

    /// Away at `now`: the flag on and `now` strictly inside the period (Znuny's
    /// `$TimeStart < $CurrentTime && $TimeEnd > $CurrentTime`), as SessionGet shows it. (Notifications
    /// reach agents out of office too: Znuny's defaults set `SendOnOutOfOffice`.)
    public func isOutOfOffice(at now: Int64) -> Bool {
        guard outOfOffice, let period = outOfOfficePeriod else { return false }
        return period.start < now && now < period.end
    }
}

/// A customer user: someone who asks for help, belonging to a customer company (`customerID`).
public struct CustomerUser: Sendable, Hashable, Codable {
    public var id: Int
    public var login: String
    public var email: String
    public var firstName: String
    public var lastName: String
    public var customerID: String
    public var validity: Validity
    /// Free text as entered (`+1 555 123 4567 x12`); empty when unknown.
    public var phone: String
    /// Notes about the customer user, for agents.
    public var comment: String
    public var createdAt: Int64
    public var changedAt: Int64

    public init(
        id: Int, login: String, email: String, firstName: String, lastName: String, customerID: String,
        validity: Validity = .valid, phone: String = "", comment: String = "", createdAt: Int64 = 0, changedAt: Int64 = 0
    ) {
        self.phone = phone
        self.comment = comment
        self.createdAt = createdAt
        self.changedAt = changedAt
        self.id = id
        self.login = login
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.customerID = customerID
        self.validity = validity
    }

    /// The non-empty names joined by one space (Znuny's `CustomerName`).
    public var fullName: String { [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ") }
    /// `"First Last" <email>`, the `From` Znuny derives for a customer's article.
    public var mailbox: String { MailAddress.mailbox(name: fullName, address: email) }
}

/// A customer company, keyed by its customer id.
public struct CustomerCompany: Sendable, Hashable, Codable {
    public var customerID: String
    public var name: String
    public var validity: Validity

    public init(customerID: String, name: String, validity: Validity = .valid) {
        self.customerID = customerID
        self.name = name
        self.validity = validity
    }
}
