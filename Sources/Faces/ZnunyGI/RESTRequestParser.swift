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

    /// The operation Znuny picks: of those whose method and whole-path route match, the first
    /// by name (Znuny tries them in alphabetical order). Returns it with the placeholder values
    /// (URL-unescaped).
    static func match(_ operations: [WebServiceOperation], method: String, path: String) -> (WebServiceOperation, [String: String])? {
        let segments = path.pieces(separatedBy: UInt8(ascii: "/"), omittingEmpty: false).dropFirst()
        var best: (WebServiceOperation, [String: String])?
        for operation in operations where operation.methods.contains(method) {
            if let (current, _) = best, current.name <= operation.name { continue }
            if let parameters = placeholders(of: operation.route, in: segments) { best = (operation, parameters) }
        }
        return best
    }

    /// The placeholder values when `route` matches the path's segments as a whole, else nil.
    private static func placeholders(of route: String, in segments: ArraySlice<Substring>) -> [String: String]? {
        let template = route.pieces(separatedBy: UInt8(ascii: "/"), omittingEmpty: false).dropFirst()
        guard template.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (part, segment) in zip(template, segments) {
            if part.utf8.first == UInt8(ascii: ":") {
                guard !segment.isEmpty else { return nil }
                parameters[String(part.dropFirst())] = FormCodec.unescape(segment, plusAsSpace: false)
            } else if !part.utf8.elementsEqual(segment.utf8) {
                return nil
            }
        }
        return parameters
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
            let key = FormCodec.unescape(pieces[0], plusAsSpace: false)
            var value = pieces.count > 1 ? FormCodec.unescape(pieces[1], plusAsSpace: true) : ""
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
}
