import DeskFaceKit

/// A multipart body as Django's `MultiPartParser` splits it: a part is a file only when its
/// `Content-Disposition` has a non-empty `filename` (an empty one, what a browser sends for a file
/// input left empty, makes it a plain field); file names are cleaned by `sanitize_file_name`, and
/// a file whose name cleans away is dropped.
struct DjangoMultipart {
    var fields: [(key: String, value: String)] = []
    var files: [MultipartForm.Part] = []

    init(_ form: MultipartForm) {
        for var part in form.parts {
            let parameters = PythonHeaderParameters.parse(part.disposition).parameters
            part.name = (parameters["name"] ?? part.name).trimmingSpaces
            guard let given = parameters["filename"], !given.isEmpty else {
                part.filename = nil
                fields.append((part.name, part.text))
                continue
            }
            guard let name = Self.sanitizedFileName(given) else { continue }
            part.filename = name
            files.append(part)
        }
    }

    /// `MultiPartParser.sanitize_file_name`: HTML entities decoded, the last `/` or `\` part,
    /// only printable characters (`str.isprintable`); nil for "", "." and "..".
    static func sanitizedFileName(_ name: String) -> String? {
        var text = HTMLEntities.decode(name)
        if let slash = text.lastIndex(of: "/") { text = String(text[text.index(after: slash)...]) }
        if let backslash = text.lastIndex(of: "\\") { text = String(text[text.index(after: backslash)...]) }
        var printable = String.UnicodeScalarView()
        printable.append(contentsOf: text.unicodeScalars.filter(Self.isPrintable))
        let cleaned = String(printable)
        return ["", ".", ".."].contains(cleaned) ? nil : cleaned
    }

    /// Python's `str.isprintable` for one code point: not in categories Cc, Cf, Cs, Co, Cn, Zl,
    /// Zp or Zs, except the ASCII space.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
        default: return true
        }
    }
}
