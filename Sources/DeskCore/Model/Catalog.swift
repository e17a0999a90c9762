/// A snapshot of the reference data a request needs: lookup tables, queues, dynamic fields and
/// stored settings. The store caches it briefly, so resolving `Queue: "Misc"` costs no query.
public struct Catalog: Sendable {
    public var stateTypes: LookupTable<Lookup>
    public var states: LookupTable<TicketState>
    public var priorities: LookupTable<Lookup>
    public var ticketTypes: LookupTable<Lookup>
    public var locks: LookupTable<Lookup>
    public var groups: LookupTable<Lookup>
    public var queues: LookupTable<Queue>
    public var services: LookupTable<DeskServiceItem>
    public var slas: LookupTable<SLA>
    public var senderTypes: LookupTable<Lookup>
    public var channels: LookupTable<Lookup>
    public var autoResponseTypes: LookupTable<Lookup>
    public var systemAddresses: [Int: SystemAddress]
    /// The queues' signatures by id.
    public var signatures: [Int: Signature] = [:]
    public var dynamicFields: LookupTable<DynamicField>
    public var settings: Settings {
        didSet { workingCalendars = Settings.calendarNames.map(settings.workingCalendar(named:)) }
    }
    /// The settings' working calendars, built once per catalog: the default one, then
    /// `Calendar1` … `Calendar9` (`Settings.calendarNames`).
    public private(set) var workingCalendars: [WorkingCalendar]
    /// The (queue id, auto response type id) pairs that have an auto response linked, so that
    /// articles in other queues need no query to find none.
    public var linkedAutoResponses: Set<[Int]> = []

    public init(
        stateTypes: [Lookup], states: [TicketState], priorities: [Lookup], ticketTypes: [Lookup],
        locks: [Lookup], groups: [Lookup], queues: [Queue], services: [DeskServiceItem], slas: [SLA],
        senderTypes: [Lookup], channels: [Lookup], autoResponseTypes: [Lookup],
        systemAddresses: [SystemAddress], dynamicFields: [DynamicField], settings: Settings
    ) {
        self.stateTypes = LookupTable(stateTypes)
        self.states = LookupTable(states)
        self.priorities = LookupTable(priorities)
        self.ticketTypes = LookupTable(ticketTypes)
        self.locks = LookupTable(locks)
        self.groups = LookupTable(groups)
        self.queues = LookupTable(queues)
        self.services = LookupTable(services)
        self.slas = LookupTable(slas)
        self.senderTypes = LookupTable(senderTypes)
        self.channels = LookupTable(channels)
        self.autoResponseTypes = LookupTable(autoResponseTypes)
        self.systemAddresses = Dictionary(uniqueKeysWithValues: systemAddresses.map { ($0.id, $0) })
        self.dynamicFields = LookupTable(dynamicFields)
        self.settings = settings
        self.workingCalendars = Settings.calendarNames.map(settings.workingCalendar(named:))
    }

    /// The working calendar a queue or SLA names ("" or a name not in `Settings.calendarNames`:
    /// the default one).
    public func workingCalendar(named name: String) -> WorkingCalendar {
        workingCalendars[Self.calendarIndex(named: name)]
    }

    /// The index in `workingCalendars` of the calendar of that name (0, the default one, for a
    /// name not in `Settings.calendarNames`).
    public static func calendarIndex(named name: String) -> Int {
        Settings.calendarNames.firstIndex(of: name) ?? 0
    }

    /// The state type name of a state (`open`, `closed`, `pending reminder`, …).
    public func stateTypeName(ofState stateID: Int) -> String {
        guard let state = states[stateID] else { return "" }
        return stateTypes[state.typeID]?.name ?? ""
    }
}

/// Anything that lives in a lookup table: an id and a unique name.
public protocol Named: Sendable {
    var id: Int { get }
    var name: String { get }
}

extension Lookup: Named {}
extension TicketState: Named {}
extension Queue: Named {}
extension DeskServiceItem: Named {}
extension SLA: Named {}
extension DynamicField: Named {}

/// Rows of one lookup table, addressable by id and by exact name.
public struct LookupTable<Row: Named>: Sendable {
    public let all: [Row]
    private let byID: [Int: Row]
    private let byName: [String: Row]

    public init(_ rows: [Row]) {
        all = rows.sorted { $0.id < $1.id }
        byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        byName = Dictionary(rows.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(id: Int) -> Row? { byID[id] }
    public subscript(name: String) -> Row? { byName[name] }

    public subscript(ref: Ref) -> Row? {
        switch ref {
        case .id(let id): byID[id]
        case .name(let name): byName[name]
        }
    }
}
