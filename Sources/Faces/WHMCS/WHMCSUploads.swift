import DeskCore
import DeskFaceKit
import Foundation

/// `attachments` (docs/whmcs.md, "Encodings").
enum WHMCSUploads {
    /// Always refused, whatever the allowed types say.
    static let bannedExtensions: Set<String> = ["php", "cgi", "pl", "htaccess"]
    /// More files than this in one call are not kept.
    static let maxFiles = 50

    /// The files of `attachments`: base64 of a JSON list of `{name, data}` (data in base64), the
    /// same list as a form array, or (without the parameter, or with it empty) multipart uploads
    /// in `attachments[]`. Entries without a name or data, or with a type not allowed, are
    /// dropped silently, as WHMCS drops them; `checkTypes` false keeps the allowed-types rule out
    /// (notes), never the banned extensions.
    static func attachments(_ params: WHMCSParameters, directory: WHMCSDirectory, checkTypes: Bool = true) -> [AttachmentDraft] {
        var entries: [(name: String, content: () -> [UInt8])] = []
        /// `{name, data}` items, in order; the data is decoded only for the files kept.
        func add(_ items: [JSONValue]) {
            for item in items {
                guard let name = item["name"]?.scalarString, let data = item["data"]?.scalarString, !name.isEmpty, !data.isEmpty else {
                    continue
                }
                entries.append((name, { WHMCSEncoding.base64(data) }))
            }
        }
        switch params["attachments"] {
        case .string(let text)? where !text.isEmpty:
            add((try? JSONParser.parse(WHMCSEncoding.base64(text)))?.arrayValue ?? [])
        case .some(let value) where value.scalarString == nil:
            let members = value.objectValue ?? [:]
            let keys = members.keys.sorted { (Int($0) ?? .max, $0) < (Int($1) ?? .max, $1) }
            add(value.arrayValue ?? keys.compactMap { members[$0] })
        default:
            for file in params.files where file.name == "attachments" {
                guard let name = file.part.filename, !name.isEmpty, !file.part.body.isEmpty else { continue }
                let body = file.part.body
                entries.append((name, { body }))
            }
        }
        let allowed = Set(
            directory.allowedFileTypes.map { $0.lowercased().hasPrefix(".") ? String($0.lowercased().dropFirst()) : $0.lowercased() })
        var drafts: [AttachmentDraft] = []
        for entry in entries {
            guard drafts.count < maxFiles, let name = cleanName(entry.name) else { continue }
            let ext = name.ext.lowercased()
            if Self.bannedExtensions.contains(ext) || (checkTypes && !allowed.contains(ext)) { continue }
            drafts.append(AttachmentDraft(filename: name.base + "." + name.ext, contentType: contentType(ext), content: entry.content()))
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
