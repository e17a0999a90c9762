import Crypto
import HummingbirdBcrypt
import _CryptoExtras

/// Password hashes as the products people migrate from store them, so that users keep their
/// passwords after a move:
/// - Django: `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>` (django-helpdesk);
/// - bcrypt: `$2a$`, `$2b$`, `$2y$` (osTicket, WHMCS; PHP's `$2y$` is `$2b$`);
/// - Znuny / OTRS: SHA-256, SHA-512 or SHA-1 as lower-case hex of the UTF-8 password (unsalted),
///   and `BCRYPT:<cost>:<16-character salt>:<hash>` (`Kernel/System/Auth/DB.pm`).
/// Unknown forms never match. MD5-crypt and plain-text forms are not accepted.
public enum ImportedPasswordHash {
    public static func verify(_ password: String, against stored: String) -> Bool {
        if stored.hasPrefix("pbkdf2_sha256$") { return verifyDjango(password, stored) }
        if stored.hasPrefix("$2a$") || stored.hasPrefix("$2b$") || stored.hasPrefix("$2y$") {
            guard stored.utf8.count == 60, cost(of: stored).map({ (4...Self.maxBcryptCost).contains($0) }) == true else { return false }
            let normalised = stored.hasPrefix("$2y$") ? "$2b$" + stored.dropFirst(4) : stored
            return Bcrypt.verify(password, hash: normalised)
        }
        if stored.hasPrefix("BCRYPT:") { return verifyZnunyBcrypt(password, stored) }
        let lowered = stored.lowercased()
        guard lowered.allSatisfy(\.isHexDigit) else { return false }
        let bytes = Array(password.utf8)
        let digest: String? =
            switch lowered.count {
            case 64: Hex.encode(Array(SHA256.hash(data: bytes)))
            case 128: Hex.encode(Array(SHA512.hash(data: bytes)))
            case 40: Hex.encode(Array(Insecure.SHA1.hash(data: bytes)))
            default: nil
            }
        guard let digest else { return false }
        return ConstantTime.equal(digest, lowered)
    }

    /// Whether `stored` is in a form `verify` understands (for imports).
    public static func isSupported(_ stored: String) -> Bool {
        if stored.hasPrefix("pbkdf2-sha256$") || stored.hasPrefix("pbkdf2_sha256$") || stored.hasPrefix("BCRYPT:") { return true }
        if stored.hasPrefix("$2a$") || stored.hasPrefix("$2b$") || stored.hasPrefix("$2y$") { return stored.utf8.count == 60 }
        return [40, 64, 128].contains(stored.count) && stored.allSatisfy(\.isHexDigit)
    }

    static let maxBcryptCost = 16

    /// Django's `PBKDF2PasswordHasher`: PBKDF2-HMAC-SHA256 over the UTF-8 password and salt,
    /// 32 bytes, standard base64.
    static func verifyDjango(_ password: String, _ stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, let rounds = Int(parts[1]), rounds > 0, rounds <= PasswordHasher.maxIterations,
            let expected = Base64Text.decode(String(parts[3])), !expected.isEmpty
        else { return false }
        let derived = PasswordHasher.derive(password, salt: Array(parts[2].utf8), iterations: rounds, length: expected.count)
        return ConstantTime.equal(derived, expected)
    }

    /// Znuny's `BCRYPT:<cost>:<salt>:<hash>` is Eksblowfish with the 16 salt characters taken as
    /// raw bytes and a NUL-terminated key, written in bcrypt's base64: the same computation as a
    /// `$2a$` hash whose salt is those 16 bytes.
    static func verifyZnunyBcrypt(_ password: String, _ stored: String) -> Bool {
        let parts = stored.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, let cost = Int(parts[1]), (4...maxBcryptCost).contains(cost), parts[2].utf8.count == 16,
            parts[3].utf8.count == 31
        else { return false }
        let salt = BcryptBase64.encode(Array(parts[2].utf8))
        let standard = "$2a$" + (cost < 10 ? "0" : "") + String(cost) + "$" + salt + parts[3]
        return Bcrypt.verify(password, hash: standard)
    }

    static func cost(of bcrypt: String) -> Int? {
        let parts = bcrypt.split(separator: "$", omittingEmptySubsequences: true)
        return parts.count >= 2 ? Int(parts[1]) : nil
    }
}

/// bcrypt's base64 alphabet (`./A-Za-z0-9`), without padding; 16 bytes give 22 characters.
enum BcryptBase64 {
    static let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let c1 = bytes[index]
            out.append(alphabet[Int(c1 >> 2)])
            var c = (c1 & 0x03) << 4
            index += 1
            guard index < bytes.count else {
                out.append(alphabet[Int(c)])
                break
            }
            let c2 = bytes[index]
            c |= c2 >> 4
            out.append(alphabet[Int(c)])
            c = (c2 & 0x0f) << 2
            index += 1
            guard index < bytes.count else {
                out.append(alphabet[Int(c)])
                break
            }
            let c3 = bytes[index]
            c |= c3 >> 6
            out.append(alphabet[Int(c)])
            out.append(alphabet[Int(c3 & 0x3f)])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Standard base64 decoding for stored hashes (padding optional).
enum Base64Text {
    static func decode(_ text: String) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var values: [UInt8: UInt8] = [:]
        for (index, char) in alphabet.enumerated() { values[char] = UInt8(index) }
        var bits: UInt32 = 0
        var count = 0
        var out: [UInt8] = []
        for char in text.utf8 where char != UInt8(ascii: "=") {
            guard let value = values[char] else { return nil }
            bits = bits << 6 | UInt32(value)
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8(truncatingIfNeeded: bits >> UInt32(count)))
            }
        }
        return out
    }
}
