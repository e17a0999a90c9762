import DeskCore
import OTRSCommon
import Testing

/// `Kernel::System::DB::QueryCondition` (Znuny 7) as TicketSearch applies it: the expected
/// readings follow the SQL Znuny builds for each value.
@Suite("Znuny QueryCondition")
struct ZnunyQueryConditionTests {
    static func read(_ value: String) -> ZnunyQueryCondition.Reading { ZnunyQueryCondition.read(value) }
    static func matches(_ pattern: String) -> TextCondition { .matches(pattern) }

    @Test("words, phrases and wildcards: a space is part of the word")
    func words() {
        #expect(Self.read("Host down") == .condition(Self.matches("Host down")))
        #expect(Self.read("  Host   down ") == .condition(Self.matches("Host down")))
        #expect(Self.read("*host*") == .condition(Self.matches("%host%")))
        #expect(Self.read("*a* *b*") == .condition(Self.matches("%a%b%")))
        #expect(Self.read("\"Host (down)\"") == .condition(Self.matches("Host (down)")))
        #expect(Self.read("AT&T") == .condition(Self.matches("AT&T")))
        #expect(Self.read("Host | down") == .condition(Self.matches("Host|down")))
        #expect(Self.read("Host and down") == .condition(Self.matches("Host and down")))
        #expect(Self.read("foo_bar*") == .condition(Self.matches("foo_bar%")))
        #expect(Self.read(#"a\(b\)"#) == .condition(Self.matches("a(b)")))
    }

    @Test("AND, OR and NOT; AND binds tighter; groups after a parenthesis are ANDed")
    func operators() {
        let both: ZnunyQueryCondition.Reading = .condition(.all([Self.matches("Host"), Self.matches("down")]))
        #expect(Self.read("Host+down") == both)
        #expect(Self.read("Host && down") == both)
        #expect(Self.read("Host AND down") == both)
        #expect(Self.read("Host down (PING)") == .condition(.all([Self.matches("Host down"), Self.matches("PING")])))
        #expect(Self.read("Host OR down") == .condition(.any([Self.matches("Host"), Self.matches("down")])))
        #expect(Self.read("Host||down") == .condition(.any([Self.matches("Host"), Self.matches("down")])))
        #expect(Self.read("!Host") == .condition(.not(Self.matches("Host"))))
        #expect(Self.read("*!Host*") == .condition(.not(Self.matches("%Host%"))))
        #expect(Self.read("!*Host*") == .condition(.not(Self.matches("%Host%"))))
        #expect(
            Self.read("a||b&&c") == .condition(.any([Self.matches("a"), .all([Self.matches("b"), Self.matches("c")])])))
        #expect(
            Self.read("(Host||Mail)&&!*test*")
                == .condition(.all([.any([Self.matches("Host"), Self.matches("Mail")]), .not(Self.matches("%test%"))])))
        #expect(Self.read("C++ error") == .condition(.all([Self.matches("C"), Self.matches("error")])))
        #expect(Self.read("x +") == .condition(Self.matches("x")))
    }

    @Test("what Znuny cannot read: unbalanced parentheses find nothing, SQL it cannot run fails the search")
    func malformed() {
        #expect(Self.read("(Host") == .condition(.never))
        #expect(Self.read("a||&&b") == .condition(.never))
        #expect(Self.read("!") == .invalid)
        #expect(Self.read("()") == .invalid)
        #expect(Self.read("a||(&&b)") == .invalid)
        // Perl's truth: the phrase "0" is false, so its placeholder is searched for.
        #expect(Self.read("\"0\"") == .condition(Self.matches("###1###")))
    }

    @Test("limits: deep nesting and many words find nothing; long runs of spaces are read quickly")
    func limits() {
        let deep = String(repeating: "(", count: 40) + "a" + String(repeating: ")", count: 40)
        #expect(Self.read(deep) == .invalid)
        #expect(Self.read(String(repeating: "(", count: 20) + "a" + String(repeating: ")", count: 20)) == .condition(Self.matches("a")))
        #expect(Self.read(Array(repeating: "w", count: 300).joined(separator: "||")) == .invalid)
        let spaced = "a" + String(repeating: " ", count: 200_000) + "b" + String(repeating: " ", count: 200_000)
        #expect(Self.read(spaced) == .condition(Self.matches("a b")))
    }
}
