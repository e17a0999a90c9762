import ArgumentParser
import DeskCore

/// `swiftdesk service add|set|list|assign|unassign`: services, and which customer users may use
/// each (Znuny's customer user ↔ services; docs/znuny.md).
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Services a ticket can be about, and the customer users who may use them.",
        discussion: """
            A ticket may have a service its customer user is assigned to; a customer user with no \
            service of its own may use the default services (`assign --default`). A new service is \
            assigned to nobody, as in Znuny.
            """,
        subcommands: [Add.self, Set.self, List.self, Assign.self, Unassign.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a service; Parent::Child adds a sub-service.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Service name (unique, at most 200 characters).") var name: String

        func run() async throws {
            try await CLI.withServices(database) { cli in
                let id = try await cli.services.admin.addService(name: name)
                print("Added service \(name) (id \(id)). Assign it with `swiftdesk service assign`.")
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a service (its sub-services follow) or change its validity.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Service name.") var name: String
        @Option(help: "The new name.") var newName: String?
        @OptionGroup var validity: ValidityFlags

        func validate() throws {
            guard newName != nil || validity.chosen != nil else { throw ValidationError("Give --new-name, --valid or --invalid.") }
        }

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.admin.setService(name: name, newName: newName, validity: validity.chosen)
                print("Service \(newName ?? name) changed.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the services with the customer users each is assigned to.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await CLI.withServices(database) { cli in
                for listing in try await cli.services.admin.serviceListings() {
                    let logins = listing.logins.map { $0 == ServiceAssignment.defaultLogin ? "(default)" : $0 }
                    print(
                        "\(listing.service.id)  \(listing.service.name)  \(listing.service.validity.name)  assigned to: \(logins.isEmpty ? "nobody" : logins.joined(separator: ", "))"
                    )
                }
            }
        }
    }

    /// `--customer LOGIN` or `--default`, for `assign` and `unassign`.
    struct Assignee: ParsableArguments {
        @Option(help: "A customer user's login.") var customer: String?
        @Flag(help: "The default services, for customer users with no service of their own.") var `default` = false

        func validate() throws {
            guard (customer == nil) == `default` else { throw ValidationError("Give --customer or --default.") }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a customer user (or, with --default, everyone without services) use a service.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Service name.") var name: String
        @OptionGroup var assignee: Assignee

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.admin.assignService(name: name, customer: assignee.customer)
                print("Service \(name) assigned to \(assignee.customer ?? "the default services").")
            }
        }
    }

    struct Unassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a service assignment back.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Service name.") var name: String
        @OptionGroup var assignee: Assignee

        func run() async throws {
            try await CLI.withServices(database) { cli in
                try await cli.services.admin.assignService(name: name, customer: assignee.customer, assigned: false)
                print("Service \(name) no longer assigned to \(assignee.customer ?? "the default services").")
            }
        }
    }
}

/// `--valid` or `--invalid`, for the `set` commands.
struct ValidityFlags: ParsableArguments {
    @Flag(help: "Make it valid.") var valid = false
    @Flag(help: "Make it invalid (no new ticket may use it).") var invalid = false

    func validate() throws {
        if valid && invalid { throw ValidationError("Give --valid or --invalid, not both.") }
    }

    var chosen: Validity? { valid ? .valid : invalid ? .invalid : nil }
}
