/// A finite number as Python's `decimal.Decimal(text)` reads it: white space around, a sign,
/// decimal digits (any script's, as `int()` takes them) with `_` between digits, an optional
/// point and an optional exponent (`1e3`, `2.5E-2`). `NaN` and `Infinity`, which `Decimal` reads
/// but DRF's `DecimalField` refuses, are nil like any other text that is not a number.
struct PythonDecimal: Equatable {
    var isNegative: Bool
    /// The coefficient's digits without leading zeros (`[0]` for zero), as `as_tuple()` gives them.
    var digits: [Int]
    /// The power of ten the coefficient is scaled by.
    var exponent: Int

    init?(_ text: String) {
        var scalars = Substring(text).unicodeScalars.drop { DRF.isPythonSpace($0) }
        while let last = scalars.last, DRF.isPythonSpace(last) { scalars = scalars.dropLast() }
        isNegative = scalars.first == "-"
        if scalars.first == "-" || scalars.first == "+" { scalars = scalars.dropFirst() }
        var mantissa = scalars
        var exponentText: Substring.UnicodeScalarView?
        if let marker = scalars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = scalars[..<marker]
            exponentText = scalars[scalars.index(after: marker)...]
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = Self.digits(parts[0]), let fraction = parts.count == 2 ? Self.digits(parts[1]) : [],
            !whole.isEmpty || !fraction.isEmpty
        else { return nil }
        var scale = 0
        if var exponentText {
            var negative = false
            if exponentText.first == "-" || exponentText.first == "+" {
                negative = exponentText.first == "-"
                exponentText = exponentText.dropFirst()
            }
            // An exponent beyond any field's digits only needs to stay far out of range.
            guard let value = Self.digits(exponentText), !value.isEmpty else { return nil }
            scale = value.reduce(0) { min($0 * 10 + $1, 1_000_000) } * (negative ? -1 : 1)
        }
        let all = (whole + fraction).drop { $0 == 0 }
        digits = all.isEmpty ? [0] : Array(all)
        exponent = scale - fraction.count
    }

    /// Decimal digits (any script's) with `_` only between two of them, as `int()` and
    /// `Decimal()` read them; nil for anything else. Empty text is no digits.
    static func digits(_ scalars: Substring.UnicodeScalarView) -> [Int]? {
        var result: [Int] = []
        var afterDigit = false
        for scalar in scalars {
            if scalar == "_" {
                guard afterDigit else { return nil }
                afterDigit = false
                continue
            }
            guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
            result.append(Int(value))
            afterDigit = true
        }
        guard afterDigit || result.isEmpty else { return nil }
        return result
    }

    /// `str()` of the number quantized to `places` decimal places (the caller checked it has
    /// no more): plain notation, or Python's scientific one when the value is that small
    /// (`0E-8`).
    func quantized(places: Int) -> String {
        var coefficient = digits + Array(repeating: 0, count: max(0, exponent + places))
        while coefficient.count > 1 && coefficient[0] == 0 { coefficient.removeFirst() }
        let text = coefficient.map(String.init).joined()
        let sign = isNegative ? "-" : ""
        let leftDigits = text.count - places
        if leftDigits > -6 {
            if leftDigits <= 0 { return sign + "0." + String(repeating: "0", count: -leftDigits) + text }
            if leftDigits >= text.count { return sign + text }
            return sign + text.prefix(leftDigits) + "." + text.dropFirst(leftDigits)
        }
        let rest = text.dropFirst()
        return sign + text.prefix(1) + (rest.isEmpty ? "" : "." + rest) + "E" + String(leftDigits - 1)
    }
}
