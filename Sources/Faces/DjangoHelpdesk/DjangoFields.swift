import DeskCore
import DeskFaceKit
import Foundation

/// Django REST Framework's field parsing: what each field type accepts and its error texts
/// (`rest_framework/fields.py`, `relations.py`), for JSON and form input alike.
enum DRF {
    /// Validation errors by field, in the serializer's field order.
    struct Errors: Error {
        /// Messages by field; a list field's are by item index (`{"0": [...]}`).
        private(set) var entries: [(field: String, messages: [String], items: [(Int, String)])] = []

        var isEmpty: Bool { entries.isEmpty }

        mutating func add(_ field: String, _ message: String) {
            if let index = entries.firstIndex(where: { $0.field == field }) {
                entries[index].messages.append(message)
            } else {
                entries.append((field, [message], []))
            }
        }

        /// An error of one item of a list field.
        mutating func add(_ field: String, item: Int, _ message: String) {
            if let index = entries.firstIndex(where: { $0.field == field }) {
                entries[index].items.append((item, message))
            } else {
                entries.append((field, [], [(item, message)]))
            }
        }

        func contains(_ field: String) -> Bool { entries.contains { $0.field == field } }

        var json: JSONValue {
            .orderedObject(
                entries.map { entry in
                    guard entry.messages.isEmpty else {
                        return JSONMember(key: entry.field, value: .array(entry.messages.map(JSONValue.string)))
                    }
                    return JSONMember(
                        key: entry.field,
                        value: .orderedObject(entry.items.map { JSONMember(key: String($0.0), value: .array([.string($0.1)])) }))
                })
        }
    }

    /// A field's error text.
    struct FieldError: Error, Equatable, ExpressibleByStringInterpolation {
        let message: String

        init(_ message: String) {
            self.message = message
        }

        init(stringLiteral value: String) {
            message = value
        }
    }

    static let required = "This field is required."
    static let notNull = "This field may not be null."
    static let notBlank = "This field may not be blank."

    /// Python's `str()` of a decoded JSON value, as DRF quotes input back.
    static func pythonText(_ value: JSONValue) -> String {
        switch value {
        case .null: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .number(let text):
            // Python's `str` of the parsed number: `1e+20`, `1.5`, `100.0`.
            pythonType(value) == "int" ? text : Double(text).map { $0.description } ?? text
        case .string(let text): text
        case .array(let list): "[" + list.map(pythonRepr).joined(separator: ", ") + "]"
        case .source(let source): pythonText(source.tree)
        case .object, .orderedObject:
            "{"
                + (value.objectValue ?? [:]).sorted { $0.key < $1.key }.map { "'\($0.key)': \(pythonRepr($0.value))" }.joined(
                    separator: ", ")
                + "}"
        }
    }

    static func pythonRepr(_ value: JSONValue) -> String {
        if case .string(let text) = value { return "'\(text)'" }
        return pythonText(value)
    }

    /// Python's type name for `Incorrect type. … received <type>.`
    static func pythonType(_ value: JSONValue) -> String {
        switch value {
        case .null: "NoneType"
        case .bool: "bool"
        case .number(let text): text.contains(".") || text.lowercased().contains("e") ? "float" : "int"
        case .string: "str"
        case .array: "list"
        case .object, .orderedObject: "dict"
        case .source(let source): pythonType(source.tree)
        }
    }

    /// `CharField`: numbers become text; booleans, lists and objects are refused; trimmed.
    static func string(_ value: JSONValue, maxLength: Int? = nil, allowBlank: Bool, allowNull: Bool) -> Result<String?, FieldError> {
        let text: String
        switch value {
        case .null: return allowNull ? .success(nil) : .failure(FieldError(notNull))
        case .string(let string): text = string
        case .number(let number): text = number
        default: return .failure("Not a valid string.")
        }
        if text.contains("\u{0}") { return .failure("Null characters are not allowed.") }
        let trimmed = pythonStripped(text)
        if trimmed.isEmpty {
            if allowBlank { return .success("") }
            return .failure(FieldError(notBlank))
        }
        // Python's `len` counts code points (a decomposed `é` is two, a flag four).
        if let maxLength, trimmed.unicodeScalars.count > maxLength {
            return .failure("Ensure this field has no more than \(maxLength) characters.")
        }
        return .success(trimmed)
    }

