import DeskCore
import MultipartKit
import NIOCore

/// A `multipart/form-data` body split into its parts, with fixed limits so a hostile body cannot
/// cost unbounded work (parts are counted while parsing; the body size is bounded by the server's
/// body limit before this runs).
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        /// The `name` of `Content-Disposition: form-data; name="…"`.
        public var name: String
        /// The `filename` parameter, for file uploads.
        public var filename: String?
        /// The part's `Content-Type`; nil when absent (a plain field).
        public var contentType: String?
        public var body: [UInt8]
        /// The raw `Content-Disposition` header, for faces that read its parameters by their
        /// product's own rules.
        public var disposition: String = ""

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public var parts: [Part]

    public static let maxParts = 1_000

    public enum Failure: Error, Equatable, Sendable {
        case noBoundary
        case malformed
        case tooManyParts
    }

    /// Parses `body` using the boundary of `contentType` (`multipart/form-data; boundary=…`).
    public init(body: [UInt8], contentType: String) throws(Failure) {
        guard let boundary = MediaType.parameter("boundary", of: contentType), !boundary.isEmpty, boundary.count <= 200 else {
            throw .noBoundary
        }
        guard !Self.hasNonASCIIHeaderName(body, delimiter: Array(("--" + boundary).utf8)) else { throw .malformed }
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var headers: [(String, String)] = []
        var content: [UInt8] = []
        var overflow = false
        parser.onHeader = { name, value in headers.append((name.lowercased(), value)) }
        parser.onBody = { buffer in content += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        parser.onPartComplete = {
            defer {
                headers = []
                content = []
            }
            guard parts.count < Self.maxParts else {
                overflow = true
                return
            }
            let disposition = headers.first { $0.0 == "content-disposition" }?.1 ?? ""
            parts.append(
                Part(
                    name: MediaType.parameter("name", of: disposition) ?? "",
                    filename: MediaType.parameter("filename", of: disposition),
                    contentType: headers.first { $0.0 == "content-type" }?.1,
                    body: content, disposition: disposition))
        }
        do {
            try parser.execute(body)
        } catch {
            throw .malformed
        }
        guard !overflow else { throw .tooManyParts }
        self.parts = parts
    }

    /// Whether a line of a part's header block has a byte at or above 0x80 before its colon.
    /// multipart-kit 4.7 looks header-name bytes up in a table of 128 entries and traps on such
    /// a byte (a 70-byte body stopped the server before any credentials were read); header names
    /// are ASCII tokens, so such a body is malformed anyway. Every line from a delimiter to the
    /// next empty line counts as a header line: the parser reads no name anywhere else.
    static func hasNonASCIIHeaderName(_ body: [UInt8], delimiter: [UInt8]) -> Bool {
        body.withUnsafeBufferPointer { bytes in
            let lineFeed = UInt8(ascii: "\n")
            func endOfLine(from start: Int) -> Int {
                var index = start
                while index < bytes.count, bytes[index] != lineFeed { index += 1 }
                return index
            }
            var index = 0
            while index + delimiter.count <= bytes.count {
                guard bytes[index] == delimiter[0], bytes[index..<index + delimiter.count].elementsEqual(delimiter) else {
                    index += 1
                    continue
                }
                // The rest of the delimiter line, then header lines up to an empty one.
                var line = endOfLine(from: index + delimiter.count) + 1
                while line < bytes.count, bytes[line] != UInt8(ascii: "\r"), bytes[line] != lineFeed {
                    var at = line
                    while at < bytes.count, bytes[at] != UInt8(ascii: ":"), bytes[at] != lineFeed {
                        if bytes[at] >= 0x80 { return true }
                        at += 1
                    }
                    line = endOfLine(from: at) + 1
                }
                index = line
            }
            return false
        }
    }

    /// The plain fields (parts without a file name) as a parameter hash; a repeated name becomes an array.
    public var fields: [String: JSONValue] {
        FormCodec.repeated(parts.filter { $0.filename == nil }.map { ($0.name, $0.text) })
    }

    /// The file parts, in order.
    public var files: [Part] {
        parts.filter { $0.filename != nil }
    }
}
