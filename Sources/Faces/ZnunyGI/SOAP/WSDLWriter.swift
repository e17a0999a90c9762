import DeskCore
import DeskFaceKit

/// Writes the WSDL of a SOAP web service: document/literal, SOAP 1.1, one operation per
/// configured operation (element names are the operation names, types come from `SOAPSchemas`),
/// the port, binding and service names of Znuny's shipped WSDL, and this server as the address.
///
/// `soapAction` is `<NameSpace>#<Operation>`, the form real Znuny accepts too; SwiftDesk also takes
/// the `…/TicketConnector/<Operation>` form of Znuny's own WSDL.
struct WSDLWriter {
    let service: WebService
    /// The absolute URL of the web service endpoint.
    let endpoint: String

    static let wsdlNamespace = "http://schemas.xmlsoap.org/wsdl/"
    static let soapBindingNamespace = "http://schemas.xmlsoap.org/wsdl/soap/"

    /// Operations with a known schema, sorted by name (unknown types are left out of the WSDL).
    var operations: [(operation: WebServiceOperation, schema: SOAPSchemas.Operation)] {
        service.operations.compactMap { operation in SOAPSchemas.operations[operation.type].map { (operation, $0) } }
            .sorted { $0.operation.name < $1.operation.name }
    }

    func document() -> String {
        let ns = service.namespace
        var writer = XMLWriter()
        writer.open(
            "wsdl:definitions",
            [
                "xmlns:wsdl": Self.wsdlNamespace, "xmlns:soap": Self.soapBindingNamespace, "xmlns:xsd": SOAPEnvelope.xsd,
                "xmlns:tns": ns, "targetNamespace": ns, "name": service.name,
            ])
        writeTypes(&writer)
        for (operation, _) in operations {
            for (suffix, element) in [("Request", operation.name), ("Response", operation.name + "Response")] {
                writer.open("wsdl:message", ["name": operation.name + suffix])
                writer.empty("wsdl:part", ["name": "parameters", "element": "tns:" + element])
                writer.close("wsdl:message")
            }
        }
        writer.open("wsdl:portType", ["name": "GenericTicketConnector_PortType"])
        for (operation, _) in operations {
            writer.open("wsdl:operation", ["name": operation.name])
            writer.empty("wsdl:input", ["message": "tns:\(operation.name)Request"])
            writer.empty("wsdl:output", ["message": "tns:\(operation.name)Response"])
            writer.close("wsdl:operation")
        }
        writer.close("wsdl:portType")
        writeBinding(&writer)
        writer.open("wsdl:service", ["name": "GenericTicketConnector"])
        writer.open("wsdl:port", ["name": "GenericTicketConnector_Port", "binding": "tns:GenericTicketConnector_Binding"])
        writer.empty("soap:address", ["location": endpoint])
        writer.close("wsdl:port")
        writer.close("wsdl:service")
        writer.close("wsdl:definitions")
        return writer.text
    }

    private func writeTypes(_ writer: inout XMLWriter) {
        writer.open("wsdl:types")
        writer.open("xsd:schema", ["targetNamespace": service.namespace, "elementFormDefault": "qualified"])
        for (operation, schema) in operations {
            writer.empty("xsd:element", ["name": operation.name, "type": "tns:" + schema.request])
            // An empty answer (TicketSearch without hits) is a nil element.
            writer.empty("xsd:element", ["name": operation.name + "Response", "type": "tns:" + schema.response, "nillable": "true"])
        }
        for type in SOAPSchemas.types {
            writer.open("xsd:complexType", ["name": type.name])
            writer.open("xsd:sequence")
            for field in type.fields {
                writer.empty(
                    "xsd:element",
                    [
                        "name": field.name, "type": field.type, "minOccurs": String(field.minOccurs),
                        "maxOccurs": field.repeated ? "unbounded" : "1",
                    ])
            }
            writer.close("xsd:sequence")
            writer.close("xsd:complexType")
        }
        writer.close("xsd:schema")
        writer.close("wsdl:types")
    }

    private func writeBinding(_ writer: inout XMLWriter) {
        writer.open("wsdl:binding", ["name": "GenericTicketConnector_Binding", "type": "tns:GenericTicketConnector_PortType"])
        writer.empty("soap:binding", ["style": "document", "transport": "http://schemas.xmlsoap.org/soap/http"])
        for (operation, _) in operations {
            writer.open("wsdl:operation", ["name": operation.name])
            writer.empty("soap:operation", ["soapAction": service.namespace + "#" + operation.name, "style": "document"])
            for direction in ["wsdl:input", "wsdl:output"] {
                writer.open(direction)
                writer.empty("soap:body", ["use": "literal"])
                writer.close(direction)
            }
            writer.close("wsdl:operation")
        }
        writer.close("wsdl:binding")
    }
}
