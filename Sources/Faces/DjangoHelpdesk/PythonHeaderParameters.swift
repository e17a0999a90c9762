import DeskFaceKit
import Foundation

/// Django's `parse_header_parameters` (`django.utils.http`), which its multipart parser applies to
/// each part's `Content-Disposition`: parameters split at `;` outside quotes, names lower-cased,
/// a quoted value unquoted with `\\` and `\"` undone, `name*=charset'lang'percent-encoded`
/// (RFC 2231) decoded into `name`; a later parameter replaces an earlier one of the same name.
enum PythonHeaderParameters {
    static func parse(_ line: String) -> (key: String, parameters: [String: String]) {
        let pieces = split(";" + line)
        let key = pieces.first?.lowercased() ?? ""
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            var hasEncoding = false
            if name.hasSuffix("*") {
                name.removeLast()
                hasEncoding = piece.filter { $0 == "'" }.count == 2
            }
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\\", with: "\\")
                    .replacingOccurrences(of: "\\\"", with: "\"")
            }
            if hasEncoding {
                let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                // `urllib.parse.unquote(value, encoding=charset, errors="replace")`.
                if parts.count == 3 {
                    value = TextEncoding.decodeLeniently(MailHeaders.percentDecoded(parts[2]), charset: String(parts[0]))
                }
            }
            parameters[name] = value
        }
        return (key, parameters)
    }

    /// `_parseparam`: the text after each `;` up to the next `;` that is outside quotes (a `\"`
    /// does not count as a quote), trimmed.
    private static func split(_ text: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while rest.first == ";" {
            rest = rest.dropFirst()
            var end = rest.startIndex
            var quotes = 0
            var previous: Character?
            while end < rest.endIndex {
                let character = rest[end]
                if character == ";" && (quotes % 2 == 0 || end == rest.startIndex) { break }
                if character == "\"" && previous != "\\" { quotes += 1 }
                previous = character
                end = rest.index(after: end)
            }
            pieces.append(rest[..<end].trimmingCharacters(in: .whitespaces))
            rest = rest[end...]
        }
        return pieces
    }
}
