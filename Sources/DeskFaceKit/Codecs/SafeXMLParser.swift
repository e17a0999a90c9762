import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Why a document was refused. `description` is safe to show to the client.
public struct XMLParseFailure: Error, Equatable, CustomStringConvertible {
    public let description: String
    /// What went wrong, for dialects that word parser errors themselves (osTicket's Expat texts).
    public let kind: Kind
    /// Where the parser stopped: the 1-based line (1 when unknown) and the column as the parser
    /// counts it (0 when unknown).
    public let line: Int
    public let column: Int

    public enum Kind: Sendable, Equatable {
        case empty
        case mismatchedTag
        /// The document ended inside an element.
        case unclosed
        /// Content after the root element (a second root, stray text).
        case junkAfterRoot
        case notWellFormed
        /// Over a size, depth or element limit.
        case limit
        /// DTDs, entity declarations, other encodings: refused before parsing.
        case refused
    }

    public init(description: String, kind: Kind = .notWellFormed, line: Int = 0, column: Int = 0) {
        self.description = description
        self.kind = kind
        self.line = max(line, 1)
        self.column = max(column, 0)
    }
}

/// Parses untrusted XML (SOAP requests) into an `XMLTreeElement` tree, safely.
///
/// FoundationXML's `XMLParser` is not enough on its own: `parse()` returns `true` for mismatched
/// nesting (`<a><b></a>`), an unclosed root or a second root element, and it silently drops
/// entities declared in an internal DTD. So this parser
/// - refuses any document type declaration or entity declaration before libxml2 sees the bytes
///   (no XXE, no billion laughs: only the five predefined entities and character references exist),
/// - never resolves external entities,
/// - treats every error the parser reports (delegate or `parserError`) as fatal,
/// - checks element balance itself (end tag names against its own stack, exactly one root),
/// - caps the input size, the nesting depth and the number of elements,
/// - accepts UTF-8 only (no NUL bytes, and an XML declaration naming another encoding is refused,
///   so the declaration scan above cannot be sidestepped with UTF-16 or UTF-32).
public struct SafeXMLParser: Sendable {
    public struct Limits: Sendable {
        public var maxBytes: Int
        public var maxDepth: Int
        public var maxElements: Int

        public init(maxBytes: Int, maxDepth: Int, maxElements: Int) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxElements = maxElements
        }

        /// Room for large attachments (text), not for absurd trees.
        public static let standard = Limits(maxBytes: 64 * 1024 * 1024, maxDepth: 64, maxElements: 200_000)
    }

    public var limits: Limits = .standard

    public init(limits: Limits = .standard) {
        self.limits = limits
    }

    public func parse(_ bytes: [UInt8]) throws -> XMLTreeElement {
        guard bytes.count <= limits.maxBytes else {
            throw XMLParseFailure(description: "document larger than \(limits.maxBytes) bytes", kind: .limit)
        }
        guard !bytes.isEmpty else { throw XMLParseFailure(description: "empty document", kind: .empty, line: 1, column: 1) }
        // No NUL bytes: XML cannot carry U+0000, and without this check a BOM-less UTF-16 document
        // (valid UTF-8 byte by byte) would be auto-detected by libxml2 and slip past the scan below.
        guard !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil else {
            throw XMLParseFailure(description: "document is not valid UTF-8", kind: .refused)
        }
        try Self.refuseDeclarations(bytes)

        // Fed as a stream: handed the whole document at once, libxml2 (without XML_PARSE_HUGE,
        // which XMLParser cannot set) fails on a text node longer than 10 MB ("Huge input
        // lookup"), which a base64 attachment of 7.5 MB already is. In chunks it does not.
        let parser = XMLParser(stream: InputStream(data: Data(bytes)))
        let builder = TreeBuilder(limits: limits, parser: parser)
        builder.sawContent = bytes.contains { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let succeeded = parser.parse()
        if let failure = builder.failure { throw failure }
        if let error = parser.parserError { throw Self.failure(error, parser: parser, elementOpen: builder.hasOpenElement) }
        guard succeeded else { throw XMLParseFailure(description: "not well-formed", line: parser.lineNumber, column: parser.columnNumber) }
        return try builder.result()
    }

    /// Refuses a `<!DOCTYPE` (and with it any `<!ENTITY`) in the prolog, the only place XML
    /// allows one, and non-UTF-8 encoding declarations. Further on such text is CDATA (an HTML
    /// body `<![CDATA[<!DOCTYPE html>…]]>`) or an error libxml2 reports; the parser's entity
    /// callbacks refuse declarations as well.
    static func refuseDeclarations(_ bytes: [UInt8]) throws {
        if prologDeclares(bytes) {
            throw XMLParseFailure(description: "document type and entity declarations are not allowed", kind: .refused)
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard body.starts(with: Array("<?xml".utf8)) else { return }
        let declaration = String(decoding: body.prefix(while: { $0 != UInt8(ascii: ">") }), as: UTF8.self).lowercased()
        guard let range = declaration.range(of: "encoding") else { return }
        let value = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
            .prefix { $0 != "\"" && $0 != "'" && $0 != " " && $0 != "?" }
        guard ["utf-8", "utf8", "us-ascii", "ascii"].contains(String(value)) else {
            throw XMLParseFailure(description: "unsupported encoding '\(value)'; send UTF-8", kind: .refused)
        }
    }

    /// Whether a `<!…>` declaration other than a comment comes before the first element.
    static func prologDeclares(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
            let rest = bytes[(open + 1)...]
            if rest.starts(with: Array("?".utf8)) {
                guard let end = find(Array("?>".utf8), in: bytes, from: open + 2) else { return false }
                index = end + 2
            } else if rest.starts(with: Array("!--".utf8)) {
                guard let end = find(Array("-->".utf8), in: bytes, from: open + 4) else { return false }
                index = end + 3
            } else {
                return rest.first == UInt8(ascii: "!")
            }
        }
        return false
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index..<index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }

    /// `elementOpen`: the input ended (or failed) inside an element.
    static func failure(_ error: any Error, parser: XMLParser, elementOpen: Bool) -> XMLParseFailure {
        let code = (error as NSError).code
        // libxml2's codes: 76 end tag name mismatch, 5 extra content after the document (also
        // what its stream parser reports when the input ends inside the root element),
        // 77 / 73 premature end inside an element.
        let kind: XMLParseFailure.Kind =
            switch code {
            case 76: .mismatchedTag
            case 5: elementOpen ? .unclosed : .junkAfterRoot
            case 77, 73, 4: .unclosed
            default: .notWellFormed
            }
        return XMLParseFailure(
            description: "not well-formed (parser error \(code)) at line \(parser.lineNumber), column \(parser.columnNumber)", kind: kind,
            line: parser.lineNumber, column: parser.columnNumber)
    }
}

