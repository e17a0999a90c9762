import DeskCore
import DeskFaceKit
import Foundation

/// A request body as DRF's parsers read it (`rest_framework/parsers.py`): JSON, form-encoded or
/// multipart, chosen by Content-Type; an empty body is an empty form.
struct DjangoBody: Sendable {
    /// Field values; form fields are strings (the last of repeated ones).
    var data: JSONValue
    /// Uploaded files by field name.
    var files: [String: [MultipartForm.Part]] = [:]
    /// Form or multipart input: an absent boolean counts as false (HTML checkboxes).
    var isForm = false
    /// Every value of each form field, in order (`QueryDict.getlist` before the files are added).
    var fieldLists: [String: [String]] = [:]

    struct Failure: Error {
        var status: Int
        var detail: String
        /// Django refuses the request before DRF sees it: its plain `Bad Request (400)` page.
        var isPage = false
    }

    /// Django's `DATA_UPLOAD_MAX_NUMBER_FIELDS` and `DATA_UPLOAD_MAX_NUMBER_FILES` defaults.
    static let maxFields = 1_000
    static let maxFiles = 100
    /// Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` default, 2.5 MiB: the most a JSON or form body (or a
    /// multipart body's fields, files aside) may hold before Django answers `RequestDataTooBig`.
    static let maxMemorySize = 2_621_440

    static func parse(_ bytes: [UInt8], contentType: String?) -> Result<DjangoBody, Failure> {
        guard !bytes.isEmpty else { return .success(DjangoBody(data: .object([:]), isForm: true)) }
        let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
        switch type {
        case "application/json":
            guard bytes.count <= maxMemorySize else { return .failure(Failure(status: 400, detail: "", isPage: true)) }
            // DRF's JSONParser reads the stream in the request's encoding (the type's `charset`).
            var bytes = bytes
            if let charset = knownCharset(contentType), let text = TextEncoding.decode(bytes, charset: charset) { bytes = Array(text.utf8) }
            if let message = PythonJSON.error(bytes) { return .failure(Failure(status: 400, detail: "JSON parse error - \(message)")) }
            guard let value = try? JSONParser.parse(bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes) else {
                return .failure(Failure(status: 400, detail: "JSON parse error - Expecting value: line 1 column 1 (char 0)"))
            }
            return .success(DjangoBody(data: value))
        case "application/x-www-form-urlencoded":
            guard let pairs = formPairs(bytes, contentType: contentType) else {
                return .failure(Failure(status: 400, detail: "", isPage: true))
            }
            return .success(DjangoBody(data: lastValues(pairs), isForm: true, fieldLists: lists(pairs)))
        case "multipart/form-data":
            guard let form = try? MultipartForm(body: bytes, contentType: contentType ?? "") else {
                return .failure(Failure(status: 400, detail: "Multipart form parse error - Invalid boundary in multipart: None"))
            }
            let parts = DjangoMultipart(form)
            // `MultiPartParser` counts each field's name and value, plus 2 as for `&=` in a form.
            let fieldBytes = parts.fields.reduce(0) { $0 + $1.key.utf8.count + 2 + $1.value.utf8.count }
            guard parts.fields.count <= maxFields, parts.files.count <= maxFiles, fieldBytes <= maxMemorySize else {
                return .failure(Failure(status: 400, detail: "", isPage: true))
            }
            var files: [String: [MultipartForm.Part]] = [:]
            for file in parts.files { files[file.name, default: []].append(file) }
            return .success(DjangoBody(data: lastValues(parts.fields), files: files, isForm: true, fieldLists: lists(parts.fields)))
        default:
            return .failure(Failure(status: 415, detail: "Unsupported media type \"\(contentType ?? "")\" in request."))
        }
    }

