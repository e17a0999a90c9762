import DeskCore
import DeskFaceKit

/// A new user's name as osTicket's `User::fromVars` stores it:
/// `Format::htmldecode(Format::sanitize($name, false))`. htmLawed drops the tags of elements it
/// does not know (`Jo <Doe>` is `Jo `, `Jo <jo@example.com>` is `Jo `), keeps known ones, collapses
/// runs of white space; then every entity is decoded (`Tom &amp; Jerry` is `Tom & Jerry`). A `<`
/// that starts no tag stays.
enum OSTicketUserName {
    static func stored(_ name: String) -> String {
        HTMLEntities.decode(OSTicketStoredBody.collapsingWhitespace(withoutUnknownTags(name), keepingNoBreakSpace: true))
    }

    /// The name a new user gets: `User::fromVars` takes the address's mailbox when no name came
    /// (PHP's falsy `""` and `"0"`) and stores it as `stored` does; `User::save` then turns
    /// `Last, First` into `First Last` (`Last, First, Suffix` into `First Last Suffix`) and a
    /// name that is an e-mail address into its mailbox, dots as spaces, title-cased
    /// (`john.smith@example.com` → `John Smith`). The column holds 128 characters.
    static func forNewUser(_ name: String?, email: String) -> String {
        var given = name ?? ""
        if given.isEmpty || given == "0" { given = String(email.split(separator: "@", omittingEmptySubsequences: false)[0]) }
        var result = stored(given)
        let parts = result.split(separator: ",", omittingEmptySubsequences: false).map { OSTicketStoredBody.phpTrim(String($0)) }
        switch parts.count {
        case 2: result = parts[1] + " " + parts[0]
        case 3: result = parts[1] + " " + parts[0] + " " + parts[2]
        default: break
        }
        if MailAddress.isBareAddress(result) {
            let box = result.split(separator: "@", omittingEmptySubsequences: false)[0]
            result = titleCased(box.replacingOccurrences(of: ".", with: " "))
        }
        return String(result.prefix(128))
    }

    /// PHP's `mb_convert_case($text, MB_CASE_TITLE)`: a cased letter after a character that is
    /// neither cased nor case-ignorable (a space, `_`, a digit) starts a word and is title-cased;
    /// the rest of a word is lower-cased.
    static func titleCased(_ text: String) -> String {
        var result = ""
        var inWord = false
        for scalar in text.unicodeScalars {
            result += inWord ? scalar.properties.lowercaseMapping : scalar.properties.titlecaseMapping
            if !scalar.properties.isCaseIgnorable { inWord = scalar.properties.isCased }
        }
        return result
    }

    static func withoutUnknownTags(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            result += rest[..<open]
            var cursor = rest.index(after: open)
            if cursor < rest.endIndex, rest[cursor] == "/" { cursor = rest.index(after: cursor) }
            let nameStart = cursor
            while cursor < rest.endIndex, rest[cursor].isASCII, rest[cursor].isLetter || rest[cursor].isNumber || rest[cursor] == "-" {
                cursor = rest.index(after: cursor)
            }
            let element = rest[nameStart..<cursor].lowercased()
            guard let first = element.first, first.isLetter, let close = rest[cursor...].firstIndex(of: ">") else {
                result.append("<")
                rest = rest[rest.index(after: open)...]
                continue
            }
            if knownElements.contains(element) { result += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The elements htmLawed knows (HTML 4 and 5).
    static let knownElements: Set<String> = [
        "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote",
        "br", "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "command", "data", "datalist", "dd",
        "del", "details", "dfn", "dir", "div", "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure", "font", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "iframe", "img", "input", "ins", "isindex",
        "kbd", "keygen", "label", "legend", "li", "link", "main", "map", "mark", "menu", "meta", "meter", "nav", "noscript",
        "object", "ol", "optgroup", "option", "output", "p", "param", "pre", "progress", "q", "rb", "rbc", "rp", "rt", "rtc",
        "ruby", "s", "samp", "script", "section", "select", "small", "source", "span", "strike", "strong", "style", "sub",
        "summary", "sup", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "time", "tr", "track", "tt", "u", "ul",
        "var", "video", "wbr",
    ]
}
