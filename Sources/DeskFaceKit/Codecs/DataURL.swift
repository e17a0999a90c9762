import DeskCore

/// RFC 2397 `data:` URLs, as osTicket's API takes messages and attachments:
/// `data:[<media type>][;charset=<charset>][;base64],<data>`.
public struct DataURL: Sendable, Equatable {
    /// `text/plain` when the URL names none (RFC 2397's default).
    public var mediaType: String
    /// The `charset` parameter as given, lower-cased; nil when absent.
    public var charset: String?
    public var isBase64: Bool
    public var bytes: [UInt8]

    public enum Failure: Error, Equatable, Sendable {
        case notADataURL
        case badBase64
    }

    /// Parses `text`. Percent-escapes in the non-base64 form are decoded as RFC 2397 says, unless
    /// `percentDecoding` is off (osTicket takes the payload as it is); `lenientBase64` decodes as
    /// PHP's `base64_decode` does by default, skipping characters outside the alphabet.
    public init(parsing text: String, percentDecoding: Bool = true, lenientBase64: Bool = false) throws(Failure) {
        guard text.count >= 5, text.prefix(5).lowercased() == "data:", let comma = text.firstIndex(of: ",") else {
            throw .notADataURL
        }
        let header = text[text.index(text.startIndex, offsetBy: 5)..<comma]
        let payload = text[text.index(after: comma)...]
        var parameters = header.split(separator: ";", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        var base64 = false
        if parameters.last?.lowercased() == "base64" {
            base64 = true
            parameters.removeLast()
        }
        let type = parameters.first.flatMap { $0.isEmpty || $0.contains("=") ? nil : $0.lowercased() }
        if type != nil { parameters.removeFirst() }
        var charset: String?
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "charset" { charset = String(pair[1]).lowercased().replacingQuotes() }
        }
        guard type.map({ MediaType.isMimeType($0) }) ?? true else { throw .notADataURL }
        mediaType = type ?? "text/plain"
        self.charset = charset
        isBase64 = base64
        if base64 {
            if lenientBase64 {
                bytes = Base64.decode(String(payload))
            } else {
                guard let decoded = Base64.decodeStrict(String(payload)) else { throw .badBase64 }
                bytes = decoded
            }
        } else {
            bytes = percentDecoding ? Array(FormCodec.unescape(payload, plusAsSpace: false).utf8) : Array(payload.utf8)
        }
    }

    /// The payload as text in its charset (UTF-8 when none is named); nil when it does not decode.
    public var text: String? {
        TextEncoding.decode(bytes, charset: charset ?? "utf-8")
    }
}