    /// `str.strip()`: the code points `str.isspace` calls white space (ASCII white space, the
    /// separators U+001C–U+001F, NEL, no-break and the other Unicode spaces) cut from both ends;
    /// a zero-width space or a BOM is no space to Python.
    static func pythonStripped(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isPythonSpace($0) }), let last = scalars.lastIndex(where: { !isPythonSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// What DRF's `Field.get_value` hands on from a form body (form-encoded or multipart) for a
    /// field that is neither required nor nullable: there `""` means the field was not sent.
    /// JSON values pass as they are.
    static func sent(_ value: JSONValue?, form: Bool) -> JSONValue? {
        form && value == .string("") ? nil : value
    }

    /// `ChoiceField` over integer choices: the input's text must equal a choice's text.
    static func choice(_ value: JSONValue, _ choices: [Int]) -> Result<Int, FieldError> {
        if value == .null { return .failure(FieldError(notNull)) }
        let text: String? =
            switch value {
            case .string(let string): string
            case .number(let number): number
            default: nil
            }
        if let text, let match = choices.first(where: { String($0) == text }) { return .success(match) }
        return .failure("\"\(pythonText(value))\" is not a valid choice.")
    }

    /// `BooleanField`.
    static func boolean(_ value: JSONValue) -> Result<Bool, FieldError> {
        switch value {
        case .bool(let flag): return .success(flag)
        case .number(let text):
            if Double(text) == 1 { return .success(true) }
            if Double(text) == 0 { return .success(false) }
        case .string(let text):
            switch text.lowercased() {
            case "t", "y", "yes", "true", "on", "1": return .success(true)
            case "f", "n", "no", "false", "off", "0": return .success(false)
            default: break
            }
        case .null: return .failure(FieldError(notNull))
        default: break
        }
        return .failure("Must be a valid boolean.")
    }

    /// The primary key a `PrimaryKeyRelatedField` receives (the object is looked up by the caller).
    /// Like every relation it reads `""` as null; a field that allows null checks for it first.
    /// The key is read as the model field's `int(value)` reads it: a JSON fraction is cut toward
    /// zero (`1.9` is 1), a string is an integer in Python's syntax (white space around, Unicode
    /// digits, `_` between digits; `"2.0"` is no key). A key beyond 64 bits names nothing and is
    /// given as `Int.max`.
    static func primaryKey(_ value: JSONValue) -> Result<Int, FieldError> {
        switch value {
        case .null, .string(""): return .failure(FieldError(notNull))
        case .bool: return .failure("Incorrect type. Expected pk value, received bool.")
        case .number(let text):
            if pythonType(value) == "int" { return .success(Int(text) ?? Int.max) }
            guard let double = Double(text), double.isFinite, abs(double) < 9.2e18 else { return .success(Int.max) }
            return .success(Int(double.rounded(.towardZero)))
        case .string(let text):
            guard let digits = pythonIntegerDigits(text) else { return .failure("Incorrect type. Expected pk value, received str.") }
            return .success(Int(digits) ?? Int.max)
        default:
            return .failure("Incorrect type. Expected pk value, received \(pythonType(value)).")
        }
    }

    /// `IntegerField`: `int()` of the value's text after a trailing `.000` is dropped, so `5.0`
    /// is 5 and `1.5`, `True` or `abc` are refused.
    static func integer(_ value: JSONValue) -> Result<Int, FieldError> {
        let text: String
        switch value {
        case .null: return .failure(FieldError(notNull))
        case .string(let string): text = string
        case .number, .bool: text = pythonText(value)
        default: return .failure("A valid integer is required.")
        }
        if text.count > 1_000 { return .failure("String value too large.") }
        let decimal = text.replacing(/\.0*\s*$/, with: "")
        guard let digits = pythonIntegerDigits(decimal) else { return .failure("A valid integer is required.") }
        return .success(Int(digits) ?? Int.max)
    }

    /// A number as `int()` reads it: nil when it is no integer (for a URL key, DRF's `Not
    /// found.`); one beyond 64 bits is `Int.max` (or `Int.min`), which names nothing.
    static func pythonInt(_ text: String) -> Int? {
        pythonIntegerDigits(text).map { Int($0) ?? ($0.hasPrefix("-") ? Int.min : Int.max) }
    }

    /// The integer Python's `int(text)` reads, as ASCII digits with an optional `-` (nil when
    /// `int` raises `ValueError`).
    static func pythonIntegerDigits(_ text: String) -> String? {
        // `int()` skips white space as `str.strip()` does, except the ASCII separators U+001C–1F.
        func skipped(_ scalar: Unicode.Scalar) -> Bool { isPythonSpace(scalar) && !(0x1C...0x1F).contains(scalar.value) }
        let all = text.unicodeScalars
        guard let first = all.firstIndex(where: { !skipped($0) }), let last = all.lastIndex(where: { !skipped($0) }) else { return nil }
        var scalars = all[first...last]
        var sign = ""
        if let first = scalars.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            scalars = scalars.dropFirst()
        }
        guard let digits = PythonDecimal.digits(scalars), !digits.isEmpty else { return nil }
        return sign + digits.map(String.init).joined()
    }

    /// A body that is not a JSON object.
    static func notADictionary(_ value: JSONValue) -> String {
        value == .null ? "No data provided" : "Invalid data. Expected a dictionary, but got \(pythonType(value))."
    }

    static func missingObject(_ value: JSONValue) -> String { "Invalid pk \"\(pythonText(value))\" - object does not exist." }

    /// `EmailField` (Django's validator, pragmatically), blank allowed; null only where the
    /// model column is nullable (a ticket's `submitter_email`, not a user's `email`).
    static func email(_ value: JSONValue, maxLength: Int = 254, allowNull: Bool = true) -> Result<String?, FieldError> {
        switch string(value, maxLength: maxLength, allowBlank: true, allowNull: allowNull) {
        case .failure(let message): return .failure(message)
        case .success(let text):
            guard let text, !text.isEmpty else { return .success(text) }
            // Django's validator decides; SwiftDesk also needs a plain `local@domain.tld` to keep the
            // address (so `a@localhost`, which Django takes, is refused: docs/django-helpdesk.md).
            return DjangoEmail.isValid(text) && MailAddress.isBareAddress(text) ? .success(text) : .failure("Enter a valid email address.")
        }
    }

    static let dateTimeFormats = "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]"

    /// `DateTimeField` input: what Django's `parse_datetime` reads (`PythonDateTime`; no offset
    /// is UTC), as UTC epoch seconds; a fraction of a second is dropped (SwiftDesk keeps seconds).
    /// A time whose offset moves it out of years 1–9999 in UTC is out of range, as
    /// `enforce_timezone` finds.
    static func dateTime(_ value: JSONValue) -> Result<Int64?, FieldError> {
        guard case .string(let text) = value else {
            if value == .null { return .success(nil) }
            return .failure("Datetime has wrong format. Use one of these formats instead: \(dateTimeFormats).")
        }
        guard let seconds = parseISODateTime(text) else {
            return .failure("Datetime has wrong format. Use one of these formats instead: \(dateTimeFormats).")
        }
        // 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z.
        guard (-62_135_596_800...253_402_300_799).contains(seconds) else { return .failure("Datetime value out of range.") }
        return .success(seconds)
    }

    /// Unix seconds of a date and time as `parse_datetime` reads it, or nil.
    static func parseISODateTime(_ text: String) -> Int64? {
        PythonDateTime.parse(text)?.seconds
    }

    /// DRF's output: `YYYY-MM-DDTHH:MM:SSZ`.
    static func isoTime(_ seconds: Int64) -> String {
        CivilDate(unixSeconds: seconds).isoString
    }

    /// `DurationField` input as Django's `parse_duration` reads `str(value)`, in microseconds:
    /// the standard form `[-]D [days, ][-][[HH:]MM:]SS[.ffffff]` (`90`, `1:30:00`,
    /// `1 day, 2:00:00`), ISO 8601 (`P1DT2H30M`, `-PT1H`) and PostgreSQL's
    /// `D days [-+]HH:MM:SS[.ffffff]` (which takes `""` as zero). Beyond `timedelta`'s
    /// ±999,999,999 days DRF answers its overflow text; SwiftDesk answers it too for the
    /// durations within that range that 64 bits of microseconds cannot hold (beyond about
    /// 106 million days, where django-helpdesk on SQLite fails with a server error).
    static func duration(_ value: JSONValue) -> Result<Int64?, FieldError> {
        let text: String
        switch value {
        case .null: return .success(nil)
        case .string(let string): text = string
        case .number(let number): text = Int64(number).map(String.init) ?? Double(number).map { "\($0)" } ?? number
        default: return .failure(durationFormat)
        }
        switch parseDuration(text) {
        case .value(let micro): return .success(micro)
        case .invalid: return .failure(durationFormat)
        case .overflow: return .failure("The number of days must be between -999999999 and 999999999.")
        }
    }

    /// The accounted minutes of a `time_spent` of `micro` microseconds: only time spent counts
    /// (a negative duration is kept as written, not accounted), and only up to the core's
    /// `ArticleDraft.maxTimeUnit`; a longer duration is kept as typed.
    static func accountedMinutes(_ micro: Int64) -> Double? {
        let minutes = Double(micro) / 60e6
        return micro > 0 && minutes <= ArticleDraft.maxTimeUnit ? minutes : nil
    }

    static let durationFormat: FieldError = "Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu]."

    enum ParsedDuration: Equatable {
        case value(Int64)
        case invalid
        case overflow
    }

    /// Django's three patterns, each on one line to compare with `django/utils/dateparse.py`.
    /// The standard and PostgreSQL forms have whole parts and are added up exactly; ISO 8601
    /// takes fractions of any part, in floating point as Python does.
    // swift-format-ignore
    static func parseDuration(_ text: String) -> ParsedDuration {
        if let m = text.wholeMatch(
            of: #/(?:(?<days>-?\d+) (?:days?, )?)?(?<sign>-?)(?:(?<hours>\d+):(?=\d+:\d+))?(?:(?<minutes>\d+):)?(?<seconds>\d+)(?:[.,](?<micro>\d{1,6})\d{0,6})?/#)
        {
            return exactDuration(days: m.days, negative: m.sign == "-", hours: m.hours, minutes: m.minutes, seconds: m.seconds, micro: m.micro)
        } else if let m = text.wholeMatch(
            of: #/(?<sign>[-+]?)P(?:(?<days>\d+(?:[.,]\d+)?)D)?(?:T(?:(?<hours>\d+(?:[.,]\d+)?)H)?(?:(?<minutes>\d+(?:[.,]\d+)?)M)?(?:(?<seconds>\d+(?:[.,]\d+)?)S)?)?/#)
        {
            let number = { (part: Substring?) -> Double in part.flatMap { Double($0.replacingOccurrences(of: ",", with: ".")) } ?? 0 }
            let sign: Double = m.sign == "-" ? -1 : 1
            let total = (sign * (number(m.days) * 86_400e6 + number(m.hours) * 3600e6 + number(m.minutes) * 60e6 + number(m.seconds) * 1e6)).rounded(.toNearestOrEven)
            guard total.isFinite, abs(total) < 86_400e6 * 1e9 else { return .overflow }
            return abs(total) < 9.2e18 ? .value(Int64(total)) : .overflow
        } else if let m = text.wholeMatch(
            of: #/(?:(?<days>-?\d+) (?:days? ?))?(?:(?<sign>[-+])?(?<hours>\d+):(?<minutes>\d\d):(?<seconds>\d\d)(?:\.(?<micro>\d{1,6}))?)?/#)
        {
            return exactDuration(days: m.days, negative: m.sign == "-", hours: m.hours, minutes: m.minutes, seconds: m.seconds, micro: m.micro)
        }
        return .invalid
    }

    /// `timedelta(days) + sign * timedelta(hours=, minutes=, seconds=, microseconds=)` in whole
    /// microseconds; days past `timedelta`'s range, or a part or sum past 64 bits (well inside
    /// that range), is `overflow`.
    private static func exactDuration(
        days: Substring?, negative: Bool, hours: Substring?, minutes: Substring?, seconds: Substring?, micro: Substring?
    ) -> ParsedDuration {
        func whole(_ part: Substring?) -> Int64? { part.map { pythonIntegerDigits(String($0)).flatMap { Int64($0) } } ?? 0 }
        guard let days = whole(days), let hours = whole(hours), let minutes = whole(minutes), let seconds = whole(seconds),
            abs(days) <= 999_999_999
        else { return .overflow }
        let fraction =
            micro.map { Int64(pythonIntegerDigits(String($0).padding(toLength: 6, withPad: "0", startingAt: 0)) ?? "") ?? 0 } ?? 0
        var total: Int64 = 0
        for (count, unit) in [(days, 86_400_000_000), (hours, 3_600_000_000), (minutes, 60_000_000), (seconds, 1_000_000), (fraction, 1)] {
            let (part, partOverflow) = count.multipliedReportingOverflow(by: Int64(unit))
            let signed = unit == 86_400_000_000 || !negative ? part : -part
            let (sum, sumOverflow) = total.addingReportingOverflow(signed)
            guard !partOverflow, !sumOverflow else { return .overflow }
            total = sum
        }
        return .value(total)
    }

    /// Django's `duration_string` of microseconds: `[D ]HH:MM:SS[.ffffff]`, days negative for a
    /// negative duration (`-1 23:00:00` is minus one hour).
    static func durationText(_ micro: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        let days = micro >= 0 ? micro / perDay : -((-micro + perDay - 1) / perDay)
        let rest = micro - days * perDay
        let seconds = rest / 1_000_000
        let fraction = rest % 1_000_000
        var text = String(format: "%02d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60)
        if days != 0 { text = "\(days) " + text }
        if fraction != 0 { text += String(format: ".%06d", fraction) }
        return text
    }
}
