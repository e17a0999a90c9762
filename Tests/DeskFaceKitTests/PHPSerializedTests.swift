import Foundation
import Testing

@testable import DeskFaceKit

@Suite("PHP unserialize")
struct PHPSerializedTests {
    func decode(_ text: String) throws(PHPSerialized.Failure) -> PHPSerialized.Value {
        try PHPSerialized.decode(Array(text.utf8))
    }

    @Test("the values WHMCS clients send")
    func values() throws {
        #expect(try decode(#"a:1:{i:8;s:12:"mydomain.com";}"#) == .array([(key: .int(8), value: .string(Array("mydomain.com".utf8)))]))
        let mixed = try decode(#"a:6:{s:1:"8";s:5:"été";i:-2;b:1;s:1:"n";N;i:3;d:1.5;i:4;a:1:{i:0;i:7;}i:5;s:0:"";}"#)
        guard case .array(let members) = mixed else {
            Issue.record("not an array")
            return
        }
        #expect(members.map(\.key.text) == ["8", "-2", "n", "3", "4", "5"])
        #expect(members[0].key.intValue == 8 && members[2].key.intValue == nil)
        #expect(members[0].value.text == "été")
        #expect(members[1].value == .bool(true) && members[1].value.text == "1")
        #expect(members[2].value == .null && members[3].value == .double(1.5))
        #expect(members[4].value == .array([(key: .int(0), value: .int(7))]))
        #expect(PHPSerialized.Key.string("08").intValue == nil)
    }

    @Test("objects, references, trailing bytes and lies about lengths are refused")
    func refusals() {
        #expect(throws: PHPSerialized.Failure.unsupported(offset: 0)) { try decode(#"O:8:"stdClass":0:{}"#) }
        #expect(throws: PHPSerialized.Failure.unsupported(offset: 17)) { try decode(#"a:2:{i:0;i:1;i:1;r:1;}"#) }
        #expect(throws: (any Error).self) { try decode(#"a:1:{i:0;i:1;}x"#) }
        #expect(throws: (any Error).self) { try decode(#"s:5:"abc";"#) }
        #expect(throws: (any Error).self) { try decode(#"s:3:"abc""#) }
        #expect(throws: (any Error).self) { try decode(#"a:2:{i:0;i:1;}"#) }
        #expect(throws: (any Error).self) { try decode(#"b:2;"#) }
        #expect(throws: PHPSerialized.Failure.tooDeep) {
            try decode(String(repeating: "a:1:{i:0;", count: 20) + "N;" + String(repeating: "}", count: 20))
        }
        #expect(throws: PHPSerialized.Failure.tooManyElements) { try decode("a:100000000:{}") }
        #expect(throws: PHPSerialized.Failure.tooLarge) {
            try PHPSerialized.decode(Array(repeating: UInt8(ascii: "N"), count: 100), limits: .init(maxBytes: 10))
        }
    }

    /// Random bytes, and valid documents with bytes changed, dropped or repeated: every input
    /// ends in a value or a failure, quickly.
    @Test("fuzz: no crash, bounded work")
    func fuzz() {
        var generator = SeededGenerator(seed: 0x5EED_0004)
        let seeds = [
            #"a:1:{i:8;s:12:"mydomain.com";}"#, #"a:3:{s:1:"a";a:2:{i:0;d:-1.25E+3;i:1;b:0;}i:9;N;s:2:"zz";s:4:"ütf";}"#,
            #"a:2:{i:0;a:1:{i:0;a:1:{i:0;s:1:"x";}}i:1;i:-9223372036854775807;}"#,
        ].map { Array($0.utf8) }
        let alphabet = Array(#"aisdbNOCrR:;{}"0123456789-.E"#.utf8)
        let started = Date()
        for round in 0..<20_000 {
            var input: [UInt8]
            if round % 4 == 0 {
                input = (0..<Int.random(in: 0...64, using: &generator)).map { _ in
                    Bool.random(using: &generator)
                        ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                input = seeds.randomElement(using: &generator)!
                for _ in 0..<Int.random(in: 1...4, using: &generator) where !input.isEmpty {
                    let at = Int.random(in: 0..<input.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: input[at] = alphabet.randomElement(using: &generator)!
                    case 1: input.remove(at: at)
                    default: input.insert(contentsOf: input[at..<min(input.count, at + 8)], at: at)
                    }
                }
            }
            _ = try? PHPSerialized.decode(input, limits: .init(maxBytes: 4_096, maxDepth: 8, maxElements: 1_000))
        }
        #expect(Date().timeIntervalSince(started) < 60)
    }
}

/// A small deterministic generator (SplitMix64), so a failing fuzz case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
