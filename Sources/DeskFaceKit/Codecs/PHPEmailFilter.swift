import Foundation

/// PHP's `filter_var($address, FILTER_VALIDATE_EMAIL)` (ext/filter `php_filter_validate_email`,
/// the same since PHP 7.1): at most 320 bytes and Michael Rushton's pattern as PHP narrowed it to
/// routable addresses — dot-atoms or quoted local parts of at most 64 characters, a domain of
/// labels (`xn--` allowed) ending in one that starts with a letter, or a bracketed IPv4 or IPv6
/// literal; ASCII only, letters in any case. No trimming: a space anywhere fails.
public enum PHPEmailFilter {
    /// PHP's `regexp1` (without `FILTER_FLAG_EMAIL_UNICODE`); its `$` with the `D` modifier is `\z`.
    private static let pattern: NSRegularExpression = {
        let atom = #"[\x21\x23-\x27\x2A\x2B\x2D\x2F-\x39\x3D\x3F\x5E-\x7E]+"#
        let quoted = #"\x22(?:[\x01-\x08\x0B\x0C\x0E-\x1F\x21\x23-\x5B\x5D-\x7F]|(?:\x5C[\x00-\x7F]))*\x22"#
        let word = "(?:(?:\(atom))|(?:\(quoted)))"
        let octet = "(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))"
        let source =
            #"^(?!(?:(?:\x22?\x5C[\x00-\x7E]\x22?)|(?:\x22?[^\x5C\x22]\x22?)){255,})"#
            + #"(?!(?:(?:\x22?\x5C[\x00-\x7E]\x22?)|(?:\x22?[^\x5C\x22]\x22?)){65,}@)"#
            + "\(word)(?:\\.\(word))*@"
            + #"(?:(?:(?!.*[^.]{64,})(?:(?:(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*\.){1,126}){1,}(?:(?:[a-z][a-z0-9]*)|(?:(?:xn--)[a-z0-9]+))(?:-+[a-z0-9]+)*)"#
            + #"|(?:\[(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){7})|(?:(?!(?:.*[a-f0-9][:\]]){7,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?)))"#
            + #"|(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){5}:)|(?:(?!(?:.*[a-f0-9]:){5,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3}:)?)))?"#
            + "\(octet)(?:\\.\(octet)){3}))\\]))\\z"
        // The pattern is a constant, checked by the tests.
        return try! NSRegularExpression(pattern: source, options: [.caseInsensitive])
    }()

    public static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= 320, address.unicodeScalars.allSatisfy(\.isASCII) else { return false }
        let range = NSRange(address.startIndex..., in: address)
        return pattern.firstMatch(in: address, options: [], range: range) != nil
    }
}
