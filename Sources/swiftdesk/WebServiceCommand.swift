import ArgumentParser
import DeskCore
import Foundation
import ZnunyGI

struct WebServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webservice", abstract: "GenericInterface web services (Znuny/OTRS connectors).",
        subcommands: [List.self, Import.self, Route.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List web services and their routes.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                for service in try await WebServiceAdmin(services: cli.services).all() {
                    let aliases = service.aliases.isEmpty ? "" : " (aliases: \(service.aliases.joined(separator: ", ")))"
                    print("\(service.id)  \(service.name)  \(service.transport.rawValue)  \(service.validity.name)\(aliases)")
                    for operation in service.operations.sorted(by: { $0.name < $1.name }) {
                        let route = service.transport == .rest ? "\(operation.methods.joined(separator: ",")) \(operation.route)  " : ""
                        print("    \(route)\(operation.name) → \(operation.type)")
                    }
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a Znuny web service export (YAML); replaces a web service of the same name.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The exported .yml file.") var file: String
        @Option(help: "Name of the web service (default: the file name without extension).") var name: String?
        @Flag(help: "Import even when some operation types are not supported (they are left out).") var skipUnsupported = false

        func run() async throws {
            guard let yaml = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLI.fail("cannot read \(file)") }
            let serviceName = name ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let result: WebServiceImporter.Result
            do {
                result = try WebServiceImporter.parse(yaml, name: serviceName)
            } catch {
                throw CLI.fail("\(file): \(error)")
            }
            if !result.unsupported.isEmpty {
                let list = result.unsupported.joined(separator: ", ")
                guard skipUnsupported else {
                    throw CLI.fail("unsupported operation types: \(list) (use --skip-unsupported to import the rest)")
                }
                FileHandle.standardError.write(Data("warning: left out unsupported operations: \(list)\n".utf8))
            }
            try await CLI.withServices(database) { cli in
                let id = try await WebServiceAdmin(services: cli.services).save(result.service)
                print(
                    "Imported web service \(serviceName) (id \(id), \(result.service.transport.rawValue), \(result.service.operations.count) operations)."
                )
            }
        }
    }

    struct Route: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Manage REST routes.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Route a method and path of a REST web service to an operation.")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "Web service name.") var webservice: String
            @Option(help: "HTTP method (GET, POST, PATCH, PUT, DELETE).") var method: String
            @Option(help: "Route, e.g. /search or /Ticket/:TicketID.") var route: String
            @Option(help: "Operation type, e.g. TicketSearch or Ticket::TicketSearch.") var operation: String
            @Option(help: "Operation name (default: derived from the type).") var name: String?

            func run() async throws {
                try await CLI.withServices(database) { cli in
                    try await WebServiceAdmin(services: cli.services).addRoute(
                        webService: webservice, method: method, route: route, operationType: operation, operationName: name)
                    print("Routed \(method.uppercased()) \(route) of \(webservice) to \(operation).")
                }
            }
        }
    }
}
