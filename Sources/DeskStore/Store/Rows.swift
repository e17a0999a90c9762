import DeskCore
import Foundation
import SQLKit

/// Decoders from SQL rows to core types; column names as in the schema.
enum Rows {
    static func validity(_ row: any SQLRow) throws -> Validity {
        var c = Columns(row)
        return try c.validity()
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
        var c = Columns(row)
        return CustomerUser(
            id: try c.int("id"), login: try c.string("login"), email: try c.string("email"), firstName: try c.string("first_name"),
            lastName: try c.string("last_name"), customerID: try c.string("customer_id"),
            validity: try c.validity(), phone: try c.string("phone"),
            comment: try c.string("comments"), createdAt: try c.int64("created_at"), changedAt: try c.int64("changed_at"))
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
        var c = Columns(row)
        return Attachment(
            id: try c.int("id"), articleID: try c.int("article_id"), filename: try c.string("filename"),
            contentType: try c.string("content_type"), contentID: try c.string("content_id"), disposition: try c.string("disposition"),
            size: try c.int("content_size"), content: try row.decode(column: "content", as: Data?.self).map { [UInt8]($0) } ?? [])
    }
}
