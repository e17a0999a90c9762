import DeskCore
import DeskFaceKit
import Hummingbird

/// `GET /health`: the process is up. `GET /ready`: the database answers.
struct HealthRoutes {
    let services: DeskServices

    func register(on router: Router<FaceRequestContext>) {
        router.get("/health") { _, context in
            context.tags.set(face: "server", operation: "health")
            return Self.json(.ok, #"{"status":"ok"}"#)
        }
        router.get("/ready") { _, context in
            context.tags.set(face: "server", operation: "ready")
            do {
                try await services.ping()
                return Self.json(.ok, #"{"status":"ready"}"#)
            } catch {
                context.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
                return Self.json(.serviceUnavailable, #"{"status":"unavailable"}"#)
            }
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Responses.text(status, contentType: "application/json", body)
    }
}
