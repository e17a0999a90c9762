import DeskCore
import Testing

@Suite("Mail address checks")
struct MailAddressTests {
    @Test("local@domain.tld, bare or inside Name <…>; spaces, separators and line ends refused")
    func validity() {
        for good in ["a@b.c", " cora@example.org\r\n", "Cora Customer <cora@example.org>", "<x@y.z>", "é@ü.de"] {
            #expect(MailAddress.isValid(good), "\(good)")
        }
        for bad in [
            "", "@b.c", "a@b", "a@.b", "a@b.", "a@b@c.d", "a b@c.d", "a@b.c, d@e.f", "a@b.c;d@e.f", "a@b.c\r\nBcc:x@y.z",
            "Name <a@b>",
        ] {
            #expect(!MailAddress.isValid(bad), "\(bad)")
        }
        #expect(MailAddress.isBareAddress("a@b.c"))
        #expect(!MailAddress.isBareAddress("A <a@b.c>"))
    }
}
