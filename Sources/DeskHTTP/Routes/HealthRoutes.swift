import DeskCore
import Hummingbird

/// `GET /health`: the process is up. `GET /ready`: the database answers.
struct HealthRoutes<Store: DeskStore> {
    let store: Store

    func register(on router: Router<DeskRequestContext>) {
        router.get("/health") { _, _ in
            Self.json(.ok, #"{"status":"ok"}"#)
        }
        router.get("/ready") { _, context in
            do {
                try await store.ping()
                return Self.json(.ok, #"{"status":"ready"}"#)
            } catch {
                context.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
                return Self.json(.serviceUnavailable, #"{"status":"unavailable"}"#)
            }
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
