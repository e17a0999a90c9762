import DeskCore
import DeskFaceKit
import OTRSCommon

/// The XML schema of the GenericInterface operations as SwiftDesk really sends and accepts them,
/// for the WSDL. Znuny's shipped WSDL disagrees with its own wire format in places (e.g. TicketSearch
/// `SortBy` typed as a number, missing TicketGet keys), which is why zeep needs `strict=False`
/// against Znuny; this description matches the wire so strict clients work.
///
/// Response fields are listed in the byte order the transport writes them in (`xsd:sequence`),
/// and every top-level response field is optional because a business error carries only `Error`.
enum SOAPSchemas {
    /// A child element of a complex type.
    struct Field: Sendable {
        var name: String
        /// `xsd:string`, `xsd:int`, `xsd:decimal` or `tns:<ComplexType>`.
        var type: String
        var minOccurs = 0
        var repeated = false
    }

    struct ComplexType: Sendable {
        var name: String
        var fields: [Field]
    }

    /// The request and response types of one operation type.
    struct Operation: Sendable {
        var request: String
        var response: String
    }

    static func string(_ name: String, required: Bool = false, repeated: Bool = false) -> Field {
        Field(name: name, type: "xsd:string", minOccurs: required ? 1 : 0, repeated: repeated)
    }

    static func int(_ name: String, required: Bool = false, repeated: Bool = false) -> Field {
        Field(name: name, type: "xsd:int", minOccurs: required ? 1 : 0, repeated: repeated)
    }

    static func complex(_ name: String, _ type: String, required: Bool = false, repeated: Bool = false) -> Field {
        Field(name: name, type: "tns:" + type, minOccurs: required ? 1 : 0, repeated: repeated)
    }

    static let credentials = ["CustomerUserLogin", "Password", "SessionID", "UserLogin"].map { string($0) }
    static let error = complex("Error", "OTRS_Error")

    /// Operation type → its request/response type names.
    static let operations: [String: Operation] = [
        "Session::SessionCreate": Operation(request: "OTRS_SessionCreate", response: "OTRS_SessionCreateResponse"),
        "Session::SessionGet": Operation(request: "OTRS_SessionGet", response: "OTRS_SessionGetResponse"),
        "Session::SessionRemove": Operation(request: "OTRS_SessionGet", response: "OTRS_SuccessResponse"),
        "Ticket::TicketCreate": Operation(request: "OTRS_TicketCreate", response: "OTRS_TicketCreateResponse"),
        "Ticket::TicketUpdate": Operation(request: "OTRS_TicketUpdate", response: "OTRS_TicketUpdateResponse"),
        "Ticket::TicketGet": Operation(request: "OTRS_TicketGet", response: "OTRS_TicketGetResponse"),
        "Ticket::TicketSearch": Operation(request: "OTRS_TicketSearch", response: "OTRS_TicketSearchResponse"),
        "Ticket::TicketHistoryGet": Operation(request: "OTRS_TicketHistoryGet", response: "OTRS_TicketHistoryGetResponse"),
        "Ticket::TimeAccountingGet": Operation(request: "OTRS_TimeAccountingGet", response: "OTRS_TimeAccountingGetResponse"),
        "User::OutOfOffice": Operation(request: "OTRS_OutOfOffice", response: "OTRS_SuccessResponse"),
    ]

    /// Every complex type, in the order the WSDL lists them.
    static let types: [ComplexType] = common + requests + responses + ticketData

