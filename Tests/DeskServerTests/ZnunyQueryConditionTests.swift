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
    }
}
