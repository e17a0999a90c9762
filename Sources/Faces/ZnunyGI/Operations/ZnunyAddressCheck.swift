import DeskCore

/// The part of Znuny's `CheckItem::CheckEmail` that goes beyond the syntax: with its default
/// configuration, `CheckEmailInvalidAddress` (`@(example)\.(..|...)$`, any case) refuses every
/// address at `example.` plus a two- or three-letter ending (`example.com`, `.org`, `.net`,
/// `.de`…), so a GenericInterface article `From` or an unregistered `CustomerUser` there is
/// "parameter is invalid". Subdomains (`mail.example.com`) pass.
enum ZnunyAddressCheck {
    /// Whether Znuny's default configuration accepts `address` (a bare address or a mailbox).
    @Sendable static func allows(_ address: String) -> Bool {
        let bare = MailAddress.bare(address).lowercased().utf8
        guard let at = bare.lastIndex(of: UInt8(ascii: "@")) else { return true }
        let domain = bare[bare.index(after: at)...]
        guard domain.starts(with: "example.".utf8) else { return true }
        let ending = domain.dropFirst("example.".utf8.count)
        return !(ending.count == 2 || ending.count == 3)
    }
}
