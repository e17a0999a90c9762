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

    /// The plain fields (parts without a file name) as a parameter hash; a repeated name becomes an array.
    public var fields: [String: JSONValue] {
        FormCodec.repeated(parts.filter { $0.filename == nil }.map { ($0.name, $0.text) })
    }

    /// The file parts, in order.
    public var files: [Part] {
        parts.filter { $0.filename != nil }
    }
}
