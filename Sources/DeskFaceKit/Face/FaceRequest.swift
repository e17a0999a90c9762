import DeskCore
import Logging

/// What a face's operation receives, whatever the wire format was: the parameters (decoded from
/// JSON, XML, a form or the query), the credentials the caller presented outside them (headers),
/// where the request comes from, and a logger tagged with face and operation.
public struct FaceRequest: Sendable {
    public var face: String
    public var operation: String
    public var parameters: [String: JSONValue]
    /// Credentials presented in headers, by the dialect's own names (`X-API-Key`, `Authorization`,
    /// Znuny's `X-OTRS-Header-*` fields).
    public var credentials: [String: String]
    /// The client's address (see `TrustedProxies`); empty when unknown.
    public var clientAddress: String
    /// The `User-Agent` header; empty when absent.
    public var userAgent: String
    public var logger: Logger

    public init(
        face: String, operation: String, parameters: [String: JSONValue], credentials: [String: String] = [:],
        clientAddress: String, userAgent: String, logger: Logger
    ) {
        self.face = face
        self.operation = operation
        self.parameters = parameters
        self.credentials = credentials
        self.clientAddress = clientAddress
        self.userAgent = userAgent
        var logger = logger
        logger[metadataKey: "face"] = .string(face)
        logger[metadataKey: "operation"] = .string(operation)
        self.logger = logger
    }

    /// Where the caller is, for the core's credential checks and throttling.
    public var origin: RequestOrigin {
        RequestOrigin(address: clientAddress, userAgent: userAgent)
    }
}
