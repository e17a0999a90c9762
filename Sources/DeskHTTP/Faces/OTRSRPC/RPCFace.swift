import DeskCore
import Hummingbird
import Logging

/// The legacy OTRS 2.x/3.x SOAP interface `POST /otrs/rpc.pl` (§8 of the spec): SOAP 1.1
/// RPC/encoded `Dispatch(User, Password, Object, Method, Key1, Value1, …)` and
/// `DispatchMultipleTicketMethods`. The caller authenticates with the one shared credential of
/// the settings `SOAP::User`/`SOAP::Password`; the methods then act as the agent named by their
/// `UserID` parameter.
///
/// OTRS dispatched to any method of the named Perl object. SwiftDesk only answers the
/// `Object→Method` pairs listed in `RPCMethods.supported` and answers every other pair with a SOAP
/// Fault naming it: this interface is a security boundary, not a generic dispatcher.
struct RPCFace {
    let services: AppServices

    static let path = "/otrs/rpc.pl"

    func register(on router: Router<DeskRequestContext>) {
        router.post(RouterPath(stringLiteral: Self.path)) { request, context in
            try await respond(to: request, context: context)
        }
    }

    func respond(to request: Request, context: DeskRequestContext) async throws -> Response {
        var logger = context.logger
        logger[metadataKey: "face"] = "otrs-rpc"
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
        guard call.method == "Dispatch" || call.method == "DispatchMultipleTicketMethods" else {
            return Self.xml(
                .internalServerError, RPCEnvelope.fault(code: "soap:Client", "Failed to locate method (\(call.method)) in class (Core)"))
        }
        let values: [PerlValue]
        do {
            values = try await dispatch(call, logger: logger)
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
    func dispatch(_ call: RPCEnvelope.Call, logger: Logger) async throws -> [PerlValue] {
        let scalars = call.parameters.map { $0.scalarString ?? "" }
        guard scalars.count >= 4 else { throw RPCMethods.Failure(message: "\(call.method) needs User, Password, Object and Method") }
        let settings = try await services.store.read { try await $0.catalog().settings }
        let user = settings["SOAP::User"]
        let password = settings["SOAP::Password"]
        // OTRS answers a wrong or unconfigured credential with an empty response, not a fault.
        guard !user.isEmpty, !password.isEmpty, Self.equal(scalars[0], user), Self.equal(scalars[1], password) else {
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

    /// Compares without stopping at the first difference, so response times do not reveal how
    /// much of a guessed credential was right.
    static func equal(_ given: String, _ expected: String) -> Bool {
        let left = Array(given.utf8)
        let right = Array(expected.utf8)
        var difference = left.count ^ right.count
        for index in 0..<max(left.count, right.count) {
            difference |= Int((index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0))
        }
        return difference == 0
    }

    static func xml(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
