/// The errors the core throws. Every face maps these, in one table, to its own dialect.
///
/// Errors are values of small enums, never free text, so that a face can word them exactly as the
/// product it speaks for. `description` gives an English sentence for the CLI and the logs.
///
/// A request can be wrong in several ways; the core reports the first problem in the order that
/// `CheckStep` documents (Znuny's, the richest model SwiftDesk speaks).
public enum DeskError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The entity with this key does not exist, or the caller may not see it.
    case notFound(Entity, key: String)
    /// The principal may not do `action`.
    case accessDenied(Action)
    /// A value the caller sent is not acceptable.
    case invalid(Field, Reason)
    /// The request clashes with existing data.
    case conflict(Conflict)

    public var description: String {
        switch self {
        case .notFound(let entity, let key): "\(entity) '\(key)' not found"
        case .accessDenied(let action): "access denied: \(action)"
        case .invalid(let field, let reason): "invalid \(field): \(reason)"
        case .conflict(let conflict): "conflict: \(conflict)"
        }
    }

    /// Where this error arises in the documented order of checks.
    public var step: CheckStep {
        switch self {
        case .notFound(.ticket, _): .access
        case .notFound: .rules
        case .accessDenied(let action): action.step
        case .invalid(_, .needsPendingTime): .rules
        case .invalid(let field, _): .field(field)
        case .conflict: .rules
        }
    }
}

/// Things that can be looked up (and not found).
public enum Entity: String, Sendable, CustomStringConvertible {
    case ticket, article, attachment, agent
    case customerUser = "customer user"
    case customerCompany = "customer company"
    case queue, service, priority, state
    case ticketType = "ticket type"
    case parentQueue = "parent queue"
    case parentService = "parent service"
    case sla = "SLA"
    case group
    case dynamicField = "dynamic field"
    case session, credential
    case externalID = "external id"
    case setting, face
    case outboxMessage = "outbox message"
    case systemAddress = "system address"
    case autoResponse = "auto response"
    case signature

    public var description: String { rawValue }
}

/// What a principal tried to do.
public enum Action: Sendable, Equatable, CustomStringConvertible {
    /// Create a ticket in the queue with this name.
    case createTicket(queue: String)
    case addArticle
    case updateDynamicFields
    /// Change the ticket's queue.
    case moveTicket
    /// Move a ticket into the queue with this name (`move_into` in its group).
    case moveInto(queue: String)
    case changeOwner
    case changeResponsible
    case changePriority
    /// Set a closing or pending state (the named one); Znuny's `close` permission.
    case closeOrPend(state: String)
    /// Change the state to the named state otherwise.
    case changeState(state: String)
    case changeTitle, changeLock, changeType, changeService, changeSLA, changeCustomer, setPendingTime, archive, deleteTicket,
        changeAttributes, manageUsers
    case readHistory
    case accountTime
    case readTimeAccounting
    case queueOverview
    case changeOutOfOffice
    case impersonate
    /// Look up agents and other customer users (agents only).
    case readDirectory
    /// The credential used lacks this scope (e.g. an API key without `create`).
    case useScope(CredentialScope)

    public var description: String {
        switch self {
        case .createTicket(let queue): "create tickets in queue \(queue)"
        case .addArticle: "add articles"
        case .updateDynamicFields: "update dynamic fields"
        case .moveTicket: "move the ticket"
        case .moveInto(let queue): "move tickets into queue \(queue)"
        case .changeOwner: "change the owner"
        case .changeResponsible: "change the responsible agent"
        case .changePriority: "change the priority"
        case .closeOrPend(let state), .changeState(let state): "change the state to \(state)"
        case .changeTitle: "change the title"
        case .changeLock: "lock or unlock the ticket"
        case .changeType: "change the ticket type"
        case .changeService: "change the service"
        case .changeSLA: "change the SLA"
        case .changeCustomer: "change the customer"
        case .setPendingTime: "set the pending time"
        case .archive: "archive the ticket"
        case .deleteTicket: "delete the ticket"
        case .changeAttributes: "change the ticket"
        case .manageUsers: "manage user accounts"
        case .readHistory: "ticket history is for agents"
        case .accountTime: "account time"
        case .readTimeAccounting: "read time accounting"
        case .queueOverview: "queue overview is for agents"
        case .changeOutOfOffice: "change out-of-office settings"
        case .impersonate: "act as another agent"
        case .readDirectory: "look up agents and customer users"
        case .useScope(let scope): "the credential lacks the scope '\(scope.rawValue)'"
        }
    }

    /// Permission checks of an update come after every value check, in Znuny's order
    /// (articles, dynamic fields, queue, owner, responsible, priority, state), then the rest.
    public var step: CheckStep {
        switch self {
        case .createTicket: .createPermission
        case .useScope: .access
        case .addArticle: .changePermission(0)
        case .updateDynamicFields: .changePermission(1)
        case .moveTicket: .changePermission(2)
        case .changeOwner: .changePermission(3)
        case .changeResponsible: .changePermission(4)
        case .changePriority: .changePermission(5)
        case .closeOrPend: .changePermission(6)
        case .moveInto: .changePermission(7)
        default: .changePermission(8)
        }
    }
}

