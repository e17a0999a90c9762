import DeskCore
import DeskFaceKit

/// SessionCreate, SessionGet and SessionRemove (§5.1, §5.2, §5.8 of the spec).
struct SessionOperations {
    let services: DeskServices

    func create(_ request: FaceRequest) async throws -> GIResult {
        let data = request.parameters.filter { $0.key != "RequestMethod" }
        guard !data.isEmpty || !request.credentials.isEmpty else {
            return .error(code: "SessionCreate.MissingParameter", message: "SessionCreate: The request is empty!")
        }
        let password = request.credentials["Password"] ?? data.string("Password")
        guard let password, !password.isEmpty else {
            return .error(code: "SessionCreate.MissingParameter", message: "SessionCreate: Password parameter is missing!")
        }
        let fail = GIResult.error(code: "SessionCreate.AuthFail", message: "SessionCreate: Authorization failing!")
        let userLogin = request.credentials["UserLogin"] ?? data.string("UserLogin")
        let customerLogin = request.credentials["CustomerUserLogin"] ?? data.string("CustomerUserLogin")
        let credential: Credential
        if let login = userLogin, !login.isEmpty {
            credential = .agentPassword(login: login, password: password)
        } else if let login = customerLogin, !login.isEmpty {
            credential = .customerPassword(login: login, password: password)
        } else {
            return fail
        }
        guard let principal = try await services.auth.authenticate(credential, from: request.origin).principal else { return fail }
        let id = try await services.sessions.create(for: principal, source: "GenericInterface", origin: request.origin)
        return .data(["SessionID": .string(id)])
    }

    func get(_ request: FaceRequest) async throws -> GIResult {
        let data = request.parameters.filter { $0.key != "RequestMethod" }
        let sessionID = request.credentials["SessionID"] ?? data.string("SessionID")
        guard !data.isEmpty || sessionID != nil else {
            return .error(code: "SessionGet.MissingParameter", message: "SessionGet: The request is empty!")
        }
        guard let sessionID, !sessionID.isEmpty else {
            return .error(code: "SessionGet.MissingParameter", message: "SessionGet: SessionID is missing!")
        }
        guard let info = try await services.sessions.sessionInfo(id: sessionID) else {
            return .error(code: "SessionGet.SessionInvalid", message: "SessionGet: SessionID is Invalid!")
        }
        let session = info.session
        var values: [String: String] = [
            "SessionSource": session.source,
            "UserLastRequest": String(session.lastRequestAt),
            "UserLogin": session.login,
            "UserRemoteAddr": session.remoteAddress,
            "UserRemoteUserAgent": session.userAgent,
            "UserSessionStart": String(session.createdAt),
            "UserType": session.userType.rawValue,
        ]
        switch session.userType {
        case .agent:
            if let agent = info.agent {
                values["UserID"] = String(agent.id)
                values["UserFirstname"] = agent.firstName
                values["UserLastname"] = agent.lastName
                values["UserFullname"] = agent.fullName
                values["UserEmail"] = agent.email
                values["OutOfOffice"] = agent.outOfOffice ? "1" : "0"
            }
        case .customer:
            if let customer = info.customer {
                values["UserID"] = customer.login
                values["UserCustomerID"] = customer.customerID
                values["UserFirstname"] = customer.firstName
                values["UserLastname"] = customer.lastName
                values["UserFullname"] = customer.fullName
                values["UserEmail"] = customer.email
            }
        }
        let list = values.keys.sorted().map { key -> JSONValue in .object(["Key": .string(key), "Value": .string(values[key]!)]) }
        return .data(["SessionData": .array(list)])
    }

    func remove(_ request: FaceRequest) async throws -> GIResult {
        let data = request.parameters.filter { $0.key != "RequestMethod" }
        let sessionID = request.credentials["SessionID"] ?? data.string("SessionID")
        guard !data.isEmpty || sessionID != nil else {
            // Znuny answers an empty SessionRemove with SessionCreate's code and text (quirk).
            return .error(code: "SessionCreate.MissingParameter", message: "SessionCreate: The request is empty!")
        }
        guard let sessionID, !sessionID.isEmpty else {
            return .error(code: "SessionRemove.MissingParameter", message: "SessionRemove: SessionID parameter is missing!")
        }
        guard try await services.sessions.remove(id: sessionID) else {
            return .error(code: "SessionRemove.Fail", message: "SessionRemove: Could not remove SessionID!")
        }
        return .data(["Success": .int(1)])
    }
}
