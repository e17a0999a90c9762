/// Checks raw dynamic field values against a field's type and brings them to canonical form.
public enum DynamicFieldValidator {
    /// Canonical values for `input`, or `.invalid(field: "DynamicField", …)`.
    /// An empty result means "clear the field".
    public static func canonicalValues(_ input: DynamicFieldInput, for field: DynamicField) throws(DeskError) -> [String] {
        let values = input.values
        if !field.isMultiValue && values.count > 1 {
            throw .invalid(field: "DynamicField", reason: "\(field.name) takes a single value")
        }
        var result: [String] = []
        for value in values {
            if value.isEmpty { continue }
            result.append(try canonical(value, for: field))
        }
        return result
    }

    private static func canonical(_ value: String, for field: DynamicField) throws(DeskError) -> String {
        switch field.type {
        case .text:
            guard !value.contains("\n") else {
                throw .invalid(field: "DynamicField", reason: "\(field.name) is a single-line text field")
            }
            return value
        case .textArea:
            return value
        case .checkbox:
            guard value == "0" || value == "1" else {
                throw .invalid(field: "DynamicField", reason: "\(field.name) takes 0 or 1")
            }
            return value
        case .dropdown, .multiselect:
            guard field.possibleValues.contains(where: { $0.key == value }) else {
                throw .invalid(field: "DynamicField", reason: "'\(value)' is not a possible value of \(field.name)")
            }
            return value
        case .date:
            guard let date = CivilDate(timestamp: value) else {
                throw .invalid(field: "DynamicField", reason: "\(field.name) takes a date YYYY-MM-DD")
            }
            return CivilDate(year: date.year, month: date.month, day: date.day).timestampString
        case .dateTime:
            guard value.count == 19, let date = CivilDate(timestamp: value) else {
                throw .invalid(field: "DynamicField", reason: "\(field.name) takes YYYY-MM-DD HH:MM:SS")
            }
            return date.timestampString
        }
    }
}
