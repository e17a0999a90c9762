import DeskCore
import DeskFaceKit

/// A ticket as the API hands it over, after osTicket's per-format fix-ups (`ApiJsonDataParser`,
/// `ApiXmlDataParser` in `include/class.api.php`) and before its validation.
struct OSTicketSubmission: Sendable {
    /// Text fields by name (`name`, `email`, `subject`, `source`, `topicId`, custom fields…).
    var fields: [String: String] = [:]
    /// Field names given with a value that is not text (lists, objects): kept to tell
    /// "missing" from "unusable".
    var message: Message?
    var alert = true
    var autorespond = true
    var attachments: [AttachmentDraft] = []
    /// Attachments osTicket refuses (`FileUploadField::uploadAttachment`, `AttachmentFile::create`):
    /// the ticket is created all the same, with a "File Import Error" note for each.
    var droppedAttachments: [DroppedFile] = []

    /// A file left out, and osTicket's reason.
    struct DroppedFile: Sendable, Equatable {
        var name: String
        var reason: String

        static let tooLarge = "File size is too large"
        /// What osTicket says when no file could be stored: bad or empty data.
        static let unsaved = "Unable to save file"

        /// The note's text, `<name>: <reason>` (osTicket stores the name through `Format::htmlchars`;
        /// SwiftDesk stores text as written and escapes it where it is shown).
        var noteText: String { name + ": " + reason }
    }

    struct Message: Sendable {
        var text: String
        var isHTML: Bool
    }

    /// osTicket's answer to structures its PHP 8 code cannot handle (a fatal error there).
    static let unexpected = OSTicketWire.Failure(400, "Unexpected or invalid data received")

    // MARK: JSON

    /// Reads a JSON request body as `json_decode($body, true)` would, with osTicket's errors
    /// (`JsonDataParser::lastError`; PHP's codes it has no text for are "Unknown error").
    static func json(_ bytes: [UInt8], maxFileSize: Int) throws(OSTicketWire.Failure) -> OSTicketSubmission {
        let value: JSONValue
        do {
            // PHP's default depth 512 counts the outermost array as 1 and fails at 512 levels.
            value = try JSONParser.parse(bytes, maxDepth: 511, keepingOrder: true)
        } catch .tooDeep {
            throw .init(400, "Maximum stack depth exceeded")
        } catch .badUTF8 {
            throw .init(400, "Malformed UTF-8 characters, possibly incorrectly encoded")
        } catch .controlCharacter, .unterminatedString {
            // PHP's scanner reads the NUL after an unterminated string as a control character.
            throw .init(400, "Unexpected control character found")
        } catch .mismatchedClose {
            throw .init(400, "Underflow or the modes mismatch")
        } catch .loneSurrogate {
            // JSON_ERROR_UTF16, which osTicket's table does not name.
            throw .init(400, "Unknown error")
        } catch {
            throw .init(
                400,
                String(validating: bytes, as: UTF8.self) == nil
                    ? "Malformed UTF-8 characters, possibly incorrectly encoded"
                    : "Syntax error, malformed JSON")
        }
        // A valid document that is empty or not an array gives PHP's "no error" text.
        let members: [JSONMember]
        switch value {
        case .orderedObject(let object) where !object.isEmpty: members = object
        case .array(let list) where !list.isEmpty:
            members = list.enumerated().map { JSONMember(key: String($0.offset), value: $0.element) }
        default: throw .init(400, "No errors")
        }
        var submission = OSTicketSubmission()
        for (key, value) in members.map({ ($0.key, $0.value) }) {
            switch key {
            case "alert": submission.alert = phpBool(value)
            case "autorespond": submission.autorespond = phpBool(value)
            case "message":
                guard let text = value.scalarString ?? (value == .null ? "" : nil) else { throw unexpected }
                submission.message = message(fromJSON: text)
            case "attachments":
                try submission.readAttachments(value, maxFileSize: maxFileSize)
            default:
                guard let text = value.scalarString else {
                    if value == .null { continue }
                    // `name` may be a list (joined, as `User::fromVars` does); other lists are unusable.
                    if key == "name", let parts = value.arrayValue?.compactMap(\.scalarString) {
                        submission.fields[key] = parts.joined(separator: ", ")
                        continue
                    }
                    if key == "phone" { throw unexpected }
                    continue
                }
                submission.fields[key] = key == "phone" ? text.uppercased() : text
            }
        }
        return submission
    }

