/// What a caller asks for when creating a ticket. Faces fill it from their wire format;
/// the core resolves the references and validates everything before anything is written.
public struct TicketCreateRequest: Sendable {
    /// Required (not empty after trimming).
    public var title: String
    /// Required.
    public var queue: Ref?
    /// Required.
    public var state: Ref?
    /// Required.
    public var priority: Ref?
    /// Defaults to the first valid ticket type (`Unclassified`); required when `Ticket::Type` is on.
    public var type: Ref?
    public var lock: Ref?
    public var service: Ref?
    public var sla: Ref?
    /// An agent by id or login. When given, the ticket is locked unless `lock` says otherwise.
    public var owner: Ref?
    public var responsible: Ref?
    /// A customer user login, or any e-mail address for a customer not in the database.
    public var customerUser: String?
    /// When `customerUser` is no login: a valid customer user with that e-mail address is the
    /// ticket's customer (Znuny's GenericInterface TicketCreate, `PostMasterSearch`).
    public var customerByAddress = false
    /// The face's test of an address given as `customerUser` for a customer not in the database
    /// (Znuny refuses `example` domains: `CheckEmailInvalidAddress`); nil accepts any address.
    public var unknownCustomerCheck: (@Sendable (String) -> Bool)? = nil
    /// Accepts any valid service, whoever the customer user is: Znuny's `Ticket::TicketCreate`,
    /// which rpc.pl calls, does not check `ServiceAssignment` (its GenericInterface does), and
    /// osTicket's help topics (services here) are open to every user.
    public var serviceOfAnyCustomer = false
    /// Overrides the customer user's own customer id; a customer not in the database has none
    /// (an empty customer id, as Znuny stores it).
    public var customerID: String?
    /// Applied only when the state is a pending state.
    public var pendingUntil: Int64?
    /// Usually one first article; may be empty (OTRS 3's rpc.pl creates the ticket first and
    /// adds the article in a second call). Faces that require an article check that themselves.
    public var articles: [ArticleDraft]
    /// Ticket fields go to the ticket; article fields to every created article.
    public var dynamicFields: [DynamicFieldInput]
    /// Who the customer is when the caller identifies customers by e-mail address and creates
    /// unknown ones on the fly (osTicket, django-helpdesk, WHMCS). Overrides `customerUser`.
    public var registration: CustomerRegistration?
    /// Gives the new ticket an id in a face's own id sequence (see `FaceIDAllocation`).
    public var faceID: FaceIDAllocation?
    /// The face's own attributes of the new ticket (see `FaceAttributes`).
    public var faceAttributes: FaceAttributes?
    /// Face keys of the new ticket chosen from random candidates (WHMCS's `tid`, see `FaceKeyChoice`).
    public var faceKeys: [FaceKeyChoice] = []
    /// When the ticket was opened, for tickets recorded after the fact (WHMCS's `created`);
    /// a time in the future counts as now. Defaults to now.
    public var createdAt: Int64?

    public init(
        title: String, queue: Ref?, state: Ref?, priority: Ref?, type: Ref? = nil, lock: Ref? = nil,
        service: Ref? = nil, sla: Ref? = nil, owner: Ref? = nil, responsible: Ref? = nil,
        customerUser: String? = nil, customerID: String? = nil, pendingUntil: Int64? = nil,
        articles: [ArticleDraft] = [], dynamicFields: [DynamicFieldInput] = [], registration: CustomerRegistration? = nil
    ) {
        self.registration = registration
        self.title = title
        self.queue = queue
        self.state = state
        self.priority = priority
        self.type = type
        self.lock = lock
        self.service = service
        self.sla = sla
        self.owner = owner
        self.responsible = responsible
        self.customerUser = customerUser
        self.customerID = customerID
        self.pendingUntil = pendingUntil
        self.articles = articles
        self.dynamicFields = dynamicFields
    }
}

/// A face document to write with a ticket change (see `TicketService.putDocument`).
public struct FaceDocumentPut: Sendable, Equatable {
    public var face: String
    public var kind: String
    public var key: String
    public var json: String

    public init(face: String, kind: String, key: String, json: String) {
        self.face = face
        self.kind = kind
        self.key = key
        self.json = json
    }
}

