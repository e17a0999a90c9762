/// One element of a parsed XML document: its names, attributes, child elements and text.
///
/// Produced by `SafeXMLParser` with namespaces resolved, so faces match on `localName` and
/// `namespaceURI` instead of on whatever prefix a client chose.
public struct XMLTreeElement: Sendable, Equatable {
    public var localName: String
    /// The resolved namespace ("" when the element is in no namespace).
    public var namespaceURI: String
    /// Attributes by qualified name as written (`xsi:type`, `href`); namespace declarations excluded.
    public var attributes: [String: String]
    public var children: [XMLTreeElement]
    /// The element's character data (text and CDATA) concatenated, entities decoded.
    public var text: String

    public init(
        localName: String, namespaceURI: String = "", attributes: [String: String] = [:],
        children: [XMLTreeElement] = [], text: String = ""
    ) {
        self.localName = localName
        self.namespaceURI = namespaceURI
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child element with this local name.
    public func child(_ localName: String) -> XMLTreeElement? {
        children.first { $0.localName == localName }
    }

    /// An attribute by local name, whatever its prefix (`xsi:nil` and `nil` both match `"nil"`).
    public func attribute(localName: String) -> String? {
        if let value = attributes[localName] { return value }
        return attributes.first { key, _ in key.hasSuffix(":" + localName) }?.value
    }

    /// True when the element carries `xsi:nil="true"` (or `"1"`).
    public var isNil: Bool {
        guard let value = attribute(localName: "nil") else { return false }
        return value == "true" || value == "1"
    }
}
