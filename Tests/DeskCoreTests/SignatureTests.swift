import DeskCore
import Testing

@Suite("Signatures: tags, HTML and links")
struct SignatureTests {
    var tags: OTRSTags {
        var tags = OTRSTags()
        tags.add(Agent(id: 2, login: "sam", firstName: "Sam", lastName: "O'Neil & Co", email: "sam@acme.test"), prefixes: ["OTRS_Agent_"])
        tags["OTRS_TICKET_TicketNumber"] = "2026120210000013"
        return tags
    }

    @Test("tags are matched without case; unknown ones become a dash; HTML values are escaped")
    func filling() {
        #expect(
            tags.fill("<OTRS_AGENT_userfirstname> <OTRS_Agent_UserLastname> #<OTRS_TICKET_TicketNumber>")
                == "Sam O'Neil & Co #2026120210000013")
        #expect(tags.fill("<OTRS_CUSTOMER_DATA_UserPhone> <OTRS_NOPE> <OTRS_unclosed") == "- <OTRS_NOPE> <OTRS_unclosed")
        #expect(
            tags.fill("&lt;OTRS_Agent_UserLastname&gt; <OTRS_Agent_UserLastname>", html: true)
                == "O'Neil &amp; Co <OTRS_Agent_UserLastname>")
    }

    /// A full stop before a tag stays in the link, as Znuny's `LinkQuote` takes it.
    @Test("a plain signature under an HTML body: escaped, <br /> per line break, tags filled, addresses made links")
    func html() {
        let signature = Signature(
            id: 1, name: "s", text: "\nBye,\n <OTRS_Agent_UserFirstname>\nSee https://acme.test/help?a=1&b=2.\n<www.acme.test>")
        #expect(
            signature.rendered(html: true, tags: tags)
                == "<br />Bye,<br /> Sam<br />See <a href=\"https://acme.test/help?a=1&amp;b=2.\" title=\"https://acme.test/help?a=1&amp;b=2.\">"
                + "https://acme.test/help?a=1&amp;b=2.</a><br />&lt;<a href=\"http://www.acme.test\" title=\"http://www.acme.test\">www.acme.test</a>&gt;"
        )
        #expect(signature.rendered(html: false, tags: tags) == "\nBye,\n Sam\nSee https://acme.test/help?a=1&b=2.\n<www.acme.test>")
    }

    @Test("links start after white space, a tag or an entity only; markup stays as it is")
    func links() {
        #expect(
            HTMLText.linkQuoted("x http://a.test/p, and ftp.b.test")
                == "x <a href=\"http://a.test/p\" title=\"http://a.test/p\">http://a.test/p</a>, and <a href=\"ftp://ftp.b.test\" title=\"ftp://ftp.b.test\">ftp.b.test</a>"
        )
        #expect(HTMLText.linkQuoted("<img src=\"http://a.test/i.png\">xhttp://a.test") == "<img src=\"http://a.test/i.png\">xhttp://a.test")
        #expect(HTMLText.linkQuoted("http://") == "http://")
    }
}