/// A change to an existing article of the ticket being updated; nil leaves a part as it is.
public struct ArticleEdit: Sendable, Equatable {
    public var articleID: Int
    public var subject: String?
    public var body: String?
    /// Gives the article an id in a face's own id sequence (a merged ticket's message becoming a
    /// WHMCS reply of the target). The text and the article's change time stay as they are.
    public var faceID: FaceIDAllocation?
    /// Sets the face's attributes of the article.
    public var faceAttributes: FaceAttributes?

    public init(
        articleID: Int, subject: String? = nil, body: String? = nil, faceID: FaceIDAllocation? = nil,
        faceAttributes: FaceAttributes? = nil
    ) {
        self.articleID = articleID
        self.subject = subject
        self.body = body
        self.faceID = faceID
        self.faceAttributes = faceAttributes
    }
}

/// Asks the core to record, as an external id of the new ticket, the first of `candidates` that
/// no other object of that face and kind has (WHMCS's random public ticket numbers). When every
/// candidate is taken, the create fails with `conflict(.exists(.externalID, …))` and nothing is
/// written. `idPlaceholder` in a candidate stands for the id the request's `faceID` allocates.
public struct FaceKeyChoice: Sendable, Equatable {
    public var face: String
    public var kind: String
    public var candidates: [String]

    public static let idPlaceholder = "{face-id}"

    public init(face: String, kind: String, candidates: [String]) {
        self.face = face
        self.kind = kind
        self.candidates = candidates
    }
}

/// Asks the core to give a new ticket or article the next id of a face's own id sequence
/// (django-helpdesk's ticket and follow-up ids, WHMCS's ticket ids), recorded as an external id
/// in the same transaction. Sequences start at 1; imports raise them past the ids they keep.
public struct FaceIDAllocation: Sendable, Equatable, Hashable {
    public var face: String
    public var kind: String

    public init(face: String, kind: String) {
        self.face = face
        self.kind = kind
    }

    /// The counter that holds the sequence.
    public var counterKey: String { "faceid:\(face):\(kind)" }
}

/// Values a face keeps on a ticket or an article that have no place in the core's model
/// (django-helpdesk's `resolution` and `due_date`), in the face's own words. The core stores
/// them with the change they come with and hands them back with reads that ask for them; it
/// never interprets them.
public struct FaceAttributes: Sendable, Equatable {
    public var face: String
    /// New values by key; nil removes the key.
    public var values: [String: String?]

    public init(face: String, values: [String: String?]) {
        self.face = face
        self.values = values
    }
}

/// What face attributes hang on.
public enum FaceAttributeObject: String, Sendable {
    case ticket, article
}

/// A customer identified by e-mail address. The ticket goes to the customer user with this
/// login or, failing that, this e-mail address (a valid one first); when there is none, one is
/// created in the same transaction with the address as login and customer id and no password
/// (it cannot log in until an operator sets one). An existing customer user is not changed.
public struct CustomerRegistration: Sendable, Equatable {
    /// A bare address (`jo@example.com`); required.
    public var email: String
    /// Names for a new customer user; empty names become the address's local part.
    public var firstName: String
    public var lastName: String
    public var phone: String
    public var comment: String

    public init(email: String, firstName: String = "", lastName: String = "", phone: String = "", comment: String = "") {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.comment = comment
    }
}

/// An article to add. Unset fields get the defaults Znuny uses.
public struct ArticleDraft: Sendable {
    /// The most minutes one article accounts (about 694 days).
    public static let maxTimeUnit: Double = 1_000_000

