/// Attributes a face keeps on tickets and articles that have no place in the core's model
/// (django-helpdesk's `resolution` and `due_date`, a follow-up's `time_spent` as typed), written
/// in the same transaction as the ticket change they belong to.
enum Schema008 {
    static let statements: [String] = [
        """
        CREATE TABLE face_attributes (
            face VARCHAR(50) NOT NULL, object_kind VARCHAR(20) NOT NULL, object_id BIGINT NOT NULL,
            attr_key VARCHAR(100) NOT NULL, attr_value TEXT NOT NULL,
            PRIMARY KEY (face, object_kind, object_id, attr_key))
        """
    ]
}
