/// Rows the core hands to the store to insert. Ids and defaults come from the database.

public struct NewTicket: Sendable {
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
    public var pendingUntil: Int64
    public var escalation: EscalationTimes
    /// When an agent last worked on the ticket (Znuny's `timeout`), for automatic unlocking.
    public var unlockTimeout: Int64 = 0
    public var createdAt: Int64
    public var createdBy: Int

    public init(
        number: String, title: String, queueID: Int, typeID: Int?, serviceID: Int?, slaID: Int?,
        stateID: Int, priorityID: Int, lockID: Int, ownerID: Int, responsibleID: Int,
        customerUserID: String?, customerID: String?, pendingUntil: Int64, escalation: EscalationTimes = .none,
        createdAt: Int64, createdBy: Int
    ) {
        self.escalation = escalation
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
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// A ticket number's counter value with the ids reserved for the ticket and its articles
/// (`StoreWriter.reserveTicket`); nil ids are assigned by the database on insert.
public struct TicketReservation: Sendable {
    public var counter: Int
    public var ticketID: Int?
    public var articleIDs: [Int]?

    public init(counter: Int, ticketID: Int?, articleIDs: [Int]?) {
        self.counter = counter
        self.ticketID = ticketID
        self.articleIDs = articleIDs
    }
}

/// An article row; `id` and `ticketID` fields of `Article` are assigned on insert.
public typealias NewArticle = Article

public struct NewAttachment: Sendable {
    public var articleID: Int
    public var filename: String
    public var contentType: String
    public var contentID: String
    public var disposition: String
    public var content: [UInt8]

    public init(articleID: Int, filename: String, contentType: String, contentID: String, disposition: String, content: [UInt8]) {
        self.articleID = articleID
        self.filename = filename
        self.contentType = contentType
        self.contentID = contentID
        self.disposition = disposition
        self.content = content
    }
}

public struct NewTimeAccounting: Sendable {
    public var ticketID: Int
    public var articleID: Int?
    public var timeUnit: Double
    public var createdAt: Int64
    public var createdBy: Int

    public init(ticketID: Int, articleID: Int?, timeUnit: Double, createdAt: Int64, createdBy: Int) {
        self.ticketID = ticketID
        self.articleID = articleID
        self.timeUnit = timeUnit
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// The ticket columns an update changes; nil leaves a column as it is. For the optional columns
/// (type, service, SLA, customer) the inner optional is the new value, which may be NULL.
public struct TicketChanges: Sendable, Equatable {
    public var title: String?
    public var queueID: Int?
    public var typeID: Int??
    public var serviceID: Int??
    public var slaID: Int??
    public var stateID: Int?
    public var priorityID: Int?
    public var lockID: Int?
    public var ownerID: Int?
    public var responsibleID: Int?
    public var customerUserID: String??
    public var customerID: String??
    public var pendingUntil: Int64?
    public var archived: Bool?
    public var escalation: EscalationTimes?
    public var unlockTimeout: Int64?

    public init() {}

    public var isEmpty: Bool { self == TicketChanges() }
}

public struct NewAgent: Sendable {
    public var login: String
    public var passwordHash: String
    public var firstName: String
    public var lastName: String
    public var email: String
    public var createdAt: Int64

    public init(login: String, passwordHash: String, firstName: String, lastName: String, email: String, createdAt: Int64) {
        self.login = login
        self.passwordHash = passwordHash
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.createdAt = createdAt
    }
}

public struct NewCustomerUser: Sendable {
    public var login: String
    public var passwordHash: String
    public var email: String
    public var firstName: String
    public var lastName: String
    public var customerID: String
    public var phone: String
    public var comment: String
    public var validity: Validity
    public var createdAt: Int64

    public init(
        login: String, passwordHash: String, email: String, firstName: String, lastName: String, customerID: String,
        phone: String = "", comment: String = "", validity: Validity = .valid, createdAt: Int64
    ) {
        self.validity = validity
        self.phone = phone
        self.comment = comment
        self.login = login
        self.passwordHash = passwordHash
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.customerID = customerID
        self.createdAt = createdAt
    }
}

public struct NewQueue: Sendable {
    public var name: String
    public var groupID: Int
    public var parentID: Int?
    public var systemAddressID: Int
    public var unlockTimeout: Int
    public var followUpID: Int
    public var firstResponseMinutes: Int
    public var updateMinutes: Int
    public var solutionMinutes: Int
    public var notify: EscalationNotify
    /// The working calendar ("" the default one; `Queue.calendar`).
    public var calendar: String
    public var comment: String
    /// The signature the Znuny face's `ArticleSend` appends; nil: none.
    public var signatureID: Int?
    public var createdAt: Int64

    public init(
        name: String, groupID: Int, parentID: Int?, systemAddressID: Int = 1, unlockTimeout: Int = 0,
        followUpID: Int = 1, firstResponseMinutes: Int = 0, updateMinutes: Int = 0, solutionMinutes: Int = 0,
        notify: EscalationNotify = .none, calendar: String = "", comment: String = "", signatureID: Int? = nil, createdAt: Int64
    ) {
        self.signatureID = signatureID
        self.calendar = calendar
        self.name = name
        self.groupID = groupID
        self.parentID = parentID
        self.systemAddressID = systemAddressID
        self.unlockTimeout = unlockTimeout
        self.followUpID = followUpID
        self.firstResponseMinutes = firstResponseMinutes
        self.updateMinutes = updateMinutes
        self.solutionMinutes = solutionMinutes
        self.notify = notify
        self.comment = comment
        self.createdAt = createdAt
    }
}

public struct NewDynamicField: Sendable {
    public var name: String
    public var label: String
    public var type: DynamicFieldType
    public var object: DynamicFieldObject
    public var possibleValues: [DynamicField.PossibleValue]
    public var possibleNone: Bool
    public var createdAt: Int64

    public init(
        name: String, label: String, type: DynamicFieldType, object: DynamicFieldObject,
        possibleValues: [DynamicField.PossibleValue], possibleNone: Bool, createdAt: Int64
    ) {
        self.name = name
        self.label = label
        self.type = type
        self.object = object
        self.possibleValues = possibleValues
        self.possibleNone = possibleNone
        self.createdAt = createdAt
    }
}

/// What the escalation index reads of an article (`EscalationIndex`): who wrote it, whether
/// the customer sees it, when.
public struct ArticleMark: Sendable, Equatable {
    public var ticketID: Int
    public var senderTypeID: Int
    public var isVisibleForCustomer: Bool
    public var createdAt: Int64

    public init(ticketID: Int, senderTypeID: Int, isVisibleForCustomer: Bool, createdAt: Int64) {
        (self.ticketID, self.senderTypeID, self.isVisibleForCustomer, self.createdAt) = (
            ticketID, senderTypeID, isVisibleForCustomer, createdAt
        )
    }

    public init(_ article: Article) {
        self.init(
            ticketID: article.ticketID, senderTypeID: article.senderTypeID, isVisibleForCustomer: article.isVisibleForCustomer,
            createdAt: article.createdAt)
    }
}

/// Escalation deadlines in Unix seconds; 0 means "no deadline".
public struct EscalationTimes: Sendable, Equatable {
    public var escalation: Int64
    public var response: Int64
    public var update: Int64
    public var solution: Int64

    public init(escalation: Int64, response: Int64, update: Int64, solution: Int64) {
        self.escalation = escalation
        self.response = response
        self.update = update
        self.solution = solution
    }

    public static let none = EscalationTimes(escalation: 0, response: 0, update: 0, solution: 0)

    /// The deadline of one kind.
    public subscript(kind: EscalationKind) -> Int64 {
        switch kind {
        case .firstResponse: response
        case .update: update
        case .solution: solution
        }
    }
}

/// New values for a queue's fields; nil leaves a field as it is.
public struct QueueChanges: Sendable {
    public var name: String?
    /// The system address outgoing mail of the queue is sent from.
    public var systemAddressID: Int?
    /// The queue's signature (`.some(nil)`: none).
    public var signatureID: Int??
    public var parentID: Int??
    public var firstResponseMinutes: Int?
    public var updateMinutes: Int?
    public var solutionMinutes: Int?
    public var notify: EscalationNotify?
    public var calendar: String?
    public var comment: String?
    public var validity: Validity?

    public init(name: String? = nil, parentID: Int?? = nil, solutionMinutes: Int? = nil, comment: String? = nil, validity: Validity? = nil)
    {
        self.name = name
        self.parentID = parentID
        self.solutionMinutes = solutionMinutes
        self.comment = comment
        self.validity = validity
    }
}

/// The customer users a text may name, read in one query (`StoreReader.customerUsers(loginOrEmail:)`):
/// a create or update names its customer by login, compared as written and then without regard
/// to case (Znuny's `CustomerUserDataGet`), and some faces fall back to the e-mail address.
public struct CustomerUserMatches: Sendable, Equatable {
    /// The customer user whose login is the text as written.
    public var exactLogin: CustomerUser?
    /// The first customer user, by id, whose login equals the text without regard to case.
    public var loginIgnoringCase: CustomerUser?
    /// Customer users whose e-mail address equals the text without regard to case, valid ones
    /// first, then by id (at most 100).
    public var email: [CustomerUser]

    public init(exactLogin: CustomerUser? = nil, loginIgnoringCase: CustomerUser? = nil, email: [CustomerUser] = []) {
        (self.exactLogin, self.loginIgnoringCase, self.email) = (exactLogin, loginIgnoringCase, email)
    }

    /// The customer user the text names as a login: as written, else without regard to case.
    public var byLogin: CustomerUser? { exactLogin ?? loginIgnoringCase }
}
