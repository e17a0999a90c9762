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

    /// `https` when a proxy in front says the client came over TLS, else `http`: for faces that
    /// build absolute URLs. Believed from a trusted proxy or a loopback peer (gunicorn's
    /// default `forwarded_allow_ips`), in any of gunicorn's `secure_scheme_headers`:
    /// `X-Forwarded-Proto: https`, `X-Forwarded-Protocol: ssl`, `X-Forwarded-Ssl: on`.
    public func scheme(_ request: Request, context: FaceRequestContext) -> String {
        guard let socket = context.socketAddress?.hostText,
            trustedProxies.contains(socket) || IPMatcher.matches(socket, pattern: "127.0.0.0/8") || socket == "::1"
        else { return "http" }
        for (name, value) in Self.secureSchemeHeaders where request.headers[name]?.lowercased() == value { return "https" }
        return "http"
    }

    static let secureSchemeHeaders: [(HTTPField.Name, String)] = [
        (HTTPField.Name("X-Forwarded-Proto")!, "https"), (HTTPField.Name("X-Forwarded-Protocol")!, "ssl"),
        (HTTPField.Name("X-Forwarded-Ssl")!, "on"),
    ]

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
