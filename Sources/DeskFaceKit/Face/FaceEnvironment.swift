import DeskCore
import HTTPTypes
import Hummingbird

/// What every face gets from the composition root besides the core services: the proxies whose
/// `X-Forwarded-For` is believed.
public struct FaceEnvironment: Sendable {
    public var trustedProxies: TrustedProxies

    public init(trustedProxies: TrustedProxies = TrustedProxies()) {
        self.trustedProxies = trustedProxies
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The client's address for `request` (see `TrustedProxies`).
    public func clientAddress(_ request: Request, context: FaceRequestContext) -> String {
        trustedProxies.clientAddress(socket: context.socketAddress?.hostText, forwardedFor: request.headers[Self.forwardedFor])
    }

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
