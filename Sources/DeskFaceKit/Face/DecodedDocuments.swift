import DeskCore
import Foundation
import Synchronization

/// Values decoded from face documents, kept while a document's text is unchanged. Faces read
/// their documents on every request (from the store's short-lived cache); decoding the JSON each
/// time showed in their profiles. A decoding that throws is not kept.
public final class DecodedDocuments<Value: Sendable>: Sendable {
    private let memo = Mutex<[Int: (json: String, value: Value)]>([:])

    public init() {}

    /// `document` decoded by `decode`, or what the same text decoded to before.
    public func value(of document: FaceDocument, _ decode: (FaceDocument) throws -> Value) rethrows -> Value {
        if let kept = memo.withLock({ $0[document.id] }), kept.json == document.json { return kept.value }
        let value = try decode(document)
        memo.withLock { $0[document.id] = (document.json, value) }
        return value
    }
}

extension DecodedDocuments where Value: Decodable {
    /// `document`'s JSON decoded as `Value`, or what the same text decoded to before.
    public func json(of document: FaceDocument) throws -> Value {
        try value(of: document) { try JSONDecoder().decode(Value.self, from: Data($0.json.utf8)) }
    }
}
