import Crypto
import HummingbirdBcrypt
import _CryptoExtras

/// Hashes and verifies passwords with PBKDF2-HMAC-SHA256 and a random 16-byte salt.
///
/// Stored form: `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`. Verification reads the
/// iteration count from the stored hash, so raising the cost later keeps old hashes working.
public struct PasswordHasher: Sendable {
    /// Iterations for new hashes. 210,000 follows OWASP's 2023 guidance for PBKDF2-SHA256 with
    /// this many rounds per hash; tests lower it to stay fast.
    public var iterations: Int

    public static let defaultIterations = 210_000

    public init(iterations: Int = PasswordHasher.defaultIterations) {
        self.iterations = iterations
    }

    public func hash(_ password: String) -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let derived = Self.derive(password, salt: salt, iterations: iterations)
        return "pbkdf2-sha256$\(iterations)$\(Hex.encode(salt))$\(Hex.encode(derived))"
    }

    /// True when `password` matches `stored`, in SwiftDesk's own form or in one of the forms
    /// imported from other products (see `ImportedPasswordHash`). Comparison time does not depend
    /// on where the bytes differ.
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256" else {
            return ImportedPasswordHash.verify(password, against: stored)
        }
        guard let rounds = Int(parts[1]), rounds > 0, rounds <= Self.maxIterations,
            let salt = Hex.decode(parts[2]), let expected = Hex.decode(parts[3]), !expected.isEmpty
        else { return false }
        let derived = Self.derive(password, salt: salt, iterations: rounds, length: expected.count)
        return ConstantTime.equal(derived, expected)
    }

    /// A stored hash may not make a login cost more than this (a hostile import could otherwise
    /// name billions of rounds).
    static let maxIterations = 10_000_000

    static func derive(_ password: String, salt: [UInt8], iterations: Int, length: Int = 32) -> [UInt8] {
        let key = try? KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256,
            outputByteCount: length, unsafeUncheckedRounds: iterations
        )
        return key.map { $0.withUnsafeBytes { Array($0) } } ?? []
    }
}

/// Comparisons whose duration does not reveal the position of the first difference.
public enum ConstantTime {
    public static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        equal(Array(lhs.utf8), Array(rhs.utf8))
    }
}

/// Lower-case hexadecimal encoding.
public enum Hex {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Unguessable random tokens (passwords, session ids).
public enum RandomToken {
    /// `length` characters from `[A-Za-z0-9]`, drawn from the system CSPRNG without modulo bias.
    public static func alphanumeric(_ length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}

extension RandomToken {
    /// `length` lower-case hexadecimal digits from the system CSPRNG.
    public static func hex(_ length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(length + 1) / 2).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return String(Hex.encode(bytes).prefix(length))
    }
}

/// Digests of random secrets (API keys, tokens): they carry enough entropy that a fast hash is
/// safe to store, and it lets the store find a credential by its hash.
public enum SecretDigest {
    /// `sha256$<hex>`.
    public static func sha256(_ secret: String) -> String {
        "sha256$" + Hex.encode(Array(SHA256.hash(data: Array(secret.utf8))))
    }
}

/// Digests that old products put on the wire in place of a password (WHMCS's admin login sends
/// the MD5 hex of the password). Never used to store a password.
public enum LegacyDigest {
    /// Lower-case hex MD5 of the UTF-8 text.
    public static func md5Hex(_ text: String) -> String {
        Hex.encode(Array(Insecure.MD5.hash(data: Array(text.utf8))))
    }
}
