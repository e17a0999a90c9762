import DeskCore
import Foundation
import SQLKit

/// The data of a fresh Znuny 7 install (ids exactly as Znuny's, since integrations hard-code
/// them), plus the first admin account with a generated password.
enum DefaultData {
    /// Inserts everything and returns the generated password of `root@localhost`.
    static func seed(_ db: any SQLDatabase, kind: DatabaseKind, hasher: PasswordHasher) async throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        func named(_ table: String, _ names: [String]) async throws {
            try await db.insertRows(table, ["id", "name"], names.enumerated().map { [$0.offset + 1, $0.element] })
        }
        try await named("valid", ["valid", "invalid", "invalid-temporarily"])
        try await named("ticket_state_types", ["new", "open", "closed", "pending reminder", "pending auto", "removed", "merged"])
        let states: [(String, Int)] = [
            ("new", 1), ("closed successful", 3), ("closed unsuccessful", 3), ("open", 2), ("removed", 6),
            ("pending reminder", 4), ("pending auto close+", 5), ("pending auto close-", 5), ("merged", 7),
        ]
        try await db.insertRows(
            "ticket_states", ["id", "name", "type_id", "valid_id"],
            states.enumerated().map { [$0.offset + 1, $0.element.0, $0.element.1, 1] })
        try await db.insertRows(
            "ticket_priorities", ["id", "name", "valid_id"],
            ["1 very low", "2 low", "3 normal", "4 high", "5 very high"].enumerated().map { [$0.offset + 1, $0.element, 1] })
        try await db.insertRows("ticket_types", ["id", "name", "valid_id"], [[1, "Unclassified", 1]])
        try await named("ticket_lock_types", ["unlock", "lock", "tmp_lock"])
        try await named("article_sender_types", ["agent", "system", "customer"])
        try await named("communication_channels", ["Email", "Phone", "Internal", "Chat"])
        try await named("auto_response_types", ["auto reply", "auto reject", "auto follow up", "auto reply/new ticket", "auto remove"])
        try await named("follow_up_possible", ["possible", "reject", "new ticket"])
        try await named("history_types", historyTypes)
        try await named("link_types", ["Normal", "ParentChild"])
        try await named("link_states", ["Valid", "Temporary"])
        try await db.insertRows(
            "agent_groups", ["id", "name", "comments", "valid_id", "created_at", "changed_at"],
            [
                [1, "users", "Group for default access.", 1, now, now],
                [2, "admin", "Group of all administrators.", 1, now, now],
                [3, "stats", "Group for statistics access.", 1, now, now],
                [4, "timeaccounting_webservice", "Group for time accounting web service access.", 1, now, now],
            ])
        let password = RandomToken.alphanumeric(20)
        try await db.insertRows(
            "agents", ["id", "login", "password_hash", "first_name", "last_name", "email", "valid_id", "created_at", "changed_at"],
            [
                [1, "root@localhost", hasher.hash(password), "Admin", "OTRS", "root@localhost", 1, now, now]
            ])
        try await db.insertRows(
            "agent_group_permissions", ["agent_id", "group_id", "permission"],
            [1, 2, 3].map { [1, $0, "rw"] })
        try await db.insertRows(
            "system_addresses", ["id", "address", "realname", "queue_id", "valid_id"],
            [
                [1, "znuny@localhost", "Znuny System", 1, 1]
            ])
        try await db.insertRows(
            "queues",
            [
                "id", "name", "group_id", "system_address_id", "unlock_timeout", "follow_up_id", "comments", "valid_id", "created_at",
                "changed_at",
            ],
            [
                [1, "Postmaster", 1, 1, 0, 1, "Post master queue.", 1, now, now],
                [2, "Raw", 1, 1, 0, 1, "All default incoming tickets.", 1, now, now],
                [3, "Junk", 1, 1, 0, 1, "All junk tickets.", 1, now, now],
                [4, "Misc", 1, 1, 0, 1, "All misc tickets.", 1, now, now],
            ])
        let fields: [(String, String, String, Int)] = [
            ("ProcessManagementProcessID", "Process", "Text", 1),
            ("ProcessManagementActivityID", "Activity", "Text", 1),
            ("ProcessManagementAttachment", "Attachment", "TextArea", 1),
            ("TicketCalendarStartTime", "Calendar Start Time", "DateTime", 0),
            ("TicketCalendarEndTime", "Calendar End Time", "DateTime", 0),
        ]
        try await db.insertRows(
            "dynamic_fields",
            [
                "id", "name", "label", "field_order", "field_type", "object_type", "config", "internal_field", "valid_id", "created_at",
                "changed_at",
            ],
            fields.enumerated().map {
                [$0.offset + 1, $0.element.0, $0.element.1, $0.offset + 1, $0.element.2, "Ticket", "{}", $0.element.3, 1, now, now]
            })
        try await seedDemoTicket(db, now: now)
        if kind == .postgres {
            for table in identityTables {
                try await db.raw(
                    "SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM \(ident: table)), false)"
                ).run()
            }
        }
        return password
    }

    /// The welcome article's `IncomingTime` in Znuny's initial data (2021-01-27 11:00:00 UTC).
    static let welcomeIncomingTime: Int64 = 1_611_745_200

    /// Znuny's welcome ticket (id 1) in queue Raw, its article addressed as Znuny's initial data
    /// addresses it; the text is SwiftDesk's own.
    private static func seedDemoTicket(_ db: any SQLDatabase, now: Int64) async throws {
        try await db.insertRows(
            "tickets",
            [
                "id", "tn", "title", "queue_id", "type_id", "state_id", "priority_id", "lock_id", "owner_id", "responsible_id",
                "created_at", "created_by", "changed_at", "changed_by",
            ],
            [
                [1, "2021012710123456", "Znuny says hi!", 2, 1, 1, 3, 1, 1, 1, now, 1, now, 1]
            ])
        let body = """
            Welcome to SwiftDesk!

            This first ticket was created with the database, as on a fresh Znuny install, so that
            integrations expecting ticket 1 find it. You can close or archive it.
            """
        try await db.insertRows(
            "articles",
            [
                "id", "ticket_id", "sender_type_id", "channel_id", "is_visible_for_customer", "a_from", "a_to", "a_cc", "a_bcc",
                "a_reply_to", "subject", "body", "content_type", "charset", "mime_type", "message_id", "in_reply_to", "a_references",
                "incoming_time", "created_at", "created_by", "changed_at", "changed_by",
            ],
            [
                [
                    1, 1, 3, 1, 1, "Znuny <hello@znuny.org>", "Your Znuny service desk <znuny@localhost>", "", "", "", "Znuny says hi!",
                    body, "text/plain; charset=utf-8", "utf-8", "text/plain", "<007@localhost>", "", "", welcomeIncomingTime, now, 1, now,
                    1,
                ]
            ])
        try await db.insertRows(
            "ticket_history",
            [
                "ticket_id", "article_id", "history_type_id", "name", "queue_id", "owner_id", "priority_id", "state_id", "type_id",
                "created_at", "created_by",
            ],
            [
                [1, Int?.none, 1, "New Ticket [2021012710123456] created.", 2, 1, 3, 1, 1, now, 1],
                [1, 1, 1, "%%", 2, 1, 3, 1, 1, now, 1],
            ])
    }

    /// Tables with an identity id that received explicit ids above.
    static let identityTables = [
        "valid", "ticket_state_types", "ticket_states", "ticket_priorities", "ticket_types", "ticket_lock_types",
        "article_sender_types", "communication_channels", "auto_response_types", "follow_up_possible", "history_types",
        "link_types", "link_states", "agent_groups", "agents", "system_addresses", "queues", "dynamic_fields",
        "tickets", "articles",
    ]

    /// Znuny's history types, ids 1–52 in this order.
    static let historyTypes = [
        "NewTicket", "FollowUp", "SendAutoReject", "SendAutoReply", "SendAutoFollowUp", "Forward", "Bounce",
        "SendAnswer", "SendAgentNotification", "SendCustomerNotification", "EmailAgent", "EmailCustomer",
        "PhoneCallAgent", "PhoneCallCustomer", "AddNote", "Move", "Lock", "Unlock", "Remove", "TimeAccounting",
        "CustomerUpdate", "PriorityUpdate", "OwnerUpdate", "LoopProtection", "Misc", "SetPendingTime", "StateUpdate",
        "TicketDynamicFieldUpdate", "WebRequestCustomer", "TicketLinkAdd", "TicketLinkDelete", "SystemRequest",
        "Merged", "ResponsibleUpdate", "Subscribe", "Unsubscribe", "TypeUpdate", "ServiceUpdate", "SLAUpdate",
        "ArchiveFlagUpdate", "EscalationSolutionTimeStop", "EscalationResponseTimeStart", "EscalationUpdateTimeStart",
        "EscalationSolutionTimeStart", "EscalationResponseTimeNotifyBefore", "EscalationUpdateTimeNotifyBefore",
        "EscalationSolutionTimeNotifyBefore", "EscalationResponseTimeStop", "EscalationUpdateTimeStop", "TitleUpdate",
        "EmailResend", "Bulk",
    ]
}
