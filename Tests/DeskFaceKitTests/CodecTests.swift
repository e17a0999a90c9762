import DeskCore
import Foundation
import Testing

@testable import DeskFaceKit

@Suite("Face kit codecs")
struct CodecTests {
    @Test("form bodies: repeated keys become lists; PHP brackets nest as parse_str does")
    func forms() throws {
        let plain = try FormCodec.decode("a=1&b=x+y&a=2&c=%C3%A9%2B&d&=skip")
        #expect(plain["a"] == .array([.string("1"), .string("2")]))
        #expect(plain["b"] == .string("x y"))
        #expect(plain["c"] == .string("é+"))
        #expect(plain["d"] == .string(""))
        #expect(plain.count == 4)

        let php = try FormCodec.decode(
            "customfields[0]=a&customfields[1]=b&attachments[x][name]=f.txt&attachments[x][data]=ZGF0YQ%3D%3D&tags[]=p&tags[]=q&a[b=1",
            keys: .php)
        #expect(php["customfields"] == .array([.string("a"), .string("b")]))
        #expect(php["attachments"] == .object(["x": .object(["name": .string("f.txt"), "data": .string("ZGF0YQ==")])]))
        #expect(php["tags"] == .array([.string("p"), .string("q")]))
        #expect(php["a_b"] == .string("1"))
        // The largest index leaves no next one (its `+ 1` trapped).
        let largest = try FormCodec.decode("9223372036854775807=x&a[9223372036854775807]=1&a[]=2", keys: .php)
        #expect(largest["a"] == .object(["9223372036854775807": .string("2")]))
        #expect(throws: FormCodec.Failure.tooDeep) {
            try FormCodec.decode("x" + String(repeating: "[a]", count: 40) + "=1", keys: .php)
        }
        #expect(FormCodec.unescape("100%") == "100%")
        // A `%` without two hex digits stays and the scan goes on at the next byte, as PHP's
        // urldecode, Python's unquote and Perl's uri_unescape do; a sign is not a hex digit.
        #expect(FormCodec.unescape("%%41%4%42%") == "%A%4B%")
        #expect(FormCodec.unescape("%+1", plusAsSpace: false) == "%+1")
        #expect(FormCodec.unescape("%+1") == "% 1")
        #expect(FormCodec.unescape("a+b%2B", plusAsSpace: false) == "a+b+")
        // Split on the bytes, as PHP and Python do: a separator followed by a combining mark is
        // one Swift Character, and still separates.
        let marked = try FormCodec.decode("a=1&\u{301}b=2=3&c\u{301}=4")
        #expect(marked == ["a": .string("1"), "\u{301}b": .string("2=3"), "c\u{301}": .string("4")])
        #expect("x=\u{301}y".pieces(separatedBy: UInt8(ascii: "="), omittingEmpty: false) == ["x", "\u{301}y"])
        #expect(FormCodec.encode([("a b", "c&d"), ("é", "~")]) == "a%20b=c%26d&%C3%A9=~")
    }

    @Test("byte searches find needles as Perl does, ASCII case folded on request")
    func byteSearch() {
        #expect("text/plain; charset=utf8".containsBytes("charset="))
        #expect(!"text/plain; charset utf8".containsBytes("charset="))
        #expect("Text/HTML".byteRange(of: "html", ignoringASCIICase: true).map { "Text/HTML"[$0] } == "HTML")
        #expect(!"Text/HTML".containsBytes("html"))
        // Overlapping starts and a partial match running off the end.
        #expect("aaab".byteRange(of: "aab").map { "aaab"[$0] } == "aab")
        #expect(!"ab".containsBytes("abc"))
        #expect("".byteRange(of: "") == "".startIndex..<"".startIndex)
        #expect(!"".containsBytes("a"))
        // Within a substring the range is the substring's own.
        let tail = "xx/otrs/nph-genericinterface.pl/Webservice"[...].dropFirst(2)
        let marker = tail.byteRange(of: "nph-genericinterface.pl")
        #expect(marker.map { String(tail[$0.upperBound...]) } == "/Webservice")
        // Bytes, not Characters: "e" before a combining acute accent is part of one Character
        // ("é"); Character-wise searches do not find "e" there, Perl and PHP do.
        #expect("cafe\u{301}".containsBytes("cafe"))
        // Only ASCII letters fold: "É" does not match "é".
        #expect(!"CAFÉ".containsBytes("café", ignoringASCIICase: true))
    }

    @Test("multipart bodies split into fields and files")
    func multipart() throws {
        let body = """
            --XyZ\r
            Content-Disposition: form-data; name="title"\r
            \r
            Printer on fire\r
            --XyZ\r
            Content-Disposition: form-data; name="attachment"; filename="log.txt"\r
            Content-Type: text/plain\r
            \r
            line 1
            line 2\r
            --XyZ--\r

            """
        let form = try MultipartForm(body: Array(body.utf8), contentType: "multipart/form-data; boundary=XyZ")
        #expect(form.fields["title"] == .string("Printer on fire"))
        #expect(form.files.count == 1)
        #expect(form.files[0].filename == "log.txt")
        #expect(form.files[0].contentType == "text/plain")
        #expect(form.files[0].text == "line 1\nline 2")
        #expect(throws: MultipartForm.Failure.noBoundary) { try MultipartForm(body: [], contentType: "multipart/form-data") }
        let many = (0..<1_001).map { "--b\r\nContent-Disposition: form-data; name=\"f\($0)\"\r\n\r\nx\r\n" }.joined() + "--b--\r\n"
        #expect(throws: MultipartForm.Failure.tooManyParts) {
            try MultipartForm(body: Array(many.utf8), contentType: "multipart/form-data; boundary=b")
        }
        // A byte above 0x7F where a header name is read trapped multipart-kit's table lookup.
        let head = Array("--B\r\nContent-Disposition: form-data; name=\"user\"\r\n".utf8)
        for bad: [UInt8] in [[0xFF], [0xEF, 0xBC, 0x91], Array("X-\u{E9}: 1".utf8)] {
            let body = head + bad + Array("\r\n\r\nx\r\n--B--\r\n".utf8)
            #expect(throws: MultipartForm.Failure.malformed) {
                try MultipartForm(body: body, contentType: "multipart/form-data; boundary=B")
            }
        }
        // Non-ASCII header values (a file name) and body bytes stay fine.
        let named = Array(
            "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\u{E9}t\u{E9}.txt\"\r\n\r\n\u{FF}:\u{E9}\r\n--B--\r\n".utf8)
        let file = try MultipartForm(body: named, contentType: "multipart/form-data; boundary=B")
        #expect(file.files.first?.filename == "\u{E9}t\u{E9}.txt")
        #expect(file.files.first?.text == "\u{FF}:\u{E9}")
    }

    @Test("data: URLs with and without base64, charsets and the RFC 2397 default")
    func dataURLs() throws {
        let html = try DataURL(parsing: "data:text/html;charset=utf-8,%3Cp%3EHi%3C%2Fp%3E")
        #expect(html.mediaType == "text/html")
        #expect(html.charset == "utf-8")
        #expect(html.text == "<p>Hi</p>")
        let file = try DataURL(parsing: "data:image/png;base64,iVBORw0K")
        #expect(file.isBase64)
        #expect(file.bytes == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A])
        let bare = try DataURL(parsing: "data:,plain")
        #expect(bare.mediaType == "text/plain")
        #expect(bare.text == "plain")
        let latin = try DataURL(parsing: "data:text/plain;charset=iso-8859-1;base64,6Q==")
        #expect(latin.text == "é")
        #expect(throws: DataURL.Failure.notADataURL) { try DataURL(parsing: "http://x/y") }
        #expect(throws: DataURL.Failure.badBase64) { try DataURL(parsing: "data:text/plain;base64,@@@") }
    }

    @Test("JSON writer: sorted keys by default, declared order when asked, PHP's escaping")
    func jsonStyles() {
        let value = JSONValue.object(["b": .string("x/é\"<"), "a": .int(1)])
        #expect(JSONWriter.string(value) == #"{"a":1,"b":"x/é\"<"}"#)
        #expect(JSONWriter.string(value, style: .php) == #"{"a":1,"b":"x\/\u00e9\"<"}"#)
        #expect(JSONWriter.string(value, style: [.hexSpecials]) == #"{"a":1,"b":"x/é\u0022\u003C"}"#)
        let ordered = JSONValue.ordered(["z": .int(1), "a": .null, "m": .array([.bool(true)])])
        #expect(JSONWriter.string(ordered) == #"{"z":1,"a":null,"m":[true]}"#)
        #expect(ordered["a"] == .null)
        #expect(JSONWriter.string(.string("😀"), style: .php) == #""\ud83d\ude00""#)
    }

    /// A source that lists its members once, for both sinks, as renderers do.
    struct Person: JSONSource {
        var name: String
        var age: Int

        func members<Sink: JSONObjectSink>(into sink: inout Sink) {
            sink.add("age", int: age)
            sink.add("name", string: name)
            sink.add("tags", .array([.string("a/b"), .null]))
        }

        func write(style: JSONWriter.Style, into out: inout [UInt8]) {
            JSONObjectWriter.object(style: style, into: &out) { members(into: &$0) }
        }

        var tree: JSONValue {
            var list = JSONMemberList()
            members(into: &list)
            return list.value
        }
    }

    @Test("a JSON source writes what its tree would, in every style, and reads as its tree")
    func jsonSource() {
        let person = Person(name: "Zoë \"Z\" <z@x>\n", age: 42)
        let value = JSONValue.array([.source(person), .int(1)])
        for style: JSONWriter.Style in [.sortedKeys, .php, .djangoRESTFramework, [.hexSpecials]] {
            #expect(JSONWriter.string(value, style: style) == JSONWriter.string(.array([person.tree, .int(1)]), style: style))
        }
        #expect(JSONWriter.string(.source(person)) == #"{"age":42,"name":"Zoë \"Z\" <z@x>\n","tags":["a/b",null]}"#)
        #expect(value.arrayValue?[0]["age"] == .number("42"))
        #expect(JSONValue.source(person).objectValue?["name"] == .string(person.name))
        #expect(
            JSONValue.source(person) == .ordered(["age": .int(42), "name": .string(person.name), "tags": .array([.string("a/b"), .null])]))
        #expect(JSONValue.source(person) != .ordered(["age": .int(41)]))
        #expect(JSONValue.source(person).isPerlTrue)
    }

    @Test("each character a style escapes is escaped even in an otherwise plain string")
    func jsonEscapesOneByOne() {
        let cases: [(String, JSONWriter.Style, String)] = [
            ("plain text 123", [], #""plain text 123""#),
            ("a\nb", [], #""a\nb""#), ("a\tb", [], #""a\tb""#), ("a\u{1}b", [], #""a\u0001b""#),
            ("a\"b", [], #""a\"b""#), ("a\\b", [], #""a\\b""#),
            ("a/b", [], #""a/b""#), ("a/b", .php, #""a\/b""#),
            ("a&b", [], #""a&b""#), ("a&b", [.hexSpecials], #""a\u0026b""#), ("a'b", [.hexSpecials], #""a\u0027b""#),
            ("a>b", [.hexSpecials], #""a\u003Eb""#),
            ("é", [], #""é""#), ("é", .php, #""\u00e9""#),
            ("a\u{2028}b", [], "\"a\u{2028}b\""), ("a\u{2028}b", .djangoRESTFramework, #""a\u2028b""#),
            ("é", .djangoRESTFramework, #""é""#),
        ]
        for (text, style, expected) in cases {
            #expect(JSONWriter.string(.string(text), style: style) == expected, "\(text.debugDescription) in \(style)")
        }
    }

    @Test("strings mixing every kind of character are written as a scalar-by-scalar escaper writes them, in every style")
    func jsonEscapesAgainstReference() {
        func reference(_ text: String, _ style: JSONWriter.Style) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar.value {
                case 0x22: out += style.contains(.hexSpecials) ? "\\u0022" : "\\\""
                case 0x5C: out += "\\\\"
                case 0x2F where style.contains(.escapeSlashes): out += "\\/"
                case 0x3C where style.contains(.hexSpecials): out += "\\u003C"
                case 0x3E where style.contains(.hexSpecials): out += "\\u003E"
                case 0x26 where style.contains(.hexSpecials): out += "\\u0026"
                case 0x27 where style.contains(.hexSpecials): out += "\\u0027"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0x08: out += "\\b"
                case 0x0C: out += "\\f"
                case 0..<0x20: out += "\\u" + String(format: "%04x", scalar.value)
                case 0x80... where style.contains(.escapeUnicode),
                    0x2028 where style.contains(.escapeLineSeparators), 0x2029 where style.contains(.escapeLineSeparators):
                    for unit in String(scalar).utf16 { out += "\\u" + String(format: "%04x", unit) }
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let pieces = [
            "plain words ", "\n", "\"", "\\", "/", "<&>'", "\u{1}", "é", "Zoë", "\u{2028}", "\u{2029}", "\u{2027}", "€", "😀", "\r\n\t",
        ]
        var texts: [String] = []
        for (offset, piece) in pieces.enumerated() {
            texts.append(piece)
            texts.append("0123456789abcdef" + piece + pieces[(offset + 3) % pieces.count] + "tail of the text")
            texts.append((pieces[offset...] + pieces[..<offset]).joined() + piece)
        }
        for bits in 0..<16 {
            let style = JSONWriter.Style(rawValue: bits)
            for text in texts {
                #expect(JSONWriter.string(.string(text), style: style) == reference(text, style), "\(text.debugDescription) in \(style)")
            }
        }
    }

    @Test("a character to escape is found at every position of a longer string")
    func jsonEscapesAtEveryPosition() {
        let cases: [(Character, JSONWriter.Style, String)] = [
            ("\n", [], #"\n"#), ("\"", [], #"\""#), ("\\", [], #"\\"#), ("\u{1F}", [], #"\u001f"#),
            ("/", .php, #"\/"#), ("é", .php, #"\u00e9"#), ("<", [.hexSpecials], #"\u003C"#),
        ]
        for (character, style, escaped) in cases {
            for position in 0..<20 {
                let text = String(repeating: "a", count: position) + String(character) + String(repeating: "b", count: 19 - position)
                let expected =
                    "\"" + String(repeating: "a", count: position) + escaped + String(repeating: "b", count: 19 - position) + "\""
                #expect(JSONWriter.string(.string(text), style: style) == expected, "\(text.debugDescription) in \(style)")
            }
        }
    }

    @Test("a sorted object from members is written like a dictionary, whatever their order")
    func jsonSortedMembers() {
        let members = [JSONMember("b", .int(2)), JSONMember("B", .int(3)), JSONMember("a", .null)]
        let dictionary = JSONValue.object(["b": .int(2), "B": .int(3), "a": .null])
        #expect(JSONWriter.string(.sorted(members)) == JSONWriter.string(dictionary))
        #expect(JSONWriter.string(.sorted(members)) == #"{"B":3,"a":null,"b":2}"#)
        #expect(JSONValue.sorted(members)["B"] == .int(3))
    }

    @Test("JSON objects in document order on request, a repeated key where it first appears with its last value")
    func jsonKeepingOrder() throws {
        let bytes = Array(#"{"b":1,"a":{"y":2,"x":3},"b":4}"#.utf8)
        #expect(
            try JSONParser.parse(bytes, keepingOrder: true)
                == .orderedObject([
                    JSONMember("b", .number("4")),
                    JSONMember("a", .orderedObject([JSONMember("y", .number("2")), JSONMember("x", .number("3"))])),
                ]))
        #expect(try JSONParser.parse(bytes)["b"] == .number("4"))
    }

    @Test("htmlspecialchars: quotes on request; without double encoding an entity stays")
    func htmlSpecialChars() {
        #expect(
            HTMLEntities.specialChars(#"<a href="x">Tom's & Jerry's</a>"#, quotes: false)
                == "&lt;a href=&quot;x&quot;&gt;Tom's &amp; Jerry's&lt;/a&gt;")
        #expect(HTMLEntities.specialChars("it's", quotes: true) == "it&#039;s")
        #expect(
            HTMLEntities.specialChars("Q&amp;A &#65; &bogus; & more", quotes: false, doubleEncode: false)
                == "Q&amp;A &#65; &amp;bogus; &amp; more")
    }

    @Test("form escapes read in a form's charset, run by run; literal text and `+` as they are")
    func formCharset() throws {
        let pairs = try FormCodec.pairs("t=Caf%E9+%26+cr%E8me&u=%C3%A9t%E9", charset: "ISO-8859-1")
        #expect(pairs.map(\.value) == ["Café & crème", "Ã©té"])
        #expect(try FormCodec.pairs("t=Caf%C3%A9", charset: "x-unknown").first?.value == "Café")
        #expect(FormCodec.unescape("a%E9%", charset: "latin1") == "aé%")
    }

    @Test("strict base64 refuses stray characters; the lenient one skips them")
    func base64() {
        #expect(Base64.decodeStrict("aGVs\nbG8=") == Array("hello".utf8))
        #expect(Base64.decodeStrict("aGVs*bG8=") == nil)
        #expect(Base64.decode("aGVs*bG8=") == Array("hello".utf8))
    }

    @Test("text in the charsets mail and forms use")
    func charsets() {
        #expect(TextEncoding.decode([0xE9], charset: "ISO-8859-1") == "é")
        #expect(TextEncoding.decode([0x80], charset: "windows-1252") == "€")
        #expect(TextEncoding.decode([0xFF], charset: "utf-8") == nil)
        #expect(TextEncoding.decode([0x41], charset: "x-unknown") == nil)
        #expect(TextEncoding.decodeLeniently([0xFF, 0x41], charset: "utf-8").hasSuffix("A"))
    }
}

@Suite("Face kit requests")
struct RequestTests {
    @Test("X-Forwarded-For counts only from trusted proxies")
    func trustedProxies() {
        let none = TrustedProxies()
        #expect(none.clientAddress(socket: "203.0.113.9", forwardedFor: "10.0.0.1") == "203.0.113.9")
        let proxies = TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8")
        #expect(proxies.clientAddress(socket: "127.0.0.1", forwardedFor: "198.51.100.7, 10.1.2.3") == "198.51.100.7")
        #expect(proxies.clientAddress(socket: "127.0.0.1", forwardedFor: nil) == "127.0.0.1")
        #expect(proxies.clientAddress(socket: "192.0.2.1", forwardedFor: "198.51.100.7") == "192.0.2.1")
        #expect(proxies.clientAddress(socket: nil, forwardedFor: "198.51.100.7") == "")
    }

    @Test("address patterns: exact, IPv4 and IPv6 blocks, mapped IPv4")
    func addresses() {
        #expect(IPMatcher.matches("192.0.2.7", pattern: "192.0.2.0/24"))
        #expect(!IPMatcher.matches("192.0.3.7", pattern: "192.0.2.0/24"))
        #expect(IPMatcher.matches("::ffff:192.0.2.7", pattern: "192.0.2.7"))
        #expect(IPMatcher.matches("2001:db8::1", pattern: "2001:db8::/32"))
        #expect(!IPMatcher.matches("2001:db9::1", pattern: "2001:db8::/32"))
        #expect(!IPMatcher.matches("not an ip", pattern: "0.0.0.0/0"))
        #expect(IPMatcher.isPattern("10.0.0.0/8") && !IPMatcher.isPattern("10.0.0.0/33") && !IPMatcher.isPattern("host"))
    }

    @Test("the earliest problem wins: the face's own or the core's")
    func wireFailures() async throws {
        var failures = WireFailures<String>()
        #expect(try await failures.settle(check: {}, map: { "\($0)" }) == nil)
        failures.record(.article(0, .subject), "subject missing")
        failures.record(.article(1, .body), "later")
        failures.record(.article(0, .subject), "same step, recorded later")
        #expect(failures.first?.answer == "subject missing")
        // The core finds an unknown queue: a ticket field, checked before articles.
        let earlier = try await failures.settle(check: { throw DeskError.invalid(.queue, .unknown) }, map: { _ in "queue" })
        #expect(earlier == "queue")
        // The core's first problem comes after the face's.
        let later = try await failures.settle(check: { throw DeskError.accessDenied(.addArticle) }, map: { _ in "permission" })
        #expect(later == "subject missing")
        #expect(try await failures.settle(check: {}, map: { _ in "none" }) == "subject missing")
        #expect(CheckStep.access < .structure && CheckStep.field(.title) < .field(.customerUser))
        #expect(CheckStep.field(.pendingTime) < .createPermission && CheckStep.createPermission < .field(.article(0, .subject)))
        #expect(CheckStep.field(.article(3, .timeUnit)) < .field(.dynamicField(0, name: "X")))
        #expect(CheckStep.field(.dynamicField(0, name: "X")) < .field(.article(0, .attachment(0, .contentType))))
        #expect(DeskError.accessDenied(.addArticle).step < DeskError.accessDenied(.changeOwner).step)
        #expect(DeskError.accessDenied(.changeOwner).step < DeskError.invalid(.pendingTime, .needsPendingTime).step)
    }
}

@Suite("PHP's FILTER_VALIDATE_EMAIL")
struct PHPEmailFilterTests {
    /// Each address with what PHP 8's `filter_var($address, FILTER_VALIDATE_EMAIL)` said of it.
    @Test("the addresses PHP takes and refuses")
    func verdicts() {
        let cases: [(String, Bool)] = [
            ("a@example.com", true), ("first.last@sub.example.co.uk", true), ("a+b@example.com", true),
            ("\"quoted\"@example.com", true), ("a@[127.0.0.1]", true), ("A@EXAMPLE.COM", true), ("user@xn--bcher-kva.example", true),
            ("a@b.c", true), ("a@[IPv6:2001:db8::1]", true), ("josé@example.com", false), ("a..b@example.com", false),
            ("a@exa_mple.com", false), ("a(b)@example.com", false), (" a@b.com", false), ("a@b", false), ("a@localhost", false),
            (".a@example.com", false), ("a.@example.com", false), ("a@-example.com", false), ("a@example.com\n", false),
            ("a@example.123", false), (String(repeating: "a", count: 65) + "@example.com", false),
            (String(repeating: "a", count: 64) + "@example.com", true), ("a@" + String(repeating: "b", count: 64) + ".com", false),
        ]
        for (address, valid) in cases {
            #expect(PHPEmailFilter.isValid(address) == valid, "\(address.debugDescription)")
        }
    }
}
