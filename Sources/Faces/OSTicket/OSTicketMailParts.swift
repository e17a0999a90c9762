import DeskCore
import DeskFaceKit

/// How osTicket 1.18 reads a piped mail (`class.mailparse.php`, `getBody`, `getPart`,
/// `getAttachments`) on a fresh install (rich text on, quoted replies stripped):
/// - the body is every HTML part joined, else every text part joined, in the order of the tree,
///   looking into forwarded messages too; parts with a disposition other than `inline` are not
///   body;
/// - the text above the reply separator `-- reply above this line --` is kept when it is not
///   blank, and the inline images referenced only below it are dropped;
/// - a part is a file when it has a disposition (`attachment` or `inline`) or is an image or
///   application part, and it has a name: its own, else `image-XXXX.<subtype>` for an image with
///   a Content-ID, else `<subject>.eml` for a forwarded message; parts without one are dropped.
struct OSTicketMailParts {
    /// osTicket's default `reply_separator`.
    static let replySeparator = "-- reply above this line --"

    var body: OSTicketSubmission.Message
    var files: [File]

    struct File {
        var name: String
        var type: String
        var contentID: String
        var disposition: String
        var bytes: [UInt8]
    }

    init(_ mail: MailMessage) {
        var body: OSTicketSubmission.Message
        let html = Self.part(mail.root, type: "text/html")
        if !html.isEmpty, html != "0" {
            body = .init(text: html, isHTML: true)
        } else {
            body = .init(text: Self.part(mail.root, type: "text/plain"), isHTML: false)
        }
        var files = Self.attachments(mail.root, isRoot: true)
        if let cut = body.text.range(of: Self.replySeparator), !body.text[..<cut.lowerBound].trimmingSpaces.isEmpty {
            let kept = String(body.text[..<cut.lowerBound])
            let dropped = Set(Self.imageIDs(body.text)).subtracting(Self.imageIDs(kept))
            files.removeAll { !$0.contentID.isEmpty && dropped.contains($0.contentID) }
            body.text = kept
        }
        body.text = body.text.trimmingSpaces
        self.body = body
        self.files = files
    }

    /// `getPart`: the text of every part of `type` below `part`, joined. A part of a multipart
    /// keeps the line end before the next boundary, as PEAR's decoder leaves it.
    static func part(_ part: MailMessage.Part, type: String) -> String {
        if part.children.isEmpty {
            if !part.disposition.isEmpty && part.disposition != "inline" { return "" }
            return part.type == type ? part.text : ""
        }
        let isMultipart = part.type.hasPrefix("multipart/")
        return part.children.map { child in
            let text = self.part(child, type: type)
            return isMultipart && child.children.isEmpty && !text.isEmpty ? text + "\n" : text
        }.joined()
    }

    /// `getAttachments`: the files among `part` and its descendants.
    static func attachments(_ part: MailMessage.Part, isRoot: Bool = false) -> [File] {
        let primary = part.type.split(separator: "/").first.map(String.init) ?? ""
        let counts = ["attachment", "inline"].contains(part.disposition) || primary == "image" || primary == "application"
        if !isRoot && counts {
            guard let name = name(of: part, primary: primary) else { return [] }
            return [
                File(
                    name: name, type: OSTicketSubmission.fileType(part.type), contentID: part.contentID,
                    disposition: part.disposition == "inline" ? "inline" : "attachment",
                    bytes: primary == "text" && part.typeParameters["charset"] != nil ? Array(part.decodedText.utf8) : part.content)
            ]
        }
        if isRoot && part.children.isEmpty { return counts ? attachments(part, isRoot: false) : [] }
        return part.children.flatMap { attachments($0) }
    }

    static func name(of part: MailMessage.Part, primary: String) -> String? {
        if let name = part.filename, !name.isEmpty { return MailHeaders.decodeWords(name) }
        if !part.contentID.isEmpty && primary == "image" {
            let subtype = part.type.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            return "image-\(randomCode(4)).\(subtype)"
        }
        if primary == "message" {
            let subject = part.children.first?.header("Subject").map { MailHeaders.decodeWords($0) } ?? ""
            return (subject.isEmpty ? "email-message-\(randomCode(4))" : subject) + ".eml"
        }
        return nil
    }

    /// The Content-IDs an HTML body shows as images (`src=cid:…`).
    static func imageIDs(_ html: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(html)
        while let found = rest.range(of: "cid:") {
            let before = rest[..<found.lowerBound].suffix(5).lowercased()
            let id = rest[found.upperBound...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" && $0 != ">" }
            if before.hasSuffix("src=") || before.hasSuffix("src=\"") || before.hasSuffix("src='") { ids.append(String(id)) }
            rest = rest[found.upperBound...]
        }
        return ids
    }

    /// `Misc::randCode`: letters and digits.
    static func randomCode(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<count).map { _ in alphabet.randomElement()! })
    }
}
