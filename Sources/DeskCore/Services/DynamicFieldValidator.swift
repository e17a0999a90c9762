/// Checks raw dynamic field values against a field's type and brings them to canonical form.
public enum DynamicFieldValidator {
    /// Canonical values for `input`; an empty result means "clear the field" (a checkbox sent
    /// empty is unchecked, `0`). Throws the reason a
    /// value is not acceptable (the caller knows the field's position in the request).
    public static func canonicalValues(_ input: DynamicFieldInput, for field: DynamicField) throws(Reason) -> [String] {
        let values = input.values
        if !field.isMultiValue && values.count > 1 { throw .singleValue }
        var result: [String] = []
        for value in values {
            // Znuny's checkbox stores an empty value as 0 (unchecked); other fields take it as none.
            if value.isEmpty {
                if field.type == .checkbox { result.append("0") }
                continue
            }
            result.append(try canonical(value, for: field))
        }
        return result
    }

    private static func canonical(_ value: String, for field: DynamicField) throws(Reason) -> String {
        switch field.type {
        case .text, .textArea:
            // Znuny's text fields check only their configured patterns, line breaks included.
            return value
        case .checkbox:
            guard value == "0" || value == "1" else { throw .malformed(expected: "0 or 1") }
            return value
        case .dropdown, .multiselect:
            guard field.possibleValues.contains(where: { $0.key == value }) else { throw .notPossible(value) }
            return value
        case .date:
            // A day, or a day at 00:00:00 (23:59:59, the end of a day, is kept as it is), as
            // Znuny's Date driver takes it; another time of day is refused, not dropped.
            guard let date = CivilDate(timestamp: value) else { throw .malformed(expected: "a date YYYY-MM-DD") }
            let time = value.count > 10 ? value.dropFirst(11) : "00:00:00"
            guard time == "00:00:00" || time == "23:59:59" else { throw .malformed(expected: "a date YYYY-MM-DD") }
            return time == "23:59:59" ? date.timestampString : CivilDate(year: date.year, month: date.month, day: date.day).timestampString
        case .dateTime:
            guard value.count == 19, let date = CivilDate(timestamp: value) else { throw .malformed(expected: "YYYY-MM-DD HH:MM:SS") }
            return date.timestampString
        }
    }
}
