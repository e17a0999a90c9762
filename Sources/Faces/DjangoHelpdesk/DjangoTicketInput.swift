import DeskCore
import DeskFaceKit
import Foundation

/// A `Ticket` body read the way `TicketSerializer` reads it (`helpdesk/serializers.py`), with
/// references resolved to SwiftDesk ids. A field left out is nil; a field set to null is `.some(nil)`.
struct DjangoTicketInput {
    var queue: Int?
    var title: String?
    var description: String??
    var resolution: String??
    var submitterEmail: String??
    /// The SwiftDesk agent (nil inside: unassigned).
    var assignedTo: Int??
    var status: Int?
    var onHold: Bool?
    var priority: Int?
    var dueDate: Int64??
    /// django-helpdesk ticket id.
    var mergedTo: Int??
    var attachment: MultipartForm.Part?
    /// Dynamic field name → stored text (nil clears).
    var custom: [(field: DjangoDirectory.CustomField, value: String?)] = []
    /// `custom_<name>` → the value as DRF writes the validated one, where that differs from what
    /// is stored (a datetime keeps its seconds and fraction, a time its fraction): an update's
    /// answer shows these, as `ModelSerializer.update` sets them on the instance it renders.
    var echoed: [String: JSONValue] = [:]
    var given: Set<String> = []

    /// Reads `body`. `partial` is PATCH (nothing required); `create` adds the ticket form's
    /// checks (description and priority required, the attachment's extension).
    static func read(_ body: DjangoBody, api: DjangoAPI, partial: Bool, create: Bool) async throws -> Result<DjangoTicketInput, DRF.Errors>
    {
        guard case .object(let data) = body.data else {
            var errors = DRF.Errors()
            errors.add("non_field_errors", DRF.notADictionary(body.data))
            return .failure(errors)
        }
        var input = DjangoTicketInput()
        var errors = DRF.Errors()
        input.given = Set(data.keys)
        func value(_ key: String) -> JSONValue? { data[key] }

        if let raw = value("queue") {
            switch DRF.primaryKey(raw) {
            case .failure(let error): errors.add("queue", error.message)
            case .success(let id):
                if let core = api.mapping.queueToCore[id] { input.queue = core } else { errors.add("queue", DRF.missingObject(raw)) }
            }
        } else if !partial {
            errors.add("queue", DRF.required)
        }
        if let raw = value("title") {
            switch DRF.string(raw, maxLength: 200, allowBlank: false, allowNull: false) {
            case .failure(let error): errors.add("title", error.message)
            case .success(let text): input.title = text
            }
        } else if !partial {
            errors.add("title", DRF.required)
        }
        for key in ["description", "resolution"] {
            guard let raw = value(key) else { continue }
            switch DRF.string(raw, allowBlank: true, allowNull: true) {
            case .failure(let error): errors.add(key, error.message)
            case .success(let text): if key == "description" { input.description = .some(text) } else { input.resolution = .some(text) }
            }
        }
        if let raw = value("submitter_email") {
            switch DRF.email(raw) {
            case .failure(let error): errors.add("submitter_email", error.message)
            case .success(let text): input.submitterEmail = .some(text)
            }
        }
        if let raw = value("assigned_to") {
            if raw == .null || raw == .string("") {
                input.assignedTo = .some(nil)
            } else {
                switch DRF.primaryKey(raw) {
                case .failure(let error): errors.add("assigned_to", error.message)
                case .success(let id):
                    if let agent = try await api.ids.agent(id) {
                        input.assignedTo = .some(agent)
                    } else {
                        errors.add("assigned_to", DRF.missingObject(raw))
                    }
                }
            }
        }
        if let raw = DRF.sent(value("status"), form: body.isForm) {
            switch DRF.choice(raw, [1, 2, 3, 4, 5]) {
            case .failure(let error): errors.add("status", error.message)
            case .success(let status): input.status = status
            }
        }
        if let raw = DRF.sent(value("on_hold"), form: body.isForm) {
            switch DRF.boolean(raw) {
            case .failure(let error): errors.add("on_hold", error.message)
            case .success(let flag): input.onHold = flag
            }
        } else if body.isForm && !partial {
            input.onHold = false
        }
        if let raw = DRF.sent(value("priority"), form: body.isForm) {
            switch DRF.choice(raw, [1, 2, 3, 4, 5]) {
            case .failure(let error): errors.add("priority", error.message)
            case .success(let priority): input.priority = priority
            }
        }
        if let raw = value("due_date") {
            switch raw == .string("") && body.isForm ? .success(nil) : DRF.dateTime(raw) {
            case .failure(let error): errors.add("due_date", error.message)
            case .success(let time): input.dueDate = .some(time)
            }
        }
        if let raw = value("merged_to") {
            if raw == .null || raw == .string("") {
                input.mergedTo = .some(nil)
            } else {
                switch DRF.primaryKey(raw) {
                case .failure(let error): errors.add("merged_to", error.message)
                case .success(let id):
                    if try await api.coreTicket(String(id)) != nil {
                        input.mergedTo = .some(id)
                    } else {
                        errors.add("merged_to", DRF.missingObject(raw))
                    }
                }
            }
        }
        // `request.data` holds the form's fields, then its files: the last value decides. A form's
        // `""` is a file input left empty (not sent); other text, or a JSON value, is no file.
        if let file = body.files["attachment"]?.last {
            if file.body.isEmpty { errors.add("attachment", "The submitted file is empty.") } else { input.attachment = file }
        } else if let raw = value("attachment"), !(body.isForm && raw == .string("")) {
            errors.add("attachment", raw == .null ? DRF.notNull : DjangoBody.notAFile)
        }
        for field in api.mapping.directory.orderedCustomFields {
            let key = "custom_" + field.name
            // DRF's `BooleanField.default_empty_html`: a form that leaves a boolean out says False.
            let omittedFlag: JSONValue? =
                field.dataType == "boolean" && body.isForm && !partial && value(key) == nil ? .string("False") : nil
            guard let raw = omittedFlag ?? (field.required ? value(key) : DRF.sent(value(key), form: body.isForm)) else {
                if field.required && !partial { errors.add(key, DRF.required) }
                continue
            }
            switch DjangoCustomField.parse(raw, field) {
            case .failure(let error): errors.add(key, error.message)
            case .success(let stored):
                input.custom.append((field, stored))
                if let shown = DjangoCustomField.validatedText(raw, field) { input.echoed[key] = .string(shown) }
            }
        }
        guard errors.isEmpty else { return .failure(errors) }
        if create {
            // The ticket form (`helpdesk/forms.py`): `body` is the description.
            switch input.description {
            case .none: errors.add("description", DRF.required)
            case .some(let text) where (text ?? "").isEmpty: errors.add("body", DRF.required)
            default: break
            }
            if input.priority == nil { errors.add("priority", DRF.required) }
            if let file = input.attachment, let problem = DjangoAttachments.extensionProblem(file.filename ?? "") {
                errors.add("attachment", problem)
            }
            guard errors.isEmpty else { return .failure(errors) }
        }
        return .success(input)
    }
}

