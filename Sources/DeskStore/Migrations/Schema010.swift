/// Sorting by a dynamic field walks its values in order: an index on (field, value, ticket,
/// position) lets the database read tickets in sort order and stop at the limit, instead of
/// sorting every ticket that matches. It also serves every use of the (field, value) index it
/// replaces.
enum Schema010 {
    static let statements: [String] = [
        "CREATE INDEX dynamic_field_values_sort ON dynamic_field_values (field_id, value_text, object_id, position)",
        "DROP INDEX IF EXISTS dynamic_field_values_field_value",
    ]
}
