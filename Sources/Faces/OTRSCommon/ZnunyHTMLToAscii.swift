import DeskFaceKit
import Foundation

/// Znuny's plain-text rendering of HTML (`Kernel/System/HTMLUtils.pm` `ToAscii`, 7.0.19), which
/// Znuny stores as the `Body` of an HTML article (the HTML itself becomes the attachment
/// `file-2`). The steps, their order and their regular expressions are Znuny's, so the text comes
/// out byte for byte the same, quirks included: links become `[n]` with a list at the end, quotes
/// are prefixed with `> `, `<p>` and `<table>` become blank lines, `&nbsp;` becomes U+00A0, lines
/// are wrapped at 78 characters, and leading and trailing line breaks stay.
public enum ZnunyHTMLToAscii {
    /// `Ticket::Frontend::TextAreaNote`.
    static let lineLength = 78

    public static func convert(_ html: String) -> String {
        var text = html
        // Links: `<a … href="url" …>` → `[n]`, with the list appended at the end.
        var links = ""
        var counter = 0
        text = replace(text, #"<a\s.*?href=("|')(.*?)(\1).*?>"#, "i") { groups in
            counter += 1
            links += "[\(counter)] \(groups[2])\n"
            return "[\(counter)]"
        }
        // Quotes are converted on their own and put back at the end, each line prefixed `> `.
        var cites: [String: String] = [:]
        counter = 0
        let quote = { (inner: String) -> String in
            var ascii = convert(inner)
            if ascii.unicodeScalars.count > lineLength { ascii = wrap(ascii) }
            ascii = prefixLines(ascii, with: "> ")
            counter += 1
            let key = "######Cite::\(counter)######"
            cites[key] = ascii
            return key
        }
        text = replace(text, "<blockquote(.*?)>(.+?)</blockquote>", "smi") { quote($0[2]) }
        text = replace(text, #"<div[^>]+type="cite"[^>]*>(.+?)</div>"#, "smi") { quote($0[1]) }
        // <pre> and <code> are kept as they are.
        var verbatim: [String: String] = [:]
        counter = 0
        text = replace(text, "<(pre|code)(.*?)>(.+?)</(pre|code)(.*?)>", "smi") { groups in
            counter += 1
            let key = "######One2One::\(counter)######"
            verbatim[key] = groups[3]
            return key
        }
        text = replace(text, "<!--.*?-->", "smi")
        text = replace(text, #"^\s*"#, "m")
        text = replace(text, "(\n\r|\r\r\n|\r\n)", "s", with: "\n")
        text = replace(text, #"(<br(\s{0,3}|\s{1,3}.+?)(/|)>)(\n|\r)"#, "si") { $0[1] }
        text = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        text = replace(text, "<style[^>]*?/>", "si")
        text = replace(text, "<style[^>]*?>.*?</style[^>]*>", "si")
        text = replace(text, #"<br(\s{0,3}|\s{1,3}.+?)(/|)>"#, "si", with: "\n")
        text = replace(text, #"</(\s{0,3})div>"#, "si", with: "\n")
        text = replace(text, "<(hr|hr.+?)>", "si", with: "\n\n")
        text = replace(text, "<(/|)(p|p.+?|table|table.+?)>", "si", with: "\n\n")
        text = replace(text, "<(tr|tr.+?|th|th.+?)>", "si", with: "\n\n")
        text = replace(text, "<li>", "si", with: "\n - ")
        text = replace(text, "</(ul|ol)>", "si", with: "\n\n")
        text = replace(text, "</td[^>]*>", "si", with: " ")
        text = replace(text, "[ ]{2,}", "m", with: " ")
        for key in verbatim.keys.sorted() {
            text = text.replacingOccurrences(of: key, with: "\n\n\n" + verbatim[key]! + "\n\n")
        }
        text = replace(text, "<.+?>", "s")
        text = decodeEntities(text)
        text = replace(text, #"^\s*\n\s*\n"#, "m", with: "\n")
        if text.unicodeScalars.count > lineLength { text = wrap(text) }
        for key in cites.keys.sorted() {
            text = text.replacingOccurrences(of: key, with: cites[key]! + "\n")
        }
        if !links.isEmpty { text += "\n\n" + links }
        return text
    }

    /// Perl's `s/^(.*?)$/> $1/gm`: every line gets the prefix, but not the empty "line" after a
    /// final newline (Perl's `^` does not match there; ICU's does, hence no regex).
    static func prefixLines(_ text: String, with prefix: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let trailing = text.hasSuffix("\n")
        if trailing { lines.removeLast() }
        return lines.map { prefix + $0 }.joined(separator: "\n") + (trailing ? "\n" : "")
    }

    /// Breaks lines at the last whitespace within 78 characters (a longer word stays whole).
    static func wrap(_ text: String) -> String {
        replace(text, #"(.{4,\#(lineLength)})(?:\s|\z)"#, "m") { $0[1] + "\n" }
    }

    /// Numeric references (`&#8211;`, `&#x41;`, the `;` optional) and HTML::Entities 1.35's
    /// named ones; unknown names, surrogates and references Perl finds false (`&#48;`, "0")
    /// stay as written.
    static func decodeEntities(_ text: String) -> String {
        var text = replace(text, #"(&#(\d+);?)"#, "") { groups in
            guard let value = UInt32(groups[2].prefix(9)), !(55_296...57_343).contains(value), let scalar = Unicode.Scalar(value) else {
                return groups[1]
            }
            let character = String(Character(scalar))
            return character == "0" ? groups[1] : character
        }
        text = replace(text, #"(&#[xX]([0-9a-fA-F]+);?)"#, "") { groups in
            guard groups[2].count <= 8, let value = UInt32(groups[2], radix: 16), value != 0, !(55_296...57_343).contains(value),
                let scalar = Unicode.Scalar(value)
            else { return groups[1] }
            let character = String(Character(scalar))
            return character == "0" ? groups[1] : character
        }
        return replace(text, #"(&(\w+);?)"#, "") { groups in
            HTMLEntities.table[groups[2]].map { String(Character(Unicode.Scalar($0)!)) } ?? groups[1]
        }
    }

    /// Perl-style `s///g` with flags `i`, `s`, `m`; `.` and `^`/`$` see only `\n` as a line break.
    static func replace(_ text: String, _ pattern: String, _ flags: String, with replacement: String = "") -> String {
        replace(text, pattern, flags) { _ in replacement }
    }

    static func replace(_ text: String, _ pattern: String, _ flags: String, _ transform: ([String]) -> String) -> String {
        var options: NSRegularExpression.Options = [.useUnixLineSeparators]
        if flags.contains("i") { options.insert(.caseInsensitive) }
        if flags.contains("s") { options.insert(.dotMatchesLineSeparators) }
        if flags.contains("m") { options.insert(.anchorsMatchLines) }
        guard let regex = try? NSRegularExpression(pattern: pattern, options: options) else { return text }
        let source = text as NSString
        var result = ""
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            result += source.substring(with: NSRange(location: last, length: match.range.location - last))
            let groups = (0..<match.numberOfRanges).map { index -> String in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : source.substring(with: range)
            }
            result += transform(groups)
            last = match.range.location + match.range.length
        }
        result += source.substring(from: last)
        return result
    }
}
