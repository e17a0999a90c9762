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
            <Op xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" \
            xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">\
            <A>1</A><B/><C xsi:nil="true"/>\
            <T><X>x</X><L>1</L><L>2</L></T><R><N>a</N></R><R><N>b</N></R>\
            <Title xsi:type="xsd:base64Binary">R3LDvMOfZQ==</Title><All xsi:type="xsd:boolean">false</All>\
            <Ids soapenc:arrayType="xsd:int[2]" xsi:type="soapenc:Array"><item>1</item><item>2</item></Ids></Op>
            """)
        #expect(
            SOAPValueCodec.decode(children: element.children) == [
                "A": .string("1"), "B": .string(""), "C": .null,
                "T": .object(["X": .string("x"), "L": .array([.string("1"), .string("2")])]),
                "R": .array([.object(["N": .string("a")]), .object(["N": .string("b")])]),
                "Title": .string("Grüße"), "All": .string("0"), "Ids": .array([.string("1"), .string("2")]),
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

    @Test("carriage returns: raw in Znuny's answers (a parser reads CR LF as LF), a reference in rpc.pl's")
    func carriageReturns() {
        let znuny = SOAPEnvelope.response("TicketGetResponse", namespace: "urn:t", data: ["Body": .string("a\r\nb")])
        #expect(znuny.contains("<Body>a\r\nb</Body>"))
        #expect(XMLWriter.escape("a\r\nb") == "a&#13;\nb")
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

    @Test("rpc.pl scalars are typed as SOAP::Lite's serializer types them")
    func soapLiteTypes() {
        // Each value with the type and text SOAP::Lite 1.27's serializer gave it (`SOAP::Serializer->new`).
        let expected: [(String, String, String)] = [
            ("12", "xsd:int", "12"),
            ("-7", "xsd:int", "-7"),
            ("2021012710123456", "xsd:long", "2021012710123456"),
            ("007", "xsd:string", "007"),
            ("", "xsd:string", ""),
            ("1.5", "xsd:float", "1.5"),
            ("٣", "xsd:base64Binary", "2aM="),
            ("Grüße", "xsd:base64Binary", "R3LDvMOfZQ=="),
            ("true", "xsd:boolean", "true"),
            ("False", "xsd:boolean", "true"),
            ("http://x.org/a", "xsd:anyURI", "http://x.org/a"),
            ("urn:isbn:1", "xsd:anyURI", "urn:isbn:1"),
            ("2024-01-15", "xsd:date", "2024-01-15"),
            ("2024-01-15 10:00:00", "xsd:string", "2024-01-15 10:00:00"),
            ("2024-01-15T10:00:00", "xsd:dateTime", "2024-01-15T10:00:00"),
            ("10:00:00", "xsd:time", "10:00:00"),
            ("2024-01", "xsd:gYearMonth", "2024-01"),
            ("P1D", "xsd:duration", "P1D"),
            ("P", "xsd:string", "P"),
            ("1e5", "xsd:float", "1e5"),
            (".5", "xsd:float", ".5"),
            ("NaN", "xsd:float", "NaN"),
            ("9999999999999999999", "xsd:float", "9999999999999999999"),
            ("-9999999999999999999", "xsd:long", "-9999999999999999999"),
            ("tab\u{9}here", "xsd:string", "tab\u{9}here"),
            ("line\u{A}", "xsd:string", "line\u{A}"),
            ("a\u{1}b", "xsd:base64Binary", "YQFi"),
            ("+5", "xsd:int", "+5"),
            ("-0", "xsd:int", "-0"),
            ("0", "xsd:int", "0"),
            ("--12--", "xsd:gMonth", "--12--"),
            ("---05", "xsd:gDay", "---05"),
            ("-12-25", "xsd:gMonthDay", "-12-25"),
            ("abc", "xsd:string", "abc"),
            // Every letter the forms use (form text), and text with one more letter.
            ("2024-01-15T10:00:00.123+02:00", "xsd:dateTime", "2024-01-15T10:00:00.123+02:00"),
            ("10:00:00Z", "xsd:time", "10:00:00Z"), ("-P1Y2M3DT4H5M6S", "xsd:duration", "-P1Y2M3DT4H5M6S"),
            ("INF", "xsd:float", "INF"), ("1.5E-3", "xsd:float", "1.5E-3"), ("TRUE", "xsd:boolean", "true"),
            ("P1W", "xsd:string", "P1W"), ("2024-01-15x", "xsd:string", "2024-01-15x"),
        ]
        for (value, type, text) in expected {
            let encoded = SOAPLiteTypes.encode(value)
            #expect(encoded.type == type && (encoded.text == text || text.isEmpty && value.isEmpty), "\(value)")
        }
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
