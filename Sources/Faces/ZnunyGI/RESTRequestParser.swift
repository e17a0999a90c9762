import DeskFaceKit
import Foundation

/// Znuny's `HTTP::REST` request rules (§2.2 of the spec): route matching, the query-string
/// quirks, and how path, query and body merge into the operation's Data.
enum RESTRequestParser {
    /// The path below `…/Webservice/<name>` (query string removed), as Znuny reports it in errors.
    static func operationPath(fullPath: String, afterMarker rest: Substring) -> String {
        // rest = "Webservice/<name>/…" or "WebserviceID/<id>/…"
        let parts = rest.pieces(separatedBy: UInt8(ascii: "/"), maxSplits: 2, omittingEmpty: false)
        guard parts.count == 3 else { return fullPath }
        return "/" + parts[2]
    }

    /// Tries operations in alphabetical order of name; the first whose method and whole-path route
    /// match wins. Returns the operation and the placeholder values (URL-unescaped).
    static func match(_ operations: [WebServiceOperationRef], method: String, path: String) -> (WebServiceOperationRef, [String: String])? {
        let segments = path.pieces(separatedBy: UInt8(ascii: "/"), omittingEmpty: false).dropFirst()
        for operation in operations.sorted(by: { $0.name < $1.name }) where operation.methods.contains(method) {
            let template = operation.route.pieces(separatedBy: UInt8(ascii: "/"), omittingEmpty: false).dropFirst()
            guard template.count == segments.count else { continue }
            var parameters: [String: String] = [:]
            var matched = true
            for (part, segment) in zip(template, segments) {
                if part.hasPrefix(":") {
                    guard !segment.isEmpty else {
                        matched = false
                        break
                    }
                    parameters[String(part.dropFirst())] = unescape(String(segment), plusAsSpace: false)
                } else if part != segment {
                    matched = false
                    break
                }
            }
            if matched { return (operation, parameters) }
        }
        return nil
    }

    /// Parses a query string the way Znuny does: pairs split on `&` or `;`, each at `=` keeping
    /// only the first two pieces, `+` as space, URL-unescaped; repeated keys become arrays; a
    /// Perl-false first value (`""` or `"0"`) is stored as `""` (quirk).
    static func query(_ text: String) -> [String: JSONValue] {
        var values: [String: [String]] = [:]
        var order: [String] = []
        for pair in text.pieces(separatedBy: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: ";") }) {
            let pieces = pair.pieces(separatedBy: UInt8(ascii: "="), omittingEmpty: false)
            // Znuny turns `+` into a space in values only (`s{\+}{%20}g`); a key keeps it.
            let key = unescape(String(pieces[0]), plusAsSpace: false)
            var value = pieces.count > 1 ? unescape(String(pieces[1]), plusAsSpace: true) : ""
            if values[key] == nil {
                order.append(key)
                if value == "0" { value = "" }
            }
            values[key, default: []].append(value)
        }
        var data: [String: JSONValue] = [:]
        for key in order {
            let list = values[key]!
            data[key] = list.count == 1 ? .string(list[0]) : .array(list.map { .string($0) })
        }
        return data
    }

    static func unescape(_ text: String, plusAsSpace: Bool) -> String {
        // Most values (session ids, numbers, flags) have nothing to unescape.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else { return text }
        let source = plusAsSpace ? text.replacingOccurrences(of: "+", with: " ") : text
        guard source.contains("%") else { return source }
        var bytes: [UInt8] = []
        let utf8 = Array(source.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let byte = UInt8(String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The parts of a web service operation the REST transport matches on.
struct WebServiceOperationRef: Sendable {
    var name: String
    var type: String
    var route: String
    var methods: [String]
}
