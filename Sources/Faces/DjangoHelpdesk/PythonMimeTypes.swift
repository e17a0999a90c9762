/// Python's `mimetypes.guess_type(name, strict=False)` with the module's built-in tables, which
/// django-helpdesk asks for an upload's type when the client sent none (`helpdesk/lib.py`,
/// `FollowUpAttachment.save`). Python also reads the host's `/etc/mime.types`; SwiftDesk keeps to
/// the built-in tables, so a rare extension may stay `application/octet-stream` here.
enum PythonMimeTypes {
    /// The type for `name`, or nil when its extension is unknown.
    static func guess(_ name: String) -> String? {
        var path = Substring(name)
        // `urllib.parse._splittype`: text before the first `:` (and before any `/`) is a scheme.
        if let colon = path.firstIndex(of: ":"), colon != path.startIndex, !path[..<colon].contains("/") {
            let scheme = path[..<colon].lowercased()
            path = path[path.index(after: colon)...]
            if scheme == "data" { return dataURLType(path) }
        }
        var (base, ext) = splitExtension(path)
        while let replacement = suffixes[ext.lowercased()] {
            (base, ext) = splitExtension(Substring(String(base) + replacement))
        }
        // Compression suffixes name an encoding (case-sensitive); the type is the one before it.
        if encodings.contains(String(ext)) { (base, ext) = splitExtension(base) }
        let key = ext.lowercased()
        return types[key] ?? commonTypes[key]
    }

    /// `posixpath.splitext`: the last `.` after the last `/`, unless only dots lead up to it.
    private static func splitExtension(_ path: Substring) -> (Substring, Substring) {
        let slash = path.lastIndex(of: "/")
        guard let dot = path.lastIndex(of: "."), slash.map({ dot > $0 }) ?? true else { return (path, "") }
        let nameStart = slash.map { path.index(after: $0) } ?? path.startIndex
        guard path[nameStart..<dot].contains(where: { $0 != "." }) else { return (path, "") }
        return (path[..<dot], path[dot...])
    }

    /// A `data:` URL's type: up to `;` or `,`, `text/plain` when it has no `/` or has an `=`.
    private static func dataURLType(_ rest: Substring) -> String? {
        guard let comma = rest.firstIndex(of: ",") else { return nil }
        let type = rest[..<(rest[..<comma].firstIndex(of: ";") ?? comma)]
        return type.contains("=") || !type.contains("/") ? "text/plain" : String(type)
    }

    private static let suffixes = [
        ".svgz": ".svg.gz", ".tgz": ".tar.gz", ".taz": ".tar.gz", ".tz": ".tar.gz", ".tbz2": ".tar.bz2", ".txz": ".tar.xz",
    ]
    private static let encodings: Set<String> = [".gz", ".Z", ".bz2", ".xz", ".br"]

