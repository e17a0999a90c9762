import DeskFaceKit

/// A Perl value as a `rpc.pl` method returns it, before SOAP::Lite serialises it (§8.4 of the spec).
/// Methods return a Perl *list*: `[PerlValue]`, one sibling element per entry on the wire.
indirect enum PerlValue: Sendable, Equatable {
    case undef
    case scalar(String)
    /// An array reference: `soapenc:Array`.
    case array([PerlValue])
    /// A hash reference: a struct. Keys are written in byte order (Perl's order is unspecified).
    case hash([String: PerlValue])

    static func int(_ value: Int) -> PerlValue { .scalar(String(value)) }

    /// A hash returned in list context: key, value, key, value… (keys in byte order).
    static func flatten(_ members: [String: PerlValue]) -> [PerlValue] {
        members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.flatMap { [.scalar($0), members[$0]!] }
    }

    /// Converts an operation's JSON-shaped data (e.g. a rendered ticket) to Perl values.
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .undef
        case .bool(let flag): self = .scalar(flag ? "1" : "")
        case .number(let text), .string(let text): self = .scalar(text)
        case .array(let elements): self = .array(elements.map(PerlValue.init))
        case .object, .orderedObject: self = .hash((json.objectValue ?? [:]).mapValues(PerlValue.init))
        case .source(let source): self.init(source.tree)
        }
    }
}

/// Writes Perl values the way SOAP::Lite's serializer does with auto-typing on: scalars get a
/// guessed `xsi:type`, array references become `soapenc:Array`, hash references `SOAPStruct`s,
/// undef an `xsi:nil` element.
enum SOAPLiteEncoder {
    static let perlNamespace = "http://namespaces.soaplite.com/perl"

    /// Writes one element per list entry, named `s-gensym<N>` like SOAP::Lite's generated names.
    static func encode(_ values: [PerlValue], into writer: inout XMLWriter) {
        var counter = 1
        for value in values {
            counter += 2
            encode(value, name: "s-gensym\(counter)", into: &writer)
        }
    }

    static func encode(_ value: PerlValue, name: String, into writer: inout XMLWriter) {
        switch value {
        case .undef:
            writer.empty(name, ["xsi:nil": "true"])
        case .scalar(let value):
            let (type, text) = SOAPLiteTypes.encode(value)
            writer.leaf(name, text, ["xsi:type": type])
        case .array(let elements):
            writer.open(name, ["xsi:type": "soapenc:Array", "soapenc:arrayType": "xsd:anyType[\(elements.count)]"])
            for element in elements { encode(element, name: "item", into: &writer) }
            writer.close(name)
        case .hash(let members):
            writer.open(name, ["xmlns:namesp2": perlNamespace, "xsi:type": "namesp2:SOAPStruct"])
            for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                encode(members[key]!, name: elementName(key), into: &writer)
            }
            writer.close(name)
        }
    }

    /// Hash keys become element names; anything that is not a valid name is made one.
    static func elementName(_ key: String) -> String {
        var name = String(
            key.unicodeScalars.map { scalar -> Character in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-" || scalar == "."
                    ? Character(scalar) : "_"
            })
        if name.isEmpty || name.first!.isNumber || name.first == "-" || name.first == "." { name = "_" + name }
        return name
    }
}