/// django-helpdesk custom fields (`CustomField.build_api_field`): input checks per data type and
/// the text stored.
enum DjangoCustomField {
    /// DRF's `DecimalField(max_digits, decimal_places)`: the text as Python's `Decimal` reads it
    /// (sign, digits with `_` between them, a point, an exponent), its digits checked as
    /// `validate_precision` counts them (total first, then places, then whole digits), quantized
    /// to the field's places.
    static func decimal(_ text: String, _ field: DjangoDirectory.CustomField) -> Result<String?, DRF.FieldError> {
        let places = field.decimalPlaces ?? 2
        guard text.count <= 1_000 else { return .failure("String value too large.") }
        guard let number = PythonDecimal(text) else { return .failure("A valid number is required.") }
        // `Decimal.as_tuple()`: the significant digits and the power of ten they are scaled by.
        let total: Int
        let whole: Int
        let fractionDigits: Int
        if number.exponent >= 0 {
            (total, whole, fractionDigits) = (number.digits.count + number.exponent, number.digits.count + number.exponent, 0)
        } else if number.digits.count > -number.exponent {
            (total, whole, fractionDigits) = (number.digits.count, number.digits.count + number.exponent, -number.exponent)
        } else {
            (total, whole, fractionDigits) = (-number.exponent, 0, -number.exponent)
        }
        if let maxDigits = field.maxLength, total > maxDigits {
            return .failure("Ensure that there are no more than \(maxDigits) digits in total.")
        }
        if fractionDigits > places { return .failure("Ensure that there are no more than \(places) decimal places.") }
        if let maxDigits = field.maxLength, whole > maxDigits - places {
            return .failure("Ensure that there are no more than \(maxDigits - places) digits before the decimal point.")
        }
        return .success(number.quantized(places: places))
    }

