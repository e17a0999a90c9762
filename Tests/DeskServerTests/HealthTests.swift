import DeskCore
import DeskFaceKit
import DeskServer
import DeskStore
import DeskTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import OTRSCommon
import OTRSRPC
import Testing
import ZnunyGI

@Suite("HTTP assembly")
struct HealthTests {
    func application(_ handle: TestDatabase.Handle, maxBodySize: Int = 1024) -> some ApplicationProtocol {
        var configuration = AppConfiguration()
        configuration.maxBodySize = maxBodySize
        let services = DeskServices(store: handle.store, hasher: TestDatabase.hasher)
        return Application(router: buildRouter(configuration, services: services), logger: TestLogger.quiet)
    }

    @Test("/health and /ready answer", arguments: TestDatabase.kinds)
    func health(kind: DatabaseKind) async throws {
        try await TestDatabase.withDatabase(kind) { db in
            try await application(db).test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                    #expect(response.headers[.contentType] == "application/json")
                }
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
                }
            }
        }
    }

    @Test("/ready reports a database that stopped answering")
    func notReady() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            let app = application(db)
            await db.database.shutdown()
            try await app.test(.router) { client in
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(String(buffer: response.body) == #"{"status":"unavailable"}"#)
                }
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test("bodies over the configured limit are refused with 413")
    func bodyLimit() async throws {
        try await TestDatabase.withDatabase(.sqlite) { db in
            try await application(db, maxBodySize: 16).test(.router) { client in
                try await client.execute(uri: "/health", method: .post, body: ByteBuffer(string: String(repeating: "x", count: 17))) {
                    response in
                    #expect(response.status == .contentTooLarge)
                }
                try await client.execute(uri: "/nowhere", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }
}
