import Testing

@testable import DeskFaceKit
@testable import OTRSRPC
@testable import ZnunyGI

@Suite("SOAP value mapping")
struct SOAPCodecTests {
    func tree(_ text: String) throws -> XMLTreeElement {
        try SafeXMLParser().parse(Array(text.utf8))
    }

    @Test("elements become Data as SOAP::Lite deserialises them")
    func decode() throws {
        let element = try tree(
            """
            <Op><A>1</A><B/><C xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>\
            <T><X>x</X><L>1</L><L>2</L></T><R><N>a</N></R><R><N>b</N></R></Op>
            """)
        #expect(
            SOAPValueCodec.decode(children: element.children) == [
                "A": .string("1"), "B": .string(""), "C": .string(""),
                "T": .object(["X": .string("x"), "L": .array([.string("1"), .string("2")])]),
                "R": .array([.object(["N": .string("a")]), .object(["N": .string("b")])]),
            ])
    }

    @Test("Data becomes elements in Perl's key order, lists as repeated elements")
    func encode() {
        var writer = XMLWriter(declaration: false)
        SOAPValueCodec.encode(
            [
                "Service": .string("s"), "SLAID": .string(""), "SLA": .string("x"), "a": .null, "Ids": .array([.int(1), .int(2)]),
                "Obj": .object([:]), "Flag": .bool(true), "Nested": .object(["b": .string("<&>"), "A": .number("1.5")]),
            ], into: &writer)
        #expect(
            writer.text == "<Flag>1</Flag><Ids>1</Ids><Ids>2</Ids><Nested><A>1.5</A><b>&lt;&amp;&gt;</b></Nested><Obj/>"
                + "<SLA>x</SLA><SLAID/><Service>s</Service><a/>")
    }

    @Test("response, error and fault envelopes")
    func envelopes() throws {
        let empty = try tree(SOAPEnvelope.response("TicketSearchResponse", namespace: "urn:t", data: [:]))
        #expect(empty.child("Body")?.children.first?.isNil == true)
        let error = try tree(SOAPEnvelope.error("XResponse", namespace: "urn:t", code: "X.Fail", message: "no"))
        let body = try #require(error.child("Body")?.children.first)
        #expect(body.namespaceURI == "urn:t")
        #expect(body.child("Error")?.children.map(\.text) == ["X.Fail", "no"])
        let fault = try tree(SOAPEnvelope.fault(namespace: "urn:t", message: "boom"))
        #expect(fault.child("Body")?.child("Fault")?.namespaceURI == "urn:t")
        #expect(fault.child("Header") == nil)
    }

    @Test("rpc.pl scalars are typed like SOAP::Lite's guesses")
    func soapLiteTypes() {
        #expect(SOAPLiteEncoder.xsdType(of: "12") == "xsd:int")
        #expect(SOAPLiteEncoder.xsdType(of: "-7") == "xsd:int")
        #expect(SOAPLiteEncoder.xsdType(of: "2021012710123456") == "xsd:long")
        #expect(SOAPLiteEncoder.xsdType(of: "007") == "xsd:string")
        #expect(SOAPLiteEncoder.xsdType(of: "") == "xsd:string")
        #expect(SOAPLiteEncoder.xsdType(of: "1.5") == "xsd:string")
        #expect(SOAPLiteEncoder.xsdType(of: "٣") == "xsd:string")
        #expect(SOAPLiteEncoder.elementName("DynamicField_Größe") == "DynamicField_Größe")
        #expect(SOAPLiteEncoder.elementName("2 words") == "_2_words")
        var writer = XMLWriter(declaration: false)
        SOAPLiteEncoder.encode([.scalar("a"), .undef, .array([.int(1)]), .hash(["K": .scalar("v")])], into: &writer)
        #expect(
            writer.text == #"<s-gensym3 xsi:type="xsd:string">a</s-gensym3><s-gensym5 xsi:nil="true"/>"#
                + #"<s-gensym7 xsi:type="soapenc:Array" soapenc:arrayType="xsd:anyType[1]"><item xsi:type="xsd:int">1</item></s-gensym7>"#
                + #"<s-gensym9 xmlns:namesp2="http://namespaces.soaplite.com/perl" xsi:type="namesp2:SOAPStruct"><K xsi:type="xsd:string">v</K></s-gensym9>"#
        )
    }
}