    /// PHP's `(bool)` cast.
    static func phpBool(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .bool(let flag): flag
        case .number(let text): Double(text) != 0
        case .string(let text): !(text.isEmpty || text == "0")
        case .array(let list): !list.isEmpty
        case .object(let members): !members.isEmpty
        case .orderedObject(let members): !members.isEmpty
        case .source(let source): phpBool(source.tree)
        }
    }

    /// A `message` as text, or as an RFC 2397 `data:` URL (`text/html` → HTML). A charset-less
    /// payload is UTF-8 when it is valid UTF-8, else ISO-8859-1.
    static func message(fromJSON text: String) -> Message {
        guard text.hasPrefix("data:"), let url = try? DataURL(parsing: text, percentDecoding: false, lenientBase64: true) else {
            return Message(text: text, isHTML: false)
        }
        let body =
            url.charset.flatMap { TextEncoding.decode(url.bytes, charset: $0) } ?? String(validating: url.bytes, as: UTF8.self)
            ?? TextEncoding.decodeLeniently(url.bytes, charset: "iso-8859-1")
        return Message(text: body, isHTML: url.mediaType == "text/html")
    }

    /// `attachments`: a list of one-key objects `{"name": "data:…"}` (or `{"name": "plain text"}`).
    mutating func readAttachments(_ value: JSONValue, maxFileSize: Int) throws(OSTicketWire.Failure) {
        guard let list = value.arrayValue else {
            // An object makes osTicket's parser fail fatally (`reset()` of a string); a string,
            // number or boolean is only a warning to PHP's `foreach`, and no file is added.
            if value.objectValue != nil { throw Self.unexpected }
            return
        }
        for item in list {
            // `reset($info)` and `key($info)`: the object's first member; any others are ignored.
            let first: JSONMember?
            switch item {
            case .orderedObject(let members): first = members.first
            case .object(let members): first = members.min { $0.key < $1.key }.map { JSONMember(key: $0.key, value: $0.value) }
            default: throw Self.unexpected
            }
            guard let first else {
                droppedAttachments.append(DroppedFile(name: "", reason: DroppedFile.unsaved))
                continue
            }
            let name = first.key
            guard let text = first.value.scalarString, !text.isEmpty else {
                droppedAttachments.append(DroppedFile(name: name, reason: DroppedFile.unsaved))
                continue
            }
            // `Format::parseRfc2397`: text that is not a `data:` URL is the file itself, text/plain.
            guard text.hasPrefix("data:") else {
                add(name: name, type: "text/plain", bytes: Array(text.utf8), maxFileSize: maxFileSize)
                continue
            }
            guard let url = try? DataURL(parsing: text, percentDecoding: false, lenientBase64: true) else {
                droppedAttachments.append(DroppedFile(name: name, reason: DroppedFile.unsaved))
                continue
            }
            add(name: name, type: url.mediaType, bytes: url.bytes, maxFileSize: maxFileSize)
        }
    }

    /// Keeps a file, or notes why osTicket would not: too large (the size check comes first), or
    /// nothing to store (an empty file is no file to `AttachmentFile::create`).
    mutating func add(
        name: String, type: String, bytes: [UInt8], maxFileSize: Int, contentID: String = "", disposition: String = "attachment"
    ) {
        guard bytes.count <= maxFileSize else {
            droppedAttachments.append(DroppedFile(name: name, reason: DroppedFile.tooLarge))
            return
        }
        guard !bytes.isEmpty, !name.isEmpty else {
            droppedAttachments.append(DroppedFile(name: name, reason: DroppedFile.unsaved))
            return
        }
        attachments.append(
            AttachmentDraft(
                filename: String(name.prefix(250)), contentType: Self.fileType(type), content: bytes, contentID: contentID,
                disposition: disposition))
    }

    /// A file's type as SwiftDesk stores it: osTicket stores whatever the request or the mail
    /// names (`image/`, `xxx`); a type that is not `type/subtype` is filed as bytes instead of
    /// failing the whole ticket.
    static func fileType(_ type: String) -> String {
        MediaType.isMimeType(MediaType.mimeType(ofContentType: type)) ? type : "application/octet-stream"
    }

    // MARK: XML

    /// Reads a `<ticket>` document. Fields may be attributes of `<ticket>` or child elements;
    /// any other root leaves the submission empty (so it fails validation, as in osTicket).
    static func xml(_ bytes: [UInt8], maxFileSize: Int) throws(OSTicketWire.Failure) -> OSTicketSubmission {
        // `XmlDataParser::parse` reads while `fread` gives a truthy string: a body of just "0"
        // is never parsed, as an empty one.
        if bytes == [UInt8(ascii: "0")] { throw .init(400, "XML error: No error at line 1:1") }
        // Text that does not start with markup (JSON sent to the XML route, say) is not a
        // document: expat stops at its first character.
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        if let first = body.firstIndex(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), body[first] != UInt8(ascii: "<"),
            !bytes.starts(with: [0xFE, 0xFF]), !bytes.starts(with: [0xFF, 0xFE])
        {
            let line = 1 + body[..<first].filter { $0 == 0x0A }.count
            let column = 1 + (first - (body[..<first].lastIndex(of: 0x0A).map { $0 + 1 } ?? body.startIndex))
            throw .init(400, "XML error: Not well-formed (invalid token) at line \(line):\(column)")
        }
        let root: XMLTreeElement
        do {
            root = try SafeXMLParser().parse(XMLEncoding.utf8Document(bytes))
        } catch let failure as XMLParseFailure {
            switch failure.kind {
            case .empty: throw .init(400, "XML error: No error at line 1:1")
            case .unclosed: return OSTicketSubmission()
            case .limit: throw .init(413, "Request Entity Too Large")
            default: throw .init(400, "XML error: \(expatText(failure.kind)) at line \(max(failure.line, 1)):\(failure.column)")
            }
        } catch {
            throw .init(400, "XML error: Not well-formed (invalid token) at line 1:1")
        }
        var submission = OSTicketSubmission()
        guard root.localName == "ticket", !(root.children.isEmpty && root.attributes.isEmpty) else { return submission }
        for (name, value) in root.attributes { submission.setXMLField(name, value) }
        for child in root.children {
            switch child.localName {
            case "message":
                var text = child.text.trimmingSpaces
                if let charset = child.attributes["encoding"], let decoded = TextEncoding.decode(Array(text.utf8), charset: charset) {
                    text = decoded
                }
                submission.message = Message(text: text, isHTML: child.attributes["type"]?.lowercased() == "text/html")
            case "attachments":
                for file in child.children where file.localName == "file" {
                    submission.readFile(file, maxFileSize: maxFileSize)
                }
            default:
                submission.setXMLField(child.localName, child.text.trimmingSpaces)
            }
        }
        return submission
    }

    mutating func setXMLField(_ name: String, _ value: String) {
        switch name {
        case "alert": alert = Self.xmlBool(value)
        case "autorespond": autorespond = Self.xmlBool(value)
        case "message": message = Message(text: value, isHTML: false)
        default: fields[name] = value
        }
    }

    /// `false` in any case is false; otherwise PHP truthiness.
    static func xmlBool(_ value: String) -> Bool {
        value.lowercased() != "false" && !value.isEmpty && value != "0"
    }

    mutating func readFile(_ file: XMLTreeElement, maxFileSize: Int) {
        let name = file.attributes["name"] ?? file.child("name")?.text ?? ""
        let type = file.attributes["type"] ?? file.child("type")?.text ?? "text/plain"
        let encoding = (file.attributes["encoding"] ?? file.child("encoding")?.text ?? "").lowercased()
        let data = file.child("data")?.text ?? file.text
        if encoding == "base64" {
            guard let bytes = Base64.decodeStrict(data) else {
                droppedAttachments.append(DroppedFile(name: name, reason: DroppedFile.unsaved))
                return
            }
            add(name: name, type: type, bytes: bytes, maxFileSize: maxFileSize)
        } else {
            // osTicket's XML reader trims each text chunk (`class.xml.php`): a plain-text file
            // loses the white space around it, as the API documentation's sample shows.
            let trimmed = OSTicketStoredBody.phpTrim(data)
            add(name: name, type: type, bytes: Array(trimmed.utf8), maxFileSize: maxFileSize)
        }
    }

    /// PHP's `xml_error_string` texts for what the parser reported.
    static func expatText(_ kind: XMLParseFailure.Kind) -> String {
        switch kind {
        case .mismatchedTag: "Mismatched tag"
        case .junkAfterRoot: "Junk after document element"
        case .unclosed: "Unclosed token"
        case .refused: "Document type and entity declarations are not supported"
        default: "Not well-formed (invalid token)"
        }
    }
}
