/// A queue's signature (Znuny's signatures, plain text): what the Znuny face's `ArticleSend`
/// appends to an article's body. A fresh database has Znuny's `system standard signature (en)`
/// on every queue.
public struct Signature: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var text: String

    public init(id: Int, name: String, text: String) {
        self.id = id
        self.name = name
        self.text = text
    }

    /// The signature with its tags filled, for a plain-text or an HTML (`html`) body, as
    /// `TemplateGenerator::Signature` makes it: under an HTML body the text is escaped, its line
    /// breaks become `<br />`, then the tags are filled and addresses made links.
    public func rendered(html: Bool, tags: OTRSTags) -> String {
        guard html else { return tags.fill(text) }
        // In HTML mode Znuny drops the template's line breaks before it fills the tags.
        let markup = HTMLText.fromPlain(text).replacing("\n", with: "")
        return HTMLText.linkQuoted(tags.fill(markup, html: true))
    }

    /// Znuny's default signature (its initial data), with the acting agent's name.
    public static let standardText = """

        Your Ticket-Team

         <OTRS_Agent_UserFirstname> <OTRS_Agent_UserLastname>

        --
         Super Support - Waterford Business Park
         5201 Blue Lagoon Drive - 8th Floor & 9th Floor - Miami, 33126 USA
         Email: hot@example.com - Web: http://www.example.com/
        --
        """
}
