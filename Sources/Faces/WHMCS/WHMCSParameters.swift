import DeskFaceKit
import Foundation

/// A request's parameters as WHMCS reads them: the query and the form body merged, the body
/// winning (`array_merge`); PHP's bracket syntax builds arrays (`attachments[0][name]=…`). The
/// authentication fields are read from the query first. NUL bytes are dropped, as WHMCS's input
/// filter drops them.
struct WHMCSParameters: Sendable {
    var query: [String: JSONValue]
    var body: [String: JSONValue]
    /// Files of a multipart body, by field name (`attachments[]` becomes `attachments`).
    var files: [(name: String, part: MultipartForm.Part)] = []

    /// Reads the query string and a form-encoded or multipart body; nil when either is beyond
    /// the form limits.
    static func read(query: String?, body: [UInt8], contentType: String?) -> WHMCSParameters? {
        guard let queryPairs = try? FormCodec.pairs(query ?? ""), let queryValues = try? FormCodec.php(clean(queryPairs)) else {
            return nil
        }
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("multipart/form-data") {
            guard let form = try? MultipartForm(body: body, contentType: contentType ?? "") else {
                return WHMCSParameters(query: queryValues, body: [:])
            }
            let pairs = form.parts.filter { $0.filename == nil }.map { (key: $0.name, value: $0.text) }
            guard pairs.count <= FormCodec.maxPairs, let values = try? FormCodec.php(clean(pairs)) else { return nil }
            let files = form.files.map { (name: $0.name.hasSuffix("[]") ? String($0.name.dropLast(2)) : $0.name, part: $0) }
            return WHMCSParameters(query: queryValues, body: values, files: files)
        }
        guard !body.isEmpty else { return WHMCSParameters(query: queryValues, body: [:]) }
        guard let pairs = try? FormCodec.pairs(String(decoding: body, as: UTF8.self)), let values = try? FormCodec.php(clean(pairs)) else {
            return nil
        }
        return WHMCSParameters(query: queryValues, body: values)
    }

    static func clean(_ pairs: [(key: String, value: String)]) -> [(key: String, value: String)] {
        pairs.map { pair in
            pair.value.contains("\0") ? (pair.key, pair.value.replacingOccurrences(of: "\0", with: "")) : pair
        }
    }

    /// An action parameter (body wins).
    subscript(_ key: String) -> JSONValue? {
        body[key] ?? query[key]
    }

    /// A credential or format field (query wins).
    func meta(_ key: String) -> String? {
        (query[key] ?? body[key])?.scalarString
    }

    /// A parameter as text; nil when absent (arrays read as absent).
    func text(_ key: String) -> String? {
        self[key]?.scalarString
    }

    /// Whether the key was sent at all.
    func has(_ key: String) -> Bool {
        self[key] != nil
    }

    /// A non-empty text parameter.
    func nonEmpty(_ key: String) -> String? {
        text(key).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// PHP's `(int)` of a parameter: leading digits (with a sign), 0 otherwise.
    func int(_ key: String) -> Int {
        Self.phpInt(text(key) ?? "")
    }

    static func phpInt(_ text: String) -> Int {
        let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        var digits = ""
        for (offset, character) in trimmed.enumerated() {
            if offset == 0, character == "-" || character == "+" {
                digits.append(character)
                continue
            }
            guard character.isASCII, character.isNumber, digits.count < 19 else { break }
            digits.append(character)
        }
        return Int(digits) ?? 0
    }

    /// PHP truthiness: absent, `""` and `"0"` are false, anything else true (`"false"` too).
    func truthy(_ key: String) -> Bool {
        guard let value = self[key] else { return false }
        if let text = value.scalarString { return !(text.isEmpty || text == "0") }
        return !(value.arrayValue?.isEmpty ?? value.objectValue?.isEmpty ?? true)
    }

    /// A text parameter PHP calls true (`$x && …`, `if ($x)`): nil when absent, empty or "0".
    func truthyText(_ key: String) -> String? {
        truthy(key) ? text(key) : nil
    }

    /// WHMCS's `stringLiteralToBool` (`markdown`, `noemail`): `true`/`false` in any case, else PHP truthiness.
    func flag(_ key: String) -> Bool {
        switch text(key)?.lowercased() {
        case "true": true
        case "false": false
        default: truthy(key)
        }
    }
}