    /// A valid datetime or time value as DRF's `to_representation` writes the Python object it
    /// became (`2024-05-06T07:08:09Z`, `…:09.500000Z`, `10:11:12.500000`); nil for other types.
    static func validatedText(_ raw: JSONValue, _ field: DjangoDirectory.CustomField) -> String? {
        guard let text = raw.scalarString else { return nil }
        switch field.dataType {
        case "datetime":
            guard let instant = PythonDateTime.parse(text) else { return nil }
            let fraction = instant.microsecond == 0 ? "" : String(format: ".%06d", instant.microsecond)
            return String(DRF.isoTime(instant.seconds).dropLast()) + fraction + "Z"
        case "time": return PythonDateTime.time(text)
        default: return nil
        }
    }

    /// A value for `field`, as the serializer field that `CustomField.build_api_field` makes reads it:
    /// neither null nor (for the text kinds) blank is allowed.
    static func parse(_ raw: JSONValue, _ field: DjangoDirectory.CustomField) -> Result<String?, DRF.FieldError> {
        if raw == .null { return .failure(DRF.FieldError(DRF.notNull)) }
        // The `CharField` kinds (varchar, text, email, url, slug, ipaddress) trim and refuse blank text.
        let isText = !["integer", "decimal", "boolean", "date", "time", "datetime", "list"].contains(field.dataType)
        let text = isText ? (raw.scalarString ?? "").trimmingCharacters(in: .whitespacesAndNewlines) : raw.scalarString ?? ""
        if isText, case .string = raw, text.isEmpty { return .failure(DRF.FieldError(DRF.notBlank)) }
        switch field.dataType {
        case "integer":
            switch DRF.integer(raw) {
            case .failure(let error): return .failure(error)
            case .success(let value): return .success(String(value))
            }
        case "decimal":
            // `smart_str(data)`: a JSON number as Python prints the float or int it became.
            if case .number = raw { return decimal(DRF.pythonText(raw), field) }
            return decimal(text, field)
        case "boolean":
            switch DRF.boolean(raw) {
            case .failure(let error): return .failure(error)
            case .success(let flag): return .success(flag ? "True" : "False")
            }
        case "date":
            guard let date = PythonDateTime.date(text) else {
                return .failure("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
            }
            return .success(date)
        case "time":
            guard let time = PythonDateTime.time(text) else {
                return .failure("Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]].")
            }
            // `convert_value` stores a time as `CUSTOMFIELD_TIME_FORMAT`, `%H:%M:%S`.
            return .success(String(time.prefix(8)))
        case "datetime":
            switch DRF.dateTime(.string(text)) {
            case .failure(let error): return .failure(error)
            case .success(let seconds): return .success(String(DRF.isoTime(seconds ?? 0).prefix(16)))
            }
        case "list":
            let choices = (field.emptySelectionList ? [""] : []) + field.listValues
            guard choices.contains(text) else { return .failure("\"\(DRF.pythonText(raw))\" is not a valid choice.") }
            return .success(text)
        case "email":
            guard text.isEmpty || MailAddress.isBareAddress(text) else { return .failure("Enter a valid email address.") }
            return .success(text)
        case "url":
            guard text.isEmpty || (URL(string: text)?.scheme.map { ["http", "https", "ftp", "ftps"].contains($0) } ?? false) else {
                return .failure("Enter a valid URL.")
            }
            return .success(text)
        case "slug":
            // `SlugField(allow_unicode=False)`: `^[-a-zA-Z0-9_]+$`.
            guard
                text.unicodeScalars.allSatisfy({
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
                })
            else {
                return .failure("Enter a valid \"slug\" consisting of letters, numbers, underscores or hyphens.")
            }
            return .success(text)
        case "ipaddress":
            guard text.isEmpty || IPMatcher.isPattern(text) && !text.contains("/") else {
                return .failure("Enter a valid IPv4 or IPv6 address.")
            }
            return .success(text)
        default:
            switch DRF.string(raw, maxLength: field.maxLength, allowBlank: true, allowNull: true) {
            case .failure(let error): return .failure(error)
            case .success(let value): return .success(value)
            }
        }
    }
}
