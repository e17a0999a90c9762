import DeskCore
import DeskFaceKit

/// Who django-helpdesk 2.6.1 mails, as it records it in a follow-up's `email_recipients` (a
/// sorted list of the addresses the mail backend accepted), and the core mail that goes out for it:
/// - a new ticket (`TicketForm._send_messages`): the submitter and the assigned agent;
/// - a follow-up (`update_ticket`): the submitter when the follow-up is public and has a comment or
///   resolves/closes the ticket, and the assigned agent; never the agent who wrote it.
/// Queue and ticket CC lists (`new_ticket_cc`, `updated_ticket_cc`) are not modelled. The message
/// is the article itself, to the submitter with the agent in Bcc, through the outbox
/// (docs/mail.md); django-helpdesk's own e-mail templates are not reproduced.
enum DjangoMail {
    /// The opening follow-up's recipients.
    static func opening(submitter: String, owner: Agent?) -> [String] {
        sorted([submitter, owner?.email ?? ""])
    }

    /// A follow-up's recipients; `status` is `new_status` when it changes the ticket.
    static func followup(submitter: String, isPublic: Bool, comment: String, status: Int?, owner: Agent?, writer: String?) -> [String] {
        var addresses: [String] = []
        if isPublic && (!comment.isEmpty || status == 3 || status == 4) { addresses.append(submitter) }
        if let owner { addresses.append(owner.email) }
        return sorted(addresses.filter { $0.lowercased() != writer?.lowercased() })
    }

    /// Sorted, without empty or repeated addresses (django-helpdesk keeps a set).
    static func sorted(_ addresses: [String]) -> [String] {
        Array(Set(addresses.filter { !$0.isEmpty })).sorted()
    }

    /// The draft set to go out to `recipients` (and marked as mailed, see `Attribute.mailed`).
    static func address(_ draft: inout ArticleDraft, recipients: [String], submitter: String) {
        guard !recipients.isEmpty else { return }
        draft.sending = .whenAddressed
        draft.faceAttributes?.values[DjangoSerializers.Attribute.mailed] = "1"
        draft.to = recipients.contains(submitter) ? submitter : ""
        draft.bcc = recipients.filter { $0 != submitter }.joined(separator: ", ")
    }

    static func json(_ recipients: [String]) -> String {
        JSONWriter.string(.array(recipients.map(JSONValue.string)))
    }
}
