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
