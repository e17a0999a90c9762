import DeskCore
import Hummingbird

/// A translator between one product's wire format and the core. A face parses its dialect,
/// checks that the fields its dialect requires are present and well-formed, extracts the
/// credentials, calls core services (`DeskServices`) and renders the result or the core's typed
/// error in its dialect. It never reads the store and never re-implements a domain check.
///
/// Adding a face: one folder under `Sources/Faces/<Dialect>`, one target depending on DeskCore
/// and DeskFaceKit, and one line in the composition root (`DeskServer`'s face list).
public protocol Face: Sendable {
    /// The face's name in logs, credentials, external ids and face-owned configuration
    /// (`znuny`, `otrs-rpc`, …). Stable: stored data refers to it.
    var name: String { get }
    /// Adds the face's routes (or middleware) to the router.
    func register(on router: Router<FaceRequestContext>)
    /// Stored settings this face keeps, which `swiftdesk config set/list` show next to the core's.
    var settings: [FaceSetting] { get }
    /// Brings a database up to what this face needs (default external ids and documents), at
    /// start and after migrations. Must keep what an operator changed.
    func prepare() async throws
}

extension Face {
    public var settings: [FaceSetting] { [] }
    public func prepare() async throws {}
}

/// A setting a face keeps, by its dialect's own key (rpc.pl's `SOAP::User`, WHMCS's
/// `WHMCS::AccessKey`). Where it is stored is up to the face (usually a core credential).
public struct FaceSetting: Sendable {
    public var key: String
    public var help: String
    /// Shown as "(set, hidden)" in listings.
    public var isSecret: Bool
    public var read: @Sendable () async throws -> String
    public var write: @Sendable (String) async throws -> Void

    public init(
        key: String, help: String, isSecret: Bool = false, read: @escaping @Sendable () async throws -> String,
        write: @escaping @Sendable (String) async throws -> Void
    ) {
        self.key = key
        self.help = help
        self.isSecret = isSecret
        self.read = read
        self.write = write
    }
}

/// One face's table from core errors to its dialect's answers (status, code, text). Every face
/// keeps exactly one, so the mapping is in one place.
public protocol ErrorTable: Sendable {
    associatedtype Answer: Sendable
    /// The dialect's answer to `error`, raised while serving `operation`.
    func answer(for error: DeskError, in operation: String) -> Answer
}

/// The first problem a face found in the wire format while reading a request, with its
/// position in the core's order of checks (`CheckStep`). When the core would report a problem
/// at an earlier step, that one wins, so the answer is the one the emulated product gives.
public struct WireFailures<Answer: Sendable>: Sendable {
    public private(set) var first: (step: CheckStep, answer: Answer)?

    public init() {}

    public var isEmpty: Bool { first == nil }

    /// Keeps the earliest failure (the first recorded when two share a step).
    public mutating func record(_ step: CheckStep, _ answer: Answer) {
        if let first, first.step <= step { return }
        first = (step, answer)
    }

    public mutating func record(_ field: Field, _ answer: Answer) {
        record(.field(field), answer)
    }

    /// Nil when no wire failure was recorded. Otherwise runs `check` (the core's dry run of the
    /// same request, e.g. `TicketService.checkCreate`) and answers with whichever problem comes
    /// first: the core's, mapped by `map`, or the face's own.
    public func settle(check: () async throws -> Void, map: (DeskError) -> Answer) async throws -> Answer? {
        guard let first else { return nil }
        do {
            try await check()
        } catch let error as DeskError where error.step < first.step {
            return map(error)
        } catch is DeskError {
            return first.answer
        }
        return first.answer
    }
}
