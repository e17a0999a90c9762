import DeskCore

/// SessionCreate, SessionGet and SessionRemove (§5.1, §5.2, §5.8 of the spec).
struct SessionOperations {
    let services: AppServices

    func create(_ request: GIRequest) async throws -> GIResult {
        let data = request.data.filter { $0.key != "RequestMethod" }
        guard !data.isEmpty || !request.headerCredentials.isEmpty else {
            return .error(code: "SessionCreate.MissingParameter", message: "SessionCreate: The request is empty!")
        }
        let password = request.headerCredentials["Password"] ?? data.string("Password")
        guard let password, !password.isEmpty else {
            return .error(code: "SessionCreate.MissingParameter", message: "SessionCreate: Password parameter is missing!")
        }
        let fail = GIResult.error(code: "SessionCreate.AuthFail", message: "SessionCreate: Authorization failing!")
        let userLogin = request.headerCredentials["UserLogin"] ?? data.string("UserLogin")
        let customerLogin = request.headerCredentials["CustomerUserLogin"] ?? data.string("CustomerUserLogin")
        let principal: Principal
        if let login = userLogin, !login.isEmpty {
            guard let agent = try await services.auth.authenticateAgent(login: login, password: password) else { return fail }
            principal = .agent(agent)
        } else if let login = customerLogin, !login.isEmpty {
            guard let customer = try await services.auth.authenticateCustomer(login: login, password: password) else { return fail }
            principal = .customer(customer)
        } else {
            return fail
        }
        let id = try await services.sessions.create(
            for: principal, source: "GenericInterface", remoteAddress: request.remoteAddress, userAgent: request.userAgent)
        return .data(["SessionID": .string(id)])
    }

    func get(_ request: GIRequest) async throws -> GIResult {
        let data = request.data.filter { $0.key != "RequestMethod" }
        let sessionID = request.headerCredentials["SessionID"] ?? data.string("SessionID")
        guard !data.isEmpty || sessionID != nil else {
            return .error(code: "SessionGet.MissingParameter", message: "SessionGet: The request is empty!")
        }
        guard let sessionID, !sessionID.isEmpty else {
            return .error(code: "SessionGet.MissingParameter", message: "SessionGet: SessionID is missing!")
        }
        guard let session = try await services.sessions.session(id: sessionID) else {
            return .error(code: "SessionGet.SessionInvalid", message: "SessionGet: SessionID is Invalid!")
        }
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
            if let id = session.agentID, let agent = try await services.store.read({ try await $0.agent(id: id) }) {
                values["UserID"] = String(agent.id)
                values["UserFirstname"] = agent.firstName
                values["UserLastname"] = agent.lastName
                values["UserFullname"] = agent.fullName
                values["UserEmail"] = agent.email
                values["OutOfOffice"] = agent.outOfOffice ? "1" : "0"
            }
        case .customer:
            if let customer = try await services.store.read({ try await $0.customerUser(login: session.login) }) {
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

    func remove(_ request: GIRequest) async throws -> GIResult {
        let data = request.data.filter { $0.key != "RequestMethod" }
        let sessionID = request.headerCredentials["SessionID"] ?? data.string("SessionID")
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