    /// `agent`, `system` or `customer`; defaults by who is acting.
    public var senderType: Ref?
    /// `Email`, `Phone`, `Internal` (default) or `Chat`.
    public var channel: Ref?
    public var isVisibleForCustomer: Bool?
    public var from: String?
    public var to: String?
    public var cc: String
    public var bcc: String
    public var replyTo: String
    public var subject: String
    public var body: String
    /// A full content type (`text/html; charset=utf-8`); takes precedence over mimeType/charset.
    public var contentType: String?
    public var mimeType: String?
    public var charset: String?
    public var messageID: String
    public var inReplyTo: String
    public var references: String
    /// Minutes of accounted time, 0 ... `maxTimeUnit`.
    public var timeUnit: Double?
    public var attachments: [AttachmentDraft]
    /// Article dynamic fields for this article only.
    public var dynamicFields: [DynamicFieldInput]
    /// Gives the new article an id in a face's own id sequence (see `FaceIDAllocation`).
    public var faceID: FaceIDAllocation?
    /// The face's own attributes of the new article (see `FaceAttributes`).
    public var faceAttributes: FaceAttributes?
    /// Where `From` and `To` come from when they are not given.
    public var fromDefault: AddressDefault
    public var toDefault: AddressDefault
    /// An auto response type (`auto reply`, …) the article answers with; checked, kept for the mail issue.
    public var autoResponseType: Ref?
    /// Agents to notify about this article or to leave out (ids are checked).
    public var notifications: ArticleNotifications
    /// How the caller classifies the article in its own vocabulary (Znuny's history type),
    /// recorded on the `ArticleAdded` event.
    public var label: String?
    /// The caller's wording of the event (Znuny's history comment).
    public var note: String?
    /// When the message was written, for messages recorded after the fact (WHMCS's `created`);
    /// a time in the future counts as now. Defaults to now.
    public var createdAt: Int64?
    /// Whether the article goes out as e-mail to its To, Cc and Bcc: the message is queued in the
    /// outbox in the article's transaction and delivered by the mail sender.
    public var sending = MailSending.no
    /// Sign and/or encrypt the mail (PGP or S/MIME, Znuny's `Sign`/`Crypt`); only with `sending`.
    public var security: MailSecurity?
    /// Store the article as Znuny's GenericInterface sends it (`ArticleSend`): the subject with the
    /// ticket tag (`TicketSubjectBuild`) and the queue's signature appended to the body
    /// (`ArticleWriter.storedAsSent`).
    public var storedAsSent = false

    public init(
        subject: String, body: String, senderType: Ref? = nil, channel: Ref? = nil,
        isVisibleForCustomer: Bool? = nil, from: String? = nil, to: String? = nil, cc: String = "",
        bcc: String = "", replyTo: String = "", contentType: String? = nil, mimeType: String? = nil,
        charset: String? = nil, messageID: String = "", inReplyTo: String = "", references: String = "",
        timeUnit: Double? = nil, attachments: [AttachmentDraft] = [], dynamicFields: [DynamicFieldInput] = [],
        faceID: FaceIDAllocation? = nil, faceAttributes: FaceAttributes? = nil, fromDefault: AddressDefault = .standard,
        toDefault: AddressDefault = .standard, autoResponseType: Ref? = nil,
        notifications: ArticleNotifications = ArticleNotifications(), label: String? = nil, note: String? = nil
    ) {
        self.faceID = faceID
        self.faceAttributes = faceAttributes
        self.fromDefault = fromDefault
        self.toDefault = toDefault
        self.subject = subject
        self.body = body
        self.senderType = senderType
        self.channel = channel
        self.isVisibleForCustomer = isVisibleForCustomer
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.contentType = contentType
        self.mimeType = mimeType
        self.charset = charset
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.timeUnit = timeUnit
        self.attachments = attachments
        self.dynamicFields = dynamicFields
        self.autoResponseType = autoResponseType
        self.notifications = notifications
        self.label = label
        self.note = note
    }
}

/// Where an article's `From` or `To` comes from when the caller gives none.
public enum AddressDefault: Sendable, Equatable {
    /// The core's own default: `From` is the ticket's customer (on create), the acting agent's
    /// name or the acting customer; `To` is the queue's name.
    case standard
    /// Exactly this text (may be empty).
    case text(String)
    /// A customer user by login: `"First Last" <email>` when known, else the login as given.
    case customerUser(String)
    /// The ticket's customer user login, as stored.
    case ticketCustomerLogin
    /// The queue's system address, `Real Name <address>`.
    case queueSystemAddress
    /// The ticket's customer user as a mailbox (`"First Last" <email>`), else the login as stored.
    case ticketCustomer
}

/// Whether an article is sent as e-mail.
public enum MailSending: Sendable, Equatable {
    case no
    /// Sent, and the request fails unless the recipients are valid addresses (Znuny's `ArticleSend`).
    case required
    /// Sent when its recipients are valid addresses, else only stored: an agent's answer through
    /// a face whose product mails answers to the customer (osTicket, WHMCS).
    case whenAddressed
}

