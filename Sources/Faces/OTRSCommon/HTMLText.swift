import DeskCore

/// A plain-text rendering of HTML, as Znuny shows the body of an HTML article: tags dropped,
/// block ends as line breaks, the common entities decoded.
public enum HTMLText {
    public static func plain(_ html: String) -> String {
        var out = ""
        var tag = ""
        var inTag = false
        var skipping = false
        for character in html {
            if inTag {
                if character == ">" {
                    inTag = false
                    let name = tag.lowercased().split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\n" }).first.map(String.init) ?? ""
                    let closing = tag.hasPrefix("/")
                    if name == "script" || name == "style" { skipping = !closing }
                    if ["br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"].contains(
                        closing ? String(tag.dropFirst()).lowercased() : name)
                    {
                        out.append("\n")
                    }
                    tag = ""
                } else {
                    tag.append(character)
                }
            } else if character == "<" {
                inTag = true
            } else if !skipping {
                out.append(character)
            }
        }
        let entities = ["&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'", "&amp;": "&"]
        for (entity, text) in entities { out = out.replacing(entity, with: text) }
        return out.trimmingSpaces
    }
}
