import DeskCore
import Foundation

/// Znuny's `Kernel::System::DB::QueryCondition` as TicketSearch applies it to `Title`,
/// `TicketNumber`, `CustomerID` and `CustomerUserLogin` (no `Extended`, no search prefix or
/// suffix): the value is rewritten (`+`, ` AND ` → `&&`, ` OR ` → `||`, `*` → `%`, quoted
/// phrases kept whole, white space collapsed), then read character by character into words
/// joined by `&&` and `||`, grouped by parentheses, a leading `!` negating a word. A space is
/// part of a word, so `Host down` is one phrase compared as a whole. The reading is Znuny's SQL
/// text: AND binds tighter than OR, and a word or group after a `)` is ANDed.
public enum ZnunyQueryCondition {
    /// What a value reads as.
    public enum Reading: Equatable, Sendable {
        case condition(TextCondition)
        /// Znuny builds SQL the database refuses (a lone `!`, `a||(&&b)`), or the value is beyond
        /// SwiftDesk's limits (`maxDepth`, `maxWords`): the whole search finds nothing.
        case invalid
    }

    /// The most parentheses open at once and the most words in one value (deeper or longer
    /// expressions exceed what the databases take in one statement).
    public static let maxDepth = 32
    public static let maxWords = 256

    public static func read(_ value: String) -> Reading {
        var text = rewritten(value)
        var expressions: [String: String] = [:]
        text = replacing(quoted, in: text) { match in
            let key = "###\(expressions.count + 1)###"
            expressions[key] = match
            return key
        }
        text = rewrittenAfterQuotes(text)
        let tokens: [Token]
        switch reading(Array(text.unicodeScalars), expressions: expressions) {
        case .tokens(let list): tokens = list
        case .unbalanced: return .condition(.never)
        case .tooLarge: return .invalid
        }
        var parser = Parser(tokens: tokens)
        guard let condition = parser.expression(), parser.index == tokens.count else { return .invalid }
        return .condition(condition)
    }

    // MARK: Rewriting