/// Who hears about an article: agent ids to notify in any case, to leave out, and to leave out
/// even if they asked for everything; `none` asks for no agent notification at all.
public struct ArticleNotifications: Sendable, Equatable {
    public var force: [Int]
    public var exclude: [Int]
    public var excludeMute: [Int]
    public var none: Bool

    public init(force: [Int] = [], exclude: [Int] = [], excludeMute: [Int] = [], none: Bool = false) {
        self.force = force
        self.exclude = exclude
        self.excludeMute = excludeMute
        self.none = none
    }

    subscript(list: NotificationList) -> [Int] {
        switch list {
        case .force: force
        case .exclude: exclude
        case .excludeMute: excludeMute
        }
    }
}

/// A file to attach.
public struct AttachmentDraft: Sendable {
    public var filename: String
    public var contentType: String
    public var contentID: String
    public var disposition: String
    public var content: [UInt8]

    public init(filename: String, contentType: String, content: [UInt8], contentID: String = "", disposition: String = "attachment") {
        self.filename = filename
        self.contentType = contentType
        self.content = content
        self.contentID = contentID
        self.disposition = disposition
    }
}

/// The answer to a create.
public struct TicketCreateResult: Sendable, Equatable {
    public var ticketID: Int
    public var ticketNumber: String
    public var articleIDs: [Int]
    /// The sender type of each article of `articleIDs`, in the same order.
    public var articleSenderTypeIDs: [Int]
    /// Face ids given to the ticket and its articles (`FaceIDAllocation`).
    public var faceIDs: [ExternalID]

    public init(
        ticketID: Int, ticketNumber: String, articleIDs: [Int], articleSenderTypeIDs: [Int] = [], faceIDs: [ExternalID] = []
    ) {
        self.ticketID = ticketID
        self.ticketNumber = ticketNumber
        self.articleIDs = articleIDs
        self.articleSenderTypeIDs = articleSenderTypeIDs
        self.faceIDs = faceIDs
    }
}

/// Field changes to a ticket; nil leaves a field as it is.
public struct TicketUpdateRequest: Sendable {
    public var title: String?
    public var queue: Ref?
    public var state: Ref?
    public var priority: Ref?
    public var type: Ref?
    public var lock: Ref?
    public var service: Ref?
    public var sla: Ref?
    public var owner: Ref?
    public var responsible: Ref?
    public var customerUser: String?
    /// As `TicketCreateRequest.unknownCustomerCheck`.
    public var unknownCustomerCheck: (@Sendable (String) -> Bool)? = nil
    public var customerID: String?
    /// Znuny's `TicketCustomerSet` (rpc.pl): of `customerUser` and `customerID` only a part
    /// given changes, a nil one keeps the ticket's, and the history names only the parts given.
    /// Otherwise (the GenericInterface's `TicketUpdate`) a part left out is empty and the
    /// customer id defaults to the customer user's own.
    public var keepsCustomerPartsLeftOut = false
    /// The state a closed ticket takes when `state` is nil (a customer's follow-up reopens it).
    /// Decided against the ticket as the update's own transaction reads it, so a close that
    /// lands just before the follow-up is still undone.
    public var stateWhenClosed: Ref?
    /// osTicket's reopen assignment: when the update moves a closed ticket to an open state and
    /// names no owner, the owner stays only if available (valid, not out of office, may read
    /// the queue); an unassigned ticket goes to the author of the second-newest agent answer
    /// if available (osTicket's `getLastRespondent`); otherwise the ticket is unassigned. The
    /// caller needs no owner permission for it. Off: a reopened ticket keeps its owner (Znuny).
    public var reassignsOnReopen = false
    /// The customer by e-mail address, registered when unknown (see `CustomerRegistration`).
    /// Overrides `customerUser`.
    public var registration: CustomerRegistration?
    public var pendingUntil: Int64?
    public var archived: Bool?
    public var dynamicFields: [DynamicFieldInput]
    /// Articles added in the same transaction.
    public var articles: [ArticleDraft]

    /// The face's own attributes of the ticket to change (see `FaceAttributes`).
    public var faceAttributes: FaceAttributes?
    /// Changes to articles of this ticket, in the same transaction (WHMCS's UpdateTicket
    /// `message`, which rewrites the opening message).
    public var articleEdits: [ArticleEdit] = []

