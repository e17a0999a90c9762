/// PHP's `strip_tags` without allowed tags (`php_strip_tags_ex`, PHP 8), for the faces of PHP
/// products. It is a byte-level state machine, not an HTML parser, and differs from a naive
/// "drop everything from `<` to `>`" where text matters:
/// - a `<` followed by white space is text (`Free disk < 10%` keeps its `<`);
/// - quotes inside a tag hide a `>` (`<a title="a>b">`), and a `<` inside a tag nests;
/// - `<!-- … -->` comments, `<!…>` declarations and `<?…?>` processing instructions go whole;
/// - a tag left open at the end takes the rest of the text with it; NUL bytes are dropped.
public enum PHPStripTags {
    public static func strip(_ text: String) -> String {
        let s = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var state = State.text
        var depth = 0
        var quote: UInt8 = 0
        var last: UInt8 = 0
        var br = 0
        var p = 0
        func at(_ index: Int) -> UInt8 { index >= 0 && index < s.count ? s[index] : 0 }
        while p < s.count {
            let c = s[p]
            switch state {
            case .text:
                switch c {
                case 0: break
                case lt where isSpace(at(p + 1)): out.append(c)
                case lt:
                    last = lt
                    state = .tag
                case gt where depth > 0: depth -= 1
                default: out.append(c)
                }
            case .tag:
                switch c {
                case lt where quote == 0 && !isSpace(at(p + 1)): depth += 1
                case gt where depth > 0: depth -= 1
                case gt where quote == 0:
                    last = gt
                    state = .text
                case _ where isQuote(c) && p != 0 && (quote == 0 || c == quote):
                    quote = quote == 0 ? c : 0
                case bang where at(p - 1) == lt:
                    last = c
                    state = .declaration
                case question where at(p - 1) == lt:
                    br = 0
                    state = .processing
                default: break
                }
            case .processing:
                switch c {
                case openParen where last != doubleQuote && last != singleQuote:
                    last = c
                    br += 1
                case closeParen where last != doubleQuote && last != singleQuote:
                    last = c
                    br -= 1
                case gt where depth > 0: depth -= 1
                case gt where quote == 0 && br == 0 && last != doubleQuote && at(p - 1) == question:
                    state = .text
                case _ where isQuote(c) && at(p - 1) != backslash:
                    if last == c { last = 0 } else if last != backslash { last = c }
                    if quote == 0 || c == quote { quote = quote == 0 ? c : 0 }
                default: break
                }
            case .declaration:
                switch c {
                case gt where depth > 0: depth -= 1
                case gt where quote == 0: state = .text
                case _ where isQuote(c) && at(p - 1) != backslash && (quote == 0 || c == quote):
                    quote = quote == 0 ? c : 0
                case dash where at(p - 1) == dash && at(p - 2) == bang: state = .comment
                default: break
                }
            case .comment:
                if c == gt && quote == 0 && at(p - 1) == dash && at(p - 2) == dash { state = .text }
            }
            p += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private enum State {
        case text, tag, processing, declaration, comment
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || (9...13).contains(c) }
    private static func isQuote(_ c: UInt8) -> Bool { c == doubleQuote || c == singleQuote }

    private static let lt = UInt8(ascii: "<")
    private static let gt = UInt8(ascii: ">")
    private static let doubleQuote = UInt8(ascii: "\"")
    private static let singleQuote = UInt8(ascii: "'")
    private static let bang = UInt8(ascii: "!")
    private static let question = UInt8(ascii: "?")
    private static let dash = UInt8(ascii: "-")
    private static let backslash = UInt8(ascii: "\\")
    private static let openParen = UInt8(ascii: "(")
    private static let closeParen = UInt8(ascii: ")")
}
