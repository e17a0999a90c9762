import DeskCore
import DeskStore
import DeskTestSupport
import Synchronization
import Testing

/// A clock tests can move.
final class TestClock: Sendable {
    private let seconds: Mutex<Int64>

    init(_ start: Int64 = Desk.now) {
        seconds = Mutex(start)
    }

    var clock: DeskClock { DeskClock { [self] in seconds.withLock { $0 } } }

    func advance(_ by: Int64) {
        seconds.withLock { $0 += by }
    }
}

@Suite("Credentials, imported password hashes and the login throttle")
struct CredentialTests {
    /// AuthSession/DB.pm `CheckSessionID`: `( $TimeNow - $MaxSessionIdleTime ) >= $Data{UserLastRequest}`.
    @Test("a session ends at the exact second its idle or total time runs out, as in Znuny", arguments: TestDatabase.kinds)
    func sessionExpiry(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let time = TestClock()
            let policy = SessionPolicy(maxTime: 100, maxIdleTime: 40, touchInterval: 30, principalCacheSeconds: 0)
            let services = DeskServices(store: db.store, hasher: TestDatabase.hasher, clock: time.clock, sessionPolicy: policy)
            let root = Principal.agent(try #require(try await services.auth.agentPrincipal(id: 1)))
            let idle = try await services.sessions.create(for: root, source: "test")
            time.advance(39)
            #expect(try await services.sessions.session(id: idle) != nil)
            time.advance(40)
            #expect(try await services.sessions.session(id: idle) == nil)
            let busy = try await services.sessions.create(for: root, source: "test")
            for _ in 0..<3 {
                time.advance(33)
                #expect(try await services.sessions.session(id: busy) != nil)
            }
            time.advance(1)
            #expect(try await services.sessions.session(id: busy) == nil)
        }
    }

