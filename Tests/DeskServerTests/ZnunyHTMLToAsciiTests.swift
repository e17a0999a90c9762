import Testing

@testable import OTRSCommon

/// Outputs of Znuny 7.0.19's own `Kernel/System/HTMLUtils.pm` `ToAscii`, run under Perl 5.36.
@Suite("Znuny's HTML to text rendering")
struct ZnunyHTMLToAsciiTests {
    static let vectors: [(String, String)] = [
        ("Hello", "Hello"),
        ("<p>Hello</p>", "\nHello\n\n"),
        ("<p>Hello <b>World</b></p><p>Second</p>", "\nHello World\n\nSecond\n\n"),
        ("<html><body><p>Hello,</p><p>this is <strong>bold</strong>.<br>Line 2</p></body></html>", "\nHello,\n\nthis is bold.\nLine 2\n\n"),
        ("<p>Hi&nbsp;there</p>\n<p>x</p>", "\nHi\u{A0}there\n\nx\n\n"),
        ("Line1<br>Line2<br/>Line3<br />Line4", "Line1\nLine2\nLine3\nLine4"),
        ("<div>a</div><div>b</div>", "a\nb\n"),
        ("<div>Hello</div><div><br></div><div>World</div>", "Hello\n\nWorld\n"),
        ("<ul><li>one</li><li>two</li></ul>after", "\n - one\n - two\n\nafter"),
        ("<ul>\n  <li>a</li>\n  <li class=\"x\">b</li>\n</ul>", " \n - a b \n\n"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "\na b \n\n"),
        ("x<hr>y", "x\n\ny"),
        ("<h1>Title</h1><p>Body</p>", "Title\n\nBody\n\n"),
        (
            "See <a href=\"https://example.com/x\">site</a> and <a href=\"http://b.org\">b</a>.",
            "See [1]site and [2]b.\n\n[1] https://example.com/x\n[2] http://b.org\n"
        ),
        ("<blockquote>quoted text</blockquote>reply", "> quoted text\nreply"),
        ("<blockquote><p>q1</p><p>q2</p></blockquote><p>r</p>", "> \n> q1\n> \n> q2\n> \n\n\n\nr\n\n"),
        ("<pre>  code\n  x</pre>", "\n  code\n  x\n\n"),
        ("a &lt;b&gt; &#8211; &#x41; &euro; &unknown;", "a <b> – A € &unknown;"),
        ("x&#65;&#x42;&amp;lt;y", "xAB&lt;y"),
        ("line one\nline two", "line one line two"),
    ]

    @Test("the vectors of Znuny's own code", arguments: vectors.indices)
    func vector(index: Int) {
        let (html, text) = Self.vectors[index]
        #expect(ZnunyHTMLToAscii.convert(html) == text)
    }

    @Test("long text is wrapped at 78 characters, a break at the last space, a newline appended")
    func wrapping() {
        let html = "<p>" + String(repeating: "word ", count: 40) + "</p>"
        let line = Array(repeating: "word", count: 15).joined(separator: " ")
        #expect(
            ZnunyHTMLToAscii.convert(html) == "\n\(line)\n\(line)\n" + Array(repeating: "word", count: 10).joined(separator: " ") + " \n\n")
    }
}

@Suite("Znuny's escalation countdown text")
struct ZnunyDurationTests {
    @Test("hours and minutes, never days (TicketEscalationDateCalculation)")
    func hoursAndMinutes() {
        #expect(ZnunyTicketRenderer.duration(59) == "0m")
        #expect(ZnunyTicketRenderer.duration(3_840) == "1h 4m")
        #expect(ZnunyTicketRenderer.duration(51 * 3600) == "51h 0m")
    }
}
