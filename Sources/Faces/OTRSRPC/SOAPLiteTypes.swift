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
        let mayBeForm = isFormText(body)
        for (type, isForm, test) in lookup where (mayBeForm || !isForm) && test(body) {
            // `as_boolean`: only exactly `false` stays false.
            if type == "xsd:boolean" { return (type, value == "false" ? "false" : "true") }
            return (type, value)
        }
        return ("xsd:string", value)
    }

    /// Whether `text` is made only of what the number, date and duration forms are written with;
    /// most text (an article's body) is not, and skips their patterns.
    private static func isFormText(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x30...0x39).contains($0) || formBytes.contains($0) }
    }
    private static let formBytes = Set("+-.:NaIFEePYMDTHSZ".utf8)

    // The patterns are built once: a regex literal is parsed again each time it is evaluated
    // (an ArticleGet of 400 articles spent 9 s here, on an event loop). `Regex` is not marked
    // Sendable, but a built pattern is only read: its compiled program is published atomically
    // on first use.
    nonisolated(unsafe) private static let zeroString = #/0\d+/#
    nonisolated(unsafe) private static let digits = #/[+-]?\d+/#
    nonisolated(unsafe) private static let float = #/(-?(?:\d+(?:\.\d*)?|\.\d+|NaN|INF)|([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?)/#
    nonisolated(unsafe) private static let gMonth = #/--\d\d--(-\d\d:\d\d)?/#
    nonisolated(unsafe) private static let gDay = #/---\d\d(-\d\d:\d\d)?/#
    nonisolated(unsafe) private static let gYear = #/-?\d\d\d\d(-\d\d:\d\d)?/#
    nonisolated(unsafe) private static let gMonthDay = #/-\d\d-\d\d(-\d\d:\d\d)?/#
    nonisolated(unsafe) private static let gYearMonth = #/-?\d\d\d\d-\d\d(Z|([+-]\d\d:\d\d))?/#
    nonisolated(unsafe) private static let date = #/-?\d\d\d\d-\d\d-\d\d(Z|([+-]\d\d:\d\d))?/#
    nonisolated(unsafe) private static let time = #/\d\d:\d\d:\d\d(\.\d\d\d)?(Z|([+-]\d\d:\d\d))?/#
    nonisolated(unsafe) private static let dateTime = #/\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d\d\d)?(Z|([+-]\d\d:\d\d))?/#
    nonisolated(unsafe) private static let emptyDuration = #/-?PT?/#
    nonisolated(unsafe) private static let duration = #/-?P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?/#

    /// `zerostring` (`0` and more digits) stays a string; `int` and `long` by range; then the
    /// XML Schema lexical forms SOAP::Lite recognises. The middle flag marks the tests only
    /// form text (`isFormText`) can pass.
    private static let lookup: [(String, Bool, @Sendable (String) -> Bool)] = [
        ("xsd:string", true, { $0.wholeMatch(of: zeroString) != nil }),
        ("xsd:int", true, { integer($0).map { (-2_147_483_648...2_147_483_647).contains($0) } ?? false }),
        // Perl compares a number too large for 64 bits as a float: a negative one is still a long.
        ("xsd:long", true, { $0.wholeMatch(of: digits) != nil && (integer($0) != nil || $0.hasPrefix("-")) }),
        ("xsd:float", true, { $0.wholeMatch(of: float) != nil }),
        ("xsd:gMonth", true, { $0.wholeMatch(of: gMonth) != nil }),
        ("xsd:gDay", true, { $0.wholeMatch(of: gDay) != nil }),
        ("xsd:gYear", true, { $0.wholeMatch(of: gYear) != nil }),
        ("xsd:gMonthDay", true, { $0.wholeMatch(of: gMonthDay) != nil }),
        ("xsd:gYearMonth", true, { $0.wholeMatch(of: gYearMonth) != nil }),
        ("xsd:date", true, { $0.wholeMatch(of: date) != nil }),
        ("xsd:time", true, { $0.wholeMatch(of: time) != nil }),
        ("xsd:dateTime", true, { $0.wholeMatch(of: dateTime) != nil }),
        ("xsd:duration", true, { $0.wholeMatch(of: emptyDuration) == nil && $0.wholeMatch(of: duration) != nil }),
        ("xsd:boolean", false, { ["true", "false"].contains($0.lowercased()) }),
        ("xsd:anyURI", false, { $0.lowercased().hasPrefix("urn:") || $0.lowercased().hasPrefix("http://") }),
    ]

    /// `^[+-]?\d+$` as a number Perl compares (nil past the range a 64-bit integer holds, which
    /// Perl's comparison fails too for `long`).
    private static func integer(_ text: String) -> Int? {
        let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text.first == "+" ? String(digits) : text)
    }
}