/// A value of a request. Ticket attributes are declared in the order the core checks them.
public enum Field: Sendable, Hashable, CustomStringConvertible {
    case title, customerUser, customerID, queue, lock, type, service, sla, state, priority, owner, responsible, pendingTime
    case archive
    /// A field of the request's `index`-th article (0-based).
    case article(Int, ArticleField)
    /// The `index`-th ticket-level dynamic field entry of the request.
    case dynamicField(Int, name: String)
    /// Anything else, by name: administration input (`login`, `email`, …) and setting keys.
    case other(String)

    public var description: String {
        switch self {
        case .title: "Title"
        case .customerUser: "CustomerUser"
        case .customerID: "CustomerID"
        case .queue: "Queue"
        case .lock: "Lock"
        case .type: "Type"
        case .service: "Service"
        case .sla: "SLA"
        case .state: "State"
        case .priority: "Priority"
        case .owner: "Owner"
        case .responsible: "Responsible"
        case .pendingTime: "PendingTime"
        case .archive: "ArchiveFlag"
        case .article(let index, let field): "article \(index + 1) \(field)"
        case .dynamicField(_, let name): "dynamic field \(name)"
        case .other(let name): name
        }
    }

    /// Ticket attributes in check order.
    static let ticketOrder: [Field] = [
        .title, .customerUser, .customerID, .queue, .lock, .type, .service, .sla, .state, .priority, .owner, .responsible,
        .pendingTime, .archive,
    ]
}

/// A field of an article, in the order the core checks them.
public enum ArticleField: Sendable, Hashable, CustomStringConvertible {
    case subject, body, autoResponseType, channel, senderType, from, to, cc, bcc, contentType, mimeType, charset
    /// `Reply-To`, and the threading headers `Message-ID`, `In-Reply-To`, `References`.
    case replyTo, messageID, inReplyTo, references
    /// The PGP or S/MIME key to sign or encrypt the mail with (Znuny's `Sign`, `Crypt`).
    case sign, crypt
    case historyType, timeUnit, noAgentNotify
    case notifyAgents(NotificationList)
    /// The article's own `index`-th dynamic field entry.
    case dynamicField(Int, name: String)
    /// A field of the article's `index`-th attachment.
    case attachment(Int, AttachmentField)

    public var description: String {
        switch self {
        case .subject: "Subject"
        case .body: "Body"
        case .autoResponseType: "AutoResponseType"
        case .channel: "CommunicationChannel"
        case .senderType: "SenderType"
        case .from: "From"
        case .to: "To"
        case .cc: "Cc"
        case .bcc: "Bcc"
        case .replyTo: "ReplyTo"
        case .messageID: "MessageID"
        case .inReplyTo: "InReplyTo"
        case .references: "References"
        case .sign: "Sign"
        case .crypt: "Crypt"
        case .contentType: "ContentType"
        case .mimeType: "MimeType"
        case .charset: "Charset"
        case .historyType: "HistoryType"
        case .timeUnit: "TimeUnit"
        case .noAgentNotify: "NoAgentNotify"
        case .notifyAgents(let list): list.rawValue
        case .dynamicField(_, let name): "dynamic field \(name)"
        case .attachment(let index, let field): "attachment \(index + 1) \(field)"
        }
    }

    var rank: [Int] {
        switch self {
        case .subject: [0]
        case .body: [1]
        case .autoResponseType: [2]
        case .channel: [3]
        case .senderType: [4]
        case .from: [5]
        case .to: [6]
        case .cc: [7]
        case .bcc: [8]
        case .replyTo: [8, 1]
        case .messageID: [8, 2]
        case .inReplyTo: [8, 3]
        case .references: [8, 4]
        case .sign: [8, 5]
        case .crypt: [8, 6]
        case .contentType: [9]
        case .mimeType: [10]
        case .charset: [11]
        case .historyType: [12]
        case .timeUnit: [13]
        case .noAgentNotify: [14]
        case .notifyAgents(let list): [15, list.rank]
        case .dynamicField(let index, _): [16, index]
        case .attachment(let index, let field): [17, index, field.rank]
        }
    }
}

/// Znuny's three per-article notification lists.
public enum NotificationList: String, Sendable, Hashable, CaseIterable {
    case force = "ForceNotificationToUserID"
    case exclude = "ExcludeNotificationToUserID"
    case excludeMute = "ExcludeMuteNotificationToUserID"

    var rank: Int { Self.allCases.firstIndex(of: self)! }
}

public enum AttachmentField: String, Sendable, Hashable, CustomStringConvertible {
    case content = "Content"
    case contentType = "ContentType"
    case filename = "Filename"

