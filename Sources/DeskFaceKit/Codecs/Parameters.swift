/// Reading parameter hashes the way the Perl and PHP products read them.
extension Dictionary where Key == String, Value == JSONValue {
    /// A scalar value as a string (nil when absent, null, or not a scalar).
    public func string(_ key: String) -> String? { self[key]?.scalarString }

    /// A scalar value that is Perl-true, as a string.
    public func trueString(_ key: String) -> String? {
        guard let value = self[key], value.isPerlTrue else { return nil }
        return value.scalarString
    }

    public func isTrue(_ key: String) -> Bool { self[key]?.isPerlTrue ?? false }
}
