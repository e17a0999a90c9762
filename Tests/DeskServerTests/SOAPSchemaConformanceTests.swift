import DeskCore
import DeskServer
import DeskTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DeskFaceKit
@testable import OTRSRPC
@testable import ZnunyGI

/// Checks answers against the served WSDL the way a strict client reads them: children in the
/// sequence order, no unknown elements, required elements present, `xsd:int`/`xsd:decimal` leaves
/// parseable. This keeps `SOAPSchemas` and the operations' output in step.
struct WSDLSchema {
    struct Field {
        var name: String
        var type: String
        var minOccurs: Int
        var repeated: Bool
    }

    var types: [String: [Field]] = [:]
    var elements: [String: String] = [:]

    init(_ wsdl: XMLTreeElement) throws {
        let schema = try #require(wsdl.child("types")?.child("schema"))
        for node in schema.children {
            switch node.localName {
            case "element": elements[node.attributes["name"] ?? ""] = node.attributes["type"]
            case "complexType":
                types[node.attributes["name"] ?? ""] = (node.child("sequence")?.children ?? []).map { field in
                    Field(
                        name: field.attributes["name"] ?? "", type: field.attributes["type"] ?? "",
                        minOccurs: Int(field.attributes["minOccurs"] ?? "1") ?? 1, repeated: field.attributes["maxOccurs"] == "unbounded")
                }
            default: continue
            }
        }
    }

    /// Problems found in `element` read as `type` (`tns:…` or `xsd:…`), with their paths.
    func problems(_ element: XMLTreeElement, type: String, path: String = "") -> [String] {
        let here = path + "/" + element.localName
        switch type {
        case "xsd:string": return element.children.isEmpty ? [] : ["\(here): text expected"]
        case "xsd:int": return Int(element.text) != nil ? [] : ["\(here): '\(element.text)' is not an xsd:int"]
        case "xsd:decimal": return Double(element.text) != nil ? [] : ["\(here): '\(element.text)' is not an xsd:decimal"]
        default: break
        }
        guard let fields = types[String(type.dropFirst(4))] else { return ["\(here): unknown type \(type)"] }
        var found: [String] = []
        var index = 0
        var seen = 0
        for child in element.children {
            while index < fields.count, fields[index].name != child.localName {
                if seen == 0, fields[index].minOccurs > 0 { found.append("\(here): missing \(fields[index].name)") }
                index += 1
                seen = 0
            }
            guard index < fields.count else {
                found.append("\(here): unexpected or out-of-order \(child.localName)")
                break
            }
            if seen > 0, !fields[index].repeated { found.append("\(here): \(child.localName) repeated") }
            seen += 1
            found += problems(child, type: fields[index].type, path: here)
        }
        for field in fields.dropFirst(index + (seen > 0 ? 1 : 0)) where field.minOccurs > 0 {
            found.append("\(here): missing \(field.name)")
        }
        return found
    }
}

@Suite("SOAP answers match the served WSDL")
struct SOAPSchemaConformanceTests {
    @Test("the checker itself finds order, type, unknown and missing-element problems")
    func checkerFindsProblems() throws {
        let wsdl = try SafeXMLParser().parse(
            Array(
                """
                <definitions><types><schema><element name="R" type="tns:T"/><complexType name="T"><sequence>            <element name="A" type="xsd:int" minOccurs="1" maxOccurs="1"/>            <element name="B" type="xsd:string" minOccurs="0" maxOccurs="unbounded"/>            <element name="C" type="xsd:string" minOccurs="1" maxOccurs="1"/></sequence></complexType></schema></types></definitions>
                """.utf8))
        let schema = try WSDLSchema(wsdl)
        func problems(_ xml: String) throws -> [String] {
            schema.problems(try SafeXMLParser().parse(Array(xml.utf8)), type: "tns:T")
        }
        #expect(try problems("<R><A>1</A><B/><B>x</B><C>c</C></R>") == [])
        #expect(try problems("<R><A>x</A><C>c</C></R>") == ["/R/A: 'x' is not an xsd:int"])
        #expect(try problems("<R><C>c</C><A>1</A></R>") == ["/R: missing A", "/R: unexpected or out-of-order A"])
        #expect(try problems("<R><A>1</A><Z/></R>") == ["/R: missing C", "/R: unexpected or out-of-order Z"])
        #expect(try problems("<R><A>1</A></R>") == ["/R: missing C"])
        #expect(try problems("<R><A>1</A><A>2</A><C/></R>") == ["/R: A repeated"])
    }

