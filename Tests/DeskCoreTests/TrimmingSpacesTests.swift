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
    }
}
