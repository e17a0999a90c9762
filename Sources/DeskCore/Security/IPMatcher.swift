#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Address comparisons for allow-lists: exact addresses and IPv4/IPv6 CIDR blocks
/// (`192.0.2.7`, `10.0.0.0/8`, `2001:db8::/32`). IPv4-mapped IPv6 addresses match their IPv4 form.
public enum IPMatcher {
    public static func matches(_ address: String, pattern: String) -> Bool {
        if address == pattern { return true }
        let parts = pattern.split(separator: "/", maxSplits: 1)
        guard let network = bytes(of: String(parts[0])), let candidate = bytes(of: address), network.count == candidate.count else {
            return false
        }
        guard parts.count == 2 else { return network == candidate }
        guard let bits = Int(parts[1]), bits >= 0, bits <= network.count * 8 else { return false }
        var remaining = bits
        for index in network.indices where remaining > 0 {
            let take = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if network[index] & mask != candidate[index] & mask { return false }
            remaining -= take
        }
        return true
    }

    /// Whether `text` is an IPv4/IPv6 address or CIDR block.
    public static func isPattern(_ text: String) -> Bool {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let network = bytes(of: String(parts.first ?? "")) else { return false }
        guard parts.count == 2 else { return true }
        guard let bits = Int(parts[1]) else { return false }
        return bits >= 0 && bits <= network.count * 8
    }

    /// The address as 4 or 16 bytes (IPv4-mapped IPv6 as its 4 IPv4 bytes); nil when not an address.
    public static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let raw = withUnsafeBytes(of: &v6) { Array($0) }
            if raw.prefix(10).allSatisfy({ $0 == 0 }) && raw[10] == 0xFF && raw[11] == 0xFF { return Array(raw.suffix(4)) }
            return raw
        }
        return nil
    }
}
