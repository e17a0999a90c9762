import DeskCore
import DeskFaceKit

/// How TicketCreate and TicketUpdate write a new article's id.
///
/// Znuny answers it as a JSON number, except for an article whose sender type is `customer`:
/// `ArticleCreate` compares the new id with `eq` while it looks for the previous sender, and
/// Perl then keeps the id as text, which JSON::XS writes as a string (`"ArticleID":"7"`).
/// Customer users always write `customer` articles, so they always see strings.
enum ArticleIDValue {
    static func values(_ ids: [Int], senderTypeIDs: [Int], catalog: Catalog) -> [JSONValue] {
        let customerSender = catalog.senderTypes["customer"]?.id
        return ids.enumerated().map { index, id in
            let senderTypeID = index < senderTypeIDs.count ? senderTypeIDs[index] : nil
            return senderTypeID != nil && senderTypeID == customerSender ? .string(String(id)) : .int(id)
        }
    }
}
