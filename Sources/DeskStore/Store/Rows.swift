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
        Ticket(
            id: try row.decode(column: "id", as: Int.self), number: try row.decode(column: "tn", as: String.self),
            title: try row.decode(column: "title", as: String.self), queueID: try row.decode(column: "queue_id", as: Int.self),
            typeID: try row.decode(column: "type_id", as: Int?.self), serviceID: try row.decode(column: "service_id", as: Int?.self),
            slaID: try row.decode(column: "sla_id", as: Int?.self), stateID: try row.decode(column: "state_id", as: Int.self),
            priorityID: try row.decode(column: "priority_id", as: Int.self), lockID: try row.decode(column: "lock_id", as: Int.self),
            ownerID: try row.decode(column: "owner_id", as: Int.self),
            responsibleID: try row.decode(column: "responsible_id", as: Int.self),
            customerUserID: try row.decode(column: "customer_user_id", as: String?.self),
            customerID: try row.decode(column: "customer_id", as: String?.self),
            pendingUntil: try row.decode(column: "until_time", as: Int64.self),
            archived: try row.decode(column: "archive_flag", as: Int.self) == 1,
            escalationTime: try row.decode(column: "escalation_time", as: Int64.self),
            escalationResponseTime: try row.decode(column: "escalation_response_time", as: Int64.self),
            escalationUpdateTime: try row.decode(column: "escalation_update_time", as: Int64.self),
            escalationSolutionTime: try row.decode(column: "escalation_solution_time", as: Int64.self),
            unlockTimeout: try row.decode(column: "unlock_timeout", as: Int64.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self), createdBy: try row.decode(column: "created_by", as: Int.self),
            changedAt: try row.decode(column: "changed_at", as: Int64.self), changedBy: try row.decode(column: "changed_by", as: Int.self))
    }

    static func article(_ row: any SQLRow) throws -> Article {
        Article(
            id: try row.decode(column: "id", as: Int.self), ticketID: try row.decode(column: "ticket_id", as: Int.self),
            senderTypeID: try row.decode(column: "sender_type_id", as: Int.self),
            channelID: try row.decode(column: "channel_id", as: Int.self),
            isVisibleForCustomer: try row.decode(column: "is_visible_for_customer", as: Int.self) == 1,
            from: try row.decode(column: "a_from", as: String.self), to: try row.decode(column: "a_to", as: String.self),
            cc: try row.decode(column: "a_cc", as: String.self), bcc: try row.decode(column: "a_bcc", as: String.self),
            replyTo: try row.decode(column: "a_reply_to", as: String.self), subject: try row.decode(column: "subject", as: String.self),
            body: try row.decode(column: "body", as: String.self), contentType: try row.decode(column: "content_type", as: String.self),
            charset: try row.decode(column: "charset", as: String.self), mimeType: try row.decode(column: "mime_type", as: String.self),
            messageID: try row.decode(column: "message_id", as: String.self),
            inReplyTo: try row.decode(column: "in_reply_to", as: String.self),
            references: try row.decode(column: "a_references", as: String.self),
            incomingTime: try row.decode(column: "incoming_time", as: Int64.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self), createdBy: try row.decode(column: "created_by", as: Int.self),
            changedAt: try row.decode(column: "changed_at", as: Int64.self), changedBy: try row.decode(column: "changed_by", as: Int.self))
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
