import DeskCore
import Foundation

/// Reads PGP key files with GnuPG and S/MIME certificates with OpenSSL, for `swiftdesk pgp
/// import` and `swiftdesk smime import`. Nothing is kept on disk: each run uses a throwaway
/// GnuPG home.
public enum KeyInspector {
    /// The primary keys in an armored or binary key file, public and (when present) secret parts.
    public static func pgpKeys(file: String) async throws -> [CryptoKey] {
        let scratch = try ScratchDirectory()
        let home = ["--batch", "--homedir", scratch.path, "--pinentry-mode", "loopback", "--passphrase", ""]
        let gpg = ProcessRunner.find("gpg")
        let imported = try await ProcessRunner.run(gpg, home + ["--import", file])
        guard imported.status == 0 || imported.errorOutput.contains("imported") else {
            throw KeyError("gpg could not read \(file): \(imported.errorOutput.trimmingSpaces)")
        }
        let listing = try await ProcessRunner.run(gpg, home + ["--with-colons", "--fixed-list-mode", "--list-keys"])
        let secrets = try await ProcessRunner.run(gpg, home + ["--with-colons", "--fixed-list-mode", "--list-secret-keys"])
        let secretFingerprints = Set(Self.records(secrets.output).compactMap(\.fingerprint))
        var keys: [CryptoKey] = []
        for record in Self.records(listing.output) {
            guard let fingerprint = record.fingerprint else { continue }
            let exported = try await ProcessRunner.run(gpg, home + ["--armor", "--export", fingerprint])
            var secret = ""
            if secretFingerprints.contains(fingerprint) {
                let result = try await ProcessRunner.run(gpg, home + ["--armor", "--export-secret-keys", fingerprint])
                guard result.status == 0 else {
                    throw KeyError(
                        "gpg could not export the secret key \(fingerprint) (keys with a passphrase are not supported): \(result.errorOutput)"
                    )
                }
                secret = String(decoding: result.output, as: UTF8.self)
            }
            keys.append(
                CryptoKey(
                    id: 0, kind: .pgp, keyID: record.keyID, fingerprint: fingerprint, emails: record.emails, expiresAt: record.expires,
                    publicData: String(decoding: exported.output, as: UTF8.self), privateData: secret, createdAt: 0))
        }
        guard !keys.isEmpty else { throw KeyError("\(file) holds no PGP key") }
        return keys
    }

    /// One primary key of `gpg --with-colons` output.
    struct Record {
        var keyID = ""
        var expires: Int64 = 0
        var fingerprint: String?
        var emails: [String] = []
    }

    static func records(_ output: Data) -> [Record] {
        var records: [Record] = []
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard let type = fields.first else { continue }
            switch type {
            case "pub", "sec":
                records.append(Record(keyID: fields.count > 4 ? fields[4] : "", expires: fields.count > 6 ? Int64(fields[6]) ?? 0 : 0))
            case "fpr" where records.last?.fingerprint == nil && fields.count > 9:
                records[records.count - 1].fingerprint = fields[9]
            case "uid" where !records.isEmpty && fields.count > 9:
                let uid = fields[9]
                if let open = uid.lastIndex(of: "<"), let close = uid.lastIndex(of: ">"), open < close {
                    records[records.count - 1].emails.append(uid[uid.index(after: open)..<close].lowercased())
                } else if uid.contains("@") {
                    records[records.count - 1].emails.append(uid.lowercased())
                }
            default: continue
            }
        }
        return records
    }

    /// An S/MIME certificate (PEM) and, optionally, its private key (PEM, unencrypted), checked to belong together.
    public static func smimeCertificate(certificate: String, privateKey: String?) async throws -> CryptoKey {
        let openssl = ProcessRunner.find("openssl")
        let details = try await ProcessRunner.run(
            openssl, ["x509", "-in", certificate, "-noout", "-hash", "-fingerprint", "-sha1", "-enddate", "-email"])
        guard details.status == 0 else { throw KeyError("openssl could not read \(certificate): \(details.errorOutput.trimmingSpaces)") }
        let lines = String(decoding: details.output, as: UTF8.self).split(separator: "\n").map { String($0).trimmingSpaces }
        guard lines.count >= 3 else { throw KeyError("unexpected openssl output for \(certificate)") }
        let hash = lines[0]
        let fingerprint = lines[1].split(separator: "=", maxSplits: 1).last.map { $0.replacingOccurrences(of: ":", with: "") } ?? ""
        let notAfter = lines[2].split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
        let emails = lines.dropFirst(3).filter { $0.contains("@") }.map { $0.lowercased() }
        let pem = try String(contentsOfFile: certificate, encoding: .utf8)
        var secret = ""
        if let privateKey {
            let certKey = try await ProcessRunner.run(openssl, ["x509", "-in", certificate, "-noout", "-pubkey"])
            let ownKey = try await ProcessRunner.run(openssl, ["pkey", "-in", privateKey, "-pubout", "-passin", "pass:"])
            guard ownKey.status == 0 else {
                throw KeyError("openssl could not read \(privateKey) (keys with a passphrase are not supported)")
            }
            guard certKey.output == ownKey.output else { throw KeyError("\(privateKey) is not the key of \(certificate)") }
            secret = try String(contentsOfFile: privateKey, encoding: .utf8)
        }
        return CryptoKey(
            id: 0, kind: .smime, keyID: hash + ".0", fingerprint: fingerprint.uppercased(), emails: emails,
            expiresAt: Self.opensslDate(notAfter), publicData: pem, privateData: secret, createdAt: 0)
    }

    /// `Nov 28 12:00:00 2027 GMT` → seconds since 1970 (0 when unreadable).
    static func opensslDate(_ text: String) -> Int64 {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy zzz"
        let collapsed = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return formatter.date(from: collapsed).map { Int64($0.timeIntervalSince1970) } ?? 0
    }
}

/// A key that cannot be imported or used.
public struct KeyError: Error, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
