import Foundation

/// Django's `EmailValidator` (Django 5.2, `django/core/validators.py`): at most 320 characters,
/// the part before the last `@` a dot-atom (or a quoted string), the domain a host name with a
/// top-level label of two or more letters (labels of up to 63 characters, no `-` at either end,
/// any character from U+00A1 up counts as a letter), an IP literal `[…]`, or `localhost`.
enum DjangoEmail {
    static func isValid(_ value: String) -> Bool {
        guard !value.isEmpty, value.unicodeScalars.count <= 320, let at = value.lastIndex(of: "@") else { return false }
        let user = String(value[..<at])
        let domain = String(value[value.index(after: at)...])
        guard matches(userPattern, user) else { return false }
        if domain == "localhost" || matches(domainPattern, domain) { return true }
        guard domain.hasPrefix("["), domain.hasSuffix("]"), matches(literalPattern, domain) else { return false }
        return isIPAddress(String(domain.dropFirst().dropLast()))
    }

    private static let letters = "\\u00a1-\\uffff"
    private static let userPattern = try! NSRegularExpression(
        pattern: #"^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*"#
            + #"|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-\[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")\z"#,
        options: .caseInsensitive)
    private static let domainPattern = try! NSRegularExpression(
        pattern: "^[a-z\(letters)0-9](?:[a-z\(letters)0-9-]{0,61}[a-z\(letters)0-9])?"
            + "(?:\\.(?!-)[a-z\(letters)0-9-]{1,63}(?<!-))*"
            + "\\.(?!-)(?:[a-z\(letters)-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\z",
        options: .caseInsensitive)
    private static let literalPattern = try! NSRegularExpression(pattern: #"^\[[A-F0-9:.]+\]\z"#, options: .caseInsensitive)

    private static func matches(_ pattern: NSRegularExpression, _ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Python's `ipaddress` for `validate_ipv46_address`: four decimal parts of 0–255 without
    /// leading zeros, or an IPv6 address (`inet_pton`).
    static func isIPAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let isOctet = { (part: Substring) in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber }
                && (part == "0" || !part.hasPrefix("0")) && (Int(part) ?? 256) <= 255
        }
        if parts.count == 4, parts.allSatisfy(isOctet) { return true }
        var address = in6_addr()
        return text.contains(":") && inet_pton(AF_INET6, text, &address) == 1
    }
}