    /// Trimmed, and wrapped in parentheses unless it starts with `(` and ends with an unescaped `)`.
    static func rewritten(_ value: String) -> String {
        // `s/^\s+//; s/\s+$//` as a scan: a regular expression anchored at the end backtracks
        // over every run of spaces.
        let scalars = value.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "()" }
        var text = String(scalars[first...last])
        if !text.hasPrefix("(") || !matches(closingParenthesis, text) { text = "(" + text + ")" }
        return text
    }

    static func rewrittenAfterQuotes(_ value: String) -> String {
        var text = value
        for (pattern, template) in rules { text = replacing(pattern, in: text, with: template) }
        return text
    }

    static let closingParenthesis = regex(#"(?<!\\)\)$"#)
    static let quoted = regex(#""(.+?)""#)
    /// QueryCondition's substitutions after the quoted phrases, in its order.
    static let rules: [(NSRegularExpression, String)] = [
        (#"(?<!\\)\(\s*(?<!\\)\)"#, ""),
        (#"\s+"#, " "),
        (#"\+"#, "&&"),
        (#"(\s|(?<!\\)\)|(?<!\\)\()AND(\s|(?<!\\)\(|(?<!\\)\))"#, "$1&&$2"),
        (#"(\s|(?<!\\)\)|(?<!\\)\()OR(\s|(?<!\\)\(|(?<!\\)\))"#, "$1||$2"),
        (#"\*"#, "%"),
        (#"%\s*%"#, "%"),
        (#"%!%"#, "!%"),
        (#"%!"#, "!%"),
        (#"(&&|\|\|)(?<!\\)\)$"#, ")"),
        (#"^(?<!\\)\((&&|\|\|)"#, "("),
        (#"(\s((?<!\\)\(|(?<!\\)\)|\||(?<!\\)&))"#, "$2"),
        (#"(((?<!\\)\(|(?<!\\)\)|\||(?<!\\)&)\s)"#, "$2"),
    ].map { (regex($0.0), $0.1) }

    // MARK: Reading

    enum Token: Equatable {
        case word(TextCondition)
        case and, or, open, close
    }

    static let special: Set<Unicode.Scalar> = ["(", ")", "&", "|"]

    enum Emitted {
        case tokens([Token])
        /// Znuny's syntax check gives `1=0`: parentheses that do not pair up, AND right after OR.
        case unbalanced
        case tooLarge
    }

    /// The SQL pieces Znuny's loop emits.
    static func reading(_ chars: [Unicode.Scalar], expressions: [String: String]) -> Emitted {
        var tokens: [Token] = []
        var (depth, words) = (0, 0)
        var word = ""
        var negated = false
        var escaped = false
        var (open, close) = (0, 0)
        let last = chars.count - 1
        for (position, char) in chars.enumerated() {
            let next: Unicode.Scalar? = position < last ? chars[position + 1] : nil
            if escaped {
                word.unicodeScalars.append(char)
                escaped = false
                continue
            }
            if char == "\\", let next, special.contains(next) || next == "\\" {
                escaped = true
                continue
            }
            if word.isEmpty && char == "!" {
                negated = true
                continue
            }
            if char == "&" || char == "|" {
                if position >= 1 && chars[position - 1] == char { continue }
                if next != char {
                    word.unicodeScalars.append(char)
                    continue
                }
            } else if !special.contains(char) {
                word.unicodeScalars.append(char)
                continue
            }
            if !word.isEmpty {
                var text = word.replacingOccurrences(of: "\\", with: "")
                // Perl's `if ( $Expression{$Word} )`: the phrase "0" is false, the placeholder stays.
                if let phrase = expressions[text], phrase != "0" { text = phrase }
                text = text.replacingOccurrences(of: "*", with: "%").replacingOccurrences(of: "%%", with: "%")
                    .replacingOccurrences(of: "%%", with: "%")
                words += 1
                if words > maxWords { return .tooLarge }
                tokens.append(.word(negated ? .not(.matches(text)) : .matches(text)))
                negated = false
                word = ""
            }
            // Perl's `if ( $Array[ $Position + 1 ] )`: a following "0" is false.
            if let next, next != "0" {
                if char == "&" && next == "&" {
                    if tokens.last == .or { return .unbalanced }
                    if tokens.last != .and { tokens.append(.and) }
                } else if char == "|" && next == "|" {
                    if tokens.last == .and { return .unbalanced }
                    if tokens.last != .or { tokens.append(.or) }
                }
            }
            if char == "(" {
                if let previous = tokens.last, previous != .and, previous != .or, previous != .open { tokens.append(.and) }
                tokens.append(.open)
                open += 1
                depth += 1
                if depth > maxDepth { return .tooLarge }
            }
            if char == ")" {
                tokens.append(.close)
                let pair = position <= last - 2 ? (chars[position + 1], chars[position + 2]) : nil
                if let next, next != ")", pair.map({ !($0 == ("&", "&") || $0 == ("|", "|")) }) ?? true { tokens.append(.and) }
                close += 1
                depth -= 1
            }
        }
        return open == close ? .tokens(tokens) : .unbalanced
    }

    /// The emitted SQL read with SQL's precedence (AND before OR); nil where the SQL is malformed.
    struct Parser {
        let tokens: [Token]
        var index = 0

        /// Terms joined by `||`.
        mutating func expression() -> TextCondition? {
            list(separatedBy: .or, of: { $0.term() }, combined: TextCondition.any)
        }

        /// Factors joined by `&&`.
        mutating func term() -> TextCondition? {
            list(separatedBy: .and, of: { $0.factor() }, combined: TextCondition.all)
        }

        /// One or more operands with `separator` between them; a lone operand stands for itself.
        mutating func list(
            separatedBy separator: Token, of operand: (inout Parser) -> TextCondition?, combined: ([TextCondition]) -> TextCondition
        ) -> TextCondition? {
            guard let first = operand(&self) else { return nil }
            var parts = [first]
            while index < tokens.count, tokens[index] == separator {
                index += 1
                guard let next = operand(&self) else { return nil }
                parts.append(next)
            }
            return parts.count == 1 ? first : combined(parts)
        }

        mutating func factor() -> TextCondition? {
            guard index < tokens.count else { return nil }
            switch tokens[index] {
            case .word(let condition):
                index += 1
                return condition
            case .open:
                index += 1
                guard let inner = expression(), index < tokens.count, tokens[index] == .close else { return nil }
                index += 1
                return inner
            default:
                return nil
            }
        }
    }

    // MARK: Perl regular expressions

    static func regex(_ pattern: String) -> NSRegularExpression {
        // The patterns are fixed literals of this file.
        try! NSRegularExpression(pattern: pattern)
    }

    static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// `s/pattern/template/g`.
    static func replacing(_ expression: NSRegularExpression, in text: String, with template: String) -> String {
        expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    /// `s/pattern/code/eg` with the first group handed to `replacement`.
    static func replacing(_ expression: NSRegularExpression, in text: String, _ replacement: (String) -> String) -> String {
        var result = ""
        var rest = text.startIndex
        for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let whole = Range(match.range, in: text), let group = Range(match.range(at: 1), in: text) else { continue }
            result += text[rest..<whole.lowerBound] + replacement(String(text[group]))
            rest = whole.upperBound
        }
        return result + text[rest...]
    }
}
