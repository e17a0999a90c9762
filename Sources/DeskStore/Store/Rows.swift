import DeskCore
import Foundation
import SQLKit

/// Decoders from SQL rows to core types; column names as in the schema.
enum Rows {
    static func validity(_ row: any SQLRow) throws -> Validity {
        Validity(rawValue: try row.decode(column: "valid_id", as: Int.self)) ?? .invalid
    }

    static func agent(_ row: any SQLRow) throws -> Agent {
        Agent(
            id: try row.decode(column: "id", as: Int.self), login: try row.decode(column: "login", as: String.self),
            firstName: try row.decode(column: "first_name", as: String.self),
            lastName: try row.decode(column: "last_name", as: String.self),
            email: try row.decode(column: "email", as: String.self), validity: try validity(row),
            outOfOffice: try row.decode(column: "out_of_office", as: Int.self) == 1,
            outOfOfficeStart: try row.decode(column: "out_of_office_start", as: String?.self),
            outOfOfficeEnd: try row.decode(column: "out_of_office_end", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self), changedAt: try row.decode(column: "changed_at", as: Int64.self)
        )
    }

    static func customerUser(_ row: any SQLRow) throws -> CustomerUser {
        CustomerUser(
            id: try row.decode(column: "id", as: Int.self), login: try row.decode(column: "login", as: String.self),
            email: try row.decode(column: "email", as: String.self), firstName: try row.decode(column: "first_name", as: String.self),
            lastName: try row.decode(column: "last_name", as: String.self),
            customerID: try row.decode(column: "customer_id", as: String.self),
            validity: try validity(row), phone: try row.decode(column: "phone", as: String.self),
            comment: try row.decode(column: "comments", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self),
            changedAt: try row.decode(column: "changed_at", as: Int64.self))
    }

    static func ticket(_ row: any SQLRow) throws -> Ticket {
        var c = Columns(row)
        return Ticket(
            id: try c.int("id"), number: try c.string("tn"),
            title: try c.string("title"), queueID: try c.int("queue_id"),
            typeID: try c.optionalInt("type_id"), serviceID: try c.optionalInt("service_id"),
            slaID: try c.optionalInt("sla_id"), stateID: try c.int("state_id"),
            priorityID: try c.int("priority_id"), lockID: try c.int("lock_id"),
            ownerID: try c.int("owner_id"),
            responsibleID: try c.int("responsible_id"),
            customerUserID: try c.optionalString("customer_user_id"),
            customerID: try c.optionalString("customer_id"),
            pendingUntil: try c.int64("until_time"),
            archived: try c.int("archive_flag") == 1,
            escalationTime: try c.int64("escalation_time"),
            escalationResponseTime: try c.int64("escalation_response_time"),
            escalationUpdateTime: try c.int64("escalation_update_time"),
            escalationSolutionTime: try c.int64("escalation_solution_time"),
            unlockTimeout: try c.int64("unlock_timeout"),
            createdAt: try c.int64("created_at"), createdBy: try c.int("created_by"),
            changedAt: try c.int64("changed_at"), changedBy: try c.int("changed_by"))
    }

    static func article(_ row: any SQLRow) throws -> Article {
        var c = Columns(row)
        return Article(
            id: try c.int("id"), ticketID: try c.int("ticket_id"),
            senderTypeID: try c.int("sender_type_id"),
            channelID: try c.int("channel_id"),
            isVisibleForCustomer: try c.int("is_visible_for_customer") == 1,
            from: try c.string("a_from"), to: try c.string("a_to"),
            cc: try c.string("a_cc"), bcc: try c.string("a_bcc"),
            replyTo: try c.string("a_reply_to"), subject: try c.string("subject"),
            body: try c.string("body"), contentType: try c.string("content_type"),
            charset: try c.string("charset"), mimeType: try c.string("mime_type"),
            messageID: try c.string("message_id"),
            inReplyTo: try c.string("in_reply_to"),
            references: try c.string("a_references"),
            incomingTime: try c.int64("incoming_time"),
            createdAt: try c.int64("created_at"), createdBy: try c.int("created_by"),
            changedAt: try c.int64("changed_at"), changedBy: try c.int("changed_by"))
    }

    static func attachment(_ row: any SQLRow) throws -> Attachment {
        let content = try row.decode(column: "content", as: Data?.self)
        return Attachment(
            id: try row.decode(column: "id", as: Int.self), articleID: try row.decode(column: "article_id", as: Int.self),
            filename: try row.decode(column: "filename", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self),
            contentID: try row.decode(column: "content_id", as: String.self),
            disposition: try row.decode(column: "disposition", as: String.self),
            size: try row.decode(column: "content_size", as: Int.self), content: content.map { [UInt8]($0) } ?? [])
    }
}
