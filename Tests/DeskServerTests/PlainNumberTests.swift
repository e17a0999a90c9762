import OTRSCommon
import Testing

@Suite("Perl's number printing")
struct PlainNumberTests {
    @Test("whole and fractional numbers print as Perl's %.15g does")
    func perlNumbers() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "-0"), (2, "2"), (-3, "-3"), (1.5, "1.5"), (0.1 + 0.2, "0.3"), (999_999_999_999_999, "999999999999999"),
            (1e15, "1e+15"), (-1e15, "-1e+15"), (1e-5, "1e-05"), (123_456.25, "123456.25"), (.infinity, "inf"), (.nan, "nan"),
        ]
        for (value, text) in cases { #expect(PlainNumber.text(value) == text, "\(value)") }
    }
}