    @Test("every answer of a busy ticket (escalations, pending time, dynamic fields, attachments) fits the schema")
    func busyTicket() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let fixture = ZnunyFixture(db)
            let admin = fixture.services.admin
            _ = try await admin.addQueue(name: "Hotline", firstResponseMinutes: 1, updateMinutes: 60, solutionMinutes: 120)
            _ = try await admin.addDynamicField(
                name: "Severity", label: nil, type: .dropdown, object: .ticket,
                possibleValues: [.init(key: "high", label: "High")], possibleNone: false)
            _ = try await admin.addDynamicField(
                name: "Tags", label: nil, type: .multiselect, object: .ticket,
                possibleValues: [.init(key: "a", label: "A"), .init(key: "b", label: "B")], possibleNone: false)
            _ = try await admin.addDynamicField(
                name: "Urgent", label: nil, type: .checkbox, object: .ticket, possibleValues: [], possibleNone: false)
            _ = try await admin.addDynamicField(
                name: "Due", label: nil, type: .dateTime, object: .ticket, possibleValues: [], possibleNone: false)
            try await fixture.soap { client in
                let wsdlReply = try await client.get(client.path + "?wsdl")
                let schema = try WSDLSchema(try SafeXMLParser().parse(Array(wsdlReply.text.utf8)))
                func check(_ reply: SOAPTestClient.Reply, _ sourceLocation: SourceLocation = #_sourceLocation) throws {
                    let element = try #require(reply.element, sourceLocation: sourceLocation)
                    let type = try #require(schema.elements[element.localName], sourceLocation: sourceLocation)
                    #expect(schema.problems(element, type: type) == [], sourceLocation: sourceLocation)
                }

                let session = try await client.call("SessionCreate", fixture.rootXML)
                try check(session)
                let sid = "<SessionID>\(session.data.string("SessionID") ?? "")</SessionID>"
                try check(try await client.call("SessionGet", sid))
                let created = try await client.call(
                    "TicketCreate",
                    sid + """
                        <Ticket><Title>Busy</Title><Queue>Hotline</Queue><State>pending reminder</State><Priority>4 high</Priority>\
                        <CustomerUser>someone@acme.test</CustomerUser><PendingTime><Diff>90</Diff></PendingTime></Ticket>\
                        <Article><Subject>One</Subject><Body>First</Body><SenderType>customer</SenderType><ContentType>text/html; charset=utf8</ContentType>\
                        <TimeUnit>1.5</TimeUnit></Article>\
                        <DynamicField><Name>Severity</Name><Value>high</Value></DynamicField>\
                        <DynamicField><Name>Tags</Name><Value>a</Value><Value>b</Value></DynamicField>\
                        <DynamicField><Name>Urgent</Name><Value>1</Value></DynamicField>\
                        <DynamicField><Name>Due</Name><Value>2030-01-02 03:04:05</Value></DynamicField>\
                        <Attachment><Content>aGVsbG8=</Content><ContentType>text/plain</ContentType><Filename>a.txt</Filename></Attachment>
                        """)
                try check(created)
                let id = created.data.string("TicketID") ?? ""
                let updated = try await client.call(
                    "TicketUpdate",
                    sid + """
                        <TicketID>\(id)</TicketID><Ticket><Lock>lock</Lock></Ticket>\
                        <Article><Subject>Two</Subject><Body>Second</Body><SenderType>customer</SenderType><ContentType>text/plain; charset=utf8</ContentType></Article>\
                        <Article><Subject>Three</Subject><Body>Third</Body><SenderType>customer</SenderType><ContentType>text/plain; charset=utf8</ContentType></Article>
                        """)
                try check(updated)
                #expect(updated.data["ArticleIDs"]?.arrayValue?.count == 2)
                let get = try await client.call(
                    "TicketGet",
                    sid + """
                        <TicketID>\(id)</TicketID><TicketID>1</TicketID><AllArticles>1</AllArticles><Attachments>1</Attachments>\
                        <DynamicFields>1</DynamicFields><Extended>1</Extended><HTMLBodyAsAttachment>1</HTMLBodyAsAttachment>
                        """)
                try check(get)
                let ticket = get.element?.child("Ticket")
                #expect(ticket?.child("FirstResponseTimeDestinationTime") != nil)
                #expect(ticket?.children.contains { $0.localName == "DynamicField" } == true)
                try check(try await client.call("TicketSearch", sid + "<Queues>Hotline</Queues>"))
                try check(try await client.call("TicketSearch", sid + "<Title>nothing</Title>"))
                try check(try await client.call("TicketHistoryGet", sid + "<TicketID>\(id),1</TicketID>"))
                try check(try await client.call("TicketGet", sid + "<TicketID>999</TicketID>"))
            }
        }
    }
}
