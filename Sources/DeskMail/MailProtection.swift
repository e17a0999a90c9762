import DeskCore
import Foundation

/// Signs and encrypts an outgoing message with the keys Znuny's `Sign`/`Crypt` named, using
/// GnuPG and OpenSSL as they are installed:
/// - PGP `Detached`: PGP/MIME (RFC 3156): `multipart/signed` (`application/pgp-signature`,
///   SHA-256) and/or `multipart/encrypted` (`application/pgp-encrypted`), signed first;
/// - PGP `Inline`: the plain-text body clearsigned or encrypted in place (other bodies use
///   PGP/MIME);
/// - S/MIME (RFC 8551): `openssl cms` detached signature (`multipart/signed`, SHA-256) and/or
///   `application/pkcs7-mime` enveloped data (AES-256), signed first.
/// A failure is an error: the message is not sent unprotected.
struct MailProtection {
    let security: MailSecurity
    let keys: [Int: CryptoKey]

    /// Whether the text body itself is protected (PGP inline on a plain-text message).
    func isInline(for article: Article, attachments: [Attachment]) -> Bool {
        let operations = [security.sign, security.crypt].compactMap { $0 }
        return !operations.isEmpty && operations.allSatisfy { $0.kind == .pgp && $0.subType == .inline } && article.mimeType == "text/plain"
            && attachments.isEmpty
    }

    /// PGP inline: the text clearsigned, encrypted, or both (`--sign --encrypt`).
    func inlineText(_ text: String) async throws -> String {
        let gpg = try await GnuPGHome(keys: usedKeys)
        var arguments = ["--armor", "--textmode"]
        if let sign = try key(security.sign) {
            arguments += ["--local-user", sign.fingerprint, "--digest-algo", "SHA256"]
            arguments += security.crypt == nil ? ["--clearsign"] : ["--sign"]
        }
        if let crypt = try key(security.crypt) { arguments += ["--encrypt", "--recipient", crypt.fingerprint] }
        return String(decoding: try await gpg.run(arguments, input: Data(text.utf8)), as: UTF8.self)
    }

    /// The entity signed and/or encrypted, as the entity to send in its place.
    func protect(_ entity: MailComposer.MIMEPart, boundary: String) async throws -> MailComposer.MIMEPart {
        var part = entity
        if let sign = security.sign {
            part = sign.kind == .pgp ? try await pgpSign(part, boundary: boundary + "_s") : try await smime(part, sign: true)
        }
        if let crypt = security.crypt {
            part = crypt.kind == .pgp ? try await pgpEncrypt(part, boundary: boundary + "_e") : try await smime(part, sign: false)
        }
        return part
    }

    var usedKeys: [CryptoKey] { [security.sign, security.crypt].compactMap { $0?.keyRowID }.compactMap { keys[$0] } }

    func key(_ operation: MailSecurity.Operation?) throws -> CryptoKey? {
        guard let operation else { return nil }
        guard let id = operation.keyRowID, let key = keys[id] else { throw KeyError("the key \(operation.key) is no longer imported") }
        return key
    }

    static func bytes(of part: MailComposer.MIMEPart) -> Data {
        Data((part.headers.map { MailComposer.fold("\($0.0): \($0.1)") + "\r\n" }.joined() + "\r\n" + part.body).utf8)
    }

    func pgpSign(_ part: MailComposer.MIMEPart, boundary: String) async throws -> MailComposer.MIMEPart {
        guard let signer = try key(security.sign) else { return part }
        let gpg = try await GnuPGHome(keys: usedKeys)
        // What is signed ends before the CRLF that belongs to the next boundary delimiter (RFC 3156 §5).
        var signed = Self.bytes(of: part)
        if signed.suffix(2) == Data("\r\n".utf8) { signed.removeLast(2) }
        let signature = try await gpg.run(
            ["--armor", "--detach-sign", "--digest-algo", "SHA256", "--local-user", signer.fingerprint], input: signed)
        let signaturePart = MailComposer.MIMEPart(
            headers: [
                ("Content-Type", "application/pgp-signature; name=\"signature.asc\""), ("Content-Description", "OpenPGP digital signature"),
                ("Content-Disposition", "attachment; filename=\"signature.asc\""),
            ],
            body: Self.crlf(String(decoding: signature, as: UTF8.self)))
        return MailComposer.MIMEPart(
            headers: [
                ("Content-Type", "multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"\(boundary)\"")
            ],
            body: MailComposer.multipart([part, signaturePart], boundary: boundary))
    }

