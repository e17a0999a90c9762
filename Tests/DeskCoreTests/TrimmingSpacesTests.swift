import DeskCore
import Testing

@Suite("Trimming spaces")
struct TrimmingSpacesTests {
    @Test("spaces, tabs, CR, LF and CR LF go from both ends; inner ones and other characters stay")
    func trimsEveryLineEnd() {
        #expect(" \t Subject line\r\n".trimmingSpaces == "Subject line")
        #expect("\r\n\r\nbody\r\nsecond line\r\n\r\n".trimmingSpaces == "body\r\nsecond line")
        #expect("\n\rvalue\r".trimmingSpaces == "value")
        #expect("\r\n \t\r\n".trimmingSpaces == "")
        #expect("".trimmingSpaces == "")
        #expect("\u{00A0}kept\u{00A0}".trimmingSpaces == "\u{00A0}kept\u{00A0}")
        #expect("Größe\r\n"[...].trimmingSpaces == "Größe")
        #expect("plain".trimmingSpaces == "plain")
        #expect("  ends in é\t".trimmingSpaces == "ends in é")
    }

    @Test("by code point, as Perl, PHP and Python trim: a space before a combining mark goes")
    func byCodePoint() {
        #expect(" \u{301}accent ".trimmingSpaces == "\u{301}accent")
        #expect("x\r\u{301}".trimmingSpaces == "x\r\u{301}")
    }
}
