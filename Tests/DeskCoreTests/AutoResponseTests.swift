import DeskCore
import Testing

@Suite("Auto response tags")
struct AutoResponseTests {
    var known: OTRSTags {
        var tags = OTRSTags()
        tags["OTRS_CUSTOMER_REALNAME"] = "Cora Smith"
        tags["OTRS_TICKET_TicketNumber"] = "2026120210000071"
        tags["OTRS_TICKET_Title"] = "Printer down"
        tags["OTRS_TICKET_Queue"] = "Raw"
        return tags
    }

    func fill(_ template: String, subject: String = "The printer on floor 2 is down") -> String {
        AutoResponse.fill(template, tags: known, subject: subject, number: "2026120210000071")
    }

    @Test("tags are filled in; the customer's subject is cut to the size in brackets")
    func tags() {
        #expect(fill("RE: <OTRS_CUSTOMER_SUBJECT[11]>") == "RE: The printer [...]")
        // The subject is cleaned first (tag, Re:); one exactly n long still gets ` [...]`, as Znuny's
        // `s/^(.{n}).*$/$1 [...]/` does.
        #expect(fill("<OTRS_CUSTOMER_SUBJECT[7]>", subject: "Re: [Ticket#2026120210000071] Printer") == "Printer [...]")
        #expect(fill("<OTRS_CUSTOMER_SUBJECT[20]>", subject: "RE: Printer") == "Printer")
        #expect(fill("RE: <OTRS_CUSTOMER_SUBJECT>") == "RE: The printer on floor 2 is down")
        #expect(
            fill("<OTRS_CUSTOMER_REALNAME>, <OTRS_TICKET_TicketNumber> <OTRS_TICKET_Title> in <OTRS_TICKET_Queue>")
                == "Cora Smith, 2026120210000071 Printer down in Raw")
        // Unknown tags under the prefixes Znuny cleans up become `-`; others stay as written.
        #expect(fill("<OTRS_TICKET_Nope> <otrs_customer_x> <OTRS_UNKNOWN> and <OTRS_open") == "- - <OTRS_UNKNOWN> and <OTRS_open")
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
