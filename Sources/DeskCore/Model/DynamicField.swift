/// The field types Znuny ships and SwiftDesk supports.
public enum DynamicFieldType: String, Sendable, CaseIterable, Codable {
    case text = "Text"
    case textArea = "TextArea"
    case checkbox = "Checkbox"
    case dropdown = "Dropdown"
    case multiselect = "Multiselect"
    case date = "Date"
    case dateTime = "DateTime"
}

/// What a dynamic field is attached to.
public enum DynamicFieldObject: String, Sendable, CaseIterable, Codable {
    case ticket = "Ticket"
    case article = "Article"
}

/// A dynamic field definition. `possibleValues` (key → label, in order) applies to Dropdown and
/// Multiselect; `possibleNone` allows the empty value for them.
public struct DynamicField: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var label: String
    public var fieldOrder: Int
    public var type: DynamicFieldType
    public var object: DynamicFieldObject
    public var possibleValues: [PossibleValue]
    public var possibleNone: Bool
    /// Znuny's `internal_field`: fields the system relies on (process management) cannot be deleted.
    public var isInternal: Bool
    public var validity: Validity

    public struct PossibleValue: Sendable, Hashable, Codable {
        public var key: String
        public var label: String
        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }

    public init(
        id: Int, name: String, label: String, fieldOrder: Int, type: DynamicFieldType,
        object: DynamicFieldObject, possibleValues: [PossibleValue] = [], possibleNone: Bool = false,
        isInternal: Bool = false, validity: Validity = .valid
    ) {
        self.id = id
        self.name = name
        self.label = label
        self.fieldOrder = fieldOrder
        self.type = type
        self.object = object
        self.possibleValues = possibleValues
        self.possibleNone = possibleNone
        self.isInternal = isInternal
        self.validity = validity
    }

    /// Multiselect keeps a list; every other type keeps at most one value.
    public var isMultiValue: Bool { type == .multiselect }
}

/// The value(s) of one dynamic field on one ticket or article. Values are kept as text in their
/// canonical form: `1`/`0` for Checkbox, `YYYY-MM-DD 00:00:00` for Date, `YYYY-MM-DD HH:MM:SS` for DateTime.
public struct DynamicFieldValue: Sendable, Hashable {
    public var fieldID: Int
    public var objectID: Int
    public var values: [String]

    public init(fieldID: Int, objectID: Int, values: [String]) {
        self.fieldID = fieldID
        self.objectID = objectID
        self.values = values
    }
}

/// A dynamic field value as a caller sends it: by field name, one or several raw values.
/// An empty `values` clears the field.
public struct DynamicFieldInput: Sendable, Hashable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }

    public init(name: String, value: String) {
        self.init(name: name, values: [value])
    }
}
