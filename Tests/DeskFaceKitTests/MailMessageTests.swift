import DeskCore
import Foundation
import Testing

@testable import DeskFaceKit

@Suite("Mail messages, headers and entities")
struct MailMessageTests {
    @Test("encoded words in B and Q, in any charset; the space between two words goes")
    func encodedWords() {
        #expect(MailHeaders.decodeWords("=?UTF-8?B?R3LDvMOfZQ==?=") == "Grüße")
        #expect(MailHeaders.decodeWords("=?ISO-8859-1?Q?Caf=E9_cr=E8me?= ok") == "Café crème ok")
        #expect(MailHeaders.decodeWords("=?utf-8?q?a?= =?utf-8?q?b?=") == "ab")
        #expect(MailHeaders.decodeWords("Re: =?x-unknown?Q?z?= plain") == "Re: =?x-unknown?Q?z?= plain")
    }

    @Test("address lists: display names, quotes with commas, comments, groups")
    func mailboxes() {
        let list = MailHeaders.mailboxes(#""Doe, Jo" <jo@example.com>, eve@example.net (Eve), team: a@b.org;, nobody"#)
        #expect(
            list == [
                .init(name: "Doe, Jo", address: "jo@example.com"), .init(name: "Eve", address: "eve@example.net"),
                .init(name: "", address: "a@b.org"),
            ])
        #expect(MailHeaders.messageIDs("<a@x> junk <b@y>") == ["<a@x>", "<b@y>"])
    }

    @Test("parameters: quotes, RFC 2231 continuations and charsets")
    func parameters() {
        let (type, parameters) = MailHeaders.parameters(#"Multipart/Mixed; boundary="a;b"; charset=UTF-8"#)
        #expect(type == "multipart/mixed")
        #expect(parameters["boundary"] == "a;b")
        let (_, file) = MailHeaders.parameters("attachment; filename*0*=iso-8859-1''caf%E9; filename*1*=%20menu.txt")
        #expect(file["filename"] == "café menu.txt")
    }

    @Test("quoted-printable: soft breaks, escapes, underscores only in headers")
    func quotedPrintable() {
        #expect(QuotedPrintable.decode(Array("a=3Db=\r\nc_d".utf8)) == Array("a=bc_d".utf8))
        #expect(QuotedPrintable.decode(Array("x_y".utf8), underscoreIsSpace: true) == Array("x y".utf8))
    }

    @Test("a multipart message: text and HTML alternatives, an attachment, CRLF line ends")
    func multipart() throws {
        let raw = [
            "From: Jo <jo@example.com>", "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=", "Message-ID: <m1@example.com>",
            "References: <a@x> <b@y>", "Content-Type: multipart/mixed; boundary=outer", "", "preamble", "--outer",
            "Content-Type: multipart/alternative; boundary=inner", "", "--inner", "Content-Type: text/plain; charset=iso-8859-1",
            "Content-Transfer-Encoding: quoted-printable", "", "Gr=FC=DFe", "--inner", "Content-Type: text/html; charset=utf-8", "",
            "<p>Hi</p>", "--inner--", "--outer", "Content-Type: application/pdf; name=\"r.pdf\"", "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment", "", "JVBERi0=", "--outer--", "",
        ].joined(separator: "\r\n")
        let mail = try MailMessage(parsing: Array(raw.utf8))
        #expect(mail.subject == "Grüße")
        #expect(mail.from.first?.address == "jo@example.com")
        #expect(mail.messageID == "<m1@example.com>")
        #expect(mail.references == ["<a@x>", "<b@y>"])
        #expect(mail.root.type == "multipart/mixed" && mail.root.children.count == 2)
        let alternative = mail.root.children[0]
        #expect(alternative.children.map(\.type) == ["text/plain", "text/html"])
        #expect(alternative.children[0].text == "Grüße")
        #expect(alternative.children[1].text == "<p>Hi</p>")
        let file = mail.root.children[1]
        #expect(file.filename == "r.pdf" && file.disposition == "attachment")
        #expect(file.content == Array("%PDF-".utf8))
    }

    @Test("a forwarded message is a part with the message it carries as its child")
    func forwarded() throws {
        let raw = [
            "From: a@b.c", "Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "", "See below.",
            "--b", "Content-Type: message/rfc822", "", "Subject: Inner", "Content-Type: text/html", "", "<p>Inner</p>", "--b--", "",
        ].joined(separator: "\n")
        let mail = try MailMessage(parsing: Array(raw.utf8))
        let forwarded = mail.root.children[1]
        #expect(forwarded.type == "message/rfc822")
        #expect(forwarded.children.first?.header("Subject") == "Inner")
        #expect(forwarded.children.first?.text == "<p>Inner</p>")
    }

    @Test("hostile messages are refused within fixed limits")
    func limits() {
        var nested = "Content-Type: multipart/mixed; boundary=b0\n\n"
        for depth in 1...20 { nested += "--b\(depth - 1)\nContent-Type: multipart/mixed; boundary=b\(depth)\n\n" }
        #expect(throws: MailMessage.Failure.tooDeep) { try MailMessage(parsing: Array(("From: a@b.c\n" + nested).utf8)) }
        var many = "From: a@b.c\nContent-Type: multipart/mixed; boundary=x\n\n"
        for _ in 0..<300 { many += "--x\nContent-Type: text/plain\n\nx\n" }
        #expect(throws: MailMessage.Failure.tooManyParts) { try MailMessage(parsing: Array(many.utf8)) }
        #expect(throws: MailMessage.Failure.noHeaders) { try MailMessage(parsing: Array("just text\n".utf8)) }
    }

    @Test("HTML entities: named, decimal and hex references; unknown ones stay")
    func entities() {
        #expect(HTMLEntities.decode("a &amp; b &lt;&#233;&#x41;&euro; &nope; &amp") == "a & b <éA€ &nope; &amp")
    }

    @Test("JSON failures say what was wrong: depth, UTF-8, control characters, syntax")
    func jsonFailures() {
        #expect(throws: JSONParser.Failure.badUTF8(offset: 4)) { try JSONParser.parse([0x22, 0x61, 0xFF, 0x22]) }
        #expect(throws: JSONParser.Failure.controlCharacter(offset: 2)) { try JSONParser.parse(Array("\"a\u{01}\"".utf8)) }
        #expect(throws: JSONParser.Failure.tooDeep) { try JSONParser.parse(Array(String(repeating: "[", count: 600).utf8)) }
        #expect(throws: JSONParser.Failure.invalid(offset: 1)) { try JSONParser.parse(Array("{".utf8)) }
    }

    @Test("XML failures carry their kind and place")
    func xmlFailures() {
        for (text, kind) in [("<a><b></a>", XMLParseFailure.Kind.mismatchedTag), ("<a>", .unclosed), ("<a/><b/>", .junkAfterRoot)] {
            do {
                _ = try SafeXMLParser().parse(Array(text.utf8))
                Issue.record("\(text) was accepted")
            } catch let failure as XMLParseFailure {
                #expect(failure.kind == kind, "\(text): \(failure)")
                #expect(failure.line >= 1)
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
