import Foundation
import Testing

@testable import DeskStore

@Suite("JSON in text columns")
struct JSONTextTests {
    static let texts = [
        "", "plain", "quote \" and backslash \\", "a/b", "line\nbreak\r\ttab", "\u{01}\u{08}\u{0C}\u{1F}\u{7F}", "é ü ß",
        "😀 mixed \u{2028}",
    ]

    @Test("texts and arrays of texts are written as JSONEncoder writes them, and read back", arguments: texts)
    func matchesEncoder(text: String) throws {
        let object = JSONText.object([("customerID", text), ("customerUser", nil)])
        #expect(object == JSONText.encode(EventColumns.CustomerPair(customerID: text, customerUser: nil)))
        let both = JSONText.object([("customerID", text), ("customerUser", text + "2")])
        #expect(both == JSONText.encode(EventColumns.CustomerPair(customerID: text, customerUser: text + "2")))
        #expect(JSONText.decode(EventColumns.CustomerPair.self, both)?.customerUser == text + "2")
        let array = JSONText.strings([text, "", text])
        #expect(array == JSONText.encode([text, "", text]))
        #expect(JSONText.decode([String].self, array) == [text, "", text])
        #expect(JSONText.strings([]) == "[]")
        #expect(JSONText.object([("customerID", nil)]) == "{}")
    }
}
