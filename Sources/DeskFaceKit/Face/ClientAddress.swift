import DeskCore
import NIOCore

/// Where a request comes from: the socket's peer, or, when that peer is a configured trusted
/// proxy, the address it reports in `X-Forwarded-For` (the right-most address that is not itself
/// a trusted proxy). An untrusted client's `X-Forwarded-For` is ignored, so API keys bound to an
/// address cannot be used from elsewhere by forging the header.
public struct TrustedProxies: Sendable, Equatable {
    /// Exact addresses or CIDR blocks (`10.0.0.0/8`, `::1`).
    public var entries: [String]

    public init(_ entries: [String] = []) {
        self.entries = entries
    }

    /// Parses a comma-separated list; empty items are ignored.
    public init(parsing text: String) {
        self.init(text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty })
    }

    public func contains(_ address: String) -> Bool {
        entries.contains { IPMatcher.matches(address, pattern: $0) }
    }

    /// The client address of a request from `socket` carrying `forwardedFor`.
    public func clientAddress(socket: String?, forwardedFor: String?) -> String {
        guard let socket else {
            // Router-mode tests have no socket: trust nothing, report nothing.
            return ""
        }
        guard contains(socket), let forwardedFor else { return socket }
        let hops = forwardedFor.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !contains(hop) { return hop }
        return hops.first ?? socket
    }
}

extension SocketAddress {
    /// The numeric address without the port (`127.0.0.1`, `::1`), or the socket path.
    public var hostText: String {
        ipAddress ?? pathname ?? ""
    }
}
