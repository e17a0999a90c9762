import ArgumentParser
import DeskCore
import Foundation

/// `swiftdesk external-id`: the ids other products' integrations hard-code, mapped per face to
/// SwiftDesk ids (DESIGN, "External identities").
struct ExternalIDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "external-id", abstract: "Ids of other products (topic, department, user, ticket ids) mapped to SwiftDesk ids.",
        subcommands: [List.self, Set.self, Remove.self, Import.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List mappings: face, kind, external id, SwiftDesk id.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this face (default: every face).") var face: String?
        @Option(help: "Only this kind (e.g. topic).") var kind: String?

        func run() async throws {
            try await CLI.withServices(database) { cli in
                for mapping in try await cli.services.externalIDs.list(face: face, kind: kind) {
                    print("\(mapping.face)  \(mapping.kind)  \(mapping.externalID)  →  \(mapping.coreID)")
                }
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Map an external id to a SwiftDesk id (replaces the mapping of that id).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Face name (osticket, djhd, whmcs, …).") var face: String
        @Option(help: "What is mapped (topic, department, user, …).") var kind: String
        @Option(name: .customLong("external"), help: "The other product's id.") var externalID: String
        @Option(name: .customLong("core"), help: "The SwiftDesk id.") var coreID: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.externalIDs.set([ExternalID(face: face, kind: kind, externalID: externalID, coreID: coreID)])
                print("\(face) \(kind) \(externalID) → \(coreID)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the mapping of an external id.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Face name.") var face: String
        @Option(help: "What is mapped.") var kind: String
        @Option(name: .customLong("external"), help: "The other product's id.") var externalID: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.externalIDs.remove(face: face, kind: kind, externalID: externalID)
                print("Removed \(face) \(kind) \(externalID).")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import mappings from a CSV file: face,kind,external id,SwiftDesk id per line (a header line starting with 'face' is skipped)."
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLI.fail("cannot read \(file)") }
            var mappings: [ExternalID] = []
            for (number, line) in text.fileLines.enumerated() {
                let trimmed = line.trimmingSpaces
                if trimmed.isEmpty || trimmed.hasPrefix("#") || (number == 0 && trimmed.lowercased().hasPrefix("face,")) { continue }
                let cells = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
                guard cells.count == 4 else { throw CLI.fail("\(file):\(number + 1): expected face,kind,external id,SwiftDesk id") }
                mappings.append(ExternalID(face: cells[0], kind: cells[1], externalID: cells[2], coreID: cells[3]))
            }
            try await CLI.withServices(database) { cli in
                try await cli.services.externalIDs.set(mappings)
                print("Imported \(mappings.count) mappings.")
            }
        }
    }
}