    /// `mimetypes.types_map` and `common_types` of Python 3.11, without the host's files.
    private static let types: [String: String] = [
        ".3g2": "audio/3gpp2", ".3gp": "audio/3gpp", ".3gpp": "audio/3gpp", ".3gpp2": "audio/3gpp2", ".a": "application/octet-stream",
        ".aac": "audio/aac", ".adts": "audio/aac", ".ai": "application/postscript", ".aif": "audio/x-aiff", ".aifc": "audio/x-aiff",
        ".aiff": "audio/x-aiff", ".ass": "audio/aac", ".au": "audio/basic", ".avi": "video/x-msvideo", ".avif": "image/avif",
        ".bat": "text/plain", ".bcpio": "application/x-bcpio", ".bin": "application/octet-stream", ".bmp": "image/bmp", ".c": "text/plain",
        ".cdf": "application/x-netcdf", ".cpio": "application/x-cpio", ".csh": "application/x-csh", ".css": "text/css", ".csv": "text/csv",
        ".dll": "application/octet-stream", ".doc": "application/msword", ".dot": "application/msword", ".dvi": "application/x-dvi",
        ".eml": "message/rfc822", ".eps": "application/postscript", ".etx": "text/x-setext", ".exe": "application/octet-stream",
        ".gif": "image/gif", ".gtar": "application/x-gtar", ".h": "text/plain", ".h5": "application/x-hdf5", ".hdf": "application/x-hdf",
        ".heic": "image/heic", ".heif": "image/heif", ".htm": "text/html", ".html": "text/html", ".ico": "image/vnd.microsoft.icon",
        ".ief": "image/ief", ".jpe": "image/jpeg", ".jpeg": "image/jpeg", ".jpg": "image/jpeg", ".js": "application/javascript",
        ".json": "application/json", ".ksh": "text/plain", ".latex": "application/x-latex", ".loas": "audio/aac", ".m1v": "video/mpeg",
        ".m3u": "application/vnd.apple.mpegurl", ".m3u8": "application/vnd.apple.mpegurl", ".man": "application/x-troff-man",
        ".me": "application/x-troff-me", ".mht": "message/rfc822", ".mhtml": "message/rfc822", ".mif": "application/x-mif",
        ".mjs": "application/javascript", ".mov": "video/quicktime", ".movie": "video/x-sgi-movie", ".mp2": "audio/mpeg",
        ".mp3": "audio/mpeg", ".mp4": "video/mp4", ".mpa": "video/mpeg", ".mpe": "video/mpeg", ".mpeg": "video/mpeg", ".mpg": "video/mpeg",
        ".ms": "application/x-troff-ms", ".n3": "text/n3", ".nc": "application/x-netcdf", ".nq": "application/n-quads",
        ".nt": "application/n-triples", ".nws": "message/rfc822", ".o": "application/octet-stream", ".obj": "application/octet-stream",
        ".oda": "application/oda", ".opus": "audio/opus", ".p12": "application/x-pkcs12", ".p7c": "application/pkcs7-mime",
        ".pbm": "image/x-portable-bitmap", ".pdf": "application/pdf", ".pfx": "application/x-pkcs12", ".pgm": "image/x-portable-graymap",
        ".pl": "text/plain", ".png": "image/png", ".pnm": "image/x-portable-anymap", ".pot": "application/vnd.ms-powerpoint",
        ".ppa": "application/vnd.ms-powerpoint", ".ppm": "image/x-portable-pixmap", ".pps": "application/vnd.ms-powerpoint",
        ".ppt": "application/vnd.ms-powerpoint", ".ps": "application/postscript", ".pwz": "application/vnd.ms-powerpoint",
        ".py": "text/x-python", ".pyc": "application/x-python-code", ".pyo": "application/x-python-code", ".qt": "video/quicktime",
        ".ra": "audio/x-pn-realaudio", ".ram": "application/x-pn-realaudio", ".ras": "image/x-cmu-raster", ".rdf": "application/xml",
        ".rgb": "image/x-rgb", ".roff": "application/x-troff", ".rtx": "text/richtext", ".sgm": "text/x-sgml", ".sgml": "text/x-sgml",
        ".sh": "application/x-sh", ".shar": "application/x-shar", ".snd": "audio/basic", ".so": "application/octet-stream",
        ".src": "application/x-wais-source", ".srt": "text/plain", ".sv4cpio": "application/x-sv4cpio", ".sv4crc": "application/x-sv4crc",
        ".svg": "image/svg+xml", ".swf": "application/x-shockwave-flash", ".t": "application/x-troff", ".tar": "application/x-tar",
        ".tcl": "application/x-tcl", ".tex": "application/x-tex", ".texi": "application/x-texinfo", ".texinfo": "application/x-texinfo",
        ".tif": "image/tiff", ".tiff": "image/tiff", ".tr": "application/x-troff", ".trig": "application/trig",
        ".tsv": "text/tab-separated-values", ".txt": "text/plain", ".ustar": "application/x-ustar", ".vcf": "text/x-vcard",
        ".vtt": "text/vtt", ".wasm": "application/wasm", ".wav": "audio/x-wav", ".webm": "video/webm",
        ".webmanifest": "application/manifest+json", ".wiz": "application/msword", ".wsdl": "application/xml", ".xbm": "image/x-xbitmap",
        ".xlb": "application/vnd.ms-excel", ".xls": "application/vnd.ms-excel", ".xml": "text/xml", ".xpdl": "application/xml",
        ".xpm": "image/x-xpixmap", ".xsl": "application/xml", ".xwd": "image/x-xwindowdump", ".zip": "application/zip",
    ]
    private static let commonTypes: [String: String] = [
        ".jpg": "image/jpg", ".mid": "audio/midi", ".midi": "audio/midi", ".pct": "image/pict", ".pic": "image/pict", ".pict": "image/pict",
        ".rtf": "application/rtf", ".webp": "image/webp", ".xul": "text/xul",
    ]
}
