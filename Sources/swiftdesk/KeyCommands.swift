import ArgumentParser
import DeskCore
import DeskMail
import Foundation

/// `swiftdesk pgp import|list`: PGP keys for `Sign`/`Crypt` with Type PGP (docs/mail.md).
struct PGPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgp", abstract: "PGP keys for signing and encrypting outgoing mail.", subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import the keys in a file (armored or binary; public, or secret for signing; no passphrase), read with gpg.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key file.") var file: String

        func run() async throws {
            let keys = try await KeyInspector.pgpKeys(file: file)
            try await CLI.withServices(database) { cli in
                for key in keys {
                    try await cli.services.outbox.importKey(key)
                    print("Imported \(KeyListing.line(key)).")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the imported PGP keys.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await KeyListing.print(kind: .pgp, database)
        }
    }
}

/// `swiftdesk smime import|list`: S/MIME certificates for `Sign`/`Crypt` with Type SMIME.
struct SMIMECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smime", abstract: "S/MIME certificates for signing and encrypting outgoing mail.",
        subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a certificate (PEM), with its private key (PEM, no passphrase) to sign with it, read with openssl.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The certificate file.") var cert: String
        @Option(help: "The certificate's private key, needed to sign.") var key: String?

        func run() async throws {
            let certificate = try await KeyInspector.smimeCertificate(certificate: cert, privateKey: key)
            try await CLI.withServices(database) { cli in
                try await cli.services.outbox.importKey(certificate)
                print("Imported \(KeyListing.line(certificate)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the imported S/MIME certificates.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await KeyListing.print(kind: .smime, database)
        }
    }
}

enum KeyListing {
    /// `PGP key 1234ABCD5678EF90 (fingerprint …) jo@example.com, secret, expires 2027-11-28`.
    static func line(_ key: CryptoKey) -> String {
        let kind = key.kind == .pgp ? "PGP key" : "S/MIME certificate"
        let expiry =
            key.expiresAt == 0
            ? "never expires" : "expires \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(key.expiresAt))))"
        let emails = key.emails.isEmpty ? "no address" : key.emails.joined(separator: ", ")
        return
            "\(kind) \(key.keyID) (fingerprint \(key.fingerprint)) \(emails), \(key.privateData.isEmpty ? "public only" : "with secret key"), \(expiry)"
    }

    static func print(kind: CryptoKind, _ database: DatabaseOptions) async throws {
        try await CLI.withServices(database) { cli in
            let keys = try await cli.services.outbox.keys(kind: kind)
            if keys.isEmpty { Swift.print("No \(kind == .pgp ? "PGP keys" : "S/MIME certificates") imported.") }
            for key in keys { Swift.print(line(key)) }
        }
    }
}