    /// A form-encoded body's fields as Django's `QueryDict` reads them: `request.encoding` is the
    /// type's `charset` when SwiftDesk can read it (a Latin-1 script's form), else UTF-8. Nil
    /// beyond `maxFields` (Django's `TooManyFieldsSent`, a 400 page) or `maxMemorySize`.
    static func formPairs(_ bytes: [UInt8], contentType: String?) -> [(key: String, value: String)]? {
        guard bytes.count <= maxMemorySize else { return nil }
        let charset = knownCharset(contentType)
        let text =
            charset.map { TextEncoding.decode(bytes, charset: $0) ?? TextEncoding.decodeLeniently(bytes, charset: "iso-8859-1") }
            ?? String(decoding: bytes, as: UTF8.self)
        guard let pairs = try? FormCodec.pairs(text, charset: charset), pairs.count <= maxFields else { return nil }
        return pairs
    }

    /// The type's `charset` when it is one SwiftDesk can read (else Django's UTF-8 default).
    static func knownCharset(_ contentType: String?) -> String? {
        MediaType.parameter("charset", of: contentType ?? "").flatMap { TextEncoding.decode([], charset: $0) != nil ? $0 : nil }
    }

    /// Django's `QueryDict.get`: the last value of a repeated key.
    static func lastValues(_ pairs: [(key: String, value: String)]) -> JSONValue {
        var values: [String: JSONValue] = [:]
        for (key, value) in pairs { values[key] = .string(value) }
        return .object(values)
    }

    static func lists(_ pairs: [(key: String, value: String)]) -> [String: [String]] {
        var lists: [String: [String]] = [:]
        for (key, value) in pairs { lists[key, default: []].append(value) }
        return lists
    }

    /// DRF's `FileField` given something that is no upload.
    static let notAFile = "The submitted data was not a file. Check the encoding type on the form."

    /// Every value of a repeated form key (`QueryDict.getlist`), or the JSON list.
    var members: [String: JSONValue] { data.objectValue ?? [:] }
}