    public init(
        title: String? = nil, queue: Ref? = nil, state: Ref? = nil, priority: Ref? = nil, type: Ref? = nil,
        lock: Ref? = nil, service: Ref? = nil, sla: Ref? = nil, owner: Ref? = nil, responsible: Ref? = nil,
        customerUser: String? = nil, customerID: String? = nil, pendingUntil: Int64? = nil,
        archived: Bool? = nil, dynamicFields: [DynamicFieldInput] = [], articles: [ArticleDraft] = []
    ) {
        self.title = title
        self.queue = queue
        self.state = state
        self.priority = priority
        self.type = type
        self.lock = lock
        self.service = service
        self.sla = sla
        self.owner = owner
        self.responsible = responsible
        self.customerUser = customerUser
        self.customerID = customerID
        self.pendingUntil = pendingUntil
        self.archived = archived
        self.dynamicFields = dynamicFields
        self.articles = articles
    }
}

/// The answer to an update.
public struct TicketUpdateResult: Sendable, Equatable {
    public var ticketID: Int
    public var ticketNumber: String
    public var articleIDs: [Int]
    /// The sender type of each article of `articleIDs`, in the same order.
    public var articleSenderTypeIDs: [Int] = []
    /// Face ids given to the new articles (`FaceIDAllocation`).
    public var faceIDs: [ExternalID] = []
}

/// What a read should include.
public struct TicketReadOptions: Sendable {
    /// Also read this face's attributes of the ticket and its articles (`TicketDetails.faceAttributes`).
    public var faceAttributes: String? = nil
    public var articles: Bool
    public var attachments: Bool
    public var attachmentContents: Bool
    public var dynamicFields: Bool
    /// With `dynamicFields`, the articles' values too (faces that show none leave them out).
    public var articleDynamicFields = true
    /// The time accounted on the ticket and its articles (faces that show none leave it out).
    public var timeAccounting = true
    /// The ticket's events (for derived times such as first lock and close).
    public var events: Bool
    /// The agents the ticket names (`TicketDetails.agents`; faces that show ids only leave them out).
    public var agents = true
    /// With `articles`, only these of the tickets' articles (nil: all of them), for a face that
    /// shows some articles on their own; `TicketDetails.articleNumbers` then stays empty.
    public var articleIDs: [Int]? = nil

    public init(
        articles: Bool = true, attachments: Bool = true, attachmentContents: Bool = true, dynamicFields: Bool = true, events: Bool = false
    ) {
        self.articles = articles
        self.attachments = attachments
        self.attachmentContents = attachmentContents
        self.dynamicFields = dynamicFields
        self.events = events
    }

    /// The ticket row and the agents it names only.
    public static let bare = TicketReadOptions(articles: false, attachments: false, attachmentContents: false, dynamicFields: false)
    /// Articles without attachments and dynamic fields.
    public static let articlesOnly = TicketReadOptions(articles: true, attachments: false, attachmentContents: false, dynamicFields: false)
}

/// A ticket with what the caller asked to see of it.
public struct TicketDetails: Sendable, Equatable {
    public var ticket: Ticket
    /// Creation order; customers see only customer-visible articles.
    public var articles: [Article]
    public var attachments: [Int: [Attachment]]
    /// Ticket dynamic field values by field id.
    public var dynamicFields: [Int: [String]]
    /// Article dynamic field values: article id → field id → values.
    public var articleDynamicFields: [Int: [Int: [String]]]
    /// Accounted time per article, and the ticket total.
    public var articleTimeUnits: [Int: Double]
    public var totalTimeUnits: Double
    /// The owner, the responsible agent and the authors of the articles read, by id (unless the
    /// read left them out, `TicketReadOptions.agents`).
    public var agents: [Int: Agent]
    /// Oldest first; empty unless the read asked for events.
    public var events: [TicketEvent]
    /// The 1-based position of each article among all the ticket's articles (customers see
    /// fewer articles, with their numbers unchanged); empty when only some articles were read
    /// (`TicketReadOptions.articleIDs`).
    public var articleNumbers: [Int: Int]
    /// The attributes the read asked for (`TicketReadOptions.faceAttributes`): the ticket's, and
    /// each article's by article id.
    public var ticketAttributes: [String: String] = [:]
    public var articleAttributes: [Int: [String: String]] = [:]
}
