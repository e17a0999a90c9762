#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the core reads the time. Tests pass a fixed clock.
public struct DeskClock: Sendable {
    public var now: @Sendable () -> Int64

    public init(now: @escaping @Sendable () -> Int64) {
        self.now = now
    }

    /// The system clock, in whole Unix seconds.
    public static let system = DeskClock { Int64(time(nil)) }

    public static func fixed(_ seconds: Int64) -> DeskClock {
        DeskClock { seconds }
    }
}