/// The messages of Python 3.11's `json` module for a document it refuses (`json.decoder`, C
/// scanner), with `: line L column C (char P)` where P counts code points. Nil when Python would
/// accept the document.
enum PythonJSON {
    static func error(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)" }
        if let problem = utf8Problem(bytes) { return problem }
        var scanner = Scanner(Array(String(decoding: bytes, as: UTF8.self).unicodeScalars))
        return scanner.document()
    }

    /// Python's `UnicodeDecodeError` text for the first invalid byte.
    static func utf8Problem(_ bytes: [UInt8]) -> String? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default:
                return "'utf-8' codec can't decode byte 0x\(String(byte, radix: 16)) in position \(index): invalid start byte"
            }
            for offset in 1..<length {
                guard index + offset < bytes.count else {
                    return "'utf-8' codec can't decode byte 0x\(String(byte, radix: 16)) in position \(index): unexpected end of data"
                }
                guard bytes[index + offset] & 0xC0 == 0x80 else {
                    return "'utf-8' codec can't decode byte 0x\(String(byte, radix: 16)) in position \(index): invalid continuation byte"
                }
            }
            index += length
        }
        return nil
    }

    struct Scanner {
        let text: [Unicode.Scalar]
        var index = 0
        /// Arrays and objects open around the scan. Python's C scanner stops at its recursion
        /// limit (about a thousand levels, less what the call stack uses); SwiftDesk's parser
        /// reads 512 (`JSONParser`), and deeper documents are refused with Python's words.
        var depth = 0
        static let maxDepth = 512

        init(_ text: [Unicode.Scalar]) {
            self.text = text
        }

        func position(_ at: Int) -> String {
            let before = text[..<min(at, text.count)]
            let line = before.filter { $0 == "\n" }.count + 1
            let column = (before.lastIndex(of: "\n").map { at - $0 }) ?? at + 1
            return ": line \(line) column \(column) (char \(at))"
        }

        mutating func skipSpace() {
            while index < text.count, [" ", "\t", "\n", "\r"].contains(text[index]) { index += 1 }
        }

        func peek() -> Unicode.Scalar? { index < text.count ? text[index] : nil }

        mutating func document() -> String? {
            skipSpace()
            if let problem = value() { return problem }
            skipSpace()
            return index < text.count ? "Extra data" + position(index) : nil
        }

        mutating func value() -> String? {
            guard let scalar = peek() else { return "Expecting value" + position(index) }
            switch scalar {
            case "{": return object()
            case "[": return array()
            case "\"": return string()
            default:
                for (word, constant) in [
                    ("true", false), ("false", false), ("null", false), ("NaN", true), ("Infinity", true), ("-Infinity", true),
                ] {
                    let scalars = Array(word.unicodeScalars)
                    if index + scalars.count <= text.count, Array(text[index..<index + scalars.count]) == scalars {
                        if constant { return "Out of range float values are not JSON compliant: '\(word)'" }
                        index += scalars.count
                        return nil
                    }
                }
                return number() ? nil : "Expecting value" + position(index)
            }
        }

        mutating func number() -> Bool {
            let start = index
            if peek() == "-" { index += 1 }
            guard let first = peek(), first.properties.numericType != nil, first.isASCII else {
                index = start
                return false
            }
            if first == "0" {
                index += 1
            } else {
                while let digit = peek(), digit.isASCII, digit.properties.numericType != nil { index += 1 }
            }
            if peek() == ".", index + 1 < text.count, text[index + 1].isASCII, text[index + 1].properties.numericType != nil {
                index += 1
                while let digit = peek(), digit.isASCII, digit.properties.numericType != nil { index += 1 }
            }
            if let e = peek(), e == "e" || e == "E" {
                var probe = index + 1
                if probe < text.count, text[probe] == "+" || text[probe] == "-" { probe += 1 }
                if probe < text.count, text[probe].isASCII, text[probe].properties.numericType != nil {
                    index = probe
                    while let digit = peek(), digit.isASCII, digit.properties.numericType != nil { index += 1 }
                }
            }
            return true
        }

        mutating func string() -> String? {
            let start = index
            index += 1
            while index < text.count {
                let scalar = text[index]
                switch scalar {
                case "\"":
                    index += 1
                    return nil
                case "\\":
                    guard index + 1 < text.count else { return "Unterminated string starting at" + position(start) }
                    let escape = text[index + 1]
                    if escape == "u" {
                        let digits = text[min(index + 2, text.count)..<min(index + 6, text.count)]
                        guard digits.count == 4, digits.allSatisfy({ $0.properties.isASCIIHexDigit }) else {
                            return "Invalid \\uXXXX escape" + position(index + 1)
                        }
                        index += 6
                    } else {
                        guard "\"\\/bfnrt".unicodeScalars.contains(escape) else { return "Invalid \\escape" + position(index) }
                        index += 2
                    }
                default:
                    if scalar.value < 0x20 { return "Invalid control character at" + position(index) }
                    index += 1
                }
            }
            return "Unterminated string starting at" + position(start)
        }

        mutating func object() -> String? {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else {
                return "maximum recursion depth exceeded while decoding a JSON object from a unicode string"
            }
            index += 1
            skipSpace()
            if peek() == "}" {
                index += 1
                return nil
            }
            while true {
                guard peek() == "\"" else { return "Expecting property name enclosed in double quotes" + position(index) }
                if let problem = string() { return problem }
                skipSpace()
                guard peek() == ":" else { return "Expecting ':' delimiter" + position(index) }
                index += 1
                skipSpace()
                if let problem = value() { return problem }
                skipSpace()
                guard let next = peek() else { return "Expecting ',' delimiter" + position(index) }
                index += 1
                if next == "}" { return nil }
                guard next == "," else { return "Expecting ',' delimiter" + position(index - 1) }
                skipSpace()
            }
        }

        mutating func array() -> String? {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else {
                return "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
            }
            index += 1
            skipSpace()
            if peek() == "]" {
                index += 1
                return nil
            }
            while true {
                if let problem = value() { return problem }
                skipSpace()
                guard let next = peek() else { return "Expecting ',' delimiter" + position(index) }
                index += 1
                if next == "]" { return nil }
                guard next == "," else { return "Expecting ',' delimiter" + position(index - 1) }
                skipSpace()
            }
        }
    }
}