    static let common: [ComplexType] = [
        ComplexType(name: "OTRS_Error", fields: [string("ErrorCode"), string("ErrorMessage")]),
        ComplexType(
            name: "OTRS_Attachment",
            fields: [
                string("Content"), string("ContentID"), string("ContentType"), string("Disposition"), string("Filename"),
            ]),
        ComplexType(name: "OTRS_DynamicField", fields: [string("Name"), string("Value", repeated: true)]),
        ComplexType(name: "OTRS_PendingTime", fields: ["Day", "Diff", "Hour", "Minute", "Month", "Year"].map { string($0) }),
        ComplexType(
            name: "OTRS_TicketInput",
            fields: [
                "CustomerID", "CustomerUser", "Lock", "LockID", "Owner", "OwnerID",
            ].map { string($0) } + [complex("PendingTime", "OTRS_PendingTime")]
                + [
                    "Priority", "PriorityID", "Queue", "QueueID", "Responsible", "ResponsibleID", "SLA", "SLAID", "Service", "ServiceID",
                    "State", "StateID", "Title", "Type", "TypeID",
                ].map { string($0) }),
        ComplexType(
            name: "OTRS_ArticleInput",
            fields: [
                string("ArticleSend"), complex("Attachment", "OTRS_Attachment", repeated: true), string("AutoResponseType"),
                string("Bcc"), string("Body"), string("Cc"), string("Charset"), string("CommunicationChannel"),
                string("CommunicationChannelID"), string("ContentType"), complex("DynamicField", "OTRS_DynamicField", repeated: true),
                string("ExcludeMuteNotificationToUserID", repeated: true), string("ExcludeNotificationToUserID", repeated: true),
                string("ForceNotificationToUserID", repeated: true), string("From"), string("HistoryComment"), string("HistoryType"),
                string("InReplyTo"), string("IsVisibleForCustomer"), string("MessageID"), string("MimeType"), string("NoAgentNotify"),
                string("References"), string("ReplyTo"), string("SenderType"), string("SenderTypeID"), string("Subject"),
                string("TimeUnit"), string("To"),
            ]),
        ComplexType(
            name: "OTRS_SearchDynamicField",
            fields: [
                "Empty", "Equals", "GreaterThan", "GreaterThanEquals", "Like", "Name", "SmallerThan", "SmallerThanEquals",
            ].map { string($0, repeated: $0 != "Name" && $0 != "Empty") }),
        ComplexType(
            name: "OTRS_OutOfOfficeEntry",
            fields: [
                "EndDate", "OutOfOffice", "StartDate", "UserEmail", "UserLogin", "UserSearch",
            ].map { string($0) }),
    ]

    static let requests: [ComplexType] = [
        ComplexType(
            name: "OTRS_SessionCreate",
            fields: [string("CustomerUserLogin"), string("Password"), string("TwoFactorToken"), string("UserLogin")]),
        ComplexType(name: "OTRS_SessionGet", fields: [string("SessionID")]),
        ComplexType(
            name: "OTRS_TicketCreate",
            fields: [
                complex("Article", "OTRS_ArticleInput", repeated: true), complex("Attachment", "OTRS_Attachment", repeated: true),
                complex("DynamicField", "OTRS_DynamicField", repeated: true), complex("Ticket", "OTRS_TicketInput"),
            ] + credentials),
        ComplexType(
            name: "OTRS_TicketUpdate",
            fields: [
                complex("Article", "OTRS_ArticleInput", repeated: true), complex("Attachment", "OTRS_Attachment", repeated: true),
                complex("DynamicField", "OTRS_DynamicField", repeated: true), complex("Ticket", "OTRS_TicketInput"),
                string("TicketID"), string("TicketNumber"),
            ] + credentials),
        ComplexType(
            name: "OTRS_TicketGet",
            fields: [
                string("AllArticles"), string("ArticleLimit"), string("ArticleOrder"), string("ArticleSenderType", repeated: true),
                string("Attachments"), string("DynamicFields"), string("Extended"), string("GetAttachmentContents"),
                string("HTMLBodyAsAttachment"), string("TicketID", repeated: true),
            ] + credentials),
        ComplexType(name: "OTRS_TicketSearch", fields: searchFields + credentials),
        ComplexType(name: "OTRS_TicketHistoryGet", fields: [string("TicketID", repeated: true)] + credentials),
        ComplexType(
            name: "OTRS_TimeAccountingGet",
            fields: [
                string("TimeAccountingEnd"), string("TimeAccountingStart"), string("TimeAccountingUserLogin"),
            ] + credentials),
        ComplexType(
            name: "OTRS_OutOfOffice",
            fields: [
                complex("OutOfOfficeEntries", "OTRS_OutOfOfficeEntry", repeated: true), string("OutOfOfficeEntriesCSVString"),
            ] + credentials),
    ]