    @Test("API keys: found by digest, bound to addresses, active or not, limited to their scopes", arguments: TestDatabase.kinds)
    func apiKeys(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            _ = try await desk.agent("bot", grants: ["users:rw"])
            let key = "0123456789ABCDEF0123456789ABCDEF"
            let record = try await desk.services.credentials.add(
                face: "osticket", kind: .apiKey, secret: key,
                options: .init(agentLogin: "bot", scopes: [.readTickets], allowedAddresses: ["192.0.2.0/24"]))
            #expect(record.hint == "01234567")
            let auth = desk.auth
            let from = RequestOrigin(address: "192.0.2.10")
            guard case .accepted(let principal?, let used?) = try await auth.authenticate(.apiKey(face: "osticket", key: key), from: from)
            else {
                Issue.record("the key was refused")
                return
            }
            #expect(used.id == record.id)
            #expect(principal.login == "bot")
            #expect(principal.allows(.readTickets) && !principal.allows(.createTickets))
            // Scopes are checked in the core, whatever the face.
            await #expect(throws: DeskError.accessDenied(.useScope(.createTickets))) {
                try await desk.tickets.create(Desk.simpleTicket(), by: principal)
            }
            // An administrator's key acting as another agent keeps the key's limits.
            let adminKey = "FEDCBA9876543210FEDCBA9876543210"
            _ = try await desk.services.credentials.add(
                face: "other", kind: .apiKey, secret: adminKey, options: .init(agentLogin: "root@localhost", scopes: [.readTickets]))
            guard case .accepted(let admin?, _) = try await auth.authenticate(.apiKey(face: "other", key: adminKey), from: from) else {
                Issue.record("the admin key was refused")
                return
            }
            let acting = try await auth.impersonate("bot", by: admin)
            #expect(acting.login == "bot" && acting.impersonatedBy == "root@localhost")
            #expect(!Principal.agent(acting).allows(.createTickets) && Principal.agent(acting).allows(.readTickets))
            #expect(
                try await auth.authenticate(.apiKey(face: "osticket", key: key), from: RequestOrigin(address: "198.51.100.1")).refusal
                    == .addressNotAllowed)
            #expect(try await auth.authenticate(.apiKey(face: "osticket", key: key.lowercased()), from: from).refusal == .unknown)
            #expect(try await auth.authenticate(.apiKey(face: "whmcs", key: key), from: from).refusal == .unknown)
            try await desk.services.credentials.setActive(id: record.id, false)
            #expect(try await auth.authenticate(.apiKey(face: "osticket", key: key), from: from).refusal == .inactive)
            await #expect(throws: DeskError.conflict(.exists(.credential, key: "01234567"))) {
                try await desk.services.credentials.add(face: "osticket", kind: .apiKey, secret: key, options: .init())
            }
            let listed = try await desk.services.credentials.list(face: "osticket")
            #expect(listed.map(\.id) == [record.id])
            #expect(listed[0].lastUsedAt == Desk.now)

            // A key replaced by another (or by itself) in one transaction; a failing add revokes nothing.
            let credentials = desk.services.credentials
            let first = try await credentials.add(face: "whmcs", kind: .apiKey, secret: "k1", options: .init(), minimumLength: 1)
            let again = try await credentials.add(
                face: "whmcs", kind: .apiKey, secret: "k1", options: .init(), minimumLength: 1, revoking: [first.id])
            #expect(try await credentials.list(face: "whmcs").map(\.id) == [again.id])
            await #expect(throws: DeskError.notFound(.agent, key: "nobody")) {
                try await credentials.add(
                    face: "whmcs", kind: .apiKey, secret: "k2", options: .init(agentLogin: "nobody"), minimumLength: 1, revoking: [again.id]
                )
            }
            #expect(try await credentials.list(face: "whmcs").map(\.id) == [again.id])
            try await credentials.revoke(ids: [again.id, record.id])
            #expect(try await credentials.list(face: "whmcs").isEmpty)
            #expect(try await credentials.list(face: "osticket").isEmpty)
        }
    }

    @Test("tokens name customer users; secret pairs check random or operator-chosen secrets", arguments: TestDatabase.kinds)
    func tokensAndPairs(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            _ = try await desk.customer("cora", customerID: "ACME")
            _ = try await desk.agent("whmcs-api", grants: ["users:rw"])
            let credentials = desk.services.credentials
            let token = RandomToken.hex(40)
            try await credentials.add(face: "djhd", kind: .token, secret: token, options: .init(customerLogin: "cora"))
            let accepted = try await desk.auth.authenticate(.token(face: "djhd", token: token))
            guard case .customer(let cora)? = accepted.principal else {
                Issue.record("no customer principal")
                return
            }
            #expect(cora.customerIDs == ["ACME"])

            let secret = RandomToken.alphanumeric(32)
            try await credentials.addPair(face: "whmcs", identifier: "ident-1", secret: secret, options: .init(agentLogin: "whmcs-api"))
            #expect(
                try await desk.auth.authenticate(.secretPair(face: "whmcs", identifier: "ident-1", secret: secret)).principal?.login
                    == "whmcs-api")
            #expect(
                try await desk.auth.authenticate(.secretPair(face: "whmcs", identifier: "ident-1", secret: secret + "x")).refusal
                    == .wrongSecret)
            #expect(try await desk.auth.authenticate(.secretPair(face: "whmcs", identifier: "ident-2", secret: secret)).refusal == .unknown)

            // rpc.pl's shared pair: set in two steps, kept as a slow hash, names no principal.
            #expect(try await credentials.sharedPair(face: "otrs-rpc") == nil)
            try await credentials.setSharedPair(face: "otrs-rpc", identifier: "rpc", secret: nil)
            #expect(try await desk.auth.authenticate(.secretPair(face: "otrs-rpc", identifier: "rpc", secret: "")).refusal == .unknown)
            try await credentials.setSharedPair(face: "otrs-rpc", identifier: nil, secret: "secret-password")
            let pair = try #require(try await credentials.sharedPair(face: "otrs-rpc"))
            #expect(pair.identifier == "rpc" && pair.hasSecret)
            guard
                case .accepted(nil, _) = try await desk.auth.authenticate(
                    .secretPair(face: "otrs-rpc", identifier: "rpc", secret: "secret-password"))
            else {
                Issue.record("the shared pair was refused")
                return
            }
            try await credentials.setSharedPair(face: "otrs-rpc", identifier: "other", secret: nil)
            #expect(
                try await desk.auth.authenticate(.secretPair(face: "otrs-rpc", identifier: "rpc", secret: "secret-password")).refusal
                    == .unknown)
            #expect(
                try await desk.auth.authenticate(.secretPair(face: "otrs-rpc", identifier: "other", secret: "secret-password")).principal
                    == nil)
        }
    }

    @Test("password hashes imported from Django, PHP, Znuny and OTRS log users in with their old passwords", arguments: TestDatabase.kinds)
    func importedHashes(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let desk = Desk(db)
            // Made with Python's hashlib, PHP's password_hash and crypt.
            let hashes = [
                "django": "pbkdf2_sha256$1000$NaClSalt123$gxxXnDtNSXDvp44MSyywxvA1Ff1QQZ5hV21MI58lhNE=",
                "php": "$2y$04$cMsO8CmJyA/v/uTF7GSvKeIBT9A4ylR.BcZ0/oEDft20T3ZW5H6Cm",
                "sha256": "d5adca02c9a46dae33101e9727798d0dd091e155cdfb83a851f9706a7d00eb7d",
                "sha512":
                    "cd9dc05e5ac4efc6c9dc84d9bae79e01d8c48299908f7b477f7803941a0ef68259c7a9af7ffe4427e6bb8494915bcbe3205e9b66a286d8f81887c3726a5078bb",
                "znunybcrypt": "BCRYPT:4:abcdefghijklmnop:QmTU4m6HxDxOcwsU.cge59mEb7jCmwC",
            ]
            for (login, hash) in hashes {
                _ = try await desk.agent(login, grants: [])
                try await desk.admin.setAgentPasswordHash(login: login, hash: hash)
                #expect(try await desk.agentLogin(login, "secret-password")?.login == login, "\(login)")
                #expect(try await desk.agentLogin(login, "Secret-password") == nil, "\(login)")
            }
            _ = try await desk.customer("cora", customerID: "ACME")
            try await desk.admin.setCustomerPasswordHash(login: "cora", hash: hashes["django"]!)
            #expect(try await desk.customerLogin("cora", "secret-password")?.login == "cora")
            await #expect(throws: DeskError.invalid(.other("password hash"), .unsupported)) {
                try await desk.admin.setAgentPasswordHash(login: "django", hash: "$1$md5crypt$xyz")
            }
            #expect(ImportedPasswordHash.verify("x", against: "pbkdf2_sha256$99999999999$s$aGFzaA==") == false)
        }
    }

    @Test(
        "failed logins are counted per login and address; past the limit even the right password is refused", arguments: TestDatabase.kinds)
    func throttle(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let time = TestClock()
            let desk = Desk(db, clock: time.clock)
            _ = try await desk.agent("olga", grants: [])
            _ = try await desk.agent("nina", grants: [])
            try await desk.admin.setSetting(key: "Auth::MaxFailuresPerLogin", value: "3")
            try await desk.admin.setSetting(key: "Auth::MaxFailuresPerAddress", value: "5")
            let here = RequestOrigin(address: "203.0.113.5")
            let there = RequestOrigin(address: "203.0.113.6")
            func login(_ name: String, _ password: String, from origin: RequestOrigin) async throws -> AuthRefusal? {
                try await desk.auth.authenticate(.agentPassword(login: name, password: password), from: origin).refusal
            }
            #expect(try await login("olga", "secret-password", from: here) == nil)
            for _ in 0..<3 { #expect(try await login("olga", "wrong", from: there) == .wrongSecret) }
            #expect(try await login("olga", "secret-password", from: here) == .throttled)
            #expect(try await login("nina", "secret-password", from: here) == nil)
            // Two more failures from `there` (any login) reach the address limit.
            #expect(try await login("nina", "wrong", from: there) == .wrongSecret)
            #expect(try await login("ghost", "wrong", from: there) == .unknown)
            #expect(try await login("nina", "secret-password", from: there) == .throttled)
            // The window passes.
            time.advance(15 * 60 + 1)
            #expect(try await login("olga", "secret-password", from: here) == nil)
            #expect(try await login("nina", "secret-password", from: there) == nil)
        }
    }
}

