import DeskFaceKit
import Foundation
import Hummingbird
import Logging

/// Refuses bodies over the configured size before they are read (by Content-Length) and sets
/// the context's `maxUploadSize` so that bodies without a length are cut off while collected.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = FaceRequestContext
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return Response(
                status: .contentTooLarge, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Request Entity Too Large")))
        }
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}

/// Writes one log line per request: request id, face, operation, method, path, status and
/// duration. Query strings are left out because some dialects carry passwords in them.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = FaceRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, start: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context: context, status: error.status.code, start: start)
            throw error
        } catch {
            log(request, context: context, status: 500, start: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "face": .string(context.tags.face ?? "-"),
                "operation": .string(context.tags.operation ?? "-"),
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(status),
                "ms": .string(String(format: "%.2f", milliseconds)),
            ])
    }
}
