import Testing

@testable import DjangoHelpdesk

@Suite("Python's mimetypes.guess_type, as django-helpdesk types an upload sent without one")
struct PythonMimeTypesTests {
    /// What `MimeTypes(filenames=()).guess_type(name, strict=False)` answered on Python 3.11.
    static let cases: [(String, String?)] = [
        ("report.pdf", "application/pdf"), ("a.TXT", "text/plain"), ("x.txt.gz", "text/plain"), ("z.tgz", "application/x-tar"),
        ("z.TGZ", "application/x-tar"), ("p.PNG", "image/png"), (".bashrc", nil), ("..pdf", nil), ("a.b/c", nil),
        ("dir.d/file", nil), ("noext", nil), ("data:image/png;base64,xx", "image/png"), ("c:report.pdf", "application/pdf"),
        ("x.Z", nil), ("x.z", nil), ("photo.jpg", "image/jpeg"), ("photo.JPG", "image/jpeg"), ("f.webp", "image/webp"),
        ("f.rtf", "application/rtf"), ("a.tar.gz", "application/x-tar"), ("weird.xyz", nil), ("a.svgz", "image/svg+xml"),
        ("a.txt.GZ", nil),
    ]

    @Test("built-in tables, suffixes and encodings", arguments: cases)
    func guess(name: String, expected: String?) {
        #expect(PythonMimeTypes.guess(name) == expected)
    }
}
