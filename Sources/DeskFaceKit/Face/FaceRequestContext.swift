import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The request context of every SwiftDesk route. The composition root sets `maxUploadSize` from
/// its configuration; faces name themselves and the operation in `tags`, which the request log
/// line reads after the response is made.
public struct FaceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Bodies are collected up to this many bytes.
    public var maxUploadSize: Int
    /// The peer of the TCP connection; nil in router-mode tests.
    public let socketAddress: SocketAddress?
    /// Face and operation of this request, for the one log line per request.
    public let tags: RequestTags

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        maxUploadSize = 32 * 1024 * 1024
        socketAddress = source.channel.remoteAddress
        tags = RequestTags()
    }
}

/// The face and operation that served a request. A reference, so that a face deep in the handler
/// chain can name them for the log middleware that wraps it.
public final class RequestTags: Sendable {
    private let state = Mutex<(face: String?, operation: String?)>((nil, nil))

    public init() {}

    public var face: String? { state.withLock { $0.face } }
    public var operation: String? { state.withLock { $0.operation } }

    public func set(face: String, operation: String? = nil) {
        state.withLock { $0 = (face, operation ?? $0.operation) }
    }

    public func set(operation: String) {
        state.withLock { $0.operation = operation }
    }
}
