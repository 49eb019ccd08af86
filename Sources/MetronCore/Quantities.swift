/// Values with units as people write them in suite files: "50ms", "2 s", "1.5min", "512 MiB",
/// "5%". Bare numbers are seconds, bytes and percent respectively. Shared by suite files and
/// the in-process library's METRON_* variables, so both read "200ms" the same way.
public enum Quantities {
    public static func seconds(_ text: String) -> Double? {
        scaled(text, units: [
            "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600,
        ])
    }

    public static func bytes(_ text: String) -> Double? {
        scaled(text, units: [
            "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824,
            "k": 1024, "m": 1_048_576, "g": 1_073_741_824,
        ], lowercase: true)
    }

    /// Counts with SI multipliers: "12M" → 12,000,000; "1.5 k", "3G"; bare numbers as they are.
    public static func count(_ text: String) -> Double? {
        scaled(text, units: ["k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12])
    }

    /// "5%" or "5" → 5.
    public static func percent(_ text: String) -> Double? {
        scaled(text, units: ["%": 1])
    }

    private static func scaled(_ text: String, units: [String: Double], lowercase: Bool = false) -> Double? {
        let trimmed = text.trimmingWhitespace()
        let numberEnd = trimmed.firstIndex { !($0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E") }
            ?? trimmed.endIndex
        // "e" may begin a unit only if no digit follows it; keep it simple: exponents need a digit.
        guard let value = Double(trimmed[..<numberEnd]), value.isFinite else { return nil }
        var unit = String(trimmed[numberEnd...]).trimmingWhitespace()
        if lowercase { unit = unit.lowercased() }
        if unit.isEmpty { return value }
        guard let factor = units[unit] else { return nil }
        return value * factor
    }
}

extension String {
    public func trimmingWhitespace() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
