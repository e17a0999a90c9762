import DeskCore
import DeskFaceKit
import Foundation

/// The face's settings (`swiftdesk config set WHMCS::…`).
struct WHMCSSettings: Sendable {
    let services: DeskServices
    var face: String { WHMCSFace.faceName }

    /// Letters, digits and `! @ # $ % . ( ) * [ ] - _`, as WHMCS allows in `$api_access_key`.
    static func isAccessKey(_ key: String) -> Bool {
        !key.isEmpty && key.count <= 200 && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "!@#$%.()*[]-_".contains($0)) }
    }

    func hasAccessKey() async throws -> Bool {
        try await !services.credentials.list(face: face, kind: .apiKey).isEmpty
    }

    /// Replaces the access key (kept as a digest); empty removes it.
    func setAccessKey(_ key: String) async throws {
        guard key.isEmpty || Self.isAccessKey(key) else {
            throw DeskError.invalid(.other("WHMCS::AccessKey"), .malformed(expected: "letters, digits and ! @ # $ % . ( ) * [ ] - _"))
        }
        let old = try await services.credentials.list(face: face, kind: .apiKey).map(\.id)
        guard !key.isEmpty else { return try await services.credentials.revoke(ids: old) }
        try await services.credentials.add(
            face: face, kind: .apiKey, secret: key, options: .init(notes: "WHMCS access key"), minimumLength: 1, revoking: old)
    }

    func setTicketMask(_ mask: String) async throws {
        guard WHMCSTicketMask.isValid(mask) else {
            throw DeskError.invalid(.other("WHMCS::TicketMask"), .tooLong(max: 64))
        }
        var directory = try await WHMCSDirectory.load(services)
        directory.ticketMask = mask.isEmpty ? WHMCSDirectory.defaultMask : mask
        try await directory.save(services)
    }

    func setAllowedFileTypes(_ text: String) async throws {
        let types = text.split(separator: ",").map { $0.trimmingSpaces.lowercased() }.filter { !$0.isEmpty }
            .map { $0.hasPrefix(".") ? $0 : "." + $0 }
        guard types.allSatisfy({ $0.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else {
            throw DeskError.invalid(.other("WHMCS::AllowedFileTypes"), .malformed(expected: "extensions such as .pdf,.png"))
        }
        var directory = try await WHMCSDirectory.load(services)
        directory.allowedFileTypes = types.isEmpty ? WHMCSDirectory.defaultFileTypes : types
        try await directory.save(services)
    }
}
