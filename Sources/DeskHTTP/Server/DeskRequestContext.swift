import Hummingbird

/// The request context of every SwiftDesk route. `maxUploadSize` is set per request by
/// `BodyLimitMiddleware` from the configuration, so handlers that collect a body honour it.
public struct DeskRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var maxUploadSize: Int

    public init(source: Source) {
        coreContext = .init(source: source)
        maxUploadSize = 32 * 1024 * 1024
    }
}