    /// TicketSearch parameters (§5.6); lists may repeat. `CustomerUserLogin` is both a filter and
    /// a credential, so it is left to `credentials`.
    static let searchFields: [Field] = {
        var fields = [
            "TicketNumber", "Title", "CustomerID", "CustomerIDRaw", "TicketID", "StateIDs", "StateTypeIDs", "QueueIDs",
            "PriorityIDs", "OwnerIDs", "ResponsibleIDs", "WatchUserIDs", "CreatedUserIDs", "TypeIDs", "ServiceIDs", "SLAIDs",
            "LockIDs", "CreatedTypeIDs", "CreatedPriorityIDs", "CreatedStateIDs", "CreatedQueueIDs", "Queues", "Types",
            "States", "Priorities", "Services", "SLAs", "Locks", "CreatedTypes", "CreatedPriorities", "CreatedStates",
            "CreatedQueues", "StateType", "SortBy", "OrderBy",
        ].map { string($0, repeated: true) }
        fields += [
            "UseSubQueues", "SearchInArchive", "FullTextIndex", "ContentSearch", "Fulltext", "Limit", "MIMEBase_From",
            "MIMEBase_To", "MIMEBase_Cc", "MIMEBase_Subject", "MIMEBase_Body", "AttachmentName",
        ].map { string($0) }
        for prefix in [
            "TicketCreateTime", "TicketChangeTime", "TicketLastChangeTime", "TicketCloseTime", "TicketPendingTime",
            "ArticleCreateTime", "TicketEscalationTime", "TicketEscalationUpdateTime", "TicketEscalationResponseTime",
            "TicketEscalationSolutionTime",
        ] {
            fields += ["NewerDate", "OlderDate", "NewerMinutes", "OlderMinutes"].map { string(prefix + $0) }
        }
        fields.append(complex("DynamicField", "OTRS_SearchDynamicField", repeated: true))
        return fields.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }()

    static let responses: [ComplexType] = [
        ComplexType(name: "OTRS_SessionCreateResponse", fields: [error, string("SessionID")]),
        ComplexType(name: "OTRS_SessionGetResponse", fields: [error, complex("SessionData", "OTRS_SessionDataItem", repeated: true)]),
        ComplexType(name: "OTRS_SessionDataItem", fields: [string("Key", required: true), string("Serialized"), string("Value")]),
        ComplexType(name: "OTRS_SuccessResponse", fields: [error, string("Success")]),
        ComplexType(
            name: "OTRS_TicketCreateResponse", fields: [int("ArticleID", repeated: true), error, int("TicketID"), string("TicketNumber")]),
        ComplexType(
            name: "OTRS_TicketUpdateResponse",
            fields: [
                int("ArticleID"), int("ArticleIDs", repeated: true), error, int("TicketID"), string("TicketNumber"),
            ]),
        ComplexType(name: "OTRS_TicketGetResponse", fields: [error, complex("Ticket", "OTRS_Ticket", repeated: true)]),
        ComplexType(name: "OTRS_TicketSearchResponse", fields: [error, int("TicketID", repeated: true)]),
        ComplexType(
            name: "OTRS_TicketHistoryGetResponse", fields: [error, complex("TicketHistory", "OTRS_TicketHistory", repeated: true)]),
        ComplexType(
            name: "OTRS_TicketHistory", fields: [complex("History", "OTRS_HistoryEntry", repeated: true), int("TicketID", required: true)]),
        ComplexType(
            name: "OTRS_HistoryEntry",
            fields: [
                int("ArticleID", required: true), int("CreateBy", required: true), string("CreateTime", required: true),
                string("HistoryType", required: true), int("HistoryTypeID", required: true), string("Name", required: true),
                int("OwnerID", required: true), int("PriorityID", required: true), int("QueueID", required: true),
                int("StateID", required: true), int("TicketID", required: true), int("TypeID", required: true),
            ]),
        ComplexType(
            name: "OTRS_TimeAccountingGetResponse",
            fields: [
                error, complex("TimeAccountingResult", "OTRS_TimeAccountingEntry", repeated: true),
            ]),
        ComplexType(
            name: "OTRS_TimeAccountingEntry",
            fields: [
                string("Created"), string("Queue"), string("TicketNumber"), string("TicketTitle"), string("TimeUnit"),
            ]),
    ]

