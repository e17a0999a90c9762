import DeskCore
import HTTPTypes
import Hummingbird

/// What every face gets from the composition root besides the core services: the proxies whose
/// `X-Forwarded-For` is believed.
public struct FaceEnvironment: Sendable {
    public var trustedProxies: TrustedProxies
    /// Where a face's routes start, by face name, for faces whose URLs an operator may move
    /// (osTicket's `<root>/api/…`): `""` or a path like `/support`.
    public var mountPoints: [String: String]

    public init(trustedProxies: TrustedProxies = TrustedProxies(), mountPoints: [String: String] = [:]) {
        self.trustedProxies = trustedProxies
        self.mountPoints = mountPoints
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The client's address for `request` (see `TrustedProxies`).
    public func clientAddress(_ request: Request, context: FaceRequestContext) -> String {
        trustedProxies.clientAddress(socket: context.socketAddress?.hostText, forwardedFor: request.headers[Self.forwardedFor])
    }

    /// The scheme the client used, for faces that build absolute URLs (links, a WSDL's
    /// address): what a TLS proxy in front says, in any of gunicorn's `secure_scheme_headers`
    /// (`X-Forwarded-Proto: https`, whose first entry counts, `X-Forwarded-Protocol: ssl`,
    /// `X-Forwarded-Ssl: on`), else `http`. Believed from any peer: it only shapes the URLs in
    /// the caller's own answer.
    public static func scheme(of request: Request) -> String {
        let proto = request.headers[forwardedProto]?.split(separator: ",").first?.trimmingSpaces.lowercased()
        if proto == "https" || request.headers[forwardedProtocol]?.lowercased() == "ssl"
            || request.headers[forwardedSSL]?.lowercased() == "on"
        {
            return "https"
        }
        return "http"
    }

    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwardedProtocol = HTTPField.Name("X-Forwarded-Protocol")!
    static let forwardedSSL = HTTPField.Name("X-Forwarded-Ssl")!

    /// The request value a face operation receives; also names face and operation for the log line.
    public func faceRequest(
        face: String, operation: String, parameters: [String: JSONValue], credentials: [String: String] = [:], request: Request,
        context: FaceRequestContext
    ) -> FaceRequest {
        context.tags.set(face: face, operation: operation)
        return FaceRequest(
            face: face, operation: operation, parameters: parameters, credentials: credentials,
            clientAddress: clientAddress(request, context: context), userAgent: request.headers[.userAgent] ?? "", logger: context.logger)
    }
}
