import DeskCore
import Testing

@Suite("Auto response tags")
struct AutoResponseTests {
    let ticket = Ticket(
        id: 7, number: "2026120210000071", title: "Printer down", queueID: 1, typeID: nil, serviceID: nil, slaID: nil, stateID: 1,
        priorityID: 3, lockID: 1, ownerID: 1, responsibleID: 1, customerUserID: "cora", customerID: "acme", createdAt: 0,
        createdBy: 1, changedAt: 0, changedBy: 1)

    func fill(_ template: String, subject: String = "The printer on floor 2 is down") -> String {
        AutoResponse.fill(template, subject: subject, realName: "Cora Smith", ticket: ticket, queue: "Raw")
    }

    @Test("tags are filled in; the customer's subject is cut to the size in brackets")
    func tags() {
        #expect(fill("RE: <OTRS_CUSTOMER_SUBJECT[11]>") == "RE: The printer[...]")
        #expect(fill("RE: <OTRS_CUSTOMER_SUBJECT>") == "RE: The printer on floor 2 is down")
        #expect(
            fill("<OTRS_CUSTOMER_REALNAME>, <OTRS_TICKET_TicketNumber> <OTRS_TICKET_Title> in <OTRS_TICKET_Queue>")
                == "Cora Smith, 2026120210000071 Printer down in Raw")
        #expect(fill("<OTRS_UNKNOWN> and <OTRS_open") == "- and <OTRS_open")
    }

    /// An administrator's template: a size that is no size keeps the whole subject (a negative
    /// one, or brackets the wrong way round, trapped on every new ticket of the queue).
    @Test("a size in brackets that is no size keeps the whole subject")
    func badSizes() {
        for template in [
            "<OTRS_CUSTOMER_SUBJECT[-1]>", "<OTRS_CUSTOMER_SUBJECT]3[>", "<OTRS_CUSTOMER_SUBJECT[x]>", "<OTRS_CUSTOMER_SUBJECT[]>",
        ] {
            #expect(fill(template) == "The printer on floor 2 is down", "\(template)")
        }
    }
}
