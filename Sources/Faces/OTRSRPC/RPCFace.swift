import DeskCore
import DeskFaceKit
import Hummingbird
import Logging

/// The legacy OTRS 2.x/3.x SOAP interface `POST /otrs/rpc.pl` (§8 of the spec): SOAP 1.1
/// RPC/encoded `Dispatch(User, Password, Object, Method, Key1, Value1, …)` and
/// `DispatchMultipleTicketMethods`. The caller authenticates with the face's one shared
/// credential, set as `SOAP::User` and `SOAP::Password` (a core secret pair, the password kept
/// as a slow hash); the ticket methods then act as the agent named by their `UserID`
/// parameter, the lookups as agent 1.
///
/// OTRS dispatched to any method of the named Perl object. SwiftDesk only answers the
/// `Object→Method` pairs listed in `RPCMethods.supported` and answers every other pair with a SOAP
/// Fault naming it: this interface is a security boundary, not a generic dispatcher.
public struct RPCFace: Face {
    public static let faceName = "otrs-rpc"
    public var name: String { Self.faceName }

    let services: DeskServices
    let environment: FaceEnvironment

    public init(services: DeskServices, environment: FaceEnvironment) {
        self.services = services
        self.environment = environment
    }

    static let path = "/otrs/rpc.pl"

    public func register(on router: Router<FaceRequestContext>) {
        router.post(RouterPath(stringLiteral: Self.path)) { request, context in
            try await respond(to: request, context: context)
        }
    }

    /// `SOAP::User` and `SOAP::Password`, OTRS's names for the shared credential.
    public var settings: [FaceSetting] {
        let credentials = services.credentials
        return [
            FaceSetting(
                key: "SOAP::User", help: "user name for the legacy rpc.pl interface (empty = disabled)",
                read: { try await credentials.sharedPair(face: Self.faceName)?.identifier ?? "" },
                write: { try await credentials.setSharedPair(face: Self.faceName, identifier: $0, secret: nil) }),
            FaceSetting(
                key: "SOAP::Password", help: "password for the legacy rpc.pl interface (kept as a slow hash)", isSecret: true,
                read: { try await credentials.sharedPair(face: Self.faceName)?.hasSecret == true ? "(set)" : "" },
                write: { try await credentials.setSharedPair(face: Self.faceName, identifier: nil, secret: $0) }),
        ]
    }

    func respond(to request: Request, context: FaceRequestContext) async throws -> Response {
        context.tags.set(face: name)
        var logger = context.logger
        logger[metadataKey: "face"] = .string(name)
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            return Self.xml(.contentTooLarge, RPCEnvelope.fault(code: "soap:Client", "Request Entity Too Large"))
        }
        let call: RPCEnvelope.Call
        do {
            call = try RPCEnvelope.read(Array(buffer: body))
        } catch .unreadable(let message) {
            return Self.xml(.internalServerError, RPCEnvelope.fault(code: "soap:Client", message))
        }
        // `Core->new`, which OTRS's autodispatch examples call first, answers its class name.
        if call.method == "new" {
            return Self.xml(.ok, RPCEnvelope.response(method: call.method, namespace: call.namespace, values: [.scalar("Core")]))
        }
        guard call.method == "Dispatch" || call.method == "DispatchMultipleTicketMethods" else {
            return Self.xml(
                .internalServerError, RPCEnvelope.fault(code: "soap:Client", "Failed to locate method (\(call.method)) in class (Core)"))
        }
        context.tags.set(operation: call.method)
        let values: [PerlValue]
        do {
            values = try await dispatch(
                call,
                origin: RequestOrigin(
                    address: environment.clientAddress(request, context: context), userAgent: request.headers[.userAgent] ?? ""),
                logger: logger)
        } catch let failure as RPCMethods.Failure {
            logger.notice("rpc.pl call refused", metadata: ["reason": .string(failure.message)])
            return Self.xml(.internalServerError, RPCEnvelope.fault(failure.message))
        } catch {
            logger.error("rpc.pl call failed", metadata: ["error": "\(error)"])
            return Self.xml(.internalServerError, RPCEnvelope.fault("Internal error, please contact the system administrator"))
        }
        return Self.xml(.ok, RPCEnvelope.response(method: call.method, namespace: call.namespace, values: values))
    }

    /// Authenticates the shared credential, then runs one method or a list of them.
    func dispatch(_ call: RPCEnvelope.Call, origin: RequestOrigin, logger: Logger) async throws -> [PerlValue] {
        let scalars = call.parameters.map { $0.scalarString ?? "" }
        guard scalars.count >= 4 else { throw RPCMethods.Failure(message: "\(call.method) needs User, Password, Object and Method") }
        // OTRS answers a wrong or unconfigured credential with an empty response, not a fault.
        let credential = Credential.secretPair(face: name, identifier: scalars[0], secret: scalars[1])
        guard case .accepted = try await services.auth.authenticate(credential, from: origin) else {
            logger.notice("rpc.pl authentication failed", metadata: ["user": .string(scalars[0])])
            return []
        }
        let object = scalars[2]
        guard RPCMethods.objects.contains(object) else { return [.scalar("No such Object \(object)!")] }
        let methods = RPCMethods(services: services, logger: logger)
        if call.method == "Dispatch" {
            return try await methods.call(object: object, method: scalars[3], parameters: Self.pairs(call.parameters.dropFirst(4)))
        }
        return try await methods.callMultiple(object: object, list: call.parameters[3])
    }

    /// The flat key/value list after the fourth parameter, as a Perl hash (a later key wins).
    static func pairs(_ values: ArraySlice<JSONValue>) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        var iterator = values.makeIterator()
        while let key = iterator.next() {
            let value = iterator.next() ?? .null
            if let name = key.scalarString { members[name] = value }
        }
        return members
    }

    static func xml(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Responses.text(status, contentType: "text/xml; charset=utf-8", text)
    }
}