    func pgpEncrypt(_ part: MailComposer.MIMEPart, boundary: String) async throws -> MailComposer.MIMEPart {
        guard let recipient = try key(security.crypt) else { return part }
        let gpg = try await GnuPGHome(keys: usedKeys)
        let armored = try await gpg.run(["--armor", "--encrypt", "--recipient", recipient.fingerprint], input: Self.bytes(of: part))
        let control = MailComposer.MIMEPart(
            headers: [("Content-Type", "application/pgp-encrypted"), ("Content-Description", "PGP/MIME version identification")],
            body: "Version: 1\r\n")
        let data = MailComposer.MIMEPart(
            headers: [
                ("Content-Type", "application/octet-stream; name=\"encrypted.asc\""), ("Content-Description", "OpenPGP encrypted message"),
                ("Content-Disposition", "inline; filename=\"encrypted.asc\""),
            ],
            body: Self.crlf(String(decoding: armored, as: UTF8.self)))
        return MailComposer.MIMEPart(
            headers: [("Content-Type", "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"\(boundary)\"")],
            body: MailComposer.multipart([control, data], boundary: boundary))
    }

    /// `openssl cms -sign` (detached) or `-encrypt`; its output's headers, less MIME-Version, head the new entity.
    func smime(_ part: MailComposer.MIMEPart, sign: Bool) async throws -> MailComposer.MIMEPart {
        guard let key = try key(sign ? security.sign : security.crypt) else { return part }
        let scratch = try ScratchDirectory()
        let certificate = try scratch.write("cert.pem", key.publicData)
        var arguments = ["cms", "-binary", "-crlfeol"]
        if sign {
            let privateKey = try scratch.write("key.pem", key.privateData)
            arguments += ["-sign", "-signer", certificate, "-inkey", privateKey, "-md", "sha256"]
        } else {
            arguments += ["-encrypt", "-aes256", certificate]
        }
        let result = try await ProcessRunner.run(ProcessRunner.find("openssl"), arguments, input: Self.bytes(of: part))
        guard result.status == 0 else { throw KeyError("openssl cms failed: \(result.errorOutput.trimmingSpaces)") }
        let text = Self.crlf(String(decoding: result.output, as: UTF8.self))
        guard let split = text.range(of: "\r\n\r\n") else { throw KeyError("openssl cms wrote no MIME entity") }
        var headers: [(String, String)] = []
        for line in text[..<split.lowerBound].replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
            .components(separatedBy: "\r\n")
        {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            guard name.lowercased() != "mime-version" else { continue }
            headers.append((name, line[line.index(after: colon)...].trimmingSpaces))
        }
        return MailComposer.MIMEPart(headers: headers, body: String(text[split.upperBound...]))
    }

    /// Line ends as CRLF, ending with one.
    static func crlf(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        let joined = lines.joined(separator: "\r\n")
        return joined.hasSuffix("\r\n") ? joined : joined + "\r\n"
    }
}

/// A throwaway GnuPG home holding the keys one message needs.
struct GnuPGHome {
    let scratch: ScratchDirectory
    let gpg = ProcessRunner.find("gpg")

    init(keys: [CryptoKey]) async throws {
        scratch = try ScratchDirectory()
        for key in keys where key.kind == .pgp {
            for data in [key.publicData, key.privateData] where !data.isEmpty {
                _ = try await run(["--import"], input: Data(data.utf8))
            }
        }
    }

    /// gpg with batch options and full trust in the imported keys; its standard output.
    func run(_ arguments: [String], input: Data) async throws -> Data {
        let base = ["--batch", "--homedir", scratch.path, "--pinentry-mode", "loopback", "--passphrase", "", "--trust-model", "always"]
        let result = try await ProcessRunner.run(gpg, base + arguments, input: input)
        guard result.status == 0 else { throw KeyError("gpg \(arguments.first ?? "") failed: \(result.errorOutput.trimmingSpaces)") }
        return result.output
    }
}