/// The delegate that builds the tree and enforces the limits and the balance checks.
/// Used synchronously by one `parse()` call and then discarded.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    let limits: SafeXMLParser.Limits
    unowned let parser: XMLParser
    private var stack: [XMLTreeElement] = []
    private var root: XMLTreeElement?
    private var elementCount = 0
    private(set) var failure: XMLParseFailure?
    /// Whether the input holds anything but blanks (set by `SafeXMLParser.parse`).
    var sawContent = false
    /// Whether an element has been opened and not closed.
    var hasOpenElement: Bool { !stack.isEmpty }

    init(limits: SafeXMLParser.Limits, parser: XMLParser) {
        self.limits = limits
        self.parser = parser
    }

    func result() throws -> XMLTreeElement {
        guard stack.isEmpty else {
            throw XMLParseFailure(
                description: "element <\(stack.last!.localName)> is not closed", kind: .unclosed, line: parser.lineNumber,
                column: parser.columnNumber)
        }
        guard let root else {
            // A start tag the parser had not finished when the input ended reports nothing.
            let kind: XMLParseFailure.Kind = sawContent ? .unclosed : .empty
            throw XMLParseFailure(description: "no root element", kind: kind, line: parser.lineNumber, column: parser.columnNumber)
        }
        return root
    }

    private func fail(_ text: String, _ kind: XMLParseFailure.Kind = .notWellFormed) {
        guard failure == nil else { return }
        failure = XMLParseFailure(description: text, kind: kind, line: parser.lineNumber, column: parser.columnNumber)
        parser.abortParsing()
    }

    private func fail(_ failure: XMLParseFailure) {
        guard self.failure == nil else { return }
        self.failure = failure
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        guard failure == nil else { return }
        if root != nil { return fail("more than one root element", .junkAfterRoot) }
        elementCount += 1
        if elementCount > limits.maxElements { return fail("more than \(limits.maxElements) elements", .limit) }
        if stack.count >= limits.maxDepth { return fail("elements nested deeper than \(limits.maxDepth) levels", .limit) }
        let attributes = attributeDict.filter { key, _ in key != "xmlns" && !key.hasPrefix("xmlns:") }
        stack.append(XMLTreeElement(localName: elementName, namespaceURI: namespaceURI ?? "", attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil else { return }
        guard let element = stack.popLast(), element.localName == elementName, element.namespaceURI == (namespaceURI ?? "") else {
            return fail("mismatched end tag </\(qName ?? elementName)>", .mismatchedTag)
        }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil else { return }
        guard !stack.isEmpty else {
            if string.contains(where: { !$0.isWhitespace }) { fail("text outside the root element", .junkAfterRoot) }
            return
        }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA cdataBlock: Data) {
        guard failure == nil, !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: cdataBlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        fail(SafeXMLParser.failure(parseError, parser: parser, elementOpen: hasOpenElement))
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
        fail(SafeXMLParser.failure(validationError, parser: parser, elementOpen: hasOpenElement))
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail("entity declarations are not allowed", .refused)
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail("entity declarations are not allowed", .refused)
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        fail("external entities are not allowed", .refused)
        return nil
    }
}
