import DeskCore
import DeskFaceKit

/// SessionCreate, SessionGet and SessionRemove (§5.1, §5.2, §5.8 of the spec).
struct SessionOperations {
    let services: DeskServices

    /// Over REST a request without a body still carries `RequestMethod` in its data (as
    /// Znuny's REST transport adds it), so "The request is empty!" is a SOAP answer.
    func create(_ request: FaceRequest) async throws -> GIResult {
        let data = request.parameters
        guard !data.isEmpty || !request.credentials.isEmpty else {
            return .error(code: "SessionCreate.MissingParameter", message: "SessionCreate: The request is empty!")
        }
        let password = request.credentials["Password"] ?? data.string("Password")
        // Perl truth: "0" is no password.
        guard let password, !password.isEmpty, password != "0" else {
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
        let data = request.parameters
        let sessionID = request.credentials["SessionID"] ?? data.string("SessionID")
        guard !data.isEmpty || sessionID != nil else {
            return .error(code: "SessionGet.MissingParameter", message: "SessionGet: The request is empty!")
        }
        guard let sessionID, !sessionID.isEmpty, sessionID != "0" else {
            return .error(code: "SessionGet.MissingParameter", message: "SessionGet: SessionID is missing!")
        }
        guard let info = try await services.sessions.sessionInfo(id: sessionID) else {
            return .error(code: "SessionGet.SessionInvalid", message: "SessionGet: SessionID is Invalid!")
        }
        let session = info.session
        var values: [String: JSONValue] = SessionData.sessionKeys(session)
        switch session.userType {
        case .agent:
            if let agent = info.agent { values.merge(SessionData.agentKeys(agent, now: services.clock.now())) { _, new in new } }
        case .customer:
            if let customer = info.customer { values.merge(SessionData.customerKeys(customer, company: info.company)) { _, new in new } }
        }
        // Perl's `sort keys`: byte order.
        let list = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { key -> JSONValue in
            .object(["Key": .string(key), "Value": values[key]!])
        }
        return .data(["SessionData": .array(list)])
    }

    func remove(_ request: FaceRequest) async throws -> GIResult {
        let data = request.parameters
        let sessionID = request.credentials["SessionID"] ?? data.string("SessionID")
        guard !data.isEmpty || sessionID != nil else {
            // Znuny answers an empty SessionRemove with SessionCreate's code and text (quirk).
            return .error(code: "SessionCreate.MissingParameter", message: "SessionCreate: The request is empty!")
        }
        guard let sessionID, !sessionID.isEmpty else {
            return .error(code: "SessionRemove.MissingParameter", message: "SessionRemove: SessionID parameter is missing!")
        }
        // `RemoveSessionID` succeeds whenever its DELETE runs, whether or not a session had the
        // id: removing an unknown, expired or already removed session answers success too.
        _ = try await services.sessions.remove(id: sessionID)
        return .data(["Success": .int(1)])
    }
}

/// The keys of Znuny 7's SessionGet (SessionGet.pm, AuthSession/DB.pm, User.pm): the session's
/// own keys, the user's record and the preference defaults a new agent has. Passwords, hashes and
/// challenge tokens are never part of it.
enum SessionData {
    static func sessionKeys(_ session: DeskSession) -> [String: JSONValue] {
        [
            "SessionSource": .string(session.source),
            "UserLastRequest": .string(String(session.lastRequestAt)),
            "UserLogin": .string(session.login),
            // Znuny stores `none` when the request had no address or no User-Agent.
            "UserRemoteAddr": .string(session.remoteAddress.isEmpty ? "none" : session.remoteAddress),
            "UserRemoteUserAgent": .string(session.userAgent.isEmpty ? "none" : session.userAgent),
            "UserSessionStart": .string(String(session.createdAt)),
            "UserType": .string(session.userType.rawValue),
            // The login that made this session is the user's last login.
            "UserLastLogin": .string(String(session.createdAt)),
            "UserLastLoginTimestamp": .string(CivilDate(unixSeconds: session.createdAt).timestampString),
            "UserLoginFailed": .string("0"),
        ]
    }

    /// Preferences every agent has by default (`PreferencesGroups###*` with `DataSelected`).
    static let agentDefaults: [String: String] = [
        "AdminCommunicationLogPageShown": "25", "AdminDynamicFieldsOverviewPageShown": "25", "UserActivityLinkTarget": "_self",
        "UserCreateNextMask": "", "UserLastViewsLimit": "5", "UserLastViewsPosition": "Avatar", "UserRefreshTime": "0",
        "UserTicketOverviewMediumPageShown": "20", "UserTicketOverviewPreviewPageShown": "15", "UserTicketOverviewSmallPageShown": "25",
    ]

