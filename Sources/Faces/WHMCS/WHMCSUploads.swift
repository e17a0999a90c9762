import DeskCore
import DeskFaceKit
import Foundation

/// `customfields` and `attachments`, the two encoded parameters (docs/whmcs.md, "Encodings").
enum WHMCSUploads {
    /// PHP's `base64_decode`, which skips what is not base64; a `+` that arrived as a space (a
    /// form value not URL-encoded) is put back.
    static func base64(_ text: String) -> [UInt8] {
        Base64.decode(text.replacingOccurrences(of: " ", with: "+"))
    }

    /// `base64(serialize([id or name => value, …]))`: the values for the support custom fields
    /// of `department`, as dynamic field input. Anything that does not decode is ignored, as
    /// WHMCS ignores it; so are unknown fields.
    static func customFields(_ raw: String?, department: Int, directory: WHMCSDirectory) -> [DynamicFieldInput] {
        guard let raw, !raw.isEmpty,
            case .array(let members)? = try? PHPSerialized.decode(base64(raw), limits: PHPSerialized.Limits(maxBytes: 262_144, maxDepth: 4))
        else { return [] }
        let fields = directory.customFields.filter { $0.department == department || $0.department == 0 }
        var inputs: [String: DynamicFieldInput] = [:]
        for member in members {
            let field: WHMCSDirectory.CustomField?
            if let id = member.key.intValue {
                field = fields.first { $0.id == id }
            } else {
                field = fields.first { $0.name == member.key.text }
            }
            guard let field, let text = member.value.text else { continue }
            inputs[field.dynamicField] = DynamicFieldInput(name: field.dynamicField, values: text.isEmpty ? [] : [text])
        }
        return inputs.keys.sorted().compactMap { inputs[$0] }
    }

    /// Always refused, whatever the allowed types say.
    static let bannedExtensions: Set<String> = ["php", "cgi", "pl", "htaccess"]
    /// More files than this in one call are not kept.
    static let maxFiles = 50

    /// The files of `attachments`: base64 of a JSON list of `{name, data}` (data in base64), the
    /// same list as a form array, or (without the parameter) multipart uploads in
    /// `attachments[]`. Entries without a name or data, or with a type not allowed, are dropped
    /// silently, as WHMCS drops them; `checkTypes` false keeps every type (notes).
    static func attachments(_ params: WHMCSParameters, directory: WHMCSDirectory, checkTypes: Bool = true) -> [AttachmentDraft] {
        var entries: [(name: String, content: [UInt8])] = []
        switch params["attachments"] {
        case .string(let text)?:
            if let list = (try? JSONParser.parse(base64(text)))?.arrayValue {
                for item in list {
                    guard let name = item["name"]?.scalarString, let data = item["data"]?.scalarString, !name.isEmpty, !data.isEmpty
                    else { continue }
                    entries.append((name, base64(data)))
                }
            }
        case .some(let value):
            let list = value.arrayValue ?? value.objectValue.map { members in members.keys.sorted().compactMap { members[$0] } } ?? []
            for item in list {
                guard let name = item["name"]?.scalarString, let data = item["data"]?.scalarString, !name.isEmpty, !data.isEmpty else {
                    continue
                }
                entries.append((name, base64(data)))
            }
        case nil:
            for file in params.files where file.name == "attachments" {
                guard let name = file.part.filename, !name.isEmpty, !file.part.body.isEmpty else { continue }
                entries.append((name, file.part.body))
            }
        }
        let allowed = Set(
            directory.allowedFileTypes.map { $0.lowercased().hasPrefix(".") ? String($0.lowercased().dropFirst()) : $0.lowercased() })
        var drafts: [AttachmentDraft] = []
        for entry in entries.prefix(maxFiles) {
            guard let name = cleanName(entry.name) else { continue }
            let ext = name.ext.lowercased()
            if Self.bannedExtensions.contains(ext) || (checkTypes && !allowed.contains(ext)) { continue }
            let filename = name.base + "." + name.ext
            drafts.append(AttachmentDraft(filename: filename, contentType: contentType(ext), content: entry.content))
        }
        return drafts
    }

    /// The base name with anything but letters, digits, `-`, `_`, space and `.` removed, and the
    /// extension after the last dot; nil without an extension.
    static func cleanName(_ name: String) -> (base: String, ext: String)? {
        let leaf = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
        guard let dot = leaf.lastIndex(of: "."), dot != leaf.index(before: leaf.endIndex) else { return nil }
        let ext = String(leaf[leaf.index(after: dot)...]).filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        var base = String(leaf[..<dot]).filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-_ .".contains($0)) }
        if base.isEmpty { base = "attachment" }
        guard !ext.isEmpty else { return nil }
        return (String(base.prefix(200)), String(ext.prefix(20)))
    }

    static func contentType(_ ext: String) -> String {
        switch ext {
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "png": "image/png"
        case "txt": "text/plain"
        case "pdf": "application/pdf"
        default: "application/octet-stream"
        }
    }
}