    /// The ticket, article and attachment objects of TicketGet (§5.5 and the TicketGet research
    /// notes). Always-present keys are required; escalation, extended and optional keys are not.
    static let ticketData: [ComplexType] = [
        ComplexType(
            name: "OTRS_Ticket",
            fields: sorted(
                [
                    "Age", "ChangeBy", "CreateBy", "EscalationResponseTime", "EscalationSolutionTime", "EscalationTime",
                    "EscalationUpdateTime", "GroupID", "LockID", "OwnerID", "PriorityID", "QueueID", "RealTillTimeNotUsed",
                    "ResponsibleID", "StateID", "TicketID", "TypeID", "UnlockTimeout", "UntilTime",
                ].map { int($0, required: true) }
                    + [
                        "ArchiveFlag", "Changed", "Created", "CustomerID", "CustomerUserID", "Lock", "Owner", "Priority", "Queue",
                        "Responsible", "SLAID", "ServiceID", "State", "StateType", "TicketNumber", "Title", "Type",
                    ].map { string($0, required: true) }
                    + [Field(name: "TimeUnit", type: "xsd:decimal", minOccurs: 1)]
                    + [
                        "SLA", "Service", "Closed", "FirstLock", "FirstResponse", "EscalationDestinationDate", "EscalationDestinationIn",
                        "EscalationTimeWorkingTime",
                    ].map { string($0) }
                    + ["EscalationDestinationTime", "FirstResponseDiffInMin", "FirstResponseInMin", "SolutionDiffInMin", "SolutionInMin"]
                    .map { int($0) }
                    + EscalationKind.allCases.map(ZnunyTicketRenderer.escalationPrefix).flatMap { prefix in
                        [
                            int(prefix + "Time"), int(prefix + "TimeDestinationTime"), string(prefix + "TimeDestinationDate"),
                            string(prefix + "TimeWorkingTime"), int(prefix + "TimeEscalation"), int(prefix + "TimeNotification"),
                        ]
                    }
                    + [complex("Article", "OTRS_Article", repeated: true), complex("DynamicField", "OTRS_DynamicField", repeated: true)])),
        ComplexType(
            name: "OTRS_Article",
            fields: sorted(
                [
                    "ArticleID", "ArticleNumber", "ChangeBy", "CommunicationChannelID", "CreateBy", "IncomingTime",
                    "IsVisibleForCustomer", "SenderTypeID", "TicketID",
                ].map { int($0, required: true) }
                    + [
                        "Bcc", "Body", "Cc", "ChangeTime", "Charset", "ContentCharset", "ContentType", "CreateTime",
                        "From", "InReplyTo", "MessageID", "MimeType", "References", "ReplyTo", "SenderType", "Subject", "To",
                    ]
                    .map { string($0, required: true) }
                    + [Field(name: "TimeUnit", type: "xsd:decimal", minOccurs: 1)]
                    + [
                        complex("Attachment", "OTRS_ArticleAttachment", repeated: true),
                        complex("DynamicField", "OTRS_DynamicField", repeated: true),
                    ])),
        ComplexType(
            name: "OTRS_ArticleAttachment",
            fields: [
                string("Content", required: true), string("ContentAlternative", required: true), string("ContentID", required: true),
                string("ContentType", required: true), string("Disposition", required: true), int("FileID", required: true),
                string("Filename", required: true), int("FilesizeRaw", required: true),
            ]),
    ]

    static func sorted(_ fields: [Field]) -> [Field] {
        fields.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}
