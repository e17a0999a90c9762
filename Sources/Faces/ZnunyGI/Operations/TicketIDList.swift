import DeskCore
import DeskFaceKit

/// The `TicketID` parameter of TicketGet and TicketHistoryGet: one id, a comma-separated string,
/// or an array. Nil when the structure is wrong (an object, an empty or nested array: Znuny's
/// `IsArrayRefWithData`). A string of commas gives no ids; the operations then answer
/// `NotTicketData`. More ids than one search answers (`TicketQuery.maxLimit`) are refused as a
/// wrong structure too: Znuny takes any number, so that `1,1,1,…` in a 32 MiB body asked for
/// millions of copies of one ticket, more than the server's memory holds.
enum TicketIDList {
    static func parse(_ value: JSONValue) -> [String]? {
        guard let ids = pieces(value), ids.count <= TicketQuery.maxLimit else { return nil }
        return ids
    }

    private static func pieces(_ value: JSONValue) -> [String]? {
        switch value {
        case .string(let text):
            // Perl's `split /,/` drops empty pieces at the end (`1,2,` is two ids), not elsewhere.
            var pieces = text.split(separator: ",", omittingEmptySubsequences: false)
            while pieces.last?.isEmpty == true { pieces.removeLast() }
            return pieces.map { String($0).trimmingSpaces }
        case .number(let text): return [text]
        case .array(let elements):
            guard !elements.isEmpty else { return nil }
            var ids: [String] = []
            for element in elements {
                guard let text = element.scalarString else { return nil }
                ids.append(text)
            }
            return ids
        default: return nil
        }
    }
}
