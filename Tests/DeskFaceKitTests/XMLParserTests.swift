import Foundation
import Testing

@testable import DeskFaceKit

@Suite("Safe XML parser")
struct XMLParserTests {
    func parse(_ text: String, limits: SafeXMLParser.Limits = .standard) throws -> XMLTreeElement {
        try SafeXMLParser(limits: limits).parse(Array(text.utf8))
    }

    func refuses(_ text: String, limits: SafeXMLParser.Limits = .standard, containing fragment: String? = nil) {
        do {
            let tree = try parse(text, limits: limits)
            Issue.record("accepted \(text.prefix(80)) as \(tree.localName)")
        } catch let failure as XMLParseFailure {
            if let fragment { #expect(failure.description.contains(fragment), "\(failure.description)") }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("namespaces are resolved, text and CDATA joined, entities and character references decoded")
    func wellFormed() throws {
        let tree = try parse(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:t" xmlns:xsi="urn:xsi">
              <s:Body><Op><A xsi:type="xsd:string">a &amp; b &#233; <![CDATA[<raw>]]></A><B xsi:nil="true"/></Op></s:Body>
            </s:Envelope>
            """)
        #expect(tree.localName == "Envelope")
        #expect(tree.namespaceURI == "http://schemas.xmlsoap.org/soap/envelope/")
        let op = try #require(tree.child("Body")?.children.first)
        #expect(op.namespaceURI == "urn:t")
        #expect(op.child("A")?.text == "a & b é <raw>")
        #expect(op.child("A")?.attributes == ["xsi:type": "xsd:string"])
        #expect(op.child("B")?.isNil == true)
    }

    @Test("mismatched nesting, unclosed roots, two roots and stray text are refused")
    func malformed() {
        refuses("<a><b></a>", containing: "not well-formed")
        refuses("<a><b>")
        refuses("<a>")
        refuses("<a/><b/>")
        refuses("<a></a>trailing")
        refuses("", containing: "empty")
        refuses("just text")
        refuses("<a>&undefined;</a>")
        refuses("<x:a/>")
        refuses("<a>\u{0}</a>")
    }

    @Test("XXE: external entities and any DTD are refused before parsing")
    func externalEntities() {
        refuses(
            """
            <?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>
            """, containing: "not allowed")
        refuses(#"<!DOCTYPE a SYSTEM "http://127.0.0.1:1/evil.dtd"><a/>"#, containing: "not allowed")
        refuses(#"<!doctype a [<!entity x "y">]><a>&x;</a>"#, containing: "not allowed")
        refuses(#"<?xml version="1.0"?><!-- a comment --><?pi x?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>"#, containing: "not allowed")
        refuses(#"<a><!DOCTYPE a [<!ENTITY x "y">]>&x;</a>"#)
        // BOM-less UTF-16: every byte is valid UTF-8, and libxml2 would detect the encoding itself.
        let utf16 = Array(#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#.utf16)
            .flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(throws: XMLParseFailure.self) { try SafeXMLParser().parse(utf16) }
    }

    @Test("a document type inside CDATA is text: an HTML body")
    func doctypeInCDATA() throws {
        let tree = try parse("<?xml version=\"1.0\"?><!-- <!DOCTYPE no> --><Body><![CDATA[<!DOCTYPE html><html></html>]]></Body>")
        #expect(tree.text == "<!DOCTYPE html><html></html>")
    }

    @Test("billion laughs is refused without expanding anything")
    func billionLaughs() {
        var doc = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#
        for level in 1...9 {
            doc += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1 == 0 ? "" : String(level - 1));", count: 10) + "\">"
        }
        doc += "]><lolz>&lol9;</lolz>"
        refuses(doc, containing: "not allowed")
    }

    @Test("depth, element count and size are capped")
    func limits() throws {
        let deep = String(repeating: "<a>", count: 65) + String(repeating: "</a>", count: 65)
        refuses(deep, containing: "deeper than 64")
        let fine = String(repeating: "<a>", count: 64) + String(repeating: "</a>", count: 64)
        #expect(try parse(fine).localName == "a")
        let veryDeep = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        refuses(veryDeep, containing: "deeper than")
        let many = "<r>" + String(repeating: "<e/>", count: 101) + "</r>"
        refuses(many, limits: .init(maxBytes: 1 << 20, maxDepth: 8, maxElements: 100), containing: "more than 100 elements")
        refuses(
            "<r>" + String(repeating: "x", count: 2000) + "</r>", limits: .init(maxBytes: 1000, maxDepth: 8, maxElements: 10),
            containing: "larger than 1000 bytes")
    }

    @Test("text nodes larger than libxml2's 10 MB lookup limit are read (big attachments)")
    func largeText() throws {
        let content = String(repeating: "QUJD", count: 4_000_000)
        let tree = try parse("<a><b>" + content + "</b></a>")
        #expect(tree.child("b")?.text.utf8.count == 16_000_000)
    }

    @Test("only UTF-8 is accepted")
    func encodings() {
        refuses(#"<?xml version="1.0" encoding="UTF-16"?><a/>"#, containing: "unsupported encoding")
        do {
            _ = try SafeXMLParser().parse([0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E])
            Issue.record("accepted invalid UTF-8")
        } catch {}
        #expect((try? parse(#"<?xml version='1.0' encoding='utf-8'?><a>ü</a>"#))?.text == "ü")
    }

    @Test("the writer escapes text and drops characters XML cannot carry")
    func writer() throws {
        var writer = XMLWriter(declaration: false)
        writer.leaf("v", "a<b>&\"c\u{1}\u{7F}\u{85}d\r", ["k": "\"<&"])
        #expect(writer.text == "<v k=\"&quot;&lt;&amp;\">a&lt;b&gt;&amp;\"c\u{85}d&#13;</v>")
        let back = try SafeXMLParser().parse(Array(writer.text.utf8))
        #expect(back.text == "a<b>&\"c\u{85}d\r")
        #expect(back.attributes["k"] == "\"<&")
    }
}
