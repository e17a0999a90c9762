import DeskFaceKit
import Foundation
import Hummingbird

/// How WHMCS 8 puts answers on the wire (docs/whmcs.md, "Response formats"). An answer is an
/// ordered value: objects for PHP's associative arrays, arrays for its lists, `.number` for
/// integers. WHMCS stores input HTML-encoded (`htmlspecialchars`) and sends it back as stored,
/// so action results are encoded (`encoded`) before they go out; XML decodes every value
/// again, so it shows the text as sent.
enum WHMCSWire {
    enum Format: String, Sendable {
        case json, xml, nvp
    }

    /// The version WHMCS reports in XML answers.
    static let version = "8.7.2"

    /// Actions whose results are lists: XML by default, never NVP.
    static let structuredActions: Set<String> = [
        "getsupportdepartments", "getsupportstatuses", "getticket", "getticketnotes", "getticketpredefinedcats",
        "getticketpredefinedreplies", "gettickets",
    ]

    /// The format for an answer before the action is known (authentication errors): exactly
    /// `json` or `xml`, anything else NVP.
    static func rawFormat(_ responsetype: String?) -> Format {
        switch responsetype {
        case "json": .json
        case "xml": .xml
        default: .nvp
        }
    }

    /// The format for `action`, or the error message WHMCS answers (in NVP) instead.
    static func format(_ responsetype: String?, action: String) -> Result<Format, WHMCSError> {
        let structured = structuredActions.contains(action)
        guard let requested = responsetype?.lowercased(), !requested.isEmpty else { return .success(structured ? .xml : .nvp) }
        guard let format = Format(rawValue: requested) else {
            let shown = HTMLEntities.specialChars(requested, quotes: true)
            return .failure(WHMCSError("Unsupported API response type format \"\(shown)\". Supported formats include: json, xml, nvp"))
        }
        if format == .nvp && structured {
            return .failure(WHMCSError("This API action only supports the XML or JSON response type formats"))
        }
        return .success(format)
    }

    static func success(_ members: [JSONMember]) -> JSONValue {
        .orderedObject([JSONMember(key: "result", value: .string("success"))] + members)
    }

    static func error(_ message: String) -> JSONValue {
        .orderedObject([JSONMember(key: "result", value: .string("error")), JSONMember(key: "message", value: .string(message))])
    }

    static func response(_ value: JSONValue, format: Format, action: String, status: HTTPResponse.Status = .ok) -> Response {
        switch format {
        case .json:
            Responses.text(status, contentType: "application/json", JSONWriter.string(value, style: [.escapeUnicode, .hexSpecials]))
        case .xml:
            Responses.text(status, contentType: "application/xml; charset=utf-8", xml(value, action: action))
        case .nvp:
            Responses.text(status, contentType: "text/plain; charset=utf-8", nvp(value))
        }
    }

    // MARK: Encodings

    /// PHP's `htmlspecialchars($v, ENT_QUOTES)` on every string.
    static func encoded(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(HTMLEntities.specialChars(text, quotes: true))
        case .array(let list): .array(list.map(encoded))
        case .object(let members): .object(members.mapValues(encoded))
        case .orderedObject(let members): .orderedObject(members.map { JSONMember(key: $0.key, value: encoded($0.value)) })
        default: value
        }
    }

    /// `key=value` pairs joined by `;`: no escaping, `true` as 1, nothing for false and null,
    /// `Array` for arrays.
    static func nvp(_ value: JSONValue) -> String {
        guard case .orderedObject(let members) = value else { return "" }
        return members.map { "\($0.key)=\(scalarText($0.value) ?? "Array")" }.joined(separator: ";")
    }

    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .null: ""
        case .bool(let flag): flag ? "1" : ""
        case .number(let text): text
        case .string(let text): text
        case .source(let source): scalarText(source.tree)
        case .array, .object, .orderedObject: nil
        }
    }

    /// The XML document: a declaration, `<whmcsapi version="…">` (no version on errors), the
    /// action, then the answer's elements, one per line.
    static func xml(_ value: JSONValue, action: String) -> String {
        var members = [JSONMember(key: "action", value: .string(action))]
        if case .orderedObject(let answer) = value { members += answer }
        let content = XMLRenderer().elements(members, parent: "", parentPrinted: false)
        let body = content.trimmingCharacters(in: .whitespacesAndNewlines)
        let version = body.contains("<result>error</result>") ? "" : version
        return ["<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<whmcsapi version=\"\(version)\">", body, "</whmcsapi>"]
            .joined(separator: "\n")
    }

    /// WHMCS's array-to-XML walk. An element's name is its key; members of a list take the name
    /// of the list's key. A non-empty list or object under a key is wrapped once by the key of
    /// the level above unless that wrapper was printed already; empty arrays print nothing.
    struct XMLRenderer {
        func elements(_ members: [(key: String, value: JSONValue, isIndex: Bool)], parent: String, parentPrinted: Bool) -> String {
            var out = ""
            for member in members {
                if let children = Self.children(member.value) {
                    guard !children.isEmpty else { continue }
                    if !parent.isEmpty && member.isIndex {
                        if !parentPrinted {
                            out += "<\(parent)>\n" + elements(children, parent: parent, parentPrinted: true) + "</\(parent)>\n"
                        } else {
                            out += elements(children, parent: parent, parentPrinted: false)
                        }
                    } else if parent.isEmpty {
                        out += "<\(member.key)>\n" + elements(children, parent: member.key, parentPrinted: true) + "</\(member.key)>\n"
                    } else if !parentPrinted {
                        out += "<\(parent)>\n" + elements(children, parent: member.key, parentPrinted: false) + "</\(parent)>\n"
                    } else {
                        out += elements(children, parent: member.key, parentPrinted: false)
                    }
                } else {
                    let text = Self.cdata(HTMLEntities.decode(scalarText(member.value) ?? ""))
                    let name = member.isIndex ? parent : member.key
                    out += "<\(name)>\(text)</\(name)>\n"
                }
            }
            return out
        }

        func elements(_ members: [JSONMember], parent: String, parentPrinted: Bool) -> String {
            elements(members.map { ($0.key, $0.value, false) }, parent: parent, parentPrinted: parentPrinted)
        }

        /// An array's members with their keys; nil for scalars.
        static func children(_ value: JSONValue) -> [(key: String, value: JSONValue, isIndex: Bool)]? {
            switch value {
            case .array(let list): list.enumerated().map { (String($0.offset), $0.element, true) }
            case .orderedObject(let members): members.map { ($0.key, $0.value, false) }
            case .object(let members): members.keys.sorted().map { ($0, members[$0]!, false) }
            default: nil
            }
        }

        /// Text with `&`, `<`, `>` or `"` goes in a CDATA section (split around any `]]>`).
        static func cdata(_ text: String) -> String {
            guard !text.contains("<![CDATA["), HTMLEntities.specialChars(text, quotes: false) != text else { return text }
            return "<![CDATA[" + text.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
        }
    }
}

/// An answer `{"result":"error","message":…}` with its HTTP status (200 for action errors, 403
/// for access errors).
struct WHMCSError: Error, Sendable {
    var message: String
    var status: HTTPResponse.Status

    init(_ message: String, status: HTTPResponse.Status = .ok) {
        self.message = message
        self.status = status
    }
}