@Suite("External ids and face configuration")
struct FaceDataTests {
    @Test("external ids: defaults seeded without overwriting, lookups both ways, removal", arguments: TestDatabase.kinds)
    func externalIDs(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let ids = Desk(db).services.externalIDs
            try await ids.seedDefaults([
                ExternalID(face: "osticket", kind: "topic", externalID: "1", coreID: "4"),
                ExternalID(face: "osticket", kind: "topic", externalID: "2", coreID: "4"),
            ])
            try await ids.set([ExternalID(face: "osticket", kind: "topic", externalID: "2", coreID: "3")])
            try await ids.seedDefaults([ExternalID(face: "osticket", kind: "topic", externalID: "2", coreID: "4")])
            #expect(try await ids.coreID(face: "osticket", kind: "topic", externalID: "2") == "3")
            #expect(try await ids.externalID(face: "osticket", kind: "topic", coreID: "4") == "1")
            #expect(try await ids.coreID(face: "whmcs", kind: "topic", externalID: "2") == nil)
            #expect(try await ids.list(face: "osticket").map(\.externalID) == ["1", "2"])
            try await ids.remove(face: "osticket", kind: "topic", externalID: "1")
            await #expect(throws: DeskError.notFound(.externalID, key: "osticket/topic/1")) {
                try await ids.remove(face: "osticket", kind: "topic", externalID: "1")
            }
            await #expect(throws: DeskError.self) { try await ids.set([ExternalID(face: "", kind: "topic", externalID: "1", coreID: "1")]) }
        }
    }

    @Test("face documents: replaced by key, ids kept, visible at once in this process", arguments: TestDatabase.kinds)
    func documents(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            let config = Desk(db).services.faceConfig
            // The migrated Znuny web services are there with their old ids.
            #expect(
                try await config.documents(face: "znuny", kind: "webservice").map(\.key) == [
                    "GenericTicketConnectorREST", "GenericTicketConnectorSOAP",
                ])
            #expect(try await config.document(face: "znuny", kind: "webservice", key: "GenericTicketConnectorREST")?.id == 1)
            let id = try await config.put(face: "demo", kind: "thing", key: "a", json: #"{"v":1}"#)
            #expect(try await config.document(face: "demo", kind: "thing", key: "a")?.json == #"{"v":1}"#)
            #expect(try await config.put(face: "demo", kind: "thing", key: "a", json: #"{"v":2}"#) == id)
            #expect(try await config.document(face: "demo", kind: "thing", key: "a")?.json == #"{"v":2}"#)
            #expect(try await config.remove(face: "demo", kind: "thing", key: "a"))
            #expect(try await config.documents(face: "demo", kind: "thing").isEmpty)
        }
    }
}

extension AuthResult {
    var refusal: AuthRefusal? {
        if case .refused(let refusal) = self { return refusal }
        return nil
    }
}