    static func agentKeys(_ agent: Agent, now: Int64) -> [String: JSONValue] {
        var values = agentDefaults.mapValues(JSONValue.string)
        values["UserID"] = .string(String(agent.id))
        values["UserFirstname"] = .string(agent.firstName)
        values["UserLastname"] = .string(agent.lastName)
        values["UserFullname"] = .string(agent.fullName)
        values["UserEmail"] = .string(agent.email.isEmpty ? agent.login : agent.email)
        values["UserTitle"] = .null
        values["ValidID"] = .string(String(agent.validity.rawValue))
        values["CreateTime"] = .string(CivilDate(unixSeconds: agent.createdAt).timestampString)
        values["ChangeTime"] = .string(CivilDate(unixSeconds: agent.changedAt).timestampString)
        // Out-of-office preferences exist only once they were set.
        if let start = agent.outOfOfficeStart.flatMap(CivilDate.init(timestamp:)),
            let end = agent.outOfOfficeEnd.flatMap(CivilDate.init(timestamp:))
        {
            values.merge(outOfOfficeKeys(agent, start: start, end: end, now: now)) { _, new in new }
            if let message = values["OutOfOfficeMessage"]?.scalarString {
                values["UserFullname"] = .string(agent.fullName + " " + message)
            }
        }
        return values
    }

    /// `GetUserData`'s out-of-office keys: the dates as the OutOfOffice operation stores them
    /// (two-digit months and days), the days until the end (23:59:59 UTC, truncated toward zero)
    /// while the flag is on, and within the period the default `DisplayAgentOutOfOfficeMessage`,
    /// which Znuny also appends to `UserFullname`.
    static func outOfOfficeKeys(_ agent: Agent, start: CivilDate, end: CivilDate, now: Int64) -> [String: JSONValue] {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        var values: [String: JSONValue] = [
            "OutOfOffice": .string(agent.outOfOffice ? "1" : "0"),
            "OutOfOfficeStartYear": .string(String(start.year)), "OutOfOfficeStartMonth": .string(two(start.month)),
            "OutOfOfficeStartDay": .string(two(start.day)), "OutOfOfficeEndYear": .string(String(end.year)),
            "OutOfOfficeEndMonth": .string(two(end.month)), "OutOfOfficeEndDay": .string(two(end.day)),
        ]
        guard agent.outOfOffice, let until = agent.outOfOfficePeriod?.end else { return values }
        let remaining = (until - now) / 86_400
        values["OutOfOfficeDaysRemaining"] = .string(String(remaining))
        if agent.isOutOfOffice(at: now) {
            values["OutOfOfficeMessage"] = .string(
                "*** out of office until \(end.year)-\(two(end.month))-\(two(end.day))/\(remaining) d ***")
        }
        return values
    }

    /// `CustomerUserDataGet` with the default DB map: the customer's record (map fields SwiftDesk
    /// does not keep are empty, as `CustomerUserAdd` stores them), then the company's fields
    /// when the company is on record.
    static func customerKeys(_ customer: CustomerUser, company: CustomerCompany?) -> [String: JSONValue] {
        var values: [String: JSONValue] = [
            "UserID": .string(customer.login),
            "UserCustomerID": .string(customer.customerID),
            "UserFirstname": .string(customer.firstName),
            "UserLastname": .string(customer.lastName),
            "UserFullname": .string(customer.fullName),
            "UserEmail": .string(customer.email),
            "UserMailString": .string(customer.mailbox),
            "UserTitle": .string(""),
            "UserPhone": .string(customer.phone),
            "UserComment": .string(customer.comment),
            "UserAuthBackend": .string(""),
            "ValidID": .string(String(customer.validity.rawValue)),
            "CreateTime": .string(CivilDate(unixSeconds: customer.createdAt).timestampString),
            "ChangeTime": .string(CivilDate(unixSeconds: customer.changedAt).timestampString),
            "Source": .string("CustomerUser"),
            "UserShowTickets": .string("25"),
            "UserRefreshTime": .string("0"),
            "UserLastViewsLimit": .string("5"),
            "CustomerCompanyValidID": company.map { .string(String($0.validity.rawValue)) } ?? .null,
        ]
        for key in ["UserFax", "UserMobile", "UserStreet", "UserZip", "UserCity", "UserCountry"] { values[key] = .string("") }
        if let company {
            values["CustomerID"] = .string(company.customerID)
            values["CustomerCompanyName"] = .string(company.name)
            for key in ["Street", "ZIP", "City", "Country", "URL", "Comment"] { values["CustomerCompany" + key] = .string("") }
        }
        return values
    }
}
