import DeskFaceKit

/// SOAP::Lite's serializer with auto-typing on (`SOAP::Serializer::new`'s `typelookup`, the
/// same in the 1.20 that OTRS 6 and Znuny ship): the first of these tests that a scalar passes
/// names its `xsi:type`, in this order. Text with any character outside tab, line feed,
/// carriage return and printable ASCII is sent as `xsd:base64Binary` of its UTF-8 bytes, which
/// SOAP::Lite, zeep and PHP clients decode back.
enum SOAPLiteTypes {
    /// The type and the text written for `value`.
    static func encode(_ value: String) -> (type: String, text: String) {
        if value.unicodeScalars.contains(where: { !($0 == "\t" || $0 == "\n" || $0 == "\r" || (0x20...0x7F).contains($0.value)) }) {
            return ("xsd:base64Binary", Base64.encode(Array(value.utf8)))
        }
        // Perl's `$` also matches before a final line feed.
        let body = value.hasSuffix("\n") ? String(value.dropLast()) : value
        for (type, test) in lookup where test(body) {
            // `as_boolean`: only exactly `false` stays false.
            if type == "xsd:boolean" { return (type, value == "false" ? "false" : "true") }
            return (type, value)
        }
        return ("xsd:string", value)
    }

    /// `zerostring` (`0` and more digits) stays a string; `int` and `long` by range; then the
    /// XML Schema lexical forms SOAP::Lite recognises.
    private static let lookup: [(String, @Sendable (String) -> Bool)] = [
        ("xsd:string", { $0.wholeMatch(of: #/0\d+/#) != nil }),
        ("xsd:int", { integer($0).map { (-2_147_483_648...2_147_483_647).contains($0) } ?? false }),
        // Perl compares a number too large for 64 bits as a float: a negative one is still a long.
        ("xsd:long", { $0.wholeMatch(of: #/[+-]?\d+/#) != nil && (integer($0) != nil || $0.hasPrefix("-")) }),
        (
            "xsd:float",
            { $0.wholeMatch(of: #/(-?(?:\d+(?:\.\d*)?|\.\d+|NaN|INF)|([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?)/#) != nil }
        ),
        ("xsd:gMonth", { $0.wholeMatch(of: #/--\d\d--(-\d\d:\d\d)?/#) != nil }),
        ("xsd:gDay", { $0.wholeMatch(of: #/---\d\d(-\d\d:\d\d)?/#) != nil }),
        ("xsd:gYear", { $0.wholeMatch(of: #/-?\d\d\d\d(-\d\d:\d\d)?/#) != nil }),
        ("xsd:gMonthDay", { $0.wholeMatch(of: #/-\d\d-\d\d(-\d\d:\d\d)?/#) != nil }),
        ("xsd:gYearMonth", { $0.wholeMatch(of: #/-?\d\d\d\d-\d\d(Z|([+-]\d\d:\d\d))?/#) != nil }),
        ("xsd:date", { $0.wholeMatch(of: #/-?\d\d\d\d-\d\d-\d\d(Z|([+-]\d\d:\d\d))?/#) != nil }),
        ("xsd:time", { $0.wholeMatch(of: #/\d\d:\d\d:\d\d(\.\d\d\d)?(Z|([+-]\d\d:\d\d))?/#) != nil }),
        ("xsd:dateTime", { $0.wholeMatch(of: #/\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d\d\d)?(Z|([+-]\d\d:\d\d))?/#) != nil }),
        (
            "xsd:duration",
            { $0.wholeMatch(of: #/-?PT?/#) == nil && $0.wholeMatch(of: #/-?P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?/#) != nil }
        ),
        ("xsd:boolean", { ["true", "false"].contains($0.lowercased()) }),
        ("xsd:anyURI", { $0.lowercased().hasPrefix("urn:") || $0.lowercased().hasPrefix("http://") }),
    ]

    /// `^[+-]?\d+$` as a number Perl compares (nil past the range a 64-bit integer holds, which
    /// Perl's comparison fails too for `long`).
    private static func integer(_ text: String) -> Int? {
        let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text.first == "+" ? String(digits) : text)
    }
}