    public var description: String { rawValue }
    var rank: Int { [.content, .contentType, .filename].firstIndex(of: self)! }
}

/// Why a value is not acceptable.
public enum Reason: Error, Sendable, Equatable, CustomStringConvertible {
    /// Required and absent or empty.
    case missing
    /// Names nothing (valid): an unknown queue, state, agent, dynamic field…
    case unknown
    /// One value of a list names nothing valid: the value.
    case unknownValue(String)
    /// Not in the expected form, described in English (`a date YYYY-MM-DD`, `an e-mail address`).
    case malformed(expected: String)
    case tooLong(max: Int)
    case tooMany(max: Int)
    /// Outside the allowed range, described in English (`a number from 0 to 99`).
    case outOfRange(String)
    /// The SLA does not cover the ticket's service.
    case notCovered
    /// The service is not one the ticket's customer user may use (`ServiceAssignment`).
    case notAssigned
    /// A dynamic field of the wrong object type (an article field given for the ticket).
    case wrongObject
    /// The field takes a single value.
    case singleValue
    /// Not one of the field's possible values: the value.
    case notPossible(String)
    /// Article fields or attachments given without an article.
    case needsArticle
    /// A pending state without a pending time.
    case needsPendingTime
    /// Known, but not supported here (e.g. the Chat channel through the GenericInterface).
    case unsupported

    public var description: String {
        switch self {
        case .missing: "is required"
        case .unknown: "unknown or invalid"
        case .unknownValue(let value): "'\(value)' is unknown or invalid"
        case .malformed(let expected): "expected \(expected)"
        case .tooLong(let max): "at most \(max) characters"
        case .tooMany(let max): "at most \(max) entries"
        case .outOfRange(let range): "must be \(range)"
        case .notCovered: "the SLA does not cover the ticket's service"
        case .notAssigned: "the service is not assigned to the ticket's customer user"
        case .wrongObject: "not a field of this object"
        case .singleValue: "takes a single value"
        case .notPossible(let value): "'\(value)' is not a possible value"
        case .needsArticle: "needs an article"
        case .needsPendingTime: "a pending state needs a pending time"
        case .unsupported: "not supported"
        }
    }
}

/// A clash with existing data.
public enum Conflict: Sendable, Equatable, CustomStringConvertible {
    /// An entity with this key exists already.
    case exists(Entity, key: String)
    /// The ticket (by id) was merged into another and takes no further merges.
    case alreadyMerged(ticketID: Int)

    public var description: String {
        switch self {
        case .alreadyMerged(let id): "ticket \(id) was merged into another ticket"
        case .exists(let entity, let key):
            switch entity {
            case .agent, .customerUser: "\(entity == .agent ? "an" : "a") \(entity) with login '\(key)' exists"
            case .queue, .service, .sla, .dynamicField, .group, .ticketType, .state, .priority:
                "\(entity == .sla ? "an" : "a") \(entity) named '\(key)' exists"
            default: "\(entity) '\(key)' exists"
            }
        }
    }
}

/// The documented order of checks. When a request has several problems, the one at the earliest
/// step is reported, which is the one Znuny reports:
/// 1. authentication (faces), 2. access to the ticket (unknown or unreadable tickets are "not
///    found"), 3. the shape of the request (faces), 4. values, ticket attributes in `Field` order,
/// 5. the permission to create in the queue, then the shape of an update's `Article` block,
/// 6. articles in order, each in `ArticleField` order, its own dynamic fields last (its
///    attachments after 7.), 7. ticket-level dynamic fields, 8. attachments, 9. change
///    permissions in `Action.step` order, 10. rules over the whole change (a pending state needs
///    a pending time; conflicts).
public struct CheckStep: Comparable, Sendable {
    let rank: [Int]

    public static let authentication = CheckStep(rank: [0])
    public static let access = CheckStep(rank: [1])
    public static let structure = CheckStep(rank: [2])
    public static let createPermission = CheckStep(rank: [4])
    /// Znuny's TicketUpdate looks at the `Article` block's shape after the ticket's values.
    public static let articleStructure = CheckStep(rank: [5])
    public static let rules = CheckStep(rank: [10])
    public static func changePermission(_ order: Int) -> CheckStep { CheckStep(rank: [9, order]) }

    public static func field(_ field: Field) -> CheckStep {
        switch field {
        case .article(let index, let articleField):
            switch articleField {
            case .attachment: CheckStep(rank: [8, index] + articleField.rank)
            default: CheckStep(rank: [6, index] + articleField.rank)
            }
        case .dynamicField(let index, _): CheckStep(rank: [7, index])
        case .other: CheckStep(rank: [3, 100])
        default: CheckStep(rank: [3, Field.ticketOrder.firstIndex(of: field) ?? 99])
        }
    }

    public static func < (lhs: CheckStep, rhs: CheckStep) -> Bool {
        lhs.rank.lexicographicallyPrecedes(rhs.rank)
    }
}
