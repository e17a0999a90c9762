import DeskFaceKit
import Testing

@testable import OTRSCommon

@Suite("Znuny ticket keys merged in order")
struct ZnunyKeyMergeTests {
    @Test("optional keys go into their sorted places; a key in both takes the optional value, once")
    func merge() {
        let always = [JSONMember("Age", .int(1)), JSONMember("EscalationTime", .int(0)), JSONMember("Title", .string("t"))]
        let merged = ZnunyTicketRenderer.merging(
            ["Article": .array([]), "EscalationTime": .int(-5), "Service": .string("s"), "Zulu": .null], into: always)
        #expect(merged.map(\.key) == ["Age", "Article", "EscalationTime", "Service", "Title", "Zulu"])
        #expect(merged.first { $0.key == "EscalationTime" }?.value == .int(-5))
        #expect(ZnunyTicketRenderer.merging([:], into: always).map(\.key) == always.map(\.key))
    }
}
